"""What the campaign services share: the audit events and field labels of the
whole app (every event is audited on the campaign), the text normalisers, and
the row lock and renumbering that key messages and targets both use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from hamseda.campaigns.models import Campaign
from hamseda.core import persian
from hamseda.core.audit import register_events

register_events(
    {
        "campaign_created": _("پویش ایجاد شد"),
        "campaign_edited": _("مشخصات پویش ویرایش شد"),
        "campaign_season_started": _("برنامه فصلی از روی الگو آغاز شد"),
        "campaign_baselines_refreshed": _("مبنای اهداف از عملکرد سال قبل به‌روز شد"),
        "key_message_added": _("پیام کلیدی افزوده شد"),
        "key_message_edited": _("پیام کلیدی ویرایش شد"),
        "key_message_removed": _("پیام کلیدی حذف شد"),
        "target_added": _("هدف کمی افزوده شد"),
        "target_edited": _("هدف کمی ویرایش شد"),
        "target_removed": _("هدف کمی حذف شد"),
        "target_recorded": _("مقدار هدف ثبت شد"),
        "campaign_participant_added": _("دستگاه مشارکت‌کننده افزوده شد"),
        "campaign_participant_removed": _("دستگاه مشارکت‌کننده حذف شد"),
        "campaign_file_added": _("فایل به پویش افزوده شد"),
        "campaign_file_removed": _("فایل پویش حذف شد"),
    },
    # Names that are not fields of Campaign (the audit target of every event here),
    # prefixed so that they do not relabel other apps' changes.
    fields={
        "key_message": _("پیام کلیدی"),
        "key_message_position": _("ردیف پیام کلیدی"),
        "target": _("هدف کمی"),
        "target_label": _("عنوان هدف"),
        "target_metric": _("شیوه شمارش"),
        "target_activity_kind": _("نوع فعالیت"),
        "target_value": _("مقدار هدف"),
        "target_baseline": _("مبنا (عملکرد سال قبل)"),
        "target_manual_value": _("مقدار ثبت‌شده"),
        "target_count": _("شمار اهداف"),
        "key_message_count": _("شمار پیام‌های کلیدی"),
        "campaign_office": _("دستگاه"),
        "campaign_file": _("فایل"),
    },
)

MAX_LIST_ITEM_LENGTH = 200


# --- text helpers ----------------------------------------------------------------------


def clean_text(value: str | None) -> str:
    return persian.normalize(value or "").strip()


def _as_list(values: Iterable[str] | str | None) -> list[str]:
    # A bare string is one value, not an iterable of characters.
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    return list(values)


# Anything but letters, digits, "_" and the half-space ends a hashtag on every
# platform the offices publish to.
_HASHTAG_JUNK_RE = re.compile(r"[^\w\u200c]+")
_UNDERSCORES_RE = re.compile(r"_{2,}")


def normalize_hashtags(values: Iterable[str] | str | None) -> list[str]:
    """``#word`` hashtags from what a user typed: one per item, or several in one
    item when it has several ``#``; spaces inside a tag become ``_``, punctuation
    goes, Persian normalisation applies, and tags that differ only in spelling
    (ي/ی, half-space or not) are kept once, in the order first seen."""
    tags: list[str] = []
    seen: set[str] = set()
    for value in _as_list(values):
        text = persian.normalize(value or "")
        pieces = text.split("#") if "#" in text else [text]
        for piece in pieces:
            word = "_".join(piece.split())
            word = _HASHTAG_JUNK_RE.sub("_", word)
            word = _UNDERSCORES_RE.sub("_", word).strip("_\u200c")
            if not word:
                continue
            key = persian.search_key(word)
            if key in seen:
                continue
            seen.add(key)
            tags.append(f"#{word}")
    return tags


def normalize_list(values: Iterable[str] | str | None) -> list[str]:
    """Short texts (audiences): normalised, blank ones dropped, each kept once."""
    items: list[str] = []
    seen: set[str] = set()
    for value in _as_list(values):
        text = clean_text(value)
        key = persian.search_key(text)
        if text and key not in seen:
            seen.add(key)
            items.append(text)
    return items


# --- shared by key messages and targets ------------------------------------------------


def lock(campaign: Campaign) -> None:
    """Hold the campaign's row until the end of the transaction: two managers
    adding or reordering messages at once number them one after the other."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").get()


def renumber(messages: list[Any]) -> None:
    """Positions 1..n in list order (messages or targets), saving only changes."""
    changed = []
    for index, item in enumerate(messages, start=1):
        if item.position != index:
            item.position = index
            changed.append(item)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])
