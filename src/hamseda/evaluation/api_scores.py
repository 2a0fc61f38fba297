"""REST API of scores: the national ranking, an office's scorecard and the
records behind each number, evaluators' ratings and offices' self-assessments.
The ranking is open to every signed-in user; a scorecard follows
``evaluation.view_scores`` and hides evaluators' names from the office, exactly
as ``selectors.scorecard`` does for the pages."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core import jalali
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office
from hamseda.evaluation import selectors
from hamseda.evaluation.api_appeals import OfficeAppealOutput
from hamseda.evaluation.api_catalogue import CriterionOutput, criterion_named
from hamseda.evaluation.api_cycles import EvaluatedOfficeOutput, cycle_of
from hamseda.evaluation.models import CriterionKind, Cycle, EvidenceLink, Result
from hamseda.evaluation.selectors import Drill, Line, RatingView
from hamseda.evaluation.services import ratings as rating_services
from hamseda.evaluation.services.ratings import EvidenceInput

DRILL_LIMIT = 200

# --- output ---------------------------------------------------------------------------


class ProvinceRankOutput(serializers.Serializer):  # type: ignore[type-arg]
    province = serializers.IntegerField(source="province_id")
    province_name = serializers.CharField(source="province.name")
    total = serializers.FloatField(help_text="Mean of its offices' totals, 0–100.")
    rank = serializers.IntegerField()
    tier = serializers.CharField()
    offices = serializers.IntegerField()


class OfficeRankOutput(serializers.Serializer):  # type: ignore[type-arg]
    office = serializers.IntegerField(source="office_id")
    office_name = serializers.CharField(source="office.name")
    province = serializers.IntegerField(source="province_id")
    province_name = serializers.CharField(source="province.name")
    total = serializers.FloatField()
    quantitative = serializers.FloatField()
    qualitative = serializers.FloatField(allow_null=True)
    covered = serializers.FloatField(help_text="Share of the catalogue's weight scored, 0–100.")
    rank = serializers.IntegerField(help_text="National; ties share a rank.")
    rank_in_province = serializers.IntegerField()
    tier = serializers.CharField()
    disagreement = serializers.BooleanField(help_text="Its evaluators disagree on a criterion.")


class EvidenceLinkOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    url = serializers.SerializerMethodField(help_text="A page of Hamseda, or the file.")

    def get_url(self, obj: EvidenceLink) -> str:
        # An uploaded file is served through the evaluation view that checks
        # the policy, never from the media folder directly.
        if obj.file:
            return reverse("evaluation:evidence_file", args=[self.context["cycle_id"], obj.pk])
        return obj.url


class RatingOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="rating.pk")
    evaluator = serializers.CharField(
        source="evaluator_label",
        help_text="The evaluator's name for the ministry centre and the evaluator; "
        "'evaluator 1, 2 ...' for everyone else.",
    )
    mine = serializers.SerializerMethodField()
    level = serializers.IntegerField(source="rating.level")
    comment = serializers.CharField(source="rating.comment")
    evidence = EvidenceLinkOutput(many=True)
    updated_at = serializers.DateTimeField(source="rating.updated_at")

    def get_mine(self, obj: RatingView) -> bool:
        return bool(obj.rating.evaluator_id == self.context["viewer_id"])


class SelfAssessmentOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    level = serializers.IntegerField()
    comment = serializers.CharField()
    evidence = EvidenceLinkOutput(many=True)
    updated_at = serializers.DateTimeField()


class ScoreItemOutput(serializers.Serializer):  # type: ignore[type-arg]
    """One criterion's part of an office's total, as the engine last ranked it."""

    value = serializers.FloatField(allow_null=True, help_text="Quantitative: the raw value.")
    score = serializers.FloatField(allow_null=True, help_text="0–100; null: not scored.")
    level = serializers.FloatField(allow_null=True, help_text="Qualitative: mean level.")
    levels = serializers.ListField(child=serializers.IntegerField())
    weight = serializers.FloatField()
    points = serializers.FloatField(allow_null=True, help_text="weight × score / 100")
    adjusted = serializers.BooleanField(help_text="Corrected by the ministry centre.")
    missing = serializers.CharField(help_text="Why the criterion has no values this cycle.")


class ScoreLineOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(source="criterion.code")
    name = serializers.CharField(source="criterion.name")
    kind = serializers.ChoiceField(source="criterion.kind", choices=CriterionKind.choices)
    weight = serializers.DecimalField(source="criterion.weight", max_digits=5, decimal_places=2)
    item = serializers.SerializerMethodField()
    national_mean = serializers.FloatField(allow_null=True)
    ratings = RatingOutput(many=True)
    self_assessment = SelfAssessmentOutput(allow_null=True)

    @extend_schema_field(ScoreItemOutput(allow_null=True))
    def get_item(self, obj: Line) -> Any:
        return ScoreItemOutput(obj.item).data if obj.item else None


class TrendPointOutput(serializers.Serializer):  # type: ignore[type-arg]
    cycle = serializers.IntegerField(source="cycle_id")
    year = serializers.IntegerField(source="cycle.year")
    total = serializers.FloatField()
    rank = serializers.IntegerField()


class ScorecardOutput(serializers.Serializer):  # type: ignore[type-arg]
    cycle = serializers.IntegerField(source="cycle.pk")
    office = EvaluatedOfficeOutput()
    result = OfficeRankOutput(allow_null=True, help_text="null before the first ranking.")
    lines = ScoreLineOutput(many=True)
    appeals = OfficeAppealOutput(many=True)
    trend = TrendPointOutput(many=True, help_text="The same period in earlier years.")
    offices_ranked = serializers.IntegerField()
    province_offices = serializers.IntegerField()
    may_rate = serializers.BooleanField()
    may_self_assess = serializers.BooleanField()
    may_appeal = serializers.BooleanField()


class DrillRecordOutput(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField()  # type: ignore[assignment]
    url = serializers.CharField(help_text="Its page in Hamseda; empty when it has none.")
    date = serializers.DateField(allow_null=True)
    date_jalali = serializers.SerializerMethodField()
    counted = serializers.BooleanField(help_text="False: looked at but not counted.")
    note = serializers.CharField()

    def get_date_jalali(self, obj: Any) -> str:
        return jalali.format_date(obj.date, "input")


class IndicatorOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    direction = serializers.CharField(help_text="higher or lower (is better).")
    description = serializers.CharField()


class DrillOutput(serializers.Serializer):  # type: ignore[type-arg]
    cycle = serializers.IntegerField(source="cycle.pk")
    office = EvaluatedOfficeOutput()
    criterion = CriterionOutput()
    item = serializers.SerializerMethodField()
    indicator = IndicatorOutput(allow_null=True)
    records = DrillRecordOutput(many=True)
    ratings = RatingOutput(many=True)
    self_assessment = SelfAssessmentOutput(allow_null=True)

    @extend_schema_field(ScoreItemOutput(allow_null=True))
    def get_item(self, obj: Drill) -> Any:
        return ScoreItemOutput(obj.item).data if obj.item else None


class RatingSavedOutput(serializers.Serializer):  # type: ignore[type-arg]
    rating = RatingOutput()
    result = OfficeRankOutput(allow_null=True, help_text="The office's total and rank now.")


# --- input ----------------------------------------------------------------------------


class EvidenceLinkInput(StrictInputSerializer):
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=200, required=False, allow_blank=True, default=""
    )
    url = serializers.CharField(max_length=500, help_text="A page of Hamseda: /followups/12/")


class LevelInput(StrictInputSerializer):
    criterion = serializers.CharField(max_length=12, help_text="The criterion's code, e.g. L1.")
    # No bounds here: the service says "level 1 to 5" in Persian, for the pages too.
    level = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = EvidenceLinkInput(many=True, required=False, default=list)


class RatingInput(LevelInput):
    """An evaluator's level for one qualitative criterion."""


