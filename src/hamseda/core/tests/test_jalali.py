"""The Jalali calendar: conversion, parsing and formatting (hamseda.core.jalali)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from django.template import Context, Engine
from django.utils import translation

from hamseda.core.jalali import (
    MONTH_NAMES,
    TEHRAN,
    WEEKDAY_NAMES,
    days_in_month,
    format_date,
    format_datetime,
    from_jalali,
    is_leap,
    jalali_month_bounds,
    jalali_year_bounds,
    month_name,
    parse_date,
    parse_datetime,
    to_jalali,
    today,
    weekday_name,
)

FORMAT_ERROR = "تاریخ را به شکل ۱۴۰۴/۰۱/۳۱ بنویسید."
DOES_NOT_EXIST = "این تاریخ در تقویم شمسی وجود ندارد"


@pytest.fixture(autouse=True)
def _persian() -> Iterator[None]:
    with translation.override("fa"):
        yield


def jalali_tuple(d: date) -> tuple[int, int, int]:
    j = to_jalali(d)
    return j.year, j.month, j.day


# --- conversion --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gregorian", "jalali"),
    [
        (date(2024, 3, 20), (1403, 1, 1)),
        (date(2025, 3, 20), (1403, 12, 30)),
        (date(2025, 3, 21), (1404, 1, 1)),
        (date(2025, 8, 12), (1404, 5, 21)),
        (date(2026, 3, 20), (1404, 12, 29)),
        (date(2026, 3, 21), (1405, 1, 1)),
        (date(1979, 2, 11), (1357, 11, 22)),
    ],
)
def test_known_dates_convert_both_ways(gregorian: date, jalali: tuple[int, int, int]) -> None:
    assert jalali_tuple(gregorian) == jalali
    assert from_jalali(*jalali) == gregorian


def test_every_day_of_twenty_years_round_trips_and_follows_the_previous_one() -> None:
    # given
    day = date(2015, 1, 1)
    previous = jalali_tuple(day - timedelta(days=1))
    # when / then: each Gregorian day is the next Jalali day, and converts back
    while day < date(2035, 1, 1):
        year, month, dom = jalali_tuple(day)
        p_year, p_month, p_dom = previous
        if dom == 1:
            assert p_dom == days_in_month(p_year, p_month)
            assert (year, month) == ((p_year, p_month + 1) if p_month < 12 else (p_year + 1, 1))
        else:
            assert (year, month, dom) == (p_year, p_month, p_dom + 1)
        assert from_jalali(year, month, dom) == day
        assert parse_date(format_date(day, "input")) == day
        assert parse_date(format_date(day)) == day
        previous = (year, month, dom)
        day += timedelta(days=1)


def test_1403_is_leap_so_it_has_a_30th_of_esfand() -> None:
    assert is_leap(1403)
    assert days_in_month(1403, 12) == 30
    assert from_jalali(1403, 12, 30) == date(2025, 3, 20)


def test_1404_is_not_leap_so_its_30th_of_esfand_does_not_exist() -> None:
    assert not is_leap(1404)
    with pytest.raises(ValueError, match="سال ۱۴۰۴ سی‌ام اسفند ندارد") as excinfo:
        from_jalali(1404, 12, 30)
    assert str(excinfo.value).startswith(DOES_NOT_EXIST)


@pytest.mark.parametrize("year", [1395, 1399, 1403, 1408])
def test_leap_years_of_the_solar_hijri_calendar(year: int) -> None:
    assert is_leap(year)


@pytest.mark.parametrize("year", [1400, 1401, 1402, 1404, 1405, 1406, 1407])
def test_common_years_of_the_solar_hijri_calendar(year: int) -> None:
    assert not is_leap(year)


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(1404, 13, 1), (1404, 0, 1), (1404, 1, 32), (1404, 7, 31), (1404, 1, 0), (1404, 12, 30)],
)
def test_dates_that_do_not_exist_raise_a_persian_message(year: int, month: int, day: int) -> None:
    with pytest.raises(ValueError, match=DOES_NOT_EXIST):
        from_jalali(year, month, day)


def test_year_bounds_are_the_first_of_farvardin_and_the_last_of_esfand() -> None:
    assert jalali_year_bounds(1403) == (date(2024, 3, 20), date(2025, 3, 20))
    assert jalali_year_bounds(1404) == (date(2025, 3, 21), date(2026, 3, 20))


def test_month_bounds_follow_month_lengths() -> None:
    assert jalali_month_bounds(1404, 1) == (date(2025, 3, 21), date(2025, 4, 20))
    assert jalali_month_bounds(1404, 7) == (date(2025, 9, 23), date(2025, 10, 22))
    assert jalali_month_bounds(1404, 12) == (date(2026, 2, 20), date(2026, 3, 20))
    assert jalali_month_bounds(1403, 12) == (date(2025, 2, 19), date(2025, 3, 20))


# --- parsing -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1404/12/29",
        "۱۴۰۴/۱۲/۲۹",
        "١٤٠٤-١٢-٢٩",
        "1404.12.29",
        "  1404/12/29 ",
        "1404 / 12 / 29",
        "\u200f۱۴۰۴/۱۲/۲۹\u200f",
    ],
)
def test_parse_date_reads_persian_arabic_and_latin_digits(text: str) -> None:
    assert parse_date(text) == date(2026, 3, 20)


def test_parse_date_accepts_single_digit_month_and_day() -> None:
    assert parse_date("1404/1/5") == parse_date("۱۴۰۴/۰۱/۰۵") == date(2025, 3, 25)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "1404/12", "14041229", "1404/12-29", "04/12/29", "1404/123/1", "فردا", "1404/۱۲/x"],
)
def test_parse_date_rejects_malformed_text_with_the_format_message(text: str) -> None:
    with pytest.raises(ValueError, match=FORMAT_ERROR):
        parse_date(text)


def test_parse_date_tells_a_date_that_does_not_exist_from_a_malformed_one() -> None:
    with pytest.raises(ValueError, match="سال ۱۴۰۴ سی‌ام اسفند ندارد"):
        parse_date("۱۴۰۴/۱۲/۳۰")
    with pytest.raises(ValueError, match="سال ۱۴۰۴ سی‌ویکم مهر ندارد"):
        parse_date("1404/07/31")
    with pytest.raises(ValueError, match="ماه ۱۳ نداریم"):
        parse_date("1404/13/01")


def test_parse_datetime_gives_an_aware_tehran_datetime() -> None:
    # when
    result = parse_datetime("۱۴۰۴/۰۵/۲۱ ۱۴:۳۰")
    # then
    assert result == datetime(2025, 8, 12, 14, 30, tzinfo=TEHRAN)
    assert result.utcoffset() == timedelta(hours=3, minutes=30)
    assert parse_datetime("1404/05/21 14:30:15").second == 15


@pytest.mark.parametrize("text", ["1404/05/21", "1404/05/21 1430", "14:30"])
def test_parse_datetime_rejects_a_missing_or_malformed_time(text: str) -> None:
    with pytest.raises(ValueError, match="تاریخ و ساعت را به شکل"):
        parse_datetime(text)


def test_parse_datetime_rejects_an_impossible_hour() -> None:
    with pytest.raises(ValueError, match="ساعت باید"):
        parse_datetime("1404/05/21 24:00")


# --- formatting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("short", "۱۴۰۴/۰۵/۲۱"),
        ("long", "۲۱ مرداد ۱۴۰۴"),
        ("full", "سه‌شنبه ۲۱ مرداد ۱۴۰۴"),
        ("input", "1404/05/21"),
    ],
)
def test_format_date_styles(style: str, expected: str) -> None:
    assert format_date(date(2025, 8, 12), style) == expected


def test_format_date_of_none_is_empty() -> None:
    assert format_date(None) == ""
    assert format_datetime(None) == ""


def test_format_date_takes_the_tehran_date_of_a_datetime() -> None:
    # given 21:00 UTC on 11 Aug 2025 is 00:30 on 12 Aug in Tehran
    moment = datetime(2025, 8, 11, 21, 0, tzinfo=UTC)
    # then
    assert format_date(moment) == "۱۴۰۴/۰۵/۲۱"
    assert format_date(moment.replace(tzinfo=None)) == "۱۴۰۴/۰۵/۲۰"  # naive = Tehran


def test_format_date_rejects_an_unknown_style() -> None:
    with pytest.raises(ValueError, match="unknown date style"):
        format_date(date(2025, 8, 12), "medium")


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("short", "۱۴۰۴/۰۵/۲۱ ۱۴:۳۰"),
        ("long", "۲۱ مرداد ۱۴۰۴، ساعت ۱۴:۳۰"),
        ("full", "سه‌شنبه ۲۱ مرداد ۱۴۰۴، ساعت ۱۴:۳۰"),
        ("input", "1404/05/21 14:30"),
    ],
)
def test_format_datetime_shows_tehran_local_time(style: str, expected: str) -> None:
    # given 11:00 UTC is 14:30 in Tehran
    assert format_datetime(datetime(2025, 8, 12, 11, 0, tzinfo=UTC), style) == expected


def test_formatted_input_datetime_parses_back_to_the_same_moment() -> None:
    moment = datetime(2026, 3, 20, 20, 45, tzinfo=UTC)
    assert parse_datetime(format_datetime(moment, "input")) == moment


def test_month_and_weekday_names() -> None:
    assert [month_name(m) for m in (1, 5, 12)] == ["فروردین", "مرداد", "اسفند"]
    assert len(MONTH_NAMES) == 12
    assert WEEKDAY_NAMES[0] == "شنبه"
    assert weekday_name(date(2025, 8, 9)) == "شنبه"
    assert weekday_name(date(2025, 8, 15)) == "جمعه"
    with pytest.raises(ValueError, match="month must be"):
        month_name(0)


def test_today_is_the_date_in_tehran() -> None:
    before = datetime.now(TEHRAN).date()
    result = today()
    assert before <= result <= datetime.now(TEHRAN).date()


# --- template filters --------------------------------------------------------------


def render(source: str, **context: object) -> str:
    engine = Engine(builtins=["hamseda.core.templatetags.persian"])
    return engine.from_string(source).render(Context(context))


def test_date_filters_render_jalali_and_are_none_safe() -> None:
    moment = datetime(2025, 8, 12, 11, 0, tzinfo=UTC)
    assert render('{{ d|jdate }}|{{ d|jdate:"long" }}', d=moment.date()) == (
        "۱۴۰۴/۰۵/۲۱|۲۱ مرداد ۱۴۰۴"
    )
    assert render('{{ m|jdatetime }}|{{ m|jdatetime:"long" }}', m=moment) == (
        "۱۴۰۴/۰۵/۲۱ ۱۴:۳۰|۲۱ مرداد ۱۴۰۴، ساعت ۱۴:۳۰"
    )
    assert render("[{{ v|jdate }}{{ v|jdatetime }}]", v=None) == "[]"


def test_jalali_today_tag_renders_the_full_date() -> None:
    assert render("{% jalali_today %}") == format_date(today(), "full")
