"""Writes of meetings: recurring schedules, meetings, invitations, the agenda,
member reports and attendance. The HTML views (and later the API) call these
and nothing else. The minutes and resolutions are in ``services.minutes``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_record, diff, register_events, snapshot
from hamseda.core.models import AuditEvent
from hamseda.core.notifications import notify
from hamseda.directory.models import Council, CouncilMembership, MembershipRole, Office, Person
from hamseda.meetings import ics
from hamseda.meetings.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingSchedule,
    MeetingStatus,
    MemberReport,
    ReportItem,
    ReportItemKind,
    ReportStatus,
    WeekOfMonth,
)

log = logging.getLogger(__name__)

register_events(
    {
        "schedule_created": _("برنامه تکرار جلسات ثبت شد"),
        "schedule_activated": _("برنامه تکرار جلسات فعال شد"),
        "schedule_deactivated": _("برنامه تکرار جلسات متوقف شد"),
        "meeting_created": _("جلسه برنامه‌ریزی شد"),
        "meeting_updated": _("مشخصات جلسه ویرایش شد"),
        "meeting_rescheduled": _("زمان جلسه تغییر کرد"),
        "meeting_cancelled": _("جلسه لغو شد"),
        "meeting_held": _("جلسه برگزارشده ثبت شد"),
        "meeting_invited": _("دعوت‌نامه‌ها فرستاده شد"),
        "agenda_item_added": _("بند به دستور جلسه افزوده شد"),
        "agenda_item_updated": _("بند دستور جلسه ویرایش شد"),
        "agenda_item_removed": _("بند از دستور جلسه حذف شد"),
        "agenda_reordered": _("ترتیب دستور جلسه تغییر کرد"),
        "report_saved": _("پیش‌نویس گزارش ذخیره شد"),
        "report_submitted": _("گزارش برای جلسه ارسال شد"),
        "attendance_recorded": _("حضور و غیاب ثبت شد"),
    },
    fields={
        "agenda_item": _("بند دستور جلسه"),
        # Agenda changes are recorded on the meeting, which has no such fields.
        "presenting_office": _("ارائه‌دهنده"),
        "minutes_allotted": _("زمان (دقیقه)"),
        "agenda": _("ترتیب دستور جلسه"),
        "items": _("تعداد بندهای گزارش"),
        "recipients": _("تعداد گیرندگان"),
    },
)

# Offices that report to, attend and are invited to a council's meetings: the
# chair's office reports like every member; the broadcaster is a guest, not a member.
REPORTING_ROLES = (MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.PARTNER)

MEETING_FIELDS = ("title", "starts_at", "duration_minutes", "place")
SCHEDULE_FIELDS = (
    "council",
    "weekday",
    "week_of_month",
    "every_months",
    "start_time",
    "duration_minutes",
    "place",
    "is_active",
)
AGENDA_FIELDS = ("title", "description", "presenting_office", "minutes_allotted")

MIN_DURATION, MAX_DURATION = 15, 600
PLAN_AHEAD_DAYS = 60

AUTOMATIC_AGENDA = (
    (AgendaKind.FOLLOWUP_REVIEW, _("پیگیری مصوبات جلسات قبل"), 20),
    (AgendaKind.REPORTS, _("گزارش روابط عمومی‌ها"), 30),
)


def _text(value: Any) -> Any:
    return persian.normalize(value).strip() if isinstance(value, str) else value


def reporting_offices(council: Council) -> list[Office]:
    """The offices of ``council`` that report, attend and are invited, in the
    council's order (chair first)."""
    memberships = (
        CouncilMembership.objects.filter(council=council, role__in=REPORTING_ROLES)
        .select_related("office__agency")
        .order_by("position", "office__sort_key")
    )
    return [m.office for m in memberships.filter(office__is_active=True)]


def _check_duration(minutes: int | None) -> None:
    if minutes is None or not MIN_DURATION <= minutes <= MAX_DURATION:
        raise ValidationError(
            {
                "duration_minutes": _g("مدت جلسه باید بین %(low)s تا %(high)s دقیقه باشد.")
                % {"low": persian.fa_digits(MIN_DURATION), "high": persian.fa_digits(MAX_DURATION)}
            }
        )


def _check_not_past(starts_at: dt.datetime) -> None:
    if starts_at < timezone.now():
        raise ValidationError(
            {"starts_at": _g("زمان جلسه گذشته است؛ زمانی در آینده انتخاب کنید.")}, code="past"
        )


def _check_editable(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.APPROVED):
        raise ValidationError(
            _g("این جلسه %(status)s است و دیگر تغییر نمی‌کند.")
            % {"status": meeting.get_status_display()}
        )


