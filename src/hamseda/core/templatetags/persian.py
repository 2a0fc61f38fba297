"""Persian digits, numbers and Jalali dates in templates.

Loaded as a template builtin (settings.TEMPLATES), so no ``{% load %}`` is needed:
``{{ count|fa }}``, ``{{ total|fa_number }}``, ``{{ meeting.held_on|jdate:"long" }}``,
``{{ item.created_at|jdatetime }}``, ``{{ text|normalize }}``, ``{% jalali_today %}``.

Every filter turns None (and "") into "" so a missing value renders as an empty
cell. An unknown style raises: that is a bug in the template, better seen than
rendered blank.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django import template

from hamseda.core import jalali
from hamseda.core import persian as text

register = template.Library()


def _is_empty(value: object) -> bool:
    return value is None or value == ""


# is_safe: these filters only change digits, separators and spacing, never add
# "<", ">", "&" or quotes, so text that was safe stays safe (no double escaping).
@register.filter(is_safe=True)
def fa(value: object) -> str:
    """Latin and Arabic-Indic digits → Persian digits."""
    return "" if _is_empty(value) else text.fa_digits(value)


@register.filter(is_safe=True)
def fa_number(value: object, decimals: int | str | None = None) -> str:
    """A number with Persian digits and separators: ``{{ 1234567|fa_number }}`` →
    "۱٬۲۳۴٬۵۶۷"; ``{{ ratio|fa_number:1 }}`` keeps one decimal. A value that is not
    a number is shown with Persian digits, as ``fa`` would."""
    if _is_empty(value):
        return ""
    places = None if decimals is None or decimals == "" else int(decimals)
    if isinstance(value, bool):
        return text.fa_digits(value)
    if isinstance(value, int | float | Decimal):
        return text.format_number(value, places)
    try:
        number = Decimal(text.en_digits(str(value)).strip())
    except InvalidOperation:
        return text.fa_digits(value)
    return text.format_number(number, places)


@register.filter
def jdate(value: date | datetime | None, style: str = "short") -> str:
    """A date (or the Tehran date of a datetime) as Jalali: "۱۴۰۴/۰۵/۲۱"; styles
    "long", "full", "input" as in ``jalali.format_date``."""
    if not isinstance(value, date):
        return ""
    return jalali.format_date(value, style)


@register.filter(name="jdatetime")
def jdatetime_filter(value: datetime | None, style: str = "short") -> str:
    """A datetime in Tehran time as Jalali: "۱۴۰۴/۰۵/۲۱ ۱۴:۳۰"; a plain date is
    formatted as a date."""
    if isinstance(value, datetime):
        return jalali.format_datetime(value, style)
    if isinstance(value, date):
        return jalali.format_date(value, style)
    return ""


@register.filter(name="normalize", is_safe=True)
def normalize_filter(value: object) -> str:
    """Persian normalisation for display (``persian.normalize``)."""
    return "" if _is_empty(value) else text.normalize(str(value))


@register.simple_tag
def jalali_today() -> str:
    """Today in Tehran, "سه‌شنبه ۲۱ مرداد ۱۴۰۴"."""
    return jalali.format_date(jalali.today(), "full")
