"""Indicators the meetings app gives the evaluation engine (``core.indicators``).

Each provider returns one value per office for a period with a fixed number of
queries (three), whatever the number of offices or meetings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali
from hamseda.core.indicators import HIGHER, indicator
from hamseda.directory.models import CouncilMembership, MembershipRole
from hamseda.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MemberReport,
)

HELD = (MeetingStatus.HELD, MeetingStatus.APPROVED)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Tehran midnight of ``start`` and of the day after ``end``."""
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN),
    )


def _held_per_office(
    start: dt.date, end: dt.date, office_ids: Sequence[int] | None
) -> dict[int, int]:
    """How many meetings each office's councils held in the period (the
    denominator: an office is expected at every meeting of its council)."""
    low, high = _bounds(start, end)
    held = dict(
        Meeting.objects.filter(status__in=HELD, starts_at__gte=low, starts_at__lt=high)
        .values_list("council_id")
        .annotate(n=Count("pk"))
    )
    members = CouncilMembership.objects.exclude(role=MembershipRole.BROADCASTER)
    if office_ids is not None:
        members = members.filter(office_id__in=office_ids)
    expected: dict[int, int] = defaultdict(int)
    for office_id, council_id in members.values_list("office_id", "council_id"):
        expected[office_id] += held.get(council_id, 0)
    return {office: n for office, n in expected.items() if n}


@indicator(
    "meetings.attendance_rate",
    name=_("حضور در جلسات برگزارشده شورا"),
    unit="%",
    direction=HIGHER,
    description=_("درصد جلسات برگزارشده شورا که روابط عمومی در آن حاضر بوده یا نماینده داشته است"),
)
def attendance_rate(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    expected = _held_per_office(start, end, office_ids)
    low, high = _bounds(start, end)
    attended = dict(
        Attendance.objects.filter(
            meeting__status__in=HELD,
            meeting__starts_at__gte=low,
            meeting__starts_at__lt=high,
            status__in=(AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED),
            office_id__in=list(expected),
        )
        .values_list("office_id")
        .annotate(n=Count("pk"))
    )
    return {office: 100.0 * attended.get(office, 0) / n for office, n in expected.items()}


@indicator(
    "meetings.reports_on_time",
    name=_("گزارش‌های به‌موقع برای جلسات"),
    unit="%",
    direction=HIGHER,
    description=_("درصد جلسات برگزارشده که روابط عمومی گزارش خود را پیش از شروع جلسه فرستاده است"),
)
def reports_on_time(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    expected = _held_per_office(start, end, office_ids)
    low, high = _bounds(start, end)
    on_time = dict(
        MemberReport.objects.filter(
            Q(submitted_at__lte=F("meeting__starts_at")),
            meeting__status__in=HELD,
            meeting__starts_at__gte=low,
            meeting__starts_at__lt=high,
            office_id__in=list(expected),
        )
        .values_list("office_id")
        .annotate(n=Count("pk"))
    )
    return {office: 100.0 * on_time.get(office, 0) / n for office, n in expected.items()}
