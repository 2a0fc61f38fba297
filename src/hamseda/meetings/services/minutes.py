"""Writes of the minutes (صورتجلسه): the live text, resolutions, approval, acknowledgements.

The minutes' text is saved many times a minute while the meeting runs, possibly
from two devices at once (the secretary and the chair's laptop, or a stale tab
after a dropped connection). ``Minutes.version`` makes this safe: every save
names the version it started from, and the write is one conditional UPDATE
(``WHERE version = <that version>``), so of two saves started from the same
version exactly one wins and the other gets ``MinutesConflict`` with the text
that won. Nothing is overwritten without the writer having seen it.

Once the chair approves the minutes, they and the meeting's resolutions are
read-only: every service here refuses with a Persian message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian, policy
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.core.jalali import format_date
from hamseda.core.models import AuditEvent
from hamseda.core.notifications import notify
from hamseda.directory.models import CouncilMembership, Office, Person
from hamseda.followups.services import followup_sync_for_resolution
from hamseda.meetings.models import (
    Acknowledgement,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Minutes,
    ReportItem,
    ReportItemKind,
    Resolution,
)

register_events(
    {
        "minutes_saved": _("متن صورتجلسه ذخیره شد"),
        "minutes_approved": _("صورتجلسه تأیید شد"),
        "minutes_acknowledged": _("صورتجلسه رؤیت شد"),
        "resolution_added": _("مصوبه ثبت شد"),
        "resolution_updated": _("مصوبه ویرایش شد"),
        "resolution_removed": _("مصوبه حذف شد"),
    },
    fields={
        # Keys of their own: FIELD_LABELS is shared by every model's history, and
        # "version" or "status" would rename other models' fields there too.
        "minutes_version": _("نسخه صورتجلسه"),
        "body_length": _("طول متن (نویسه)"),
        "removed_resolution": _("مصوبه حذف‌شده"),
        "meeting_status": _("وضعیت جلسه"),
        "acknowledged_by": _("رؤیت‌کننده"),
    },
)

# Items of a member report that call for a decision of the meeting; actions and
# performance figures are reported, not decided.
RAISED_KINDS = (ReportItemKind.PROBLEM, ReportItemKind.SUGGESTION, ReportItemKind.VIEWPOINT)
# Offices marked so in the attendance are "the attendees": they sign the PDF and
# their people are asked to acknowledge the approved minutes.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED)
RESOLUTION_FIELDS = (
    "text",
    "decision",
    "solution",
    "solved_by",
    "responsible_offices",
    "due_date",
    "source_item",
)


class MinutesConflict(ValidationError):
    """A save that started from an older version of the minutes. Carries what is
    stored now, so the page can show the other person's text beside the user's."""

    def __init__(
        self,
        *,
        current_body: str,
        current_version: int,
        saved_by: str = "",
        saved_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(
            {
                "body": _g(
                    "همکار دیگری پس از باز کردن این صفحه صورتجلسه را ذخیره کرده است؛ "
                    "متن شما ذخیره نشد ولی در کادر باقی است. متن او را ببینید، دو متن "
                    "را یکی کنید و دوباره ذخیره کنید."
                )
            },
            code="conflict",
        )
        self.current_body = current_body
        self.current_version = current_version
        self.saved_by = saved_by
        self.saved_at = saved_at


# --- reads the services share with the pages -----------------------------------------


def attendee_people(meeting: Meeting) -> QuerySet[Person]:
    """The people asked to acknowledge the approved minutes: active people of the
    offices marked present or represented."""
    offices = Attendance.objects.filter(meeting=meeting, status__in=ATTENDED).values("office_id")
    return (
        Person.objects.filter(is_active=True, office_id__in=offices)
        .select_related("office")
        .order_by("office__sort_key", "sort_key", "pk")
    )


def meeting_day(meeting: Meeting) -> dt.date:
    """The meeting's date in Tehran, against which due dates are checked."""
    return timezone.localdate(meeting.starts_at)


def minutes_is_locked(meeting: Meeting) -> bool:
    return (
        meeting.status == MeetingStatus.APPROVED
        or Minutes.objects.filter(meeting=meeting, approved_at__isnull=False).exists()
    )


# --- guards --------------------------------------------------------------------------


def _approved_error() -> ValidationError:
    return ValidationError(
        _g("صورتجلسه این جلسه تأیید شده است و دیگر نمی‌توان متن یا مصوبات آن را تغییر داد."),
        code="approved",
    )


def _check_writable(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_g("این جلسه لغو شده است و صورتجلسه ندارد."), code="cancelled")
    if minutes_is_locked(meeting):
        raise _approved_error()


def _lock(meeting: Meeting) -> Meeting:
    # Serialises writes to one meeting (numbering of resolutions, approval racing
    # a resolution edit) on PostgreSQL; SQLite serialises every write anyway.
    return Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)


