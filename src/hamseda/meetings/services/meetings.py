"""Meetings and their invitations: create, reschedule, cancel, mark held, invite."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.core import jalali, policy
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.core.models import AuditEvent
from hamseda.core.notifications import notify
from hamseda.directory.models import Council, Person
from hamseda.meetings import ics
from hamseda.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingSchedule,
    MeetingStatus,
)
from hamseda.meetings.services.common import (
    AUTOMATIC_AGENDA,
    MEETING_FIELDS,
    REPORTING_ROLES,
    check_duration,
    check_editable,
    check_not_past,
    clean_text,
    reporting_offices,
)

# --- meetings --------------------------------------------------------------------------


def _next_number(council: Council) -> int:
    return (Meeting.objects.filter(council=council).aggregate(top=Max("number"))["top"] or 0) + 1


def meeting_insert(
    *,
    actor: Person | None,
    council: Council,
    starts_at: dt.datetime,
    place: str,
    duration_minutes: int,
    title: str = "",
    schedule: MeetingSchedule | None = None,
) -> Meeting:
    """Number, validate and save a meeting with its two automatic agenda items.

    Numbers are per council and gapless under concurrency: the council row is
    locked (PostgreSQL) so two secretaries creating at once take turns, and the
    unique (council, number) constraint with a retry covers databases without
    row locks.
    """
    check_duration(duration_minutes)
    meeting = Meeting(
        council=council,
        title=clean_text(title),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=clean_text(place),
        schedule=schedule,
    )
    meeting.full_clean(exclude=["number"])
    list(Council.objects.select_for_update().filter(pk=council.pk).values_list("pk", flat=True))
    for attempt in range(5):
        meeting.number = _next_number(council)
        try:
            with transaction.atomic():
                meeting.save()
            break
        except IntegrityError:
            meeting.pk = None
            if attempt == 4:
                raise
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting, position=index, kind=kind, title=str(label), minutes_allotted=m
            )
            for index, (kind, label, m) in enumerate(AUTOMATIC_AGENDA, start=1)
        ]
    )
    audit_record(
        actor=actor,
        event="meeting_created",
        target=meeting,
        changes=diff({}, snapshot(meeting, ("number", *MEETING_FIELDS))),
    )
    return meeting


@transaction.atomic
def meeting_create(
    *,
    actor: Person,
    council: Council,
    starts_at: dt.datetime,
    place: str,
    title: str = "",
    duration_minutes: int = 90,
    in_the_past: bool = False,
) -> Meeting:
    """Plan a meeting: the council's next number, and the two automatic agenda
    items (the follow-up review first, then the offices' reports).

    A new meeting is in the future, unless ``in_the_past``: a meeting that took
    place before it was entered (a council's earlier meetings, typed in from
    paper minutes) is recorded at its real time, then goes through the usual
    steps (reports, attendance, ``meeting_mark_held``, minutes)."""
    policy.require(actor, "meeting.manage", council)
    if not in_the_past:
        check_not_past(starts_at)
    return meeting_insert(
        actor=actor,
        council=council,
        starts_at=starts_at,
        place=place,
        duration_minutes=duration_minutes,
        title=title,
    )


@transaction.atomic
def meeting_update(*, actor: Person, meeting: Meeting, **fields: Any) -> Meeting:
    """Change title, time, duration or place. A new time is a reschedule: its
    own audit event (the calendar SEQUENCE grows), and if invitations were sent
    they are sent again for the new time."""
    policy.require(actor, "meeting.manage", meeting)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update got unknown fields: {sorted(unknown)}")
    check_editable(meeting)
    before = snapshot(meeting, MEETING_FIELDS)
    old_starts_at = meeting.starts_at
    for name, value in fields.items():
        setattr(meeting, name, clean_text(value))
    rescheduled = meeting.starts_at != old_starts_at
    if rescheduled:
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError({"starts_at": _g("زمان جلسه‌ای که برگزار شده است تغییر نمی‌کند.")})
        check_not_past(meeting.starts_at)
    check_duration(meeting.duration_minutes)
    meeting.full_clean()
    meeting.save()
    changes = diff(before, snapshot(meeting, MEETING_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            event="meeting_rescheduled" if rescheduled else "meeting_updated",
            target=meeting,
            changes=changes,
        )
    if rescheduled and meeting.invitations_sent_at is not None:
        _send_invitations(actor=actor, meeting=meeting, rescheduled=True)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Person, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a planned meeting; whoever was invited hears of it (in-app, email,
    and a cancelled calendar event to each office)."""
    policy.require(actor, "meeting.manage", meeting)
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": _g("دلیل لغو جلسه را بنویسید.")})
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            _g("فقط جلسه‌ای که هنوز برگزار نشده لغو می‌شود؛ این جلسه %(status)s است.")
            % {"status": meeting.get_status_display()}
        )
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason[:300]
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        event="meeting_cancelled",
        target=meeting,
        changes={
            "status": [str(MeetingStatus.PLANNED.label), meeting.get_status_display()],
            "cancel_reason": ["", meeting.cancel_reason],
        },
    )
    if meeting.invitations_sent_at is not None:
        notify(
            recipients=_invitees(meeting.council),
            title=_g("لغو جلسه: %(meeting)s") % {"meeting": _meeting_label(meeting)},
            body=_g("جلسه %(when)s لغو شد. دلیل: %(reason)s")
            % {"when": jalali.format_datetime(meeting.starts_at, "full"), "reason": reason},
            url=meeting.get_absolute_url(),
            dedupe_key=f"meeting-{meeting.pk}-cancelled",
        )
        _queue_office_emails(meeting)
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Person, meeting: Meeting) -> Meeting:
    """The meeting took place: member reports become read-only, and the minutes
    can be written (``services.minutes``)."""
    policy.require(actor, "meeting.manage", meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            _g("فقط جلسهٔ برنامه‌ریزی‌شده برگزارشده ثبت می‌شود؛ این جلسه %(status)s است.")
            % {"status": meeting.get_status_display()}
        )
    if meeting.starts_at > timezone.now():
        raise ValidationError(_g("جلسه هنوز شروع نشده است."))
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        event="meeting_held",
        target=meeting,
        changes={"status": [str(MeetingStatus.PLANNED.label), meeting.get_status_display()]},
    )
    return meeting


