"""REST API of evaluation cycles: list, create, read (status, period, tiers,
catalogue version, objection window, criteria the engine could not read) and
move through draft → scoring → appeals → closed. Selectors read and services
write, under the same policy as the pages: every signed-in user reads a cycle
that is no longer a draft; only ``evaluation.manage`` creates and moves one.
The catalogue and evaluators are in ``api_catalogue``, scores in ``api_scores``
and objections in ``api_appeals``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core import jalali
from hamseda.core.api import MAX_ID, StrictInputSerializer, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.evaluation import selectors
from hamseda.evaluation.models import Cycle
from hamseda.evaluation.services import cycles as cycle_services

# --- output ---------------------------------------------------------------------------


class EvaluatedOfficeOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()
    province = serializers.IntegerField(source="agency.province_id", allow_null=True)
    province_name = serializers.CharField(source="agency.province.name", default="")


class CycleTierOutput(serializers.Serializer):  # type: ignore[type-arg]
    min = serializers.FloatField(help_text="The lowest total of the tier, 0–100.")
    label = serializers.CharField()  # type: ignore[assignment]


class MissingCriterionOutput(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(source="missing_reason")


class CycleOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    period = serializers.CharField(source="period_label", read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    start_date_jalali = serializers.SerializerMethodField()
    end_date_jalali = serializers.SerializerMethodField()
    criteria_count = serializers.IntegerField(read_only=True)
    open_appeals = serializers.IntegerField(read_only=True)

    class Meta:
        model = Cycle
        fields = [
            "id",
            "title",
            "year",
            "quarter",
            "status",
            "period",
            "start_date",
            "end_date",
            "start_date_jalali",
            "end_date_jalali",
            "catalogue_version",
            "criteria_count",
            "open_appeals",
        ]
        extra_kwargs = {"quarter": {"help_text": "0: the whole Jalali year; 1..4: a quarter."}}

    def get_start_date_jalali(self, obj: Cycle) -> str:
        return jalali.format_date(obj.start_date, "input")

    def get_end_date_jalali(self, obj: Cycle) -> str:
        return jalali.format_date(obj.end_date, "input")


class CycleDetailOutput(CycleOutput):
    tiers = CycleTierOutput(many=True, read_only=True)
    appeals_from_jalali = serializers.SerializerMethodField()
    appeals_until_jalali = serializers.SerializerMethodField()
    appeals_open = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    problems = serializers.SerializerMethodField()

    class Meta(CycleOutput.Meta):
        fields = [
            *CycleOutput.Meta.fields,
            "tiers",
            "frozen_at",
            "appeals_from",
            "appeals_until",
            "appeals_from_jalali",
            "appeals_until_jalali",
            "appeals_open",
            "values_computed_at",
            "ranked_at",
            "closed_at",
            "missing",
            "problems",
        ]

    def get_appeals_from_jalali(self, obj: Cycle) -> str:
        return jalali.format_date(obj.appeals_from, "input")

    def get_appeals_until_jalali(self, obj: Cycle) -> str:
        return jalali.format_date(obj.appeals_until, "input")

    def get_appeals_open(self, obj: Cycle) -> bool:
        return obj.appeals_open_on(jalali.today())

    @extend_schema_field(MissingCriterionOutput(many=True))
    def get_missing(self, obj: Cycle) -> Any:
        """Quantitative criteria the engine could not read this cycle (a provider
        that raised or is not installed): they score nobody, not zero."""
        missing = [c for c in selectors.criteria_of(obj) if c.missing_reason]
        return MissingCriterionOutput(missing, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_problems(self, obj: Cycle) -> list[str]:
        """What stops a draft's catalogue from being frozen; [] once frozen."""
        if obj.is_frozen:
            return []
        return [str(problem) for problem in cycle_services.catalogue_problems(obj)]


# --- input ----------------------------------------------------------------------------