def _last_save(minutes: Minutes) -> AuditEvent | None:
    return (
        AuditEvent.objects.filter(
            target_type__app_label="meetings",
            target_type__model="minutes",
            target_id=str(minutes.pk),
            event="minutes_saved",
        )
        .order_by("-created_at", "-id")
        .first()
    )


def _conflict(minutes: Minutes) -> MinutesConflict:
    last = _last_save(minutes)
    return MinutesConflict(
        current_body=minutes.body,
        current_version=minutes.version,
        saved_by=last.actor_label if last else "",
        saved_at=last.created_at if last else minutes.updated_at,
    )


# --- the text ------------------------------------------------------------------------


def _stored_minutes(meeting: Meeting) -> Minutes | None:
    # A plain read, no row lock: the conditional UPDATE in minutes_save decides
    # between concurrent saves (the tests replace this read with a stale one).
    return Minutes.objects.filter(meeting=meeting).first()


@transaction.atomic
def minutes_save(*, actor: Person, meeting: Meeting, body: str, version: int) -> Minutes:
    """Save the minutes' text if ``version`` is still the stored one.

    ``version`` 0 means "there were no minutes yet when I started". Raises
    ``MinutesConflict`` (the stored text unchanged) when someone saved in between.
    Saving the stored text again is a no-op and keeps the version.
    """
    policy.require(actor, "meeting.manage", meeting)
    _check_writable(meeting)
    body = persian.normalize(body or "")
    minutes = _stored_minutes(meeting)
    if minutes is None:
        if version != 0:
            # Minutes are never deleted: a client that believes in a version of
            # minutes that do not exist has lost track, and must reload.
            raise ValidationError(
                {"version": _g("نسخه صورتجلسه معتبر نیست؛ صفحه را دوباره باز کنید.")}
            )
        try:
            # A savepoint: a concurrent first save makes this insert fail on the
            # one-to-one constraint, and that save has won.
            with transaction.atomic():
                minutes = Minutes.objects.create(meeting=meeting, body=body, version=1)
        except IntegrityError:
            minutes = Minutes.objects.get(meeting=meeting)
            raise _conflict(minutes) from None
        audit_record(
            actor=actor,
            event="minutes_saved",
            target=minutes,
            changes={"minutes_version": [None, 1], "body_length": [None, len(body)]},
        )
        return minutes
    if minutes.body == body:
        # Nothing to write, whatever version the caller started from: a stale tab
        # that holds exactly the stored text has nothing to lose.
        return minutes
    before_length = len(minutes.body)
    # The conditional UPDATE is the whole concurrency control: of two saves that
    # both started from ``version``, the database lets exactly one match.
    # update() skips save(), so the search key (SearchKeyed) is filled here.
    keyed = Minutes(body=body)
    keyed.fill_text_key()
    updated = Minutes.objects.filter(
        pk=minutes.pk, version=version, approved_at__isnull=True
    ).update(
        body=body, text_key=keyed.text_key, version=F("version") + 1, updated_at=timezone.now()
    )
    minutes.refresh_from_db()
    if not updated:
        if minutes.is_approved:
            raise _approved_error()
        raise _conflict(minutes)
    audit_record(
        actor=actor,
        event="minutes_saved",
        target=minutes,
        changes={
            "minutes_version": [version, minutes.version],
            "body_length": [before_length, len(body)],
        },
    )
    return minutes


# --- resolutions -----------------------------------------------------------------------


