"""The shared calendar's arithmetic: Jalali month grids and weeks, the PR
occasions of each day, and activities placed on every day they span.

Pure apart from the occasions file (read once per process), no queries: the views
(``activities.views.calendar``) fetch the activities with ``activity_list``
and hand them here; the tests build grids without a database.

The Iranian week starts on Saturday and ends on Friday, the weekly holiday, so
a grid row is شنبه … جمعه and Friday is the last (leftmost, in RTL) column.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from hamseda.activities.models import Activity, ActivityStatus
from hamseda.core import jalali
from hamseda.core.persian import fa_digits

OCCASIONS_FILE = Path(__file__).resolve().parent / "data" / "pr_calendar.json"

# date.weekday(): Monday is 0, so Saturday is 5 and Friday 4.
SATURDAY = 5
FRIDAY = 4

# Years a URL may ask for; anything else is a typo or a probe, answered with
# the current month rather than an error page.
MIN_YEAR = 1300
MAX_YEAR = 1500


# --- occasions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    """A day of the PR calendar (روز ارتباطات و روابط عمومی, نوروز ...), the same
    Jalali month and day every year."""

    month: int
    day: int
    title: str
    holiday: bool


@lru_cache(maxsize=1)
def _occasions_by_day() -> dict[tuple[int, int], tuple[Occasion, ...]]:
    # Read once per process: every month and week page asks for ~42 days.
    rows = json.loads(OCCASIONS_FILE.read_text(encoding="utf-8"))
    by_day: dict[tuple[int, int], list[Occasion]] = {}
    for row in rows:
        occasion = Occasion(
            month=int(row["month"]),
            day=int(row["day"]),
            title=str(row["title"]),
            holiday=bool(row.get("holiday", False)),
        )
        by_day.setdefault((occasion.month, occasion.day), []).append(occasion)
    return {key: tuple(items) for key, items in by_day.items()}


def occasions() -> list[Occasion]:
    """Every occasion of the year, in calendar order."""
    by_day = _occasions_by_day()
    return [occasion for key in sorted(by_day) for occasion in by_day[key]]


def occasions_on(day: dt.date) -> tuple[Occasion, ...]:
    """The occasions of a Gregorian ``day`` (by its Jalali month and day)."""
    j = jalali.to_jalali(day)
    return _occasions_by_day().get((j.month, j.day), ())


# --- days, weeks and months ------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """An item on one day of its period; ``starts_here`` / ``ends_here`` say
    whether the day is the first / last of it (else it continues across)."""

    item: CalendarEntry
    starts_here: bool
    ends_here: bool


@dataclass
class Day:
    date: dt.date
    year: int  # Jalali
    month: int
    day: int
    in_month: bool  # False for the neighbouring months' days that fill a grid's rows
    is_today: bool
    occasions: tuple[Occasion, ...]
    placements: list[Placement] = field(default_factory=list)

    @property
    def weekday(self) -> int:
        """0 for Saturday ... 6 for Friday."""
        return (self.date.weekday() - SATURDAY) % 7

    @property
    def weekday_name(self) -> str:
        return jalali.WEEKDAY_NAMES[self.weekday]

    @property
    def is_friday(self) -> bool:
        return self.date.weekday() == FRIDAY

    @property
    def is_holiday(self) -> bool:
        return self.is_friday or any(occasion.holiday for occasion in self.occasions)

    @property
    def has_items(self) -> bool:
        return bool(self.placements or self.occasions)

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def label(self) -> str:
        """ "شنبه ۱ آذر" — the heading of the day in lists."""
        return f"{self.weekday_name} {fa_digits(self.day)} {jalali.month_name(self.month)}"

    @property
    def overflow(self) -> int:
        """How many items a grid cell (which shows ``CELL_ITEMS``) leaves out."""
        return max(0, len(self.placements) - CELL_ITEMS)


# A month cell shows this many items; the rest are behind a link to the week.
# calendar.css hides the same number (.hs-cal-item:nth-child(n+5)) on wide screens.
CELL_ITEMS = 4


def make_day(day: dt.date, *, month: int | None = None, today: dt.date | None = None) -> Day:
    """The ``Day`` of a Gregorian date; ``month`` is the Jalali month being shown
    (None: every day belongs)."""
    j = jalali.to_jalali(day)
    return Day(
        date=day,
        year=j.year,
        month=j.month,
        day=j.day,
        in_month=month is None or j.month == month,
        is_today=day == today,
        occasions=occasions_on(day),
    )


def week_start(day: dt.date) -> dt.date:
    """The Saturday on or before ``day``."""
    return day - dt.timedelta(days=(day.weekday() - SATURDAY) % 7)


def week_range(day: dt.date) -> tuple[dt.date, dt.date]:
    """Saturday and Friday of the week of ``day``."""
    start = week_start(day)
    return start, start + dt.timedelta(days=6)


def week_days(day: dt.date, *, today: dt.date | None = None) -> list[Day]:
    """The seven days, Saturday to Friday, of the week of ``day``."""
    start = week_start(day)
    return [make_day(start + dt.timedelta(days=i), today=today) for i in range(7)]


def week_title(start: dt.date, end: dt.date) -> str:
    """ "۱ تا ۷ آذر ۱۴۰۴", "۲۸ آبان تا ۴ آذر ۱۴۰۴", "۲۶ اسفند ۱۴۰۴ تا ۲ فروردین ۱۴۰۵"."""
    first, last = jalali.to_jalali(start), jalali.to_jalali(end)
    end_text = jalali.format_date(end, "long")
    if first.year != last.year:
        start_text = jalali.format_date(start, "long")
    elif first.month != last.month:
        start_text = f"{fa_digits(first.day)} {jalali.month_name(first.month)}"
    else:
        start_text = fa_digits(first.day)
    return _("%(start)s تا %(end)s") % {"start": start_text, "end": end_text}


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def valid_month(year: int | None, month: int | None, *, today: dt.date) -> tuple[int, int]:
    """``year``/``month`` from a URL, or the month of ``today`` when either is
    missing or out of range."""
    if year is None or month is None or not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        j = jalali.to_jalali(today)
        return j.year, j.month
    return year, month


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[Day]]

    @property
    def days(self) -> list[Day]:
        return [day for week in self.weeks for day in week]

    @property
    def start(self) -> dt.date:
        """The first day shown (a Saturday, maybe of the month before)."""
        return self.weeks[0][0].date

    @property
    def end(self) -> dt.date:
        """The last day shown (a Friday, maybe of the month after)."""
        return self.weeks[-1][-1].date

    @property
    def first(self) -> dt.date:
        return jalali.from_jalali(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=jalali.days_in_month(self.year, self.month) - 1)

    @property
    def title(self) -> str:
        """ "آذر ۱۴۰۴"."""
        return f"{jalali.month_name(self.month)} {fa_digits(self.year)}"

    @property
    def previous(self) -> tuple[int, int]:
        return previous_month(self.year, self.month)

    @property
    def next(self) -> tuple[int, int]:
        return next_month(self.year, self.month)

    @property
    def has_items(self) -> bool:
        return any(day.in_month and day.has_items for day in self.days)

    @property
    def has_activities(self) -> bool:
        return any(day.in_month and day.placements for day in self.days)


def month_grid(year: int, month: int, *, today: dt.date | None = None) -> MonthGrid:
    """Jalali ``month`` of ``year`` as whole weeks, Saturday to Friday: four to
    six rows, the first starting on the Saturday on or before the 1st."""
    first, last = jalali.jalali_month_bounds(year, month)
    start = week_start(first)
    end = week_start(last) + dt.timedelta(days=6)
    days = [
        make_day(start + dt.timedelta(days=i), month=month, today=today)
        for i in range((end - start).days + 1)
    ]
    weeks = [days[i : i + 7] for i in range(0, len(days), 7)]
    return MonthGrid(year=year, month=month, weeks=weeks)


# --- activities on days ----------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    """An activity as the calendar draws it, with what the templates would
    otherwise compute once per day it spans (its URL is a ``reverse`` call, its
    status label a translation lookup)."""

    activity: Activity
    url: str
    is_joint: bool
    status_label: str = ""

    @property
    def start_date(self) -> dt.date:
        return self.activity.start_date

    @property
    def end_date(self) -> dt.date:
        return self.activity.end_date

    @property
    def title(self) -> str:
        return self.activity.title

    @property
    def status(self) -> str:
        return self.activity.status

    @property
    def is_multi_day(self) -> bool:
        return self.end_date > self.start_date


def entries_of(activities: Iterable[Activity]) -> list[CalendarEntry]:
    """Calendar entries of activities loaded by ``activity_list`` (``is_joint``
    reads the partners it prefetched)."""
    labels = {status.value: str(status.label) for status in ActivityStatus}
    return [
        CalendarEntry(
            activity=activity,
            url=activity.get_absolute_url(),
            is_joint=activity.is_joint,
            status_label=labels.get(activity.status, activity.status),
        )
        for activity in activities
    ]


def place(days: Sequence[Day], entries: Iterable[CalendarEntry]) -> None:
    """Put each entry on every day of ``days`` its period covers (a three-day
    exhibition appears on three days, across week and month boundaries).

    Within a day, the items that started earlier come first, and of those the
    longer ones, so that a multi-day activity tends to keep its place."""
    if not days:
        return
    by_date = {day.date: day for day in days}
    first, last = days[0].date, days[-1].date
    ordered = sorted(entries, key=lambda e: (e.start_date, -(e.end_date - e.start_date).days))
    for entry in ordered:
        start, end = max(entry.start_date, first), min(entry.end_date, last)
        current = start
        while current <= end:
            day = by_date.get(current)
            if day is not None:
                day.placements.append(
                    Placement(
                        item=entry,
                        starts_here=current == entry.start_date,
                        ends_here=current == entry.end_date,
                    )
                )
            current += dt.timedelta(days=1)