# --- recurring schedules ---------------------------------------------------------------


def _weekday(d: dt.date) -> int:
    """Day of the Iranian week, Saturday = 0 (``models.Weekday``)."""
    return (d.weekday() + 2) % 7


def jalali_month_weekday(year: int, month: int, weekday: int, week_of_month: int) -> dt.date:
    """The Gregorian date of "the ``week_of_month``-th ``weekday`` of Jalali
    ``month`` of ``year``" (``week_of_month`` -1 = the last one).

    The 4th occurrence is at most day 28, so every rule exists in every month.
    """
    first, last = jalali.jalali_month_bounds(year, month)
    if week_of_month == WeekOfMonth.LAST:
        return last - dt.timedelta(days=(_weekday(last) - weekday) % 7)
    if not 1 <= week_of_month <= 4:
        raise ValueError(f"week_of_month must be 1..4 or -1, not {week_of_month!r}")
    offset = (weekday - _weekday(first)) % 7
    return first + dt.timedelta(days=offset + 7 * (week_of_month - 1))


def _month_index(d: dt.date) -> int:
    j = jalali.to_jalali(d)
    return int(j.year) * 12 + int(j.month) - 1


def _ym(d: dt.date) -> tuple[int, int]:
    j = jalali.to_jalali(d)
    return int(j.year), int(j.month)


def schedule_dates(schedule: MeetingSchedule, *, start: dt.date, until: dt.date) -> list[dt.date]:
    """The dates the schedule gives from ``start`` to ``until`` (both included).

    "Every N months" counts from the Jalali month the schedule was created in
    (or ``start``'s, for a schedule not saved yet): every 3 months from Mehr is
    Mehr, Dey, Farvardin, Tir.
    """
    anchor = _month_index(schedule.created_at or start)
    dates = []
    for index in range(_month_index(start), _month_index(until) + 1):
        if (index - anchor) % schedule.every_months:
            continue
        year, month = divmod(index, 12)
        day = jalali_month_weekday(year, month + 1, schedule.weekday, schedule.week_of_month)
        if start <= day <= until:
            dates.append(day)
    return dates


@transaction.atomic
def schedule_create(
    *,
    actor: Person,
    council: Council,
    weekday: int,
    week_of_month: int,
    start_time: dt.time,
    place: str,
    every_months: int = 1,
    duration_minutes: int = 90,
) -> MeetingSchedule:
    policy.require(actor, "meeting.manage", council)
    schedule = MeetingSchedule(
        council=council,
        weekday=weekday,
        week_of_month=week_of_month,
        every_months=every_months,
        start_time=start_time,
        duration_minutes=duration_minutes,
        place=_text(place),
    )
    _check_duration(duration_minutes)
    schedule.full_clean()
    schedule.save()
    audit_record(
        actor=actor,
        event="schedule_created",
        target=schedule,
        changes=diff({}, snapshot(schedule, SCHEDULE_FIELDS)),
    )
    return schedule


@transaction.atomic
def schedule_set_active(
    *, actor: Person, schedule: MeetingSchedule, is_active: bool
) -> MeetingSchedule:
    policy.require(actor, "meeting.manage", schedule)
    if schedule.is_active != is_active:
        schedule.is_active = is_active
        schedule.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            event="schedule_activated" if is_active else "schedule_deactivated",
            target=schedule,
            changes={"is_active": [not is_active, is_active]},
        )
    return schedule


@transaction.atomic
def schedule_plan(
    *,
    schedule: MeetingSchedule,
    until: dt.date,
    since: dt.date | None = None,
    actor: Person | None = None,
) -> list[Meeting]:
    """Create the schedule's meetings from ``since`` (today in Tehran) to
    ``until`` that do not exist yet; returns the new ones.

    Idempotent: a date is skipped when the schedule already has a meeting in
    that Jalali month (a schedule gives at most one date a month), so a second
    run creates nothing, and neither does a run after the secretary moved a
    planned meeting to another day or cancelled it. Without ``actor`` this is
    the system planning (the ``meetings.schedules_plan`` task); with one, the
    actor must be allowed to manage the council's meetings.
    """
    if actor is not None:
        policy.require(actor, "meeting.manage", schedule)
    # One planner at a time per schedule (two beats, a retried task): the second
    # waits here and then sees the first one's meetings.
    schedule = (
        MeetingSchedule.objects.select_for_update().select_related("council").get(pk=schedule.pk)
    )
    start = since or jalali.today()
    if not schedule.is_active or until < start:
        return []
    planned_months = {
        _month_index(m.starts_at)
        for m in Meeting.objects.filter(
            schedule=schedule,
            starts_at__gte=dt.datetime.combine(
                jalali.jalali_month_bounds(*_ym(start))[0], dt.time(), tzinfo=jalali.TEHRAN
            ),
        ).only("starts_at")
    }
    created = []
    for day in schedule_dates(schedule, start=start, until=until):
        if _month_index(day) in planned_months:
            continue
        starts_at = dt.datetime.combine(day, schedule.start_time, tzinfo=jalali.TEHRAN)
        if starts_at < timezone.now():  # today's date, but the hour has passed
            continue
        meeting = _meeting_insert(
            actor=actor,
            council=schedule.council,
            starts_at=starts_at,
            place=schedule.place,
            duration_minutes=schedule.duration_minutes,
            schedule=schedule,
        )
        planned_months.add(_month_index(day))
        created.append(meeting)
    return created


