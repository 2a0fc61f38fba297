"""What the follow-up services share: audit labels, the people to tell, checks."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.attachments import validate_attachment
from hamseda.core.audit import register_events
from hamseda.core.policy import Role
from hamseda.directory.models import Office, Person
from hamseda.followups.models import (
    OPEN_STATUSES,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
)
from hamseda.meetings.models import Decision

register_events(
    {
        "followup_opened": _("پیگیری آغاز شد"),
        "followup_synced": _("پیگیری با مصوبه هماهنگ شد"),
        "followup_cancelled": _("پیگیری لغو شد"),
        "followup_progress_added": _("گزارش پیشرفت پیگیری ثبت شد"),
        "followup_closed": _("پیگیری بسته شد"),
        "followup_reopened": _("پیگیری دوباره باز شد"),
        "followup_reassigned": _("مسئول یا مهلت پیگیری تغییر کرد"),
        "followup_escalated": _("پیگیری عقب‌افتاده به رئیس شورا گزارش شد"),
        "referral_assigned": _("ارجاع به واحد و کارشناس وزارتخانه سپرده شد"),
        "referral_replied": _("وزارتخانه به ارجاع پاسخ داد"),
    },
    fields={
        "offices": _("مسئول پیگیری"),
        "attachment": _("پیوست"),
        "reason": _("دلیل"),
    },
)

TRACKED = (Decision.ASSIGNED, Decision.REFERRED)


# --- helpers ---------------------------------------------------------------------


def clean_text(value: str) -> str:
    return persian.normalize(value or "").strip()


def followup_title(followup: FollowUp) -> str:
    text = " ".join(str(followup.resolution.text).split())
    return text if len(text) <= 70 else f"{text[:69]}…"


def check_attachment(attachment: File[bytes] | None) -> None:
    if attachment is None:
        return
    try:
        validate_attachment(attachment)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from None


def lock_status(followup: FollowUp) -> str:
    """The follow-up's status as stored, with its row locked until the end of the
    transaction: two people closing, reopening or updating one follow-up at once
    act one after the other, each on the other's result (on PostgreSQL; SQLite
    serialises every write transaction anyway)."""
    status: str = (
        FollowUp.objects.select_for_update().filter(pk=followup.pk).values_list("status", flat=True)
    ).get()
    followup.status = status
    return status


def status_change(before: str, after: str) -> list[Any]:
    """A status change as the history shows it: in Persian words."""
    return [str(FollowUpStatus(before).label), str(FollowUpStatus(after).label)]


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def office_people(offices: Iterable[Office]) -> list[Person]:
    ids = [office.pk for office in offices]
    return list(Person.objects.filter(office_id__in=ids, is_active=True))


def council_leads(followup: FollowUp) -> list[Person]:
    """The council's chair and secretary: every active chair or secretary of the
    province, and the person the council names as its secretary."""
    leads = Person.objects.filter(
        role__in=[Role.COUNCIL_CHAIR, Role.COUNCIL_SECRETARY],
        is_active=True,
        office__agency__province_id=followup.council.province_id,
    )
    people = list(leads)
    secretary = followup.council.secretary
    if secretary is not None and secretary.is_active and secretary not in people:
        people.append(secretary)
    return people


def province_chairs(province_id: int) -> list[Person]:
    return list(
        Person.objects.filter(
            role=Role.COUNCIL_CHAIR, is_active=True, office__agency__province_id=province_id
        )
    )


def add_update(
    followup: FollowUp,
    *,
    actor: Person | None,
    text: str,
    status_from: str = "",
    status_to: str = "",
    attachment: File[bytes] | None = None,
) -> FollowUpUpdate:
    update = FollowUpUpdate(
        followup=followup,
        author=actor,
        text=text,
        status_from=status_from,
        status_to=status_to,
    )
    if attachment is not None:
        # The stored name keeps only the base name: the storage makes it unique.
        update.attachment.save(os.path.basename(attachment.name or "file"), attachment, save=False)
    update.save()
    return update