# --- invitations -----------------------------------------------------------------------


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting} — {meeting.council.name}"


def _invitees(council: Council) -> list[Person]:
    return list(
        Person.objects.filter(
            is_active=True,
            office__memberships__council=council,
            office__memberships__role__in=REPORTING_ROLES,
            office__is_active=True,
        ).distinct()
    )


def _instant(moment: dt.datetime) -> str:
    """A datetime as one string whatever zone it is held in: a meeting just
    saved holds Tehran time, the same meeting read back holds UTC."""
    return moment.astimezone(dt.UTC).isoformat()


def _email_version(meeting: Meeting) -> str:
    """What the office emails of a meeting were built for: a queued email whose
    version is no longer the meeting's (rescheduled again, cancelled) is dropped,
    since a newer one is on its way."""
    return f"{_instant(meeting.starts_at)}|{meeting.status}"


def _queue_office_emails(meeting: Meeting) -> None:
    from hamseda.meetings.tasks import meeting_office_emails_send

    meeting_id, version = meeting.pk, _email_version(meeting)
    transaction.on_commit(lambda: meeting_office_emails_send.delay(meeting_id, version))


def _already_invited(meeting: Meeting) -> bool:
    """Whether invitations for the meeting's current time went out already."""
    events = AuditEvent.objects.filter(
        target_type=ContentType.objects.get_for_model(Meeting),
        target_id=str(meeting.pk),
        event="meeting_invited",
    ).values_list("changes", flat=True)
    current = _instant(meeting.starts_at)
    return any((changes.get("starts_at") or [None, None])[1] == current for changes in events)


