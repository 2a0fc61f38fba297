"""Reads of the evaluation app, scoped to the viewer through ``core.policy``.

The ranking (totals and ranks) is open to every signed-in user; an office's
scorecard, its evidence, ratings and objections follow
``evaluation.view_scores``. Evaluators' names are shown to the ministry centre
and to the evaluator themself; an office sees "evaluator 1, 2 ...".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from hamseda.core import indicators, persian, policy
from hamseda.core.indicators import Evidence
from hamseda.core.policy import Role
from hamseda.directory.models import Office, Province
from hamseda.evaluation.models import (
    Appeal,
    Assignment,
    Criterion,
    CriterionKind,
    Cycle,
    CycleStatus,
    EvidenceLink,
    ProvinceResult,
    Rating,
    Result,
    SelfAssessment,
)
from hamseda.evaluation.services.ratings import may_rate


def cycle_list(*, viewer: Any) -> QuerySet[Cycle]:
    """Cycles the viewer may open: drafts only for those who run evaluation."""
    if not policy.can(viewer, "evaluation.view", policy.Scope(None, None)):
        return Cycle.objects.none()
    cycles = Cycle.objects.annotate(
        criteria_count=Count("criteria", distinct=True),
        open_appeals=Count("appeals", filter=Q(appeals__status="open"), distinct=True),
    )
    if not policy.can(viewer, "evaluation.manage", policy.Scope(None, None)):
        cycles = cycles.exclude(status=CycleStatus.DRAFT)
    return cycles


def cycle_get(*, viewer: Any, cycle_id: int) -> Cycle:
    cycle = cycle_list(viewer=viewer).filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    return cycle


def criteria_of(cycle: Cycle) -> list[Criterion]:
    return list(cycle.criteria.all())


def province_ranking(*, viewer: Any, cycle: Cycle) -> list[ProvinceResult]:
    policy.require(viewer, "evaluation.view", cycle)
    return list(
        ProvinceResult.objects.filter(cycle=cycle)
        .select_related("province")
        .order_by("rank", "province__sort_key")
    )


def office_ranking(*, viewer: Any, cycle: Cycle, province_id: int | None = None) -> list[Result]:
    """Offices by national rank, or by rank within ``province_id``."""
    policy.require(viewer, "evaluation.view", cycle)
    results = Result.objects.filter(cycle=cycle).select_related("office__agency", "province")
    if province_id is not None:
        results = results.filter(province_id=province_id).order_by(
            "rank_in_province", "office__sort_key"
        )
    else:
        results = results.order_by("rank", "office__sort_key")
    return list(results)


def office_in_cycle(*, viewer: Any, cycle: Cycle, office_id: int) -> Office:
    """An evaluated office whose scorecard the viewer may read."""
    office = Office.objects.select_related("agency__province").filter(pk=office_id).first()
    if office is None:
        raise Http404
    if not policy.can(viewer, "evaluation.view_scores", office):
        raise PermissionDenied(_("کارنامه این روابط عمومی برای شما باز نیست."))
    return office


@dataclass
class RatingView:
    rating: Rating
    evaluator_label: str
    evidence: list[EvidenceLink]


@dataclass
class Line:
    """One criterion on an office's scorecard."""

    criterion: Criterion
    item: dict[str, Any]  # Result.items[code]; {} before the first ranking
    ratings: list[RatingView] = field(default_factory=list)
    self_assessment: SelfAssessment | None = None
    self_evidence: list[EvidenceLink] = field(default_factory=list)
    national_mean: float | None = None

    @property
    def score(self) -> float | None:
        value = self.item.get("score")
        return None if value is None else float(value)


@dataclass
class Scorecard:
    cycle: Cycle
    office: Office
    result: Result | None
    lines: list[Line]
    appeals: list[Appeal]
    trend: list[Result]
    offices_ranked: int
    province_offices: int
    may_rate: bool
    may_self_assess: bool
    may_appeal: bool

    @property
    def quantitative(self) -> list[Line]:
        return [line for line in self.lines if line.criterion.is_quantitative]

    @property
    def qualitative(self) -> list[Line]:
        return [line for line in self.lines if not line.criterion.is_quantitative]


def _names_visible(viewer: Any, rating: Rating) -> bool:
    return viewer.effective_role in (Role.MINISTRY_CENTRE, Role.ADMIN) or (
        rating.evaluator_id == viewer.pk
    )


