"""The Jalali (Solar Hijri) calendar in one place, on top of jdatetime.

Dates are stored as Gregorian ``date`` / aware ``datetime`` everywhere; this module
converts at the edges: parsing what a user typed and formatting for display.

Formatting runs once per table cell (STACK.md measured template rendering, not the
query, as the cost of a list page), so it avoids jdatetime's locale machinery
(``set_locale`` is per thread and its ``strftime`` goes through a regex): month and
weekday names are our own constants, digits are converted with one
``str.translate``, and the Gregorian→Jalali conversion is cached per day.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import jdatetime
from django.utils.translation import gettext as _

from hamseda.core.persian import fa_digits

__all__ = [
    "MONTH_NAMES",
    "TEHRAN",
    "WEEKDAY_NAMES",
    "days_in_month",
    "format_date",
    "format_datetime",
    "from_jalali",
    "is_leap",
    "jalali_month_bounds",
    "jalali_year_bounds",
    "month_name",
    "parse_date",
    "parse_datetime",
    "to_jalali",
    "today",
    "weekday_name",
]

TEHRAN = ZoneInfo("Asia/Tehran")

# Calendar data, not messages: the Jalali month and weekday names are the same in
# every UI language we ship, and looking them up in a catalogue per table cell would
# cost a gettext call each, so they are plain constants.
MONTH_NAMES: tuple[str, ...] = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
# Saturday first, as the Iranian week starts; spelled as the Academy of Persian
# Language and Literature writes them (half-space in یک‌شنبه, سه‌شنبه, پنج‌شنبه).
WEEKDAY_NAMES: tuple[str, ...] = (
    "شنبه",
    "یک‌شنبه",
    "دوشنبه",
    "سه‌شنبه",
    "چهارشنبه",
    "پنج‌شنبه",
    "جمعه",
)

# Ordinal day names for the "this date does not exist" message ("1404 has no 30th
# of Esfand"): only days 30 and 31 can be missing from a month that exists.
_MISSING_DAY_ORDINALS = {30: "سی‌ام", 31: "سی‌ویکم"}

_STYLES = frozenset({"short", "long", "full", "input"})


# --- conversion --------------------------------------------------------------------


def is_leap(year: int) -> bool:
    """Whether Jalali ``year`` has 366 days (a 30th of Esfand)."""
    return bool(jdatetime.date(year, 1, 1).isleap())


def days_in_month(year: int, month: int) -> int:
    """Number of days of Jalali ``month`` (1-12) of ``year``."""
    if not 1 <= month <= 12:
        raise ValueError(_("ماه باید عددی از ۱ تا ۱۲ باشد."))
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if is_leap(year) else 29


def to_jalali(d: date) -> jdatetime.date:
    """The Jalali date of Gregorian ``d`` (a datetime is taken in Tehran time)."""
    year, month, day = _jalali_ymd(local_date(d))
    return jdatetime.date(year, month, day)


def from_jalali(year: int, month: int, day: int) -> date:
    """The Gregorian date of Jalali ``year/month/day``.

    Raises ``ValueError`` with a Persian message, fit to show to the user, when the
    date does not exist: month 13, day 32, day 31 of months 7-12, or the 30th of
    Esfand in a common year (1404/12/30; 1403 is leap so 1403/12/30 exists).
    """
    if not jdatetime.MINYEAR <= year <= jdatetime.MAXYEAR:
        raise ValueError(
            _("سال %(year)s در تقویم شمسی پشتیبانی نمی‌شود.") % {"year": fa_digits(year)}
        )
    if not 1 <= month <= 12:
        raise ValueError(
            _("این تاریخ در تقویم شمسی وجود ندارد: ماه %(month)s نداریم؛ سال ۱۲ ماه دارد.")
            % {"month": fa_digits(month)}
        )
    month_days = days_in_month(year, month)
    if day < 1:
        raise ValueError(_("این تاریخ در تقویم شمسی وجود ندارد: روزهای ماه از ۱ شمرده می‌شوند."))
    if day > month_days:
        if day in _MISSING_DAY_ORDINALS:
            message = _(
                "این تاریخ در تقویم شمسی وجود ندارد: سال %(year)s %(ordinal)s %(month)s ندارد."
            ) % {
                "year": fa_digits(year),
                "ordinal": _MISSING_DAY_ORDINALS[day],
                "month": MONTH_NAMES[month - 1],
            }
        else:
            message = _(
                "این تاریخ در تقویم شمسی وجود ندارد: %(month)s %(year)s فقط %(days)s روز دارد."
            ) % {
                "month": MONTH_NAMES[month - 1],
                "year": fa_digits(year),
                "days": fa_digits(month_days),
            }
        raise ValueError(message)
    return _gregorian(year, month, day)


@lru_cache(maxsize=8192)
def _jalali_ymd(d: date) -> tuple[int, int, int]:
    # jdatetime's conversion costs ~5 µs; a list page shows the same few hundred
    # days over and over, so a cache hit (~0.1 µs) pays for itself at once.
    j = jdatetime.date.fromgregorian(day=d.day, month=d.month, year=d.year)
    return j.year, j.month, j.day


@lru_cache(maxsize=8192)
def _gregorian(year: int, month: int, day: int) -> date:
    g = jdatetime.date(year, month, day).togregorian()
    return date(g.year, g.month, g.day)


def local_date(d: date) -> date:
    """``d`` as a plain date; a datetime is first moved to Tehran local time.

    A naive datetime is taken to be Tehran time already, as Django does for naive
    values with ``TIME_ZONE = "Asia/Tehran"``.
    """
    if isinstance(d, datetime):
        if d.tzinfo is not None:
            d = d.astimezone(TEHRAN)
        return d.date()
    return d


def _local_datetime(dt: datetime) -> datetime:
    return dt.astimezone(TEHRAN) if dt.tzinfo is not None else dt.replace(tzinfo=TEHRAN)


def today() -> date:
    """Today's date in Tehran (not the server's time zone)."""
    return datetime.now(TEHRAN).date()


def month_name(month: int) -> str:
    """The Persian name of Jalali ``month`` (1 = فروردین ... 12 = اسفند)."""
    if not 1 <= month <= 12:
        # Checked explicitly: a negative index would silently pick a month.
        raise ValueError(f"month must be 1..12, not {month!r}")
    return MONTH_NAMES[month - 1]


def weekday_name(d: date) -> str:
    """The Persian weekday name of ``d`` (a datetime is taken in Tehran time)."""
    # date.weekday() is 0 on Monday; the Persian week starts on Saturday (5).
    return WEEKDAY_NAMES[(local_date(d).weekday() + 2) % 7]


def jalali_year_bounds(year: int) -> tuple[date, date]:
    """First and last Gregorian day of Jalali ``year`` (1 Farvardin .. end of Esfand)."""
    first = from_jalali(year, 1, 1)
    last = from_jalali(year, 12, days_in_month(year, 12))
    return first, last


def jalali_month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last Gregorian day of Jalali ``month`` of ``year``."""
    first = from_jalali(year, month, 1)
    return first, first + timedelta(days=days_in_month(year, month) - 1)


