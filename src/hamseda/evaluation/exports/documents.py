"""What each report shows, read through ``evaluation.selectors`` (so a report
never shows the viewer more than the pages do) and shaped for a template or a
sheet: plain rows, each criterion's score already picked out of ``Result.items``
in catalogue order, since a Django template cannot index a dict by a variable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.core import indicators
from hamseda.directory.models import Office, Province
from hamseda.evaluation import selectors
from hamseda.evaluation.models import (
    Criterion,
    Cycle,
    CycleStatus,
    ProvinceResult,
    Result,
)
from hamseda.evaluation.selectors import Line, Scorecard


def status_label(cycle: Cycle) -> str:
    """ "نهایی" once the cycle is closed, otherwise "موقت" with the stage it is in:
    a provisional ranking may still change with ratings and objections."""
    if cycle.status == CycleStatus.CLOSED:
        return _("نهایی")
    return _("موقت — {stage}").format(stage=cycle.get_status_display())


@dataclass
class CatalogueLine:
    criterion: Criterion
    indicator_name: str  # the provider's Persian name; "" for a qualitative criterion
    unit: str

    @property
    def weight(self) -> float:
        return float(self.criterion.weight)


def catalogue_lines(criteria: list[Criterion]) -> list[CatalogueLine]:
    lines = []
    for criterion in criteria:
        registered = indicators.REGISTRY.get(criterion.provider) if criterion.provider else None
        lines.append(
            CatalogueLine(
                criterion=criterion,
                indicator_name=str(registered.name) if registered else "",
                unit=str(registered.unit) if registered else "",
            )
        )
    return lines


@dataclass
class OfficeRow:
    """An office's result with its criteria's scores in catalogue order."""

    result: Result
    scores: list[float | None]


def office_rows(results: list[Result], criteria: list[Criterion]) -> list[OfficeRow]:
    def score(result: Result, code: str) -> float | None:
        value = (result.items.get(code) or {}).get("score")
        return None if value is None else float(value)

    return [OfficeRow(r, [score(r, c.code) for c in criteria]) for r in results]


@dataclass
class Report:
    cycle: Cycle
    criteria: list[CatalogueLine]
    generated_at: dt.datetime

    @property
    def status(self) -> str:
        return status_label(self.cycle)

    @property
    def is_final(self) -> bool:
        return self.cycle.status == CycleStatus.CLOSED

    @property
    def missing(self) -> list[Criterion]:
        return [line.criterion for line in self.criteria if line.criterion.missing_reason]

    @property
    def codes(self) -> list[str]:
        return [line.criterion.code for line in self.criteria]


@dataclass
class CycleReport(Report):
    provinces: list[ProvinceResult]
    offices: list[OfficeRow]

    @property
    def quantitative_weight(self) -> float:
        return sum(line.weight for line in self.criteria if line.criterion.is_quantitative)

    @property
    def qualitative_weight(self) -> float:
        return sum(line.weight for line in self.criteria if not line.criterion.is_quantitative)


def cycle_report(*, viewer: Any, cycle_id: int) -> CycleReport:
    cycle = selectors.cycle_get(viewer=viewer, cycle_id=cycle_id)
    criteria = selectors.criteria_of(cycle)
    return CycleReport(
        cycle=cycle,
        criteria=catalogue_lines(criteria),
        generated_at=timezone.now(),
        provinces=selectors.province_ranking(viewer=viewer, cycle=cycle),
        offices=office_rows(selectors.office_ranking(viewer=viewer, cycle=cycle), criteria),
    )


@dataclass
class ProvinceReport(Report):
    province: Province
    result: ProvinceResult
    provinces_ranked: int
    offices: list[OfficeRow]
    offices_ranked: int  # nationally, for "rank 12 of 496"


def province_report(*, viewer: Any, cycle_id: int, province_id: int) -> ProvinceReport:
    """A province that has no ranked office in the cycle is a 404."""
    cycle = selectors.cycle_get(viewer=viewer, cycle_id=cycle_id)
    ranking = selectors.province_ranking(viewer=viewer, cycle=cycle)
    result = next((p for p in ranking if p.province_id == province_id), None)
    if result is None:
        raise Http404
    criteria = selectors.criteria_of(cycle)
    offices = selectors.office_ranking(viewer=viewer, cycle=cycle, province_id=province_id)
    return ProvinceReport(
        cycle=cycle,
        criteria=catalogue_lines(criteria),
        generated_at=timezone.now(),
        province=result.province,
        result=result,
        provinces_ranked=len(ranking),
        offices=office_rows(offices, criteria),
        offices_ranked=sum(p.offices for p in ranking),
    )


@dataclass
class CriterionLine:
    """One criterion of an office, with the catalogue line it belongs to."""

    catalogue: CatalogueLine
    line: Line

    @property
    def criterion(self) -> Criterion:
        return self.line.criterion

    def _get(self, key: str) -> Any:
        return self.line.item.get(key)

    @property
    def value(self) -> float | None:
        value = self._get("value")
        return None if value is None else float(value)

    @property
    def score(self) -> float | None:
        return self.line.score

    @property
    def points(self) -> float | None:
        value = self._get("points")
        return None if value is None else float(value)

    @property
    def level(self) -> float | None:
        value = self._get("level")
        return None if value is None else float(value)

    @property
    def levels(self) -> list[int]:
        return list(self._get("levels") or [])

    @property
    def adjusted(self) -> bool:
        return bool(self._get("adjusted"))

    @property
    def missing(self) -> str:
        return str(self._get("missing") or self.criterion.missing_reason or "")


@dataclass
class OfficeReport(Report):
    card: Scorecard
    lines: list[CriterionLine] = field(default_factory=list)

    @property
    def office(self) -> Office:
        return self.card.office

    @property
    def result(self) -> Result:
        assert self.card.result is not None  # office_report refuses an unranked office
        return self.card.result

    @property
    def comments(self) -> list[tuple[Criterion, Any]]:
        """(criterion, RatingView) for every rating, in catalogue order."""
        return [(line.criterion, rating) for line in self.lines for rating in line.line.ratings]


def office_report(*, viewer: Any, cycle_id: int, office_id: int) -> OfficeReport:
    """An office's scorecard as the viewer may read it (``PermissionDenied`` for
    another province's office, as on the scorecard page); an office the cycle
    has not ranked is a 404: there is nothing to report."""
    cycle = selectors.cycle_get(viewer=viewer, cycle_id=cycle_id)
    office = selectors.office_in_cycle(viewer=viewer, cycle=cycle, office_id=office_id)
    card = selectors.scorecard(viewer=viewer, cycle=cycle, office=office)
    if card.result is None:
        raise Http404
    catalogue = catalogue_lines([line.criterion for line in card.lines])
    return OfficeReport(
        cycle=cycle,
        criteria=catalogue,
        generated_at=timezone.now(),
        card=card,
        lines=[CriterionLine(c, line) for c, line in zip(catalogue, card.lines, strict=True)],
    )


# --- file names ----------------------------------------------------------------------


def _clean(text: str) -> str:
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in text).strip()


def cycle_filename(cycle: Cycle, extension: str) -> tuple[str, str]:
    """(Persian name, ASCII fallback) of a cycle's report."""
    name = _("گزارش {title}").format(title=cycle.title)
    return f"{_clean(name)}.{extension}", f"evaluation-{_period_slug(cycle)}.{extension}"


def province_filename(cycle: Cycle, province: Province, extension: str) -> tuple[str, str]:
    name = _("گزارش ارزیابی استان {province} — {period}").format(
        province=province.name, period=cycle.period_label()
    )
    return (
        f"{_clean(name)}.{extension}",
        f"evaluation-{_period_slug(cycle)}-{province.code}.{extension}",
    )


def office_filename(cycle: Cycle, office: Office, extension: str) -> tuple[str, str]:
    name = _("کارنامه ارزیابی {office} — {period}").format(
        office=office.name, period=cycle.period_label()
    )
    return (
        f"{_clean(name)}.{extension}",
        f"evaluation-{_period_slug(cycle)}-office-{office.pk}.{extension}",
    )


def _period_slug(cycle: Cycle) -> str:
    return f"{cycle.year}" if not cycle.quarter else f"{cycle.year}-q{cycle.quarter}"