class SelfAssessmentInput(LevelInput):
    """The level an office proposes for itself on one qualitative criterion."""


# --- views ----------------------------------------------------------------------------


def _context(request: Request, cycle: Cycle) -> dict[str, Any]:
    return {"viewer_id": signed_in(request).pk, "cycle_id": cycle.pk}


def _evidence(data: dict[str, Any]) -> list[EvidenceInput]:
    return [EvidenceInput(label=e["label"], url=e["url"]) for e in data["evidence"]]


def _standing(request: Request, cycle: Cycle, office: Office) -> Result | None:
    ranking = selectors.office_ranking(
        viewer=signed_in(request), cycle=cycle, province_id=office.agency.province_id
    )
    return next((result for result in ranking if result.office_id == office.pk), None)


class ProvinceRankingApi(APIView):
    @extend_schema(responses=ProvinceRankOutput(many=True))
    def get(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        ranking = selectors.province_ranking(viewer=signed_in(request), cycle=cycle)
        return Response(ProvinceRankOutput(ranking, many=True).data)


class OfficeRankingApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "province", int, description="Only its offices, by rank within the province."
            )
        ],
        responses=OfficeRankOutput(many=True),
    )
    def get(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        ranking = selectors.office_ranking(
            viewer=signed_in(request),
            cycle=cycle,
            province_id=int_query_param(request, "province"),
        )
        return paginated(request, self, ranking, OfficeRankOutput)


class ScorecardApi(APIView):
    @extend_schema(responses=ScorecardOutput)
    def get(self, request: Request, cycle_id: int, office_id: int) -> Response:
        viewer = signed_in(request)
        cycle = cycle_of(request, cycle_id)
        office = selectors.office_in_cycle(viewer=viewer, cycle=cycle, office_id=office_id)
        card = selectors.scorecard(viewer=viewer, cycle=cycle, office=office)
        return Response(ScorecardOutput(card, context=_context(request, cycle)).data)


class DrillApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description=f"Default {DRILL_LIMIT}.")],
        responses=DrillOutput,
    )
    def get(self, request: Request, cycle_id: int, office_id: int, code: str) -> Response:
        viewer = signed_in(request)
        cycle = cycle_of(request, cycle_id)
        office = selectors.office_in_cycle(viewer=viewer, cycle=cycle, office_id=office_id)
        limit = int_query_param(request, "limit") or DRILL_LIMIT
        found = selectors.drill(
            viewer=viewer, cycle=cycle, office=office, code=code, limit=max(1, min(limit, 1000))
        )
        return Response(DrillOutput(found, context=_context(request, cycle)).data)