def scorecard(*, viewer: Any, cycle: Cycle, office: Office) -> Scorecard:
    """Everything an office's page shows, in a fixed number of queries."""
    policy.require(viewer, "evaluation.view_scores", office)
    result = Result.objects.filter(cycle=cycle, office=office).select_related("province").first()
    criteria = criteria_of(cycle)
    ratings = list(
        Rating.objects.filter(criterion__cycle=cycle, office=office)
        .select_related("evaluator")
        .prefetch_related("evidence")
        .order_by("criterion_id", "created_at", "pk")
    )
    numbers: dict[int, int] = {}
    for rating in ratings:
        numbers.setdefault(rating.evaluator_id, len(numbers) + 1)
    by_criterion: dict[int, list[RatingView]] = defaultdict(list)
    for rating in ratings:
        label = (
            rating.evaluator.display_name
            if _names_visible(viewer, rating)
            else _("ارزیاب {n}").format(n=persian.fa_digits(numbers[rating.evaluator_id]))
        )
        by_criterion[rating.criterion_id].append(
            RatingView(rating, label, list(rating.evidence.all()))
        )
    selfs = {
        s.criterion_id: s
        for s in SelfAssessment.objects.filter(criterion__cycle=cycle, office=office)
        .select_related("submitted_by")
        .prefetch_related("evidence")
    }
    means = _national_means(cycle)
    lines = [
        Line(
            criterion=c,
            item=(result.items.get(c.code, {}) if result else {}),
            ratings=by_criterion.get(c.pk, []),
            self_assessment=selfs.get(c.pk),
            self_evidence=list(selfs[c.pk].evidence.all()) if c.pk in selfs else [],
            national_mean=means.get(c.code),
        )
        for c in criteria
    ]
    appeals = list(
        Appeal.objects.filter(cycle=cycle, office=office)
        .select_related("office", "criterion", "filed_by", "answered_by")
        .order_by("-created_at")
    )
    trend = list(
        Result.objects.filter(office=office, cycle__quarter=cycle.quarter)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle")
        .order_by("cycle__year")
    )
    counts = Result.objects.filter(cycle=cycle).aggregate(
        n=Count("pk"),
        in_province=Count("pk", filter=Q(province_id=office.agency.province_id)),
    )
    return Scorecard(
        cycle=cycle,
        office=office,
        result=result,
        lines=lines,
        appeals=appeals,
        trend=trend,
        offices_ranked=counts["n"],
        province_offices=counts["in_province"],
        may_rate=cycle.status in (CycleStatus.SCORING, CycleStatus.APPEALS)
        and may_rate(viewer, cycle, office),
        may_self_assess=cycle.status == CycleStatus.SCORING
        and policy.can(viewer, "evaluation.self_assess", office),
        may_appeal=cycle.appeals_open_on(_today())
        and policy.can(viewer, "evaluation.appeal", office),
    )


def _today() -> dt.date:
    from hamseda.core import jalali

    return jalali.today()


def _national_means(cycle: Cycle) -> dict[str, float]:
    """Mean score of every criterion over all ranked offices (the radar's
    second outline), kept in the cache for as long as the ranking it comes
    from: every scorecard would otherwise read all the cycle's results (~500
    JSON rows at national scale). ``cycle_rank`` stamps ``ranked_at``, so a new
    ranking is a new key."""
    stamp = cycle.ranked_at.isoformat() if cycle.ranked_at else "never"
    key = f"evaluation:means:{cycle.pk}:{stamp}"
    means: dict[str, float] | None = cache.get(key)
    if means is None:
        means = _national_means_now(cycle)
        cache.set(key, means, timeout=24 * 3600)
    return means


def _national_means_now(cycle: Cycle) -> dict[str, float]:
    """One query; the JSON is summed in Python because SQLite and PostgreSQL
    read JSON keys differently."""
    sums: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for items in Result.objects.filter(cycle=cycle).values_list("items", flat=True):
        for code, item in items.items():
            if item.get("score") is not None:
                sums[code] += float(item["score"])
                counts[code] += 1
    return {code: round(sums[code] / counts[code], 2) for code in sums}


