"""Builders for evaluation tests: indicators registered for one test, cycles
with a hand-written catalogue, more evaluated offices."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from hamseda.core import indicators
from hamseda.core.policy import Role
from hamseda.directory.models import AgencyKind, Council, MembershipRole, Office
from hamseda.directory.tests.factories import (
    AgencyFactory,
    OfficeFactory,
    PersonFactory,
    membership,
)
from hamseda.evaluation.models import Criterion, CriterionKind, Cycle

RUBRIC = ["بسیار ضعیف", "ضعیف", "متوسط", "خوب", "عالی"]


@contextlib.contextmanager
def registered(
    code: str,
    values: Mapping[int, float] | Callable[..., dict[int, float]],
    *,
    direction: str = indicators.HIGHER,
    unit: str = "مورد",
    absent_is_zero: bool | None = None,
) -> Iterator[str]:
    """An indicator in the registry for the length of a test: ``values`` by
    office id, or a provider function (one that raises, say)."""
    if callable(values):
        provider = values
    else:

        def provider(**_kwargs: Any) -> dict[int, float]:
            return dict(values)  # type: ignore[arg-type]

    indicators.indicator(
        code, name=code, unit=unit, direction=direction, absent_is_zero=absent_is_zero
    )(provider)
    try:
        yield code
    finally:
        indicators.REGISTRY.pop(code, None)


def quantitative(
    cycle: Cycle,
    code: str,
    provider: str,
    weight: float,
    normalisation: str = "minmax",
    target: float | None = None,
) -> Criterion:
    return Criterion.objects.create(
        cycle=cycle,
        code=code,
        kind=CriterionKind.QUANTITATIVE,
        name=code,
        weight=Decimal(str(weight)),
        provider=provider,
        normalisation=normalisation,
        target=target,
        position=cycle.criteria.count() + 1,
    )


def qualitative(cycle: Cycle, code: str, weight: float) -> Criterion:
    return Criterion.objects.create(
        cycle=cycle,
        code=code,
        kind=CriterionKind.QUALITATIVE,
        name=code,
        weight=Decimal(str(weight)),
        rubric=RUBRIC,
        position=cycle.criteria.count() + 1,
    )


def member_office(council: Council, name: str) -> Office:
    """Another evaluated office on ``council``."""
    agency = AgencyFactory(name=name, kind=AgencyKind.SUBSIDIARY_COMPANY, province=council.province)
    office: Office = OfficeFactory(agency=agency, name=f"روابط عمومی {name}")
    membership(council, office, MembershipRole.MEMBER)
    return office


def evaluator_in(office: Office, username: str) -> Any:
    return PersonFactory(username=username, office=office, role=Role.EVALUATOR)
