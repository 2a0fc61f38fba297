"""The indicator registry: each app registers the indicators it can compute, and
the evaluation engine reads them here without naming any app.

An indicator provider computes one value per PR office for a period, in bulk,
with a bounded number of queries whatever the number of offices:

    @indicator("meetings.attendance_rate", name=_("..."), unit="%", direction=HIGHER)
    def attendance_rate(*, start, end, office_ids) -> dict[int, float]:
        ...

Every number must drill down to the records behind it, so a provider names its
evidence too: a function with the same period that lists, for one office, the
records the value was counted from (and those it looked at but did not count,
such as a follow-up closed late):

    @evidence_for("meetings.attendance_rate")
    def attendance_rate_evidence(*, start, end, office_id, limit) -> list[Evidence]:
        ...
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

HIGHER = "higher"  # more is better
LOWER = "lower"  # less is better

Provider = Callable[..., dict[int, float]]


@dataclass(frozen=True)
class Evidence:
    """One record behind an indicator's value, as the drill-down shows it."""

    label: str  # what it is, in Persian: the record's title
    url: str  # its page in Hamseda (a path), or "" when it has none
    date: dt.date | None  # the date that put it in the period
    counted: bool = True  # False: looked at but not counted (closed late, absent ...)
    note: str = ""  # why, or the amount it added ("۳ رسانه", "با تأخیر")


EvidenceFunc = Callable[..., list[Evidence]]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Any  # lazy Persian string
    unit: Any  # "%", or a lazy Persian word
    direction: str
    description: Any
    compute: Provider
    # Absent offices: for a count, no record means 0; for a rate ("%", days to
    # close) there is nothing to divide and the value is unknown, not 0.
    absent_is_zero: bool = True
    evidence: EvidenceFunc | None = None


REGISTRY: dict[str, Indicator] = {}


def indicator(
    code: str,
    *,
    name: Any,
    unit: Any,
    direction: str,
    description: Any = "",
    absent_is_zero: bool | None = None,
) -> Callable[[Provider], Provider]:
    """Register a provider. ``absent_is_zero`` defaults to True except for "%"
    units; its evidence function is registered with ``evidence_for``."""
    if direction not in (HIGHER, LOWER):
        raise ValueError(f"direction of {code} must be {HIGHER!r} or {LOWER!r}")

    def register(func: Provider) -> Provider:
        if code in REGISTRY and REGISTRY[code].compute is not func:
            raise ValueError(f"indicator {code} is registered twice")
        zero = unit != "%" if absent_is_zero is None else absent_is_zero
        # Registering the same function again (a module re-imported) keeps the
        # evidence listing registered for it.
        listing = REGISTRY[code].evidence if code in REGISTRY else None
        REGISTRY[code] = Indicator(code, name, unit, direction, description, func, zero, listing)
        return func

    return register


def compute(
    code: str, *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    """Values of one indicator for ``start``..``end`` (inclusive), by office id.
    Offices without any data are absent from the result."""
    return REGISTRY[code].compute(start=start, end=end, office_ids=office_ids)


def evidence_for(code: str) -> Callable[[EvidenceFunc], EvidenceFunc]:
    """Register the evidence listing of an indicator registered before it."""

    def register(listing: EvidenceFunc) -> EvidenceFunc:
        if code not in REGISTRY:
            raise ValueError(f"evidence for {code}: register the indicator first")
        current = REGISTRY[code].evidence
        if current is not None and current is not listing:
            raise ValueError(f"indicator {code} has an evidence listing already")
        REGISTRY[code] = dataclasses.replace(REGISTRY[code], evidence=listing)
        return listing

    return register


def evidence(
    code: str, *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """The records behind one office's value (at most ``limit``); [] when the
    provider names none."""
    listing = REGISTRY[code].evidence
    if listing is None:
        return []
    return listing(start=start, end=end, office_id=office_id, limit=limit)