class CycleInput(StrictInputSerializer):
    # The bounds only keep the number storable; the service says which years
    # and quarters are valid, in Persian.
    year = serializers.IntegerField(min_value=0, max_value=32767, help_text="Jalali, e.g. 1405.")
    quarter = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        default=0,
        help_text="0 (default): the whole year; 1..4: a quarter.",
    )
    title = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Default: made."
    )
    copy_from = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="A cycle whose catalogue and tiers to copy; the default catalogue otherwise.",
    )


class CycleAppealsInput(StrictInputSerializer):
    days = serializers.IntegerField(required=False, default=14, help_text="1..90, default 14.")
    appeals_from = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="ISO date; default today."
    )


class EmptyInput(StrictInputSerializer):
    """An action that takes nothing: any field sent is a mistake."""


class CycleTierInput(StrictInputSerializer):
    min = serializers.FloatField()
    label = serializers.CharField(max_length=60)  # type: ignore[assignment]


class CycleTiersInput(StrictInputSerializer):
    tiers = CycleTierInput(many=True)


# --- views ----------------------------------------------------------------------------


def cycle_of(request: Request, cycle_id: int) -> Cycle:
    """The cycle behind a URL, as the viewer may see it (drafts only to managers)."""
    return selectors.cycle_get(viewer=signed_in(request), cycle_id=cycle_id)


def _detail(request: Request, cycle_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(CycleDetailOutput(cycle_of(request, cycle_id)).data, status=code)


class CycleListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(responses=CycleOutput(many=True))
    def get(self, request: Request) -> Response:
        cycles = selectors.cycle_list(viewer=signed_in(request))
        return paginated(request, self, cycles, CycleOutput)

    @extend_schema(request=CycleInput, responses={201: CycleDetailOutput})
    def post(self, request: Request) -> Response:
        data = validated(CycleInput, request)
        actor = signed_in(request)
        if data["copy_from"] is not None:
            source = selectors.cycle_list(viewer=actor).filter(pk=data["copy_from"]).first()
            if source is None:
                raise serializers.ValidationError({"copy_from": [_("این دوره یافت نشد.")]})
            data["copy_from"] = source
        cycle = cycle_services.cycle_create(actor=actor, **data)
        return _detail(request, cycle.pk, status.HTTP_201_CREATED)


class CycleDetailApi(APIView):
    @extend_schema(responses=CycleDetailOutput)
    def get(self, request: Request, cycle_id: int) -> Response:
        return _detail(request, cycle_id)


class CycleStartApi(APIView):
    @extend_schema(
        request=EmptyInput,
        responses=CycleDetailOutput,
        description="Freeze the catalogue (weights must sum to 100) and rank the offices.",
    )
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        validated(EmptyInput, request)
        cycle_services.cycle_start_scoring(actor=signed_in(request), cycle=cycle)
        return _detail(request, cycle_id)


class CycleRecomputeApi(APIView):
    @extend_schema(
        request=EmptyInput,
        responses=CycleDetailOutput,
        description="Re-read every quantitative criterion from its provider and re-rank.",
    )
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        validated(EmptyInput, request)
        cycle_services.cycle_refresh(actor=signed_in(request), cycle=cycle)
        return _detail(request, cycle_id)


class CycleAppealsApi(APIView):
    @extend_schema(
        request=CycleAppealsInput,
        responses=CycleDetailOutput,
        description="Publish the ranking and let offices object for `days` days.",
    )
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        data = validated(CycleAppealsInput, request)
        cycle_services.cycle_open_appeals(actor=signed_in(request), cycle=cycle, **data)
        return _detail(request, cycle_id)


class CycleCloseApi(APIView):
    @extend_schema(request=EmptyInput, responses=CycleDetailOutput)
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        validated(EmptyInput, request)
        cycle_services.cycle_close(actor=signed_in(request), cycle=cycle)
        return _detail(request, cycle_id)


class CycleTiersApi(APIView):
    @extend_schema(request=CycleTiersInput, responses=CycleDetailOutput)
    def put(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        data = validated(CycleTiersInput, request)
        tiers = [dict(tier) for tier in data["tiers"]]
        cycle_services.cycle_tiers_set(actor=signed_in(request), cycle=cycle, tiers=tiers)
        return _detail(request, cycle_id)
