"""REST API of what a cycle scores and who scores it: the catalogue of
criteria (edited while the cycle is a draft, read by everyone) and the
evaluators the ministry centre appoints to offices."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core.api import StrictInputSerializer, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office, Person, Province
from hamseda.evaluation import selectors
from hamseda.evaluation.api_cycles import EvaluatedOfficeOutput, cycle_of
from hamseda.evaluation.models import Assignment, Criterion, CriterionKind, Cycle, Normalisation
from hamseda.evaluation.services import compute
from hamseda.evaluation.services import cycles as cycle_services
from hamseda.evaluation.services import ratings as rating_services

# --- output ---------------------------------------------------------------------------


class CriterionOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    # Declared: the model's MinValueValidator(0.01) is a float, which DRF's
    # DecimalField warns about when it copies it.
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    rubric = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "description",
            "weight",
            "position",
            "provider",
            "normalisation",
            "target",
            "rubric",
            "missing_reason",
        ]


class EvaluatorBriefOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")
    office = serializers.CharField(source="office.name", default="")


class AssignmentOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    evaluator = EvaluatorBriefOutput()
    office = EvaluatedOfficeOutput()
    created_at = serializers.DateTimeField()


# --- input ----------------------------------------------------------------------------


class CriterionInput(StrictInputSerializer):
    code = serializers.CharField(max_length=12)
    kind = serializers.ChoiceField(choices=CriterionKind.choices)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    position = serializers.IntegerField(min_value=0, required=False, default=0)
    provider = serializers.CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        default="",
        help_text="Quantitative: an indicator code of the registry (missing when not installed).",
    )
    normalisation = serializers.ChoiceField(
        choices=Normalisation.choices, required=False, allow_blank=True, default=""
    )
    target = serializers.FloatField(required=False, allow_null=True, default=None)
    rubric = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        default=list,
        help_text="Qualitative: the five level descriptions, level 1 first.",
    )


class AssignmentInput(StrictInputSerializer):
    evaluator = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    offices = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), many=True, required=False
    )
    province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(),
        required=False,
        allow_null=True,
        help_text="Instead of offices: every evaluated office of the province.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if bool(attrs.get("offices")) == bool(attrs.get("province")):
            raise serializers.ValidationError(
                _("روابط عمومی‌ها یا یک استان را برگزینید (یکی از این دو).")
            )
        return attrs


# --- views ----------------------------------------------------------------------------


def criterion_named(cycle: Cycle, code: str) -> Criterion:
    """The criterion a request names by code; a code the cycle does not have is a 400."""
    found = next((c for c in selectors.criteria_of(cycle) if c.code == code.strip().upper()), None)
    if found is None:
        raise serializers.ValidationError({"criterion": [_("این شاخص در این دوره نیست.")]})
    return found


class CatalogueApi(APIView):
    @extend_schema(responses=CriterionOutput(many=True))
    def get(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        return Response(CriterionOutput(selectors.criteria_of(cycle), many=True).data)

    @extend_schema(request=CriterionInput, responses={201: CriterionOutput})
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        data = validated(CriterionInput, request)
        criterion = cycle_services.criterion_save(
            actor=signed_in(request), criterion=Criterion(cycle=cycle, **data)
        )
        return Response(CriterionOutput(criterion).data, status=status.HTTP_201_CREATED)


class CriterionDetailApi(APIView):
    def _criterion(self, request: Request, cycle_id: int, criterion_id: int) -> Criterion:
        cycle = cycle_of(request, cycle_id)
        return get_object_or_404(Criterion, pk=criterion_id, cycle=cycle)

    @extend_schema(request=CriterionInput, responses=CriterionOutput)
    def patch(self, request: Request, cycle_id: int, criterion_id: int) -> Response:
        """Only the fields sent change."""
        criterion = self._criterion(request, cycle_id, criterion_id)
        data = validated(CriterionInput, request, partial=True)
        for name, value in data.items():
            setattr(criterion, name, value)
        criterion = cycle_services.criterion_save(actor=signed_in(request), criterion=criterion)
        return Response(CriterionOutput(criterion).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, cycle_id: int, criterion_id: int) -> Response:
        criterion = self._criterion(request, cycle_id, criterion_id)
        cycle_services.criterion_remove(actor=signed_in(request), criterion=criterion)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(responses=AssignmentOutput(many=True))
    def get(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        assignments = selectors.assignment_list(viewer=signed_in(request), cycle=cycle)
        return paginated(request, self, assignments, AssignmentOutput)

    @extend_schema(
        request=AssignmentInput,
        responses={201: AssignmentOutput(many=True)},
        description="Appoint an evaluator to offices (or to every evaluated office of a "
        "province). Answers the assignments made; those that existed are left as they are.",
    )
    def post(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        data = validated(AssignmentInput, request)
        actor = signed_in(request)
        offices = data.get("offices") or list(
            compute.evaluated_offices().filter(agency__province=data["province"])
        )
        created = rating_services.assignments_add(
            actor=actor, cycle=cycle, evaluator=data["evaluator"], offices=offices
        )
        made = selectors.assignment_list(viewer=actor, cycle=cycle).filter(
            pk__in=[a.pk for a in created]
        )
        return Response(AssignmentOutput(made, many=True).data, status=status.HTTP_201_CREATED)


class AssignmentDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, cycle_id: int, assignment_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        actor = signed_in(request)
        assignment: Assignment = get_object_or_404(
            selectors.assignment_list(viewer=actor, cycle=cycle), pk=assignment_id
        )
        rating_services.assignment_remove(actor=actor, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)
