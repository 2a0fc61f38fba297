"""The agenda of a meeting: items added, edited, removed and reordered."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _g

from hamseda.core import policy
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.directory.models import CouncilMembership, Office, Person
from hamseda.meetings.models import (
    AgendaItem,
    AgendaKind,
    Meeting,
)
from hamseda.meetings.services.common import (
    AGENDA_FIELDS,
    check_editable,
    clean_text,
)

# --- agenda ----------------------------------------------------------------------------


def _check_presenter(meeting: Meeting, office: Office | None) -> None:
    if (
        office is not None
        and not CouncilMembership.objects.filter(
            council_id=meeting.council_id, office=office
        ).exists()
    ):
        raise ValidationError({"presenting_office": _g("ارائه‌دهنده باید از اعضای همین شورا باشد.")})


@transaction.atomic
def agenda_item_add(
    *,
    actor: Person,
    meeting: Meeting,
    title: str,
    description: str = "",
    presenting_office: Office | None = None,
    minutes_allotted: int = 10,
) -> AgendaItem:
    """Add a topic at the end of the agenda."""
    policy.require(actor, "meeting.manage", meeting)
    check_editable(meeting)
    _check_presenter(meeting, presenting_office)
    top = meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=top + 1,
        kind=AgendaKind.TOPIC,
        title=clean_text(title),
        description=clean_text(description),
        presenting_office=presenting_office,
        minutes_allotted=minutes_allotted,
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        event="agenda_item_added",
        target=meeting,
        changes=diff({}, {"agenda_item": item.title, **snapshot(item, AGENDA_FIELDS[2:])}),
    )
    return item


@transaction.atomic
def agenda_item_update(*, actor: Person, item: AgendaItem, **fields: Any) -> AgendaItem:
    """Edit an item. The automatic items keep their kind; their presenter and
    time can change."""
    meeting = item.meeting
    policy.require(actor, "meeting.manage", meeting)
    unknown = set(fields) - set(AGENDA_FIELDS)
    if unknown:
        raise TypeError(f"agenda_item_update got unknown fields: {sorted(unknown)}")
    check_editable(meeting)
    if "presenting_office" in fields:
        _check_presenter(meeting, fields["presenting_office"])
    before = snapshot(item, AGENDA_FIELDS)
    for name, value in fields.items():
        setattr(item, name, clean_text(value))
    item.full_clean()
    item.save()
    changes = diff(before, snapshot(item, AGENDA_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            event="agenda_item_updated",
            target=meeting,
            changes={"agenda_item": [None, item.title], **changes},
        )
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Person, item: AgendaItem) -> None:
    meeting = item.meeting
    policy.require(actor, "meeting.manage", meeting)
    check_editable(meeting)
    if item.kind != AgendaKind.TOPIC:
        raise ValidationError(
            _g("بند «%(title)s» خودکار است و از دستور جلسه حذف نمی‌شود.") % {"title": item.title}
        )
    title = item.title
    item.delete()
    audit_record(
        actor=actor,
        event="agenda_item_removed",
        target=meeting,
        changes={"agenda_item": [title, None]},
    )


@transaction.atomic
def agenda_item_move(*, actor: Person, item: AgendaItem, direction: str) -> list[AgendaItem]:
    """Move an item one place ``"up"`` or ``"down"``; returns the agenda in its
    new order. Positions are renumbered 1..n, so gaps and ties left by older
    data do not make a move a no-op."""
    meeting = item.meeting
    policy.require(actor, "meeting.manage", meeting)
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    check_editable(meeting)
    items = list(AgendaItem.objects.select_for_update().filter(meeting=meeting))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(items):
        before = [other.title for other in items]
        items[index], items[target] = items[target], items[index]
        for position, other in enumerate(items, start=1):
            other.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        audit_record(
            actor=actor,
            event="agenda_reordered",
            target=meeting,
            changes={"agenda": [before, [other.title for other in items]]},
        )
    return items
