"""The engine: read every quantitative criterion from its provider, then rank.

Two steps, because they cost very differently:

- ``cycle_compute_values`` calls each provider once for all offices (one bulk
  call per criterion: the number of queries grows with the catalogue, never with
  the number of offices) and stores each criterion's values. A provider
  that raises, or that is not registered (its app is not installed), leaves its
  criterion *missing* for the cycle with the reason, and scores nobody zero.
- ``cycle_rank`` turns stored values, ratings and adjustments into ``Result``
  and ``ProvinceResult`` rows in a fixed number of queries. It runs after every
  rating, adjustment and answered objection, so the ranking a user sees is
  always current; values are re-read nightly (``tasks``) or on demand.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import JSONField, QuerySet
from django.db.models import Value as JSONValue
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.core import indicators, persian
from hamseda.directory.models import MembershipRole, Office
from hamseda.evaluation import scoring
from hamseda.evaluation.models import (
    Adjustment,
    Criterion,
    CriterionKind,
    Cycle,
    ProvinceResult,
    Rating,
    Result,
)

logger = logging.getLogger(__name__)


def evaluated_offices() -> QuerySet[Office]:
    """The offices a cycle compares: active PR offices that sit on a provincial
    council as chair or member (partners such as the governorate, and the
    broadcaster, are not ranked)."""
    return (
        Office.objects.filter(
            is_active=True,
            agency__province__isnull=False,
            memberships__role__in=[MembershipRole.CHAIR, MembershipRole.MEMBER],
        )
        .distinct()
        .select_related("agency__province")
    )


@dataclass(frozen=True)
class ComputeReport:
    criteria: int
    missing: dict[str, str]  # criterion code → reason
    offices: int


@transaction.atomic
def cycle_compute_values(*, cycle: Cycle) -> ComputeReport:
    """Re-read every quantitative criterion of ``cycle`` from its provider."""
    list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk", flat=True))
    office_ids = list(evaluated_offices().values_list("pk", flat=True))
    start, end = cycle.bounds
    criteria = list(cycle.criteria.filter(kind=CriterionKind.QUANTITATIVE))
    missing: dict[str, str] = {}
    # Criteria may share a provider (with other normalisations): each is called once.
    found_by_provider: dict[str, dict[int, float] | str] = {}
    for criterion in criteria:
        registered = indicators.REGISTRY.get(criterion.provider)
        reason = ""
        values: dict[str, float | None] = {}
        if registered is None:
            reason = _("شاخص «{code}» در این سامانه محاسبه نمی‌شود (بخش آن نصب نیست).").format(
                code=criterion.provider
            )
        else:
            if criterion.provider not in found_by_provider:
                found_by_provider[criterion.provider] = _read(registered, cycle, start, end)
            found = found_by_provider[criterion.provider]
            if isinstance(found, str):
                reason = found
            else:
                for office_id in office_ids:
                    value = found.get(office_id)
                    if value is None and registered.absent_is_zero:
                        value = 0.0
                    values[str(office_id)] = None if value is None else float(value)
        if reason:
            missing[criterion.code] = reason
        criterion.missing_reason = reason
        criterion.values = values
    Criterion.objects.bulk_update(criteria, ["missing_reason", "values"])
    cycle.values_computed_at = timezone.now()
    cycle.save(update_fields=["values_computed_at", "updated_at"])
    return ComputeReport(criteria=len(criteria), missing=missing, offices=len(office_ids))


def _read(
    registered: indicators.Indicator, cycle: Cycle, start: Any, end: Any
) -> dict[int, float] | str:
    """A provider's values for all offices, or why it could not give them."""
    try:
        # A savepoint: a provider whose query fails must not poison the
        # transaction the other criteria are written in.
        with transaction.atomic():
            return registered.compute(start=start, end=end, office_ids=None)
    except Exception as error:  # any failure of a provider is reported, not raised
        logger.exception("indicator %s failed for cycle %s", registered.code, cycle.pk)
        return _("محاسبه این شاخص با خطا روبه‌رو شد: {error}").format(
            error=persian.normalize(str(error))[:300] or type(error).__name__
        )