@dataclass
class Drill:
    """The records behind one criterion of one office."""

    cycle: Cycle
    office: Office
    criterion: Criterion
    item: dict[str, Any]
    records: list[Evidence]
    ratings: list[RatingView]
    self_assessment: SelfAssessment | None
    indicator: indicators.Indicator | None

    @property
    def counted(self) -> list[Evidence]:
        return [record for record in self.records if record.counted]

    @property
    def not_counted(self) -> list[Evidence]:
        return [record for record in self.records if not record.counted]


def drill(*, viewer: Any, cycle: Cycle, office: Office, code: str, limit: int = 200) -> Drill:
    card = scorecard(viewer=viewer, cycle=cycle, office=office)
    line = next((line for line in card.lines if line.criterion.code == code), None)
    if line is None:
        raise Http404
    records: list[Evidence] = []
    registered = None
    if line.criterion.kind == CriterionKind.QUANTITATIVE:
        registered = indicators.REGISTRY.get(line.criterion.provider)
        if registered is not None and not line.criterion.missing_reason:
            start, end = cycle.bounds
            records = indicators.evidence(
                line.criterion.provider, start=start, end=end, office_id=office.pk, limit=limit
            )
    return Drill(
        cycle=cycle,
        office=office,
        criterion=line.criterion,
        item=line.item,
        records=records,
        ratings=line.ratings,
        self_assessment=line.self_assessment,
        indicator=registered,
    )


@dataclass
class WorkItem:
    assignment: Assignment
    rated: int  # qualitative criteria this evaluator has rated for the office
    of: int  # qualitative criteria in the catalogue
    self_assessed: int


def evaluator_worklist(*, viewer: Any, cycle: Cycle) -> list[WorkItem]:
    """The offices ``viewer`` is assigned to in ``cycle``, with progress."""
    assignments = list(
        Assignment.objects.filter(cycle=cycle, evaluator=viewer)
        .select_related("office__agency__province")
        .order_by("office__agency__province__sort_key", "office__sort_key")
    )
    qualitative = cycle.criteria.filter(kind=CriterionKind.QUALITATIVE).count()
    rated = dict(
        Rating.objects.filter(criterion__cycle=cycle, evaluator=viewer)
        .values_list("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )
    selfs = dict(
        SelfAssessment.objects.filter(criterion__cycle=cycle)
        .values_list("office_id")
        .annotate(n=Count("pk"))
        .values_list("office_id", "n")
    )
    return [
        WorkItem(a, rated.get(a.office_id, 0), qualitative, selfs.get(a.office_id, 0))
        for a in assignments
    ]


def assignment_list(*, viewer: Any, cycle: Cycle) -> QuerySet[Assignment]:
    policy.require(viewer, "evaluation.manage", cycle)
    return Assignment.objects.filter(cycle=cycle).select_related(
        "evaluator__office__agency__province", "office__agency__province"
    )


def appeal_list(*, viewer: Any, cycle: Cycle | None = None, status: str = "") -> QuerySet[Appeal]:
    appeals = Appeal.objects.select_related(
        "cycle", "office__agency__province", "criterion", "filed_by", "answered_by"
    )
    if cycle is not None:
        appeals = appeals.filter(cycle=cycle)
    if status:
        appeals = appeals.filter(status=status)
    return policy.scope_queryset(
        viewer,
        "evaluation.view_scores",
        appeals,
        province_field="office__agency__province_id",
        office_field="office_id",
    )


def evidence_get(*, viewer: Any, cycle: Cycle, link_id: int) -> EvidenceLink:
    """An evidence link of ``cycle`` whose office's scorecard the viewer may read."""
    link = (
        EvidenceLink.objects.select_related(
            "rating__office__agency", "self_assessment__office__agency"
        )
        .filter(
            Q(rating__criterion__cycle=cycle) | Q(self_assessment__criterion__cycle=cycle),
            pk=link_id,
        )
        .first()
    )
    if link is None:
        raise Http404
    owner = link.rating or link.self_assessment
    assert owner is not None  # a database constraint
    if not policy.can(viewer, "evaluation.view_scores", owner.office):
        raise PermissionDenied(_("این مستند برای شما باز نیست."))
    return link


def appeal_get(*, viewer: Any, cycle: Cycle, appeal_id: int) -> Appeal:
    appeal = appeal_list(viewer=viewer, cycle=cycle).filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404
    return appeal


def provinces_with_results(cycle: Cycle) -> QuerySet[Province]:
    return Province.objects.filter(evaluation_results__cycle=cycle).order_by("sort_key")