def schedules_plan(*, days: int = PLAN_AHEAD_DAYS, today: dt.date | None = None) -> int:
    """Plan every active schedule ``days`` ahead; returns how many meetings were
    created. Each schedule commits on its own, so one failing council does not
    hold back the others."""
    start = today or jalali.today()
    created = 0
    for schedule in MeetingSchedule.objects.filter(is_active=True).select_related("council"):
        try:
            created += len(
                schedule_plan(schedule=schedule, since=start, until=start + dt.timedelta(days))
            )
        except ValidationError:
            log.exception("planning meetings of schedule %s failed", schedule.pk)
    return created


# --- meetings --------------------------------------------------------------------------


def _next_number(council: Council) -> int:
    return (Meeting.objects.filter(council=council).aggregate(top=Max("number"))["top"] or 0) + 1


def _meeting_insert(
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
    _check_duration(duration_minutes)
    meeting = Meeting(
        council=council,
        title=_text(title),
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=_text(place),
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
        _check_not_past(starts_at)
    return _meeting_insert(
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
    _check_editable(meeting)
    before = snapshot(meeting, MEETING_FIELDS)
    old_starts_at = meeting.starts_at
    for name, value in fields.items():
        setattr(meeting, name, _text(value))
    rescheduled = meeting.starts_at != old_starts_at
    if rescheduled:
        if meeting.status != MeetingStatus.PLANNED:
            raise ValidationError({"starts_at": _g("زمان جلسه‌ای که برگزار شده است تغییر نمی‌کند.")})
        _check_not_past(meeting.starts_at)
    _check_duration(meeting.duration_minutes)
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
    reason = _text(reason or "")
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
    _check_editable(meeting)
    _check_presenter(meeting, presenting_office)
    top = meeting.agenda_items.aggregate(top=Max("position"))["top"] or 0
    item = AgendaItem(
        meeting=meeting,
        position=top + 1,
        kind=AgendaKind.TOPIC,
        title=_text(title),
        description=_text(description),
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
    _check_editable(meeting)
    if "presenting_office" in fields:
        _check_presenter(meeting, fields["presenting_office"])
    before = snapshot(item, AGENDA_FIELDS)
    for name, value in fields.items():
        setattr(item, name, _text(value))
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
    _check_editable(meeting)
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
    _check_editable(meeting)
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


# --- member reports --------------------------------------------------------------------


def _figure(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(persian.en_digits(str(value)).replace("٫", ".").replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(
            {"items": _g("مقدار «%(value)s» عدد نیست.") % {"value": value}}
        ) from None


def _clean_items(items: Sequence[Mapping[str, Any]]) -> list[ReportItem]:
    """The rows of a report as unsaved ``ReportItem`` (without ``report``);
    rows with no text are dropped: clearing a row's text removes it."""
    rows: list[ReportItem] = []
    positions: dict[str, int] = {}
    for raw in items:
        kind = raw.get("kind", "")
        text = _text(raw.get("text") or "")
        label = _text(raw.get("figure_label") or "")
        value = _figure(raw.get("figure_value"))
        if kind not in ReportItemKind.values:
            raise ValidationError({"items": _g("نوع بند گزارش معتبر نیست.")})
        if not text:
            if label or value is not None:
                raise ValidationError({"items": _g("برای هر شاخص، شرح اقدام را هم بنویسید.")})
            continue
        if kind != ReportItemKind.ACTION and (label or value is not None):
            raise ValidationError({"items": _g("شاخص و مقدار فقط برای اقدامات ثبت می‌شود.")})
        if (value is None) != (not label):
            raise ValidationError(
                {
                    "items": _g("شاخص «%(text)s» باید هم عنوان و هم مقدار داشته باشد.")
                    % {"text": text[:40]}
                }
            )
        positions[kind] = positions.get(kind, 0) + 1
        rows.append(
            ReportItem(
                kind=kind,
                text=text,
                figure_label=label,
                figure_value=value,
                position=positions[kind],
            )
        )
    return rows


def report_is_open(meeting: Meeting) -> bool:
    """Reports are written and changed until the meeting is held."""
    return meeting.status == MeetingStatus.PLANNED


@transaction.atomic
def report_save(
    *,
    actor: Person,
    meeting: Meeting,
    office: Office,
    summary: str,
    items: Sequence[Mapping[str, Any]],
    submit: bool,
) -> MemberReport:
    """Save an office's report for a meeting, replacing its items.

    ``items``: dicts with ``kind``, ``text``, ``figure_label``, ``figure_value``
    (a figure only on actions). ``submit`` sends it to the council; a submitted
    report stays submitted and can still be changed until the meeting is held.
    """
    policy.require(actor, "report.submit", office)
    if not CouncilMembership.objects.filter(
        council_id=meeting.council_id, office=office, role__in=REPORTING_ROLES
    ).exists():
        raise ValidationError(_g("این روابط عمومی عضو شورای این جلسه نیست."))
    if not report_is_open(meeting):
        raise ValidationError(
            _g("گزارش‌ها تا پیش از برگزاری جلسه ثبت می‌شوند؛ این جلسه %(status)s است.")
            % {"status": meeting.get_status_display()}
        )
    rows = _clean_items(items)
    summary = _text(summary or "")
    if submit and not summary and not rows:
        raise ValidationError({"summary": _g("گزارش خالی ارسال نمی‌شود؛ دست‌کم خلاصه را بنویسید.")})
    report, _created = MemberReport.objects.select_for_update().get_or_create(
        meeting=meeting, office=office
    )
    before = {
        "summary": report.summary,
        "status": report.get_status_display(),
        "items": report.items.count(),
    }
    report.summary = summary
    if submit:
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor
    report.full_clean()
    report.save()
    report.items.all().delete()
    for row in rows:
        row.report = report
        row.full_clean()
        row.fill_text_key()  # bulk_create skips save(), which keeps the search key
    ReportItem.objects.bulk_create(rows)
    after = {"summary": report.summary, "status": report.get_status_display(), "items": len(rows)}
    audit_record(
        actor=actor,
        event="report_submitted" if submit else "report_saved",
        target=report,
        changes=diff(before, after),
    )
    return report


# --- attendance ------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, actor: Person, meeting: Meeting, entries: Iterable[Mapping[str, Any]]
) -> list[Attendance]:
    """Record who came: ``entries`` are dicts with ``office``, ``status``
    (present / absent / represented) and, for a representative, ``attendee_name``
    and ``attendee_title``. Offices not in ``entries`` keep what they had."""
    policy.require(actor, "meeting.manage", meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_g("برای جلسهٔ لغوشده حضور و غیاب ثبت نمی‌شود."))
    _check_editable(meeting)
    members = {office.pk: office for office in reporting_offices(meeting.council)}
    existing = {a.office_id: a for a in Attendance.objects.filter(meeting=meeting)}
    saved, changes = [], {}
    for entry in entries:
        office = entry["office"]
        if office.pk not in members:
            raise ValidationError(
                _g("«%(office)s» عضو شورای این جلسه نیست.") % {"office": office.name}
            )
        status = entry.get("status", "")
        name = _text(entry.get("attendee_name") or "")
        title = _text(entry.get("attendee_title") or "")
        if status not in AttendanceStatus.values:
            raise ValidationError(
                {"status": _g("وضعیت حضور «%(office)s» را انتخاب کنید.") % {"office": office.name}}
            )
        if status == AttendanceStatus.REPRESENTED and not name:
            raise ValidationError(
                {
                    "attendee_name": _g("نام نماینده «%(office)s» را بنویسید.")
                    % {"office": office.name}
                }
            )
        if status == AttendanceStatus.ABSENT:
            name, title = "", ""
        row = existing.get(office.pk) or Attendance(meeting=meeting, office=office)
        old = row.get_status_display() if row.pk else None
        row.status, row.attendee_name, row.attendee_title = status, name, title
        row.full_clean()
        row.save()
        saved.append(row)
        new = row.get_status_display() + (f" ({name})" if name else "")
        if old != new:
            changes[office.name] = [old, new]
    if changes:
        audit_record(actor=actor, event="attendance_recorded", target=meeting, changes=changes)
    return saved