# --- parsing -----------------------------------------------------------------------

# Digits of any script become ASCII; bidi marks and half-spaces that copy-paste
# from RTL text leaves around a date are dropped.
_INPUT_TABLE: dict[int, int | str | None] = {
    **str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"),
    **dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e")),
    **dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069")),
}
# Year, month, day with one separator used twice: 1404/12/29, 1404-1-5, 1404.12.29.
_DATE_PATTERN = r"([0-9]{4})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{1,2})"
_DATE_RE = re.compile(rf"\s*{_DATE_PATTERN}\s*")
_DATETIME_RE = re.compile(
    rf"\s*{_DATE_PATTERN}(?:\s+|\s*[T،,]\s*)([0-9]{{1,2}}):([0-9]{{2}})(?::([0-9]{{2}}))?\s*"
)


def parse_date(text: str) -> date:
    """Parse a Jalali date a user typed: "1404/12/29", "۱۴۰۴/۱۲/۲۹", "١٤٠٤-١٢-٢٩",
    "1404.12.29", "1404/1/5", with spaces around.

    Raises ``ValueError`` with a Persian message: one for a malformed text ("write it
    as ۱۴۰۴/۰۱/۳۱"), another (from ``from_jalali``) for a well-formed date that does
    not exist (1404/12/30).
    """
    match = _DATE_RE.fullmatch(text.translate(_INPUT_TABLE))
    if match is None:
        raise ValueError(_("تاریخ را به شکل ۱۴۰۴/۰۱/۳۱ بنویسید."))
    year, _sep, month, day = match.groups()
    return from_jalali(int(year), int(month), int(day))


