"""Indicators the meetings app gives the evaluation engine (``core.indicators``).

An office is expected at every meeting its councils held in the period (the
broadcaster's seat aside). Each provider returns one value per office with a
fixed number of queries (three), whatever the number of offices or meetings;
each evidence listing takes one. The helpers below are the rules both a value
and its evidence read, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali
from hamseda.core.indicators import HIGHER, Evidence, evidence_for, indicator
from hamseda.directory.models import CouncilMembership, MembershipRole
from hamseda.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MemberReport,
)

HELD = (MeetingStatus.HELD, MeetingStatus.APPROVED)
# An attendance row that counts, and a report that counts (sent before the start).
ATTENDED = Q(status__in=(AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED))
ON_TIME = Q(submitted_at__lte=F("meeting__starts_at"))


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Tehran midnight of ``start`` and of the day after ``end``."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN),
    )


def _held(start: dt.date, end: dt.date) -> QuerySet[Meeting]:
    low, high = _bounds(start, end)
    return Meeting.objects.filter(status__in=HELD, starts_at__gte=low, starts_at__lt=high)


def _seats() -> QuerySet[CouncilMembership]:
    """Memberships that make an office expected at its council's meetings."""
    return CouncilMembership.objects.exclude(role=MembershipRole.BROADCASTER)


def _held_per_office(
    start: dt.date, end: dt.date, office_ids: Sequence[int] | None
) -> dict[int, int]:
    """How many meetings each office's councils held in the period (the
    denominator)."""
    held = dict(_held(start, end).values_list("council_id").annotate(n=Count("pk")).order_by())
    members = _seats()
    if office_ids is not None:
        members = members.filter(office_id__in=office_ids)
    expected: dict[int, int] = defaultdict(int)
    for office_id, council_id in members.values_list("office_id", "council_id"):
        expected[office_id] += held.get(council_id, 0)
    return {office: n for office, n in expected.items() if n}


def _per_office(
    rows: QuerySet[Attendance] | QuerySet[MemberReport],
    start: dt.date,
    end: dt.date,
    expected: dict[int, int],
) -> dict[int, int]:
    """How many of ``rows`` (one per office and meeting) fall on meetings each
    office was expected at: the numerator."""
    seat = _seats().filter(
        office_id=OuterRef("office_id"), council_id=OuterRef("meeting__council_id")
    )
    return dict(
        rows.filter(Exists(seat), meeting__in=_held(start, end), office_id__in=list(expected))
        .values_list("office_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _expected_meetings(start: dt.date, end: dt.date, office_id: int) -> QuerySet[Meeting]:
    """The meetings ``office_id`` was expected at, newest first."""
    councils = _seats().filter(office_id=office_id).values("council_id")
    return _held(start, end).filter(council_id__in=councils).order_by("-starts_at", "-pk")


def _label(meeting: Meeting) -> str:
    return f"{meeting} — {jalali.format_date(meeting.starts_at)}"


@indicator(
    "meetings.attendance_rate",
    name=_("حضور در جلسات برگزارشده شورا"),
    unit="%",
    direction=HIGHER,
    description=_("درصد جلسات برگزارشده شورا که روابط عمومی در آن حاضر بوده یا نماینده داشته است"),
    absent_is_zero=False,
)
def attendance_rate(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    expected = _held_per_office(start, end, office_ids)
    attended = _per_office(Attendance.objects.filter(ATTENDED), start, end, expected)
    return {office: 100.0 * attended.get(office, 0) / n for office, n in expected.items()}


@evidence_for("meetings.attendance_rate")
def attendance_rate_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """Each meeting the office was expected at, counted when it attended. One query."""
    mine = Attendance.objects.filter(meeting=OuterRef("pk"), office_id=office_id)
    meetings = _expected_meetings(start, end, office_id).annotate(
        attended=Exists(mine.filter(ATTENDED)),
        attendance_status=Subquery(mine.values("status")[:1]),
    )[:limit]
    return [
        Evidence(
            label=_label(meeting),
            url=meeting.get_absolute_url(),
            date=jalali.local_date(meeting.starts_at),
            counted=meeting.attended,
            note=str(AttendanceStatus(meeting.attendance_status).label)
            if meeting.attendance_status
            else gettext("حضور ثبت نشده"),
        )
        for meeting in meetings
    ]


@indicator(
    "meetings.reports_on_time",
    name=_("گزارش‌های به‌موقع برای جلسات"),
    unit="%",
    direction=HIGHER,
    description=_("درصد جلسات برگزارشده که روابط عمومی گزارش خود را پیش از شروع جلسه فرستاده است"),
    absent_is_zero=False,
)
def reports_on_time(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    expected = _held_per_office(start, end, office_ids)
    on_time = _per_office(MemberReport.objects.filter(ON_TIME), start, end, expected)
    return {office: 100.0 * on_time.get(office, 0) / n for office, n in expected.items()}


@evidence_for("meetings.reports_on_time")
def reports_on_time_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """Each meeting the office was expected at, counted when its report was sent
    before the start. One query."""
    mine = MemberReport.objects.filter(meeting=OuterRef("pk"), office_id=office_id)
    meetings = _expected_meetings(start, end, office_id).annotate(
        on_time=Exists(mine.filter(ON_TIME)),
        submitted_at=Subquery(mine.values("submitted_at")[:1]),
    )[:limit]
    result = []
    for meeting in meetings:
        if meeting.on_time:
            note = gettext("پیش از جلسه فرستاده شد")
        elif meeting.submitted_at is not None:
            note = gettext("با تأخیر")
        else:
            note = gettext("فرستاده نشد")
        result.append(
            Evidence(
                label=_label(meeting),
                url=meeting.get_absolute_url(),
                date=jalali.local_date(meeting.starts_at),
                counted=meeting.on_time,
                note=note,
            )
        )
    return result