@transaction.atomic
def cycle_rank(*, cycle: Cycle) -> int:
    """Rebuild the cycle's ranking from stored values, ratings and adjustments.
    Returns the number of offices ranked."""
    # One ranking at a time per cycle: two runs would each delete and insert the
    # same rows. Ratings and answers lock the same row before calling here.
    list(Cycle.objects.select_for_update().filter(pk=cycle.pk).values_list("pk", flat=True))
    offices = list(evaluated_offices())
    criteria = list(cycle.criteria.all())
    values: dict[tuple[int, int], float | None] = {
        (criterion.pk, int(office_id)): value
        for criterion in criteria
        for office_id, value in criterion.values.items()
    }
    levels: dict[tuple[int, int], list[int]] = defaultdict(list)
    for criterion_id, office_id, given_level in (
        Rating.objects.filter(criterion__cycle=cycle)
        .order_by("criterion_id", "office_id", "evaluator_id")
        .values_list("criterion_id", "office_id", "level")
    ):
        levels[(criterion_id, office_id)].append(given_level)
    adjustments = {
        (a.criterion_id, a.office_id): a for a in Adjustment.objects.filter(criterion__cycle=cycle)
    }

    parts_of: dict[int, list[scoring.Part]] = {office.pk: [] for office in offices}
    for criterion in criteria:
        weight = float(criterion.weight)
        if criterion.is_quantitative:
            per_office: dict[int, float | None] = {}
            for office in offices:
                key = (criterion.pk, office.pk)
                adjustment = adjustments.get(key)
                per_office[office.pk] = (
                    adjustment.value if adjustment is not None else values.get(key)
                )
            if criterion.missing_reason:
                scores: dict[int, float | None] = {office.pk: None for office in offices}
            else:
                direction = _direction(criterion)
                scores = scoring.normalise(
                    per_office,
                    method=criterion.normalisation,
                    direction=direction,
                    target=criterion.target,
                )
            for office in offices:
                key = (criterion.pk, office.pk)
                parts_of[office.pk].append(
                    scoring.Part(
                        code=criterion.code,
                        weight=weight,
                        qualitative=False,
                        score=scores[office.pk],
                        value=per_office[office.pk],
                        adjusted=key in adjustments,
                        missing=criterion.missing_reason,
                    )
                )
        else:
            for office in offices:
                key = (criterion.pk, office.pk)
                given = levels.get(key, [])
                level = scoring.combine_levels(given)[0]
                adjustment = adjustments.get(key)
                if adjustment is not None and adjustment.level is not None:
                    level = float(adjustment.level)
                parts_of[office.pk].append(
                    scoring.Part(
                        code=criterion.code,
                        weight=weight,
                        qualitative=True,
                        score=scoring.level_score(level),
                        level=level,
                        levels=given,
                        adjusted=key in adjustments,
                    )
                )

    totals = {office.pk: scoring.total_of(parts_of[office.pk]) for office in offices}
    national = scoring.competition_ranks({pk: t.total for pk, t in totals.items()})
    by_province: dict[int, list[Office]] = defaultdict(list)
    for office in offices:
        assert office.agency.province_id is not None  # evaluated offices have one
        by_province[office.agency.province_id].append(office)
    in_province: dict[int, int] = {}
    for members in by_province.values():
        in_province.update(
            scoring.competition_ranks({office.pk: totals[office.pk].total for office in members})
        )
    results = [
        Result(
            cycle=cycle,
            office=office,
            province_id=office.agency.province_id or 0,
            total=totals[office.pk].total,
            quantitative=totals[office.pk].quantitative,
            qualitative=totals[office.pk].qualitative,
            covered=totals[office.pk].covered,
            rank=national[office.pk],
            rank_in_province=in_province[office.pk],
            tier=cycle.tier_of(totals[office.pk].total),
            disagreement=totals[office.pk].disagreement,
            # An expression, so that PostgreSQL's bulk insert writes plain VALUES:
            # Django's UNNEST form sends the JSON as one array literal that
            # psycopg escapes character by character (2/3 of the ranking's time
            # at 500 offices, scripts/bench_evaluation.py).
            items=JSONValue(
                {part.code: part.as_json() for part in parts_of[office.pk]},
                output_field=JSONField(),
            ),
        )
        for office in offices
    ]
    province_totals = {
        province_id: round(sum(totals[o.pk].total for o in members) / len(members), 2)
        for province_id, members in by_province.items()
    }
    province_ranks = scoring.competition_ranks(province_totals)
    provinces = [
        ProvinceResult(
            cycle=cycle,
            province_id=province_id,
            total=total,
            rank=province_ranks[province_id],
            tier=cycle.tier_of(total),
            offices=len(by_province[province_id]),
        )
        for province_id, total in province_totals.items()
    ]
    Result.objects.filter(cycle=cycle).delete()
    ProvinceResult.objects.filter(cycle=cycle).delete()
    Result.objects.bulk_create(results, batch_size=1000)
    ProvinceResult.objects.bulk_create(provinces)
    cycle.ranked_at = timezone.now()
    cycle.save(update_fields=["ranked_at", "updated_at"])
    return len(results)


def _direction(criterion: Criterion) -> str:
    registered = indicators.REGISTRY.get(criterion.provider)
    return registered.direction if registered is not None else indicators.HIGHER


def cycle_recompute(*, cycle: Cycle) -> ComputeReport:
    """Values, then the ranking (the nightly job and the "recompute" button)."""
    report = cycle_compute_values(cycle=cycle)
    cycle_rank(cycle=cycle)
    return report