def parse_datetime(text: str) -> datetime:
    """Parse a Jalali date and time, "1404/05/21 14:30" (seconds optional, digits of
    any script), into an aware datetime in Tehran time.

    Raises ``ValueError`` with a Persian message, like ``parse_date``.
    """
    match = _DATETIME_RE.fullmatch(text.translate(_INPUT_TABLE))
    if match is None:
        raise ValueError(_("تاریخ و ساعت را به شکل ۱۴۰۴/۰۱/۳۱ ۱۴:۳۰ بنویسید."))
    year, _sep, month, day, hour, minute, second = match.groups()
    d = from_jalali(int(year), int(month), int(day))
    h, m, s = int(hour), int(minute), int(second or 0)
    if h > 23 or m > 59 or s > 59:
        raise ValueError(_("ساعت باید بین ۰۰:۰۰ و ۲۳:۵۹ باشد."))
    return datetime.combine(d, time(h, m, s), tzinfo=TEHRAN)


# --- formatting --------------------------------------------------------------------


def format_date(d: date | datetime | None, style: str = "short") -> str:
    """Format ``d`` as a Jalali date; "" for None.

    Styles: "short" → "۱۴۰۴/۰۵/۲۱", "long" → "۲۱ مرداد ۱۴۰۴", "full" →
    "سه‌شنبه ۲۱ مرداد ۱۴۰۴", "input" → "1404/05/21" (Latin digits, for the value of
    a date input, which ``parse_date`` reads back). A datetime is moved to Tehran
    time before its date is taken.
    """
    if d is None:
        return ""
    return _format_day(local_date(d), style)


@lru_cache(maxsize=8192)
def _format_day(d: date, style: str) -> str:
    if style not in _STYLES:
        raise ValueError(f"unknown date style {style!r}; use one of {sorted(_STYLES)}")
    year, month, day = _jalali_ymd(d)
    if style == "input":
        return f"{year:04d}/{month:02d}/{day:02d}"
    if style == "short":
        return fa_digits(f"{year:04d}/{month:02d}/{day:02d}")
    text = fa_digits(f"{day} {MONTH_NAMES[month - 1]} {year}")
    if style == "full":
        return f"{weekday_name(d)} {text}"
    return text


def format_datetime(dt: datetime | None, style: str = "short") -> str:
    """Format ``dt`` in Tehran local time; "" for None.

    Styles: "short" → "۱۴۰۴/۰۵/۲۱ ۱۴:۳۰", "long" → "۲۱ مرداد ۱۴۰۴، ساعت ۱۴:۳۰",
    "full" → "سه‌شنبه ۲۱ مرداد ۱۴۰۴، ساعت ۱۴:۳۰", "input" → "1404/05/21 14:30"
    (Latin digits, read back by ``parse_datetime``). A naive datetime is taken to be
    Tehran time.
    """
    if dt is None:
        return ""
    if style not in _STYLES:
        raise ValueError(f"unknown datetime style {style!r}; use one of {sorted(_STYLES)}")
    local = _local_datetime(dt)
    day_text = _format_day(local.date(), style)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if style == "input":
        return f"{day_text} {clock}"
    if style == "short":
        return f"{day_text} {fa_digits(clock)}"
    # "ساعت" is part of the date format, like the month names: a constant, no gettext.
    return f"{day_text}، ساعت {fa_digits(clock)}"
