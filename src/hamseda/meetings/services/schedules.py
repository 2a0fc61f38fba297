"""Recurring meeting schedules in Jalali terms and the meetings they plan."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hamseda.core import jalali, policy
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.directory.models import Council, Person
from hamseda.meetings.models import (
    Meeting,
    MeetingSchedule,
    WeekOfMonth,
)
from hamseda.meetings.services.common import (
    PLAN_AHEAD_DAYS,
    SCHEDULE_FIELDS,
    check_duration,
    clean_text,
    log,
)
from hamseda.meetings.services.meetings import meeting_insert

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
        place=clean_text(place),
    )
    check_duration(duration_minutes)
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
        meeting = meeting_insert(
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
