"""Indicators the follow-ups app gives the evaluation engine (``core.indicators``).

A follow-up counts for each of its responsible offices. One query each, and one
per evidence listing. ``_due``/``_on_time`` and ``_closed``/``_days`` are the
rules both a value and its evidence read, so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali
from hamseda.core.indicators import HIGHER, LOWER, Evidence, evidence_for, indicator
from hamseda.core.persian import format_number
from hamseda.followups.models import FollowUp, FollowUpStatus


def _due(start: dt.date, end: dt.date) -> QuerySet[FollowUp]:
    """Follow-ups due in the period, cancelled ones aside: the denominator."""
    return FollowUp.objects.filter(due_date__gte=start, due_date__lte=end).exclude(
        status=FollowUpStatus.CANCELLED
    )


def _on_time(status: str, closed_at: dt.datetime | None, due_date: dt.date | None) -> bool:
    """Done, and closed (Tehran date) no later than its due date."""
    return (
        status == FollowUpStatus.DONE
        and closed_at is not None
        and due_date is not None
        and jalali.local_date(closed_at) <= due_date
    )


def _closed(start: dt.date, end: dt.date) -> QuerySet[FollowUp]:
    """Follow-ups done with their closing time inside the period (Tehran days)."""
    low = dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN)
    return FollowUp.objects.filter(
        status=FollowUpStatus.DONE, closed_at__gte=low, closed_at__lt=high
    )


def _days(created_at: dt.datetime, closed_at: dt.datetime) -> float:
    return (closed_at - created_at).total_seconds() / 86400


@indicator(
    "followups.closed_on_time",
    name=_("پیگیری‌های بسته‌شده در مهلت"),
    unit="%",
    direction=HIGHER,
    description=_(
        "از پیگیری‌هایی که مهلتشان در این دوره بوده، درصدی که تا پایان مهلت انجام شده است"
    ),
    absent_is_zero=False,
)
def closed_on_time(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = FollowUp.offices.through.objects.filter(followup__in=_due(start, end).values("pk"))
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    due: dict[int, int] = defaultdict(int)
    on_time: dict[int, int] = defaultdict(int)
    for office_id, status, closed_at, due_date in rows.values_list(
        "office_id", "followup__status", "followup__closed_at", "followup__due_date"
    ):
        due[office_id] += 1
        if _on_time(status, closed_at, due_date):
            on_time[office_id] += 1
    return {office: 100.0 * on_time[office] / n for office, n in due.items()}


@evidence_for("followups.closed_on_time")
def closed_on_time_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """Every follow-up of the office due in the period; those closed late or
    still open are listed as not counted. One query."""
    followups = (
        _due(start, end)
        .filter(offices=office_id)
        .select_related("resolution")
        .order_by("-due_date", "-pk")[:limit]
    )
    result = []
    for item in followups:
        counted = _on_time(item.status, item.closed_at, item.due_date)
        if counted:
            note = gettext("انجام‌شده در مهلت")
        elif item.status == FollowUpStatus.DONE:
            note = gettext("با تأخیر")
        else:
            note = gettext("تا پایان مهلت انجام نشده (%(status)s)") % {
                "status": item.get_status_display()
            }
        result.append(
            Evidence(
                label=str(item),
                url=item.get_absolute_url(),
                date=item.due_date,
                counted=counted,
                note=note,
            )
        )
    return result


@indicator(
    "followups.median_days_to_close",
    name=_("میانه روزهای لازم برای بستن پیگیری"),
    unit=_("روز"),
    direction=LOWER,
    description=_("میانه فاصله آغاز تا انجام، برای پیگیری‌هایی که در این دوره انجام شده‌اند"),
    absent_is_zero=False,
)
def median_days_to_close(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = FollowUp.offices.through.objects.filter(followup__in=_closed(start, end).values("pk"))
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    days: dict[int, list[float]] = defaultdict(list)
    for office_id, created_at, closed_at in rows.values_list(
        "office_id", "followup__created_at", "followup__closed_at"
    ):
        if closed_at is not None:  # always set when done (a database constraint)
            days[office_id].append(_days(created_at, closed_at))
    return {office: round(statistics.median(values), 1) for office, values in days.items()}


@evidence_for("followups.median_days_to_close")
def median_days_to_close_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """The follow-ups of the office done in the period, each with its days to
    close (the median is taken over these). One query."""
    followups = (
        _closed(start, end)
        .filter(offices=office_id)
        .select_related("resolution")
        .order_by("-closed_at", "-pk")[:limit]
    )
    result = []
    for item in followups:
        if item.closed_at is None:  # never: a database constraint when done
            continue
        days = format_number(round(_days(item.created_at, item.closed_at), 1))
        result.append(
            Evidence(
                label=str(item),
                url=item.get_absolute_url(),
                date=jalali.local_date(item.closed_at),
                note=gettext("%(days)s روز") % {"days": days},
            )
        )
    return result
