"""Writes of a campaign's key messages: add, reword, reorder, remove."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _g

from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.campaigns.services.common import clean_text, lock, renumber
from hamseda.core import persian, policy
from hamseda.core.audit import audit_record
from hamseda.directory.models import Person

MAX_MESSAGE_LENGTH = 600


def _clean_message(campaign: Campaign, text: str, *, exclude: int | None = None) -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({"text": _g("متن پیام کلیدی را بنویسید.")})
    if len(text) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            {
                "text": _g("پیام کلیدی کوتاه و روشن باشد: حداکثر %(n)s نویسه.")
                % {"n": persian.fa_digits(MAX_MESSAGE_LENGTH)}
            }
        )
    # Spacing and half-spaces aside, the same words are the same message.
    key = persian.compact_key(text)
    others = KeyMessage.objects.filter(campaign=campaign)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    for other in others:
        if persian.compact_key(other.text) == key:
            raise ValidationError({"text": _g("همین پیام پیش‌تر در این پویش آمده است.")})
    return text


@transaction.atomic
def message_add(*, actor: Person, campaign: Campaign, text: str) -> KeyMessage:
    """Add a key message at the end of the campaign's list."""
    policy.require(actor, "campaign.manage", campaign)
    lock(campaign)
    text = _clean_message(campaign, text)
    top = campaign.messages.aggregate(top=Max("position"))["top"] or 0
    message = KeyMessage(campaign=campaign, position=top + 1, text=text)
    message.full_clean()
    message.save()
    audit_record(
        actor=actor,
        event="key_message_added",
        target=campaign,
        changes={"key_message": [None, text]},
    )
    return message


@transaction.atomic
def message_edit(
    *, actor: Person, message: KeyMessage, text: str | None = None, position: int | None = None
) -> KeyMessage:
    """Reword a message (activities that used it keep counting for it), or move
    it to ``position`` (1 = first; past the end = last)."""
    campaign = message.campaign
    policy.require(actor, "campaign.manage", campaign)
    lock(campaign)
    changes: dict[str, list[Any]] = {}
    if text is not None:
        new_text = _clean_message(campaign, text, exclude=message.pk)
        if new_text != message.text:
            changes["key_message"] = [message.text, new_text]
            message.text = new_text
            message.save(update_fields=["text", "updated_at"])
    if position is not None:
        if position < 1:
            raise ValidationError({"position": _g("ردیف باید عددی از ۱ به بالا باشد.")})
        ordered = [m for m in campaign.messages.order_by("position", "pk") if m.pk != message.pk]
        old = message.position
        ordered.insert(min(position, len(ordered) + 1) - 1, message)
        renumber(ordered)
        if message.position != old:
            changes["key_message_position"] = [old, message.position]
            changes.setdefault("key_message", [None, message.text])
    if changes:
        audit_record(actor=actor, event="key_message_edited", target=campaign, changes=changes)
    return message


@transaction.atomic
def message_remove(*, actor: Person, message: KeyMessage) -> None:
    """Remove a message no activity has used yet. A used message stays, so the
    activities that carried it and its usage count keep their meaning; reword
    it instead."""
    campaign = message.campaign
    policy.require(actor, "campaign.manage", campaign)
    lock(campaign)
    used = message.uses.count()
    if used:
        raise ValidationError(
            _g(
                "این پیام در %(n)s فعالیت به کار رفته است و حذف نمی‌شود؛ "
                "اگر لازم است، متن آن را ویرایش کنید."
            )
            % {"n": persian.fa_digits(used)}
        )
    text = message.text
    message.delete()
    renumber(list(campaign.messages.order_by("position", "pk")))
    audit_record(
        actor=actor,
        event="key_message_removed",
        target=campaign,
        changes={"key_message": [text, None]},
    )
