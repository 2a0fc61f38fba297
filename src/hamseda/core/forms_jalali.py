"""Form fields and widgets for Jalali dates.

Users type (or pick) Jalali dates; the fields hand Gregorian ``date`` and aware
Tehran ``datetime`` values to the rest of the code. The front-end date picker
(@majidh1/jalalidatepicker) attaches itself to every input with ``data-jdp``.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from hamseda.core.jalali import (
    TEHRAN,
    format_date,
    format_datetime,
    local_date,
    parse_date,
    parse_datetime,
)

__all__ = [
    "JalaliDateField",
    "JalaliDateInput",
    "JalaliDateTimeField",
    "JalaliDateTimeInput",
]


def _merge_attrs(defaults: dict[str, Any], attrs: dict[str, Any] | None) -> dict[str, Any]:
    """``attrs`` over ``defaults``, except that CSS classes add up, so a caller's
    "is-invalid" does not drop Bootstrap's "form-control"."""
    merged = {**defaults, **(attrs or {})}
    if attrs and "class" in attrs:
        classes = f"{defaults['class']} {attrs['class']}".split()
        merged["class"] = " ".join(dict.fromkeys(classes))
    return merged


class _JalaliInput(forms.TextInput):
    # Latin digits, left to right: the value is "1404/05/21", which reads wrongly
    # inside an RTL box, and a numeric keypad is what a phone should offer.
    default_attrs: dict[str, Any] = {
        "class": "form-control",
        "data-jdp": "",
        "inputmode": "numeric",
        "autocomplete": "off",
        "dir": "ltr",
    }

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(_merge_attrs(self.default_attrs, attrs))


class JalaliDateInput(_JalaliInput):
    """A text input for a Jalali date, "1404/05/21", that the date picker attaches to.

    A date is shown as Jalali with Latin digits; a string is shown exactly as the
    user typed it, so a form redisplayed with an error keeps the user's input.
    """

    default_attrs: dict[str, Any] = {
        **_JalaliInput.default_attrs,
        # The picker ignores its global ``time`` option on inputs marked
        # date-only, so date and date-time inputs can share one page.
        "data-jdp-only-date": "",
        "placeholder": "۱۴۰۴/۰۱/۳۱",
    }

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, date):  # datetime too: its Tehran date
            return format_date(value, "input")
        return str(value)


class JalaliDateTimeInput(_JalaliInput):
    """A text input for a Jalali date and time, "1404/05/21 14:30".

    The picker needs its ``time`` option on (``hasSecond: false`` gives exactly this
    format; seconds are accepted too).
    """

    default_attrs: dict[str, Any] = {
        **_JalaliInput.default_attrs,
        "placeholder": "۱۴۰۴/۰۱/۳۱ ۱۴:۳۰",
    }

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            return format_datetime(value, "input")
        if isinstance(value, date):
            return format_date(value, "input")
        return str(value)


class JalaliDateField(forms.DateField):
    """A date typed in the Jalali calendar (Persian, Arabic or Latin digits); cleans to
    a Gregorian ``date``. Errors are the Persian messages of ``jalali.parse_date``,
    which tell a malformed text from a date that does not exist."""

    widget = JalaliDateInput

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return local_date(value)
        if isinstance(value, date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc


class JalaliDateTimeField(forms.DateTimeField):
    """A Jalali date and time, "1404/05/21 14:30"; cleans to an aware datetime in
    Tehran time (whatever time zone is active: the council works on Tehran time)."""

    widget = JalaliDateTimeInput

    def prepare_value(self, value: Any) -> Any:
        # DateTimeField would make the value naive in the active time zone; the
        # widget converts to Tehran time itself.
        return value

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.astimezone(TEHRAN) if value.tzinfo else value.replace(tzinfo=TEHRAN)
        if isinstance(value, date):
            return datetime.combine(value, time(), tzinfo=TEHRAN)
        try:
            return parse_datetime(str(value))
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