class RatingApi(APIView):
    @extend_schema(
        request=RatingInput,
        responses=RatingSavedOutput,
        description="Record (or change) your level for one qualitative criterion of the "
        "office; the cycle is re-ranked and the office's new total and rank returned.",
    )
    def post(self, request: Request, cycle_id: int, office_id: int) -> Response:
        actor = signed_in(request)
        cycle = cycle_of(request, cycle_id)
        office = selectors.office_in_cycle(viewer=actor, cycle=cycle, office_id=office_id)
        data = validated(RatingInput, request)
        rating = rating_services.rating_save(
            actor=actor,
            criterion=criterion_named(cycle, data["criterion"]),
            office=office,
            level=data["level"],
            comment=data["comment"],
            evidence=_evidence(data),
        )
        saved = RatingView(rating, actor.display_name, list(rating.evidence.all()))
        answer = {"rating": saved, "result": _standing(request, cycle, office)}
        return Response(RatingSavedOutput(answer, context=_context(request, cycle)).data)


class SelfAssessmentApi(APIView):
    @extend_schema(
        request=SelfAssessmentInput,
        responses=SelfAssessmentOutput,
        description="What the office says of itself on a qualitative criterion, before "
        "the ranking is published; it does not count in the score.",
    )
    def post(self, request: Request, cycle_id: int, office_id: int) -> Response:
        actor = signed_in(request)
        cycle = cycle_of(request, cycle_id)
        office = selectors.office_in_cycle(viewer=actor, cycle=cycle, office_id=office_id)
        data = validated(SelfAssessmentInput, request)
        item = rating_services.self_assessment_save(
            actor=actor,
            criterion=criterion_named(cycle, data["criterion"]),
            office=office,
            level=data["level"],
            comment=data["comment"],
            evidence=_evidence(data),
        )
        return Response(SelfAssessmentOutput(item, context=_context(request, cycle)).data)