def _send_invitations(*, actor: Person | None, meeting: Meeting, rescheduled: bool = False) -> int:
    council = meeting.council
    # The key carries the time, so a rescheduled meeting is announced again.
    key = f"meeting-{meeting.pk}-invite-{_instant(meeting.starts_at)}"
    when = jalali.format_datetime(meeting.starts_at, "full")
    title = _g("تغییر زمان %(meeting)s") if rescheduled else _g("دعوت به %(meeting)s")
    fresh = notify(
        recipients=_invitees(council),
        title=title % {"meeting": _meeting_label(meeting)},
        body=_g("زمان: %(when)s\nمحل: %(place)s") % {"when": when, "place": meeting.place},
        url=meeting.get_absolute_url(),
        dedupe_key=key,
    )
    if _already_invited(meeting):
        return fresh
    before = meeting.invitations_sent_at
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at", "updated_at"])
    audit_record(
        actor=actor,
        event="meeting_invited",
        target=meeting,
        changes={
            "invitations_sent_at": [
                before.isoformat() if before else None,
                meeting.invitations_sent_at.isoformat(),
            ],
            "starts_at": [None, _instant(meeting.starts_at)],
        },
    )
    _queue_office_emails(meeting)
    return fresh


@transaction.atomic
def meeting_invite(*, actor: Person, meeting: Meeting) -> int:
    """Invite every active person of the council's reporting offices (an in-app
    notice and an email each) and mail each office's address the meeting as an
    ``.ics`` file. Sending again for the same time sends nothing twice; after a
    reschedule it announces the new time. Returns how many people were newly
    notified."""
    policy.require(actor, "meeting.manage", meeting)
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            _g("دعوت‌نامه فقط برای جلسهٔ برنامه‌ریزی‌شده فرستاده می‌شود؛ این جلسه %(status)s است.")
            % {"status": meeting.get_status_display()}
        )
    return _send_invitations(actor=actor, meeting=meeting)


def meeting_office_emails_send(*, meeting_id: int, version: str) -> int:
    """Mail each reporting office of the meeting's council (at its office
    address) the meeting as an ``.ics`` attachment: an invitation, or the
    cancelled event. Runs after the commit (``tasks.meeting_office_emails_send``);
    returns how many emails were sent."""
    meeting = Meeting.objects.select_related("council__province").filter(pk=meeting_id).first()
    if meeting is None or _email_version(meeting) != version:
        return 0
    offices = [office for office in reporting_offices(meeting.council) if office.email]
    if not offices:
        return 0
    sequence = ics.meeting_sequences([meeting]).get(meeting.pk, 0)
    calendar = ics.calendar_for([meeting], sequences={meeting.pk: sequence})
    when = jalali.format_datetime(meeting.starts_at, "full")
    if meeting.status == MeetingStatus.CANCELLED:
        subject = _g("لغو جلسه: %(meeting)s") % {"meeting": _meeting_label(meeting)}
        body = _g("جلسه %(when)s لغو شد.\nدلیل: %(reason)s") % {
            "when": when,
            "reason": meeting.cancel_reason,
        }
    else:
        subject = _g("دعوت به %(meeting)s") % {"meeting": _meeting_label(meeting)}
        body = _g(
            "به %(meeting)s دعوت می‌شوید.\nزمان: %(when)s\nمحل: %(place)s\n\n"
            "پرونده پیوست را در تقویم خود باز کنید تا جلسه به آن افزوده شود."
        ) % {"meeting": _meeting_label(meeting), "when": when, "place": meeting.place}
    messages = []
    for office in offices:
        greeting = _g("%(office)s محترم") % {"office": office.name}
        message = EmailMessage(subject=subject, body=f"{greeting}\n\n{body}", to=[office.email])
        message.attach(f"meeting-{meeting.pk}.ics", calendar.decode("utf-8"), "text/calendar")
        messages.append(message)
    return get_connection().send_messages(messages) or 0
