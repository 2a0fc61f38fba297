"""Indicators the social app gives the evaluation engine (``core.indicators``).

A post counts for the office that wrote it once it is *published* on at least
one channel in the period (sent by the worker, or marked published by hand;
``coverage.published_in``), on the day it went out. Values take one query (the
campaign indicator three), whatever the number of offices; each evidence
listing at most three.

- ``social.posts`` and ``social.posts.<platform>``: posts published (on that
  platform);
- ``social.channel_coverage``: of the main messengers (``MAIN_PLATFORMS``), the
  share the office was active on (an active channel with a published post).
  Every office gets a value: one without any channel is at 0%, not unknown, as
  having no channel is exactly what the "100% of social networks" goal counts
  against (so, unlike other rates, no office is left absent).
- ``social.campaign_republished``: of the campaign joint posts the office was
  invited to in the period, the share it published on every active channel it
  has (``coverage.republished_state``); unknown for an office never invited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali
from hamseda.core.indicators import (
    HIGHER,
    Evidence,
    EvidenceFunc,
    Provider,
    evidence_for,
    indicator,
)
from hamseda.core.persian import format_number
from hamseda.directory.models import Office
from hamseda.social import coverage
from hamseda.social.models import (
    MAIN_PLATFORMS,
    Delivery,
    InviteStatus,
    JointInvite,
    Platform,
    Post,
    SocialAccount,
)


def _published(
    start: dt.date, end: dt.date, office_ids: Sequence[int] | None, platform: str = ""
) -> QuerySet[Delivery]:
    deliveries = coverage.published_in(start, end)
    if office_ids is not None:
        deliveries = deliveries.filter(post__office_id__in=office_ids)
    if platform:
        deliveries = deliveries.filter(platform=platform)
    return deliveries


def _count_posts(
    start: dt.date, end: dt.date, office_ids: Sequence[int] | None, platform: str = ""
) -> dict[int, float]:
    rows = (
        _published(start, end, office_ids, platform)
        .values("post__office_id")
        .annotate(n=Count("post_id", distinct=True))
    )
    return {row["post__office_id"]: float(row["n"]) for row in rows}


def _posts_evidence(
    start: dt.date, end: dt.date, office_id: int, limit: int, platform: str = ""
) -> list[Evidence]:
    """The office's published posts, newest first: each with the platforms (and
    views) it was published on. Two queries."""
    deliveries = _published(start, end, [office_id], platform).values_list(
        "post_id", "platform", "sent_at", "views"
    )
    labels = dict(Platform.choices)
    first_sent: dict[int, dt.datetime] = {}
    platforms: dict[int, list[str]] = defaultdict(list)
    views: dict[int, int] = defaultdict(int)
    for post_id, where, sent_at, seen in deliveries:
        if sent_at is None:  # published rows always have it (``published_in``)
            continue
        if post_id not in first_sent or sent_at < first_sent[post_id]:
            first_sent[post_id] = sent_at
        name = str(labels.get(where, where))
        if name not in platforms[post_id]:
            platforms[post_id].append(name)
        views[post_id] += seen or 0
    newest = sorted(first_sent, key=lambda pk: (first_sent[pk], pk), reverse=True)[:limit]
    posts = Post.objects.only("pk", "text").in_bulk(newest)
    result = []
    for post_id in newest:
        post = posts[post_id]
        note = "، ".join(platforms[post_id])
        if views[post_id]:
            note += " · " + gettext("%(n)s بازدید") % {"n": format_number(views[post_id])}
        result.append(
            Evidence(
                label=str(post),
                url=post.get_absolute_url(),
                date=jalali.local_date(first_sent[post_id]),
                note=note,
            )
        )
    return result


@indicator(
    "social.posts",
    name=_("فرسته‌های منتشرشده در شبکه‌های اجتماعی"),
    unit=_("فرسته"),
    direction=HIGHER,
    description=_(
        "شمار فرسته‌های دستگاه که در این دوره دست‌کم در یکی از کانال‌هایش منتشر شده است "
        "(با بات یا به‌صورت دستی)"
    ),
)
def posts(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    return _count_posts(start, end, office_ids)


@evidence_for("social.posts")
def posts_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return _posts_evidence(start, end, office_id, limit)


def _register_platform(platform: str, label: Any) -> None:
    code = f"social.posts.{platform}"

    def compute(
        *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
    ) -> dict[int, float]:
        return _count_posts(start, end, office_ids, platform)

    def listing(
        *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
    ) -> list[Evidence]:
        return _posts_evidence(start, end, office_id, limit, platform)

    provider: Provider = compute
    evidence: EvidenceFunc = listing
    indicator(
        code,
        name=format_lazy(_("فرسته‌های منتشرشده در {platform}"), platform=label),
        unit=_("فرسته"),
        direction=HIGHER,
        description=format_lazy(
            _("شمار فرسته‌های دستگاه که در این دوره در {platform} منتشر شده است"), platform=label
        ),
    )(provider)
    evidence_for(code)(evidence)


for _platform, _label in Platform.choices:
    _register_platform(_platform, _label)


@indicator(
    "social.channel_coverage",
    name=_("پوشش پیام‌رسان‌های اصلی"),
    unit="%",
    direction=HIGHER,
    description=_(
        "از پیام‌رسان‌های بله، ایتا، روبیکا و تلگرام، درصدی که دستگاه در این دوره در آن "
        "کانال فعال داشته و در آن فرسته منتشر کرده است"
    ),
    absent_is_zero=False,
)
def channel_coverage(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    # The rule of ``coverage.Cell.active``: an active channel on the platform
    # and a post published there. Three queries.
    published = (
        _published(start, end, office_ids)
        .filter(platform__in=MAIN_PLATFORMS)
        .values_list("post__office_id", "platform")
        .distinct()
    )
    pairs = set(published)
    channels = SocialAccount.objects.filter(
        is_active=True,
        platform__in=MAIN_PLATFORMS,
        office_id__in={office for office, _platform in pairs},
    ).order_by()
    active = pairs & set(channels.values_list("office_id", "platform").distinct())
    count: dict[int, int] = defaultdict(int)
    for office_id, _platform in active:
        count[office_id] += 1
    offices = (
        list(office_ids)
        if office_ids is not None
        else list(Office.objects.filter(is_active=True).values_list("pk", flat=True))
    )
    values = dict.fromkeys(offices, 0.0)
    for office, n in count.items():
        values[office] = round(100.0 * n / len(MAIN_PLATFORMS), 1)
    return values


@evidence_for("social.channel_coverage")
def channel_coverage_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """One line per main messenger: counted when the office published there.
    Two queries."""
    channels = {
        account.platform: account
        for account in SocialAccount.objects.filter(
            office_id=office_id, is_active=True, platform__in=MAIN_PLATFORMS
        ).order_by("-pk")
    }
    last: dict[str, dt.datetime] = {}
    count: dict[str, int] = defaultdict(int)
    rows = (
        _published(start, end, [office_id])
        .filter(platform__in=MAIN_PLATFORMS)
        .values_list("platform", "post_id", "sent_at")
        .distinct()
    )
    seen: set[tuple[str, int]] = set()
    for platform, post_id, sent_at in rows:
        if sent_at is None:
            continue
        if (platform, post_id) not in seen:
            seen.add((platform, post_id))
            count[platform] += 1
        if platform not in last or sent_at > last[platform]:
            last[platform] = sent_at
    result = []
    for platform in MAIN_PLATFORMS:
        label = str(Platform(platform).label)
        account = channels.get(platform)
        if account is None:
            note = gettext("کانال فعالی ندارد")
        elif platform not in count:
            note = gettext("در این دوره فرسته‌ای منتشر نکرده است")
        else:
            note = gettext("%(n)s فرسته") % {"n": format_number(count[platform])}
        result.append(
            Evidence(
                label=f"{label}: {account.title}" if account else label,
                url=account.get_absolute_url() if account else "",
                date=jalali.local_date(last[platform]) if platform in last else None,
                counted=account is not None and platform in count,
                note=note,
            )
        )
    return result[:limit]


def _republished(
    start: dt.date, end: dt.date, office_ids: Sequence[int] | None
) -> list[tuple[JointInvite, str, int, int]]:
    """Each invitation of the period with its state, channels and published
    channels. Three queries."""
    invites = list(
        coverage.invites_in_period(start, end, office_ids)
        .select_related("joint__campaign")
        .order_by("-created_at", "-pk")
    )
    channels = coverage.active_channels({invite.office_id for invite in invites})
    published = coverage.adoption_channels({invite.joint_id for invite in invites})
    result = []
    for invite in invites:
        mine = channels.get(invite.office_id, set())
        done = published.get((invite.joint_id, invite.office_id), set())
        state = coverage.republished_state(mine, done)
        result.append((invite, state, len(mine), len(mine & done)))
    return result


@indicator(
    "social.campaign_republished",
    name=_("بازنشر فرسته‌های مشترک پویش‌ها"),
    unit="%",
    direction=HIGHER,
    description=_(
        "از فرسته‌های مشترک پویش‌ها که در این دوره برای بازنشر به دستگاه فرستاده شده، "
        "درصدی که دستگاه در همه کانال‌های فعالش منتشر کرده است"
    ),
    absent_is_zero=False,
)
def campaign_republished(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    invited: dict[int, int] = defaultdict(int)
    full: dict[int, int] = defaultdict(int)
    for invite, state, _channels, _done in _republished(start, end, office_ids):
        invited[invite.office_id] += 1
        full[invite.office_id] += 1 if state == coverage.FULL else 0
    return {office: round(100.0 * full[office] / n, 1) for office, n in invited.items()}


@evidence_for("social.campaign_republished")
def campaign_republished_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    result = []
    for invite, state, channels, done in _republished(start, end, [office_id])[:limit]:
        if invite.status == InviteStatus.DECLINED:
            note = gettext("نپذیرفت")
            if invite.reason:
                note += f": {invite.reason}"
        elif state == coverage.NO_CHANNEL:
            note = gettext("کانال فعالی ندارد")
        else:
            note = gettext("در %(done)s از %(all)s کانال") % {
                "done": format_number(done),
                "all": format_number(channels),
            }
        joint = invite.joint
        result.append(
            Evidence(
                label=f"{joint.title} — {joint.campaign.title}",
                url=reverse("social:joint_detail", args=[joint.pk]),
                date=jalali.local_date(invite.created_at),
                counted=state == coverage.FULL,
                note=note,
            )
        )
    return result
