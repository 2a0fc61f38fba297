"""Indicators the follow-ups app gives the evaluation engine (``core.indicators``).

A follow-up counts for each of its responsible offices. One query each.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali
from hamseda.core.indicators import HIGHER, LOWER, indicator
from hamseda.followups.models import FollowUp, FollowUpStatus


@indicator(
    "followups.closed_on_time",
    name=_("پیگیری‌های بسته‌شده در مهلت"),
    unit="%",
    direction=HIGHER,
    description=_(
        "از پیگیری‌هایی که مهلتشان در این دوره بوده، درصدی که تا پایان مهلت انجام شده است"
    ),
)
def closed_on_time(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = FollowUp.offices.through.objects.filter(
        followup__due_date__gte=start, followup__due_date__lte=end
    ).exclude(followup__status=FollowUpStatus.CANCELLED)
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    due: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    for office_id, status, closed_at, due_date in rows.values_list(
        "office_id", "followup__status", "followup__closed_at", "followup__due_date"
    ):
        due[office_id] += 1
        if (
            status == FollowUpStatus.DONE
            and closed_at is not None
            and due_date is not None
            and jalali.local_date(closed_at) <= due_date
        ):
            on_time[office_id] += 1
    return {office: 100.0 * on_time[office] / n for office, n in due.items()}


@indicator(
    "followups.median_days_to_close",
    name=_("میانه روزهای لازم برای بستن پیگیری"),
    unit=_("روز"),
    direction=LOWER,
    description=_("میانه فاصله آغاز تا انجام، برای پیگیری‌هایی که در این دوره انجام شده‌اند"),
)
def median_days_to_close(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    low = dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN)
    rows = FollowUp.offices.through.objects.filter(
        followup__status=FollowUpStatus.DONE,
        followup__closed_at__gte=low,
        followup__closed_at__lt=high,
    )
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    days: dict[int, list[float]] = defaultdict(list)
    for office_id, created_at, closed_at in rows.values_list(
        "office_id", "followup__created_at", "followup__closed_at"
    ):
        if closed_at is not None:  # always set when done (a database constraint)
            days[office_id].append((closed_at - created_at).total_seconds() / 86400)
    return {office: round(statistics.median(values), 1) for office, values in days.items()}