def _clean_resolution(meeting: Meeting, values: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the fields of a resolution of ``meeting``; raises
    ValidationError with a Persian message beside each wrong field."""
    errors: dict[str, str] = {}
    text = persian.normalize(values.get("text") or "")
    decision = values.get("decision") or ""
    offices: list[Office] = list(values.get("responsible_offices") or ())
    due_date: dt.date | None = values.get("due_date")
    solution = persian.normalize(values.get("solution") or "")
    solved_by = persian.normalize(values.get("solved_by") or "")
    source_item: ReportItem | None = values.get("source_item")

    if not text:
        errors["text"] = _g("متن مصوبه را بنویسید.")
    if decision not in Decision.values:
        errors["decision"] = _g("تصمیم جلسه درباره این مورد را انتخاب کنید.")
    # Fields that mean nothing for a decision are dropped, so that a form whose
    # decision was switched does not leave stale offices or a solution behind.
    if decision in (Decision.RESOLVED, Decision.NOTED):
        offices, due_date = [], None
    if decision != Decision.RESOLVED:
        solution, solved_by = "", ""
    if decision == Decision.ASSIGNED:
        if not offices:
            errors["responsible_offices"] = _g(
                "برای مصوبه‌ای که به دستگاه محول می‌شود دست‌کم یک روابط عمومی مسئول انتخاب کنید."
            )
        if due_date is None:
            errors["due_date"] = _g("برای مصوبه‌ای که به دستگاه محول می‌شود مهلت انجام لازم است.")
    day = meeting_day(meeting)
    if due_date is not None and due_date < day:
        errors["due_date"] = _g("مهلت انجام نمی‌تواند پیش از تاریخ جلسه (%(date)s) باشد.") % {
            "date": format_date(day)
        }
    if offices:
        province_id = meeting.council.province_id
        outside = Office.objects.filter(pk__in=[o.pk for o in offices]).exclude(
            agency__province_id=province_id
        )
        if outside.exists():
            errors["responsible_offices"] = _g(
                "مسئول اجرا باید از روابط عمومی‌های همین استان باشد: %(names)s"
            ) % {"names": "، ".join(o.name for o in outside)}
    if source_item is not None:
        belongs = ReportItem.objects.filter(
            pk=source_item.pk, report__meeting=meeting, kind__in=RAISED_KINDS
        ).exists()
        if not belongs:
            errors["source_item"] = _g(
                "این مصوبه فقط می‌تواند از مسائل، نقطه‌نظرات و پیشنهادات همین جلسه برخیزد."
            )
    if errors:
        raise ValidationError(errors)
    return {
        "text": text,
        "decision": decision,
        "solution": solution,
        "solved_by": solved_by,
        "responsible_offices": offices,
        "due_date": due_date,
        "source_item": source_item,
    }


@transaction.atomic
def resolution_add(
    *,
    actor: Person,
    meeting: Meeting,
    text: str,
    decision: str,
    solution: str = "",
    solved_by: str = "",
    responsible_offices: Iterable[Office] = (),
    due_date: dt.date | None = None,
    source_item: ReportItem | None = None,
) -> Resolution:
    """Record a resolution of the meeting; it takes the next number of the meeting."""
    policy.require(actor, "meeting.manage", meeting)
    meeting = _lock(meeting)
    _check_writable(meeting)
    data = _clean_resolution(
        meeting,
        {
            "text": text,
            "decision": decision,
            "solution": solution,
            "solved_by": solved_by,
            "responsible_offices": responsible_offices,
            "due_date": due_date,
            "source_item": source_item,
        },
    )
    offices = data.pop("responsible_offices")
    last = Resolution.objects.filter(meeting=meeting).aggregate(last=Max("number"))["last"]
    resolution = Resolution(meeting=meeting, number=(last or 0) + 1, **data)
    resolution.full_clean(exclude=["meeting"])
    resolution.save()
    resolution.responsible_offices.set(offices)
    followup_sync_for_resolution(resolution=resolution, actor=actor)
    audit_record(
        actor=actor,
        event="resolution_added",
        target=resolution,
        changes=diff({}, snapshot(resolution, ("number", *RESOLUTION_FIELDS))),
    )
    return resolution


@transaction.atomic
def resolution_update(*, actor: Person, resolution: Resolution, **fields: Any) -> Resolution:
    """Change some of ``RESOLUTION_FIELDS`` of a resolution; the follow-up follows."""
    unknown = set(fields) - set(RESOLUTION_FIELDS)
    if unknown:
        raise TypeError(f"resolution_update got unknown fields: {sorted(unknown)}")
    meeting = resolution.meeting
    policy.require(actor, "meeting.manage", meeting)
    meeting = _lock(meeting)
    _check_writable(meeting)
    resolution = Resolution.objects.select_related("source_item").get(pk=resolution.pk)
    before = snapshot(resolution, RESOLUTION_FIELDS)
    current = {
        "text": resolution.text,
        "decision": resolution.decision,
        "solution": resolution.solution,
        "solved_by": resolution.solved_by,
        "responsible_offices": list(resolution.responsible_offices.all()),
        "due_date": resolution.due_date,
        "source_item": resolution.source_item,
    }
    data = _clean_resolution(meeting, {**current, **fields})
    offices = data.pop("responsible_offices")
    for name, value in data.items():
        setattr(resolution, name, value)
    resolution.full_clean(exclude=["meeting"])
    resolution.save()
    resolution.responsible_offices.set(offices)
    # A fresh instance: followup_sync reads responsible_offices, and the set()
    # above must be what it sees.
    resolution = Resolution.objects.select_related("meeting__council").get(pk=resolution.pk)
    followup_sync_for_resolution(resolution=resolution, actor=actor)
    changes = diff(before, snapshot(resolution, RESOLUTION_FIELDS))
    if changes:
        audit_record(actor=actor, event="resolution_updated", target=resolution, changes=changes)
    return resolution


@transaction.atomic
def resolution_remove(*, actor: Person, resolution: Resolution) -> None:
    """Delete a resolution of minutes not yet approved; the ones after it move up a
    number so the table keeps counting ۱، ۲، ۳ … Its follow-up is cancelled first
    (audited), then goes with it."""
    meeting = resolution.meeting
    policy.require(actor, "meeting.manage", meeting)
    meeting = _lock(meeting)
    _check_writable(meeting)
    resolution = Resolution.objects.get(pk=resolution.pk)
    label = f"{resolution.number}. {resolution.text[:200]}"
    resolution.decision = Decision.NOTED
    followup_sync_for_resolution(resolution=resolution, actor=actor)
    number = resolution.number
    resolution.delete()
    # One row at a time, in ascending order: each moves into the number just
    # freed, so the unique (meeting, number) constraint holds after every row
    # (PostgreSQL checks it per row, not per statement).
    for later in Resolution.objects.filter(meeting=meeting, number__gt=number).order_by("number"):
        later.number = F("number") - 1
        later.save(update_fields=["number", "updated_at"])
    audit_record(
        actor=actor,
        event="resolution_removed",
        target=meeting,
        changes={"removed_resolution": [label, None]},
    )


# --- approval and acknowledgement ----------------------------------------------------------


@transaction.atomic
def minutes_approve(*, actor: Person, meeting: Meeting) -> Minutes:
    """The chair approves the minutes: the meeting becomes ``approved``, the
    minutes and resolutions read-only, and every attendee is asked to acknowledge."""
    policy.require(actor, "minutes.approve", meeting)
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_g("این جلسه لغو شده است و صورتجلسه ندارد."), code="cancelled")
    if meeting.starts_at > timezone.now():
        raise ValidationError(_g("جلسه هنوز برگزار نشده است."), code="not_held")
    if meeting.status == MeetingStatus.PLANNED:
        raise ValidationError(
            _g("پیش از تأیید صورتجلسه، برگزاری جلسه را ثبت کنید."), code="not_marked_held"
        )
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    if minutes.is_approved or meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(_g("این صورتجلسه پیش‌تر تأیید شده است."), code="approved")
    if not minutes.body.strip() and not meeting.resolutions.exists():
        raise ValidationError(
            {"body": _g("صورتجلسه خالی است: متن جلسه یا دست‌کم یک مصوبه را ثبت کنید.")}
        )
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.save(update_fields=["approved_at", "approved_by", "updated_at"])
    status_before = meeting.status
    meeting.status = MeetingStatus.APPROVED
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        event="minutes_approved",
        target=minutes,
        changes={
            "approved_at": [None, minutes.approved_at.isoformat()],
            "meeting_status": [
                str(MeetingStatus(status_before).label),
                str(MeetingStatus.APPROVED.label),
            ],
        },
    )
    notify(
        recipients=attendee_people(meeting),
        title=_g("صورتجلسه «%(meeting)s» تأیید شد؛ لطفاً آن را ببینید و رؤیت کنید.")
        % {"meeting": meeting},
        body=_g("%(council)s، %(date)s")
        % {
            "council": meeting.council.name,
            "date": format_date(meeting.starts_at, "long"),
        },
        url=reverse("meetings:minutes_detail", args=[meeting.pk]),
        dedupe_key=f"minutes-{minutes.pk}-approved",
    )
    return minutes


def _member_of_council(actor: Person, meeting: Meeting) -> bool:
    return (
        actor.office_id is not None
        and CouncilMembership.objects.filter(
            council_id=meeting.council_id, office_id=actor.office_id
        ).exists()
    )


def may_acknowledge(actor: Person, meeting: Meeting) -> bool:
    """Whether ``actor`` is one of the people who acknowledge this council's minutes."""
    return policy.can(actor, "meeting.view", meeting) and _member_of_council(actor, meeting)


@transaction.atomic
def minutes_acknowledge(*, actor: Person, meeting: Meeting) -> Acknowledgement:
    """Record that ``actor`` has read the approved minutes; once per person (a
    second call returns the first acknowledgement)."""
    policy.require(actor, "meeting.view", meeting)
    if not _member_of_council(actor, meeting):
        raise PermissionDenied(
            _g("فقط کارکنان روابط عمومی‌های عضو این شورا صورتجلسه را رؤیت می‌کنند.")
        )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None or not minutes.is_approved:
        raise ValidationError(_g("این صورتجلسه هنوز تأیید نشده است."), code="not_approved")
    acknowledgement, created = Acknowledgement.objects.get_or_create(minutes=minutes, person=actor)
    if created:
        audit_record(
            actor=actor,
            event="minutes_acknowledged",
            target=minutes,
            changes={"acknowledged_by": [None, actor.display_name]},
        )
    return acknowledgement
