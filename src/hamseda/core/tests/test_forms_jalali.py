"""Jalali date form fields and widgets (hamseda.core.forms_jalali)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from django import forms
from django.utils import timezone, translation

from hamseda.core.forms_jalali import (
    JalaliDateField,
    JalaliDateInput,
    JalaliDateTimeField,
    JalaliDateTimeInput,
)
from hamseda.core.jalali import TEHRAN


class MeetingForm(forms.Form):
    held_on = JalaliDateField()
    starts_at = JalaliDateTimeField(required=False)


@pytest.fixture(autouse=True)
def _persian() -> Iterator[None]:
    with translation.override("fa"):
        yield


def test_a_jalali_date_with_persian_digits_cleans_to_a_gregorian_date() -> None:
    # given
    form = MeetingForm(data={"held_on": "۱۴۰۴/۰۵/۲۱"})
    # then
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == date(2025, 8, 12)


@pytest.mark.parametrize("typed", ["1404/5/21", "١٤٠٤-٠٥-٢١", " 1404.05.21 "])
def test_any_digit_script_and_separator_is_accepted(typed: str) -> None:
    form = MeetingForm(data={"held_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["held_on"] == date(2025, 8, 12)


def test_an_impossible_date_gives_the_persian_error_and_keeps_what_was_typed() -> None:
    # given 1404 is not a leap year
    form = MeetingForm(data={"held_on": "۱۴۰۴/۱۲/۳۰"})
    # when
    valid = form.is_valid()
    html = str(form["held_on"])
    # then
    assert not valid
    assert form.errors["held_on"] == [
        "این تاریخ در تقویم شمسی وجود ندارد: سال ۱۴۰۴ سی‌ام اسفند ندارد."
    ]
    assert form.errors.as_data()["held_on"][0].code == "invalid"
    assert 'value="۱۴۰۴/۱۲/۳۰"' in html


def test_malformed_text_gives_the_format_error_and_is_redisplayed_as_typed() -> None:
    form = MeetingForm(data={"held_on": "21 مرداد"})
    assert not form.is_valid()
    assert form.errors["held_on"] == ["تاریخ را به شکل ۱۴۰۴/۰۱/۳۱ بنویسید."]
    assert 'value="21 مرداد"' in str(form["held_on"])


def test_a_required_date_left_empty_is_an_error() -> None:
    form = MeetingForm(data={"held_on": "  "})
    assert not form.is_valid()
    assert "held_on" in form.errors


def test_an_initial_date_renders_as_jalali_with_latin_digits_for_the_picker() -> None:
    # given
    form = MeetingForm(initial={"held_on": date(2025, 8, 12)})
    # when
    html = str(form["held_on"])
    # then
    assert 'value="1404/05/21"' in html
    for attribute in (
        'data-jdp=""',
        'inputmode="numeric"',
        'autocomplete="off"',
        'dir="ltr"',
        'placeholder="۱۴۰۴/۰۱/۳۱"',
        'class="form-control"',
        'type="text"',
    ):
        assert attribute in html


def test_widget_classes_add_up_and_other_attrs_override() -> None:
    widget = JalaliDateInput(attrs={"class": "is-invalid", "placeholder": "تاریخ جلسه"})
    assert widget.attrs["class"] == "form-control is-invalid"
    assert widget.attrs["placeholder"] == "تاریخ جلسه"
    assert widget.attrs["data-jdp"] == ""


def test_unchanged_initial_date_is_not_reported_as_changed() -> None:
    form = MeetingForm(data={"held_on": "1404/05/21"}, initial={"held_on": date(2025, 8, 12)})
    assert "held_on" not in form.changed_data


def test_a_jalali_date_and_time_cleans_to_an_aware_tehran_datetime() -> None:
    # given
    form = MeetingForm(data={"held_on": "1404/05/21", "starts_at": "۱۴۰۴/۰۵/۲۱ ۱۴:۳۰"})
    # when
    assert form.is_valid(), form.errors
    starts_at = form.cleaned_data["starts_at"]
    # then
    assert starts_at == datetime(2025, 8, 12, 11, 0, tzinfo=UTC)
    assert starts_at.tzinfo == TEHRAN
    assert starts_at.utcoffset() == timedelta(hours=3, minutes=30)


def test_datetime_field_is_tehran_time_whatever_time_zone_is_active() -> None:
    with timezone.override("UTC"):
        form = MeetingForm(data={"held_on": "1404/05/21", "starts_at": "1404/05/21 14:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime(2025, 8, 12, 11, 0, tzinfo=UTC)


def test_an_impossible_date_and_time_keeps_what_was_typed() -> None:
    form = MeetingForm(data={"held_on": "1404/05/21", "starts_at": "1404/12/30 10:00"})
    assert not form.is_valid()
    assert "سی‌ام اسفند ندارد" in form.errors["starts_at"][0]
    assert 'value="1404/12/30 10:00"' in str(form["starts_at"])


def test_an_initial_utc_datetime_renders_in_tehran_time() -> None:
    form = MeetingForm(initial={"starts_at": datetime(2025, 8, 12, 11, 0, tzinfo=UTC)})
    html = str(form["starts_at"])
    assert 'value="1404/05/21 14:30"' in html
    assert "data-jdp-only-date" not in html


def test_datetime_widget_formats_a_plain_date_as_a_date() -> None:
    assert JalaliDateTimeInput().format_value(date(2025, 8, 12)) == "1404/05/21"
    assert JalaliDateTimeInput().format_value(None) is None
