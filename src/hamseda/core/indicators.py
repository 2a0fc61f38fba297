"""The indicator registry: each app registers the indicators it can compute, and
the evaluation engine reads them here without naming any app.

An indicator provider computes one value per PR office for a period, in bulk,
with a bounded number of queries whatever the number of offices:

    @indicator("meetings.attendance_rate", name=_("..."), unit="%", direction=HIGHER)
    def attendance_rate(*, start, end, office_ids) -> dict[int, float]:
        ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

HIGHER = "higher"  # more is better
LOWER = "lower"  # less is better

Provider = Callable[..., dict[int, float]]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Any  # lazy Persian string
    unit: Any  # "%", or a lazy Persian word
    direction: str
    description: Any
    compute: Provider


REGISTRY: dict[str, Indicator] = {}


def indicator(
    code: str, *, name: Any, unit: Any, direction: str, description: Any = ""
) -> Callable[[Provider], Provider]:
    if direction not in (HIGHER, LOWER):
        raise ValueError(f"direction of {code} must be {HIGHER!r} or {LOWER!r}")

    def register(func: Provider) -> Provider:
        if code in REGISTRY and REGISTRY[code].compute is not func:
            raise ValueError(f"indicator {code} is registered twice")
        REGISTRY[code] = Indicator(code, name, unit, direction, description, func)
        return func

    return register


def compute(
    code: str, *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    """Values of one indicator for ``start``..``end`` (inclusive), by office id.
    Offices without any data are absent from the result."""
    return REGISTRY[code].compute(start=start, end=end, office_ids=office_ids)
