"""REST API of objections: an office objects to its score within the cycle's
window; the ministry centre answers, and an upheld objection may correct a
value or a level, after which the cycle is re-ranked. An objection is read by
those who may read its office's scorecard."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core.api import StrictInputSerializer, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office
from hamseda.evaluation import selectors
from hamseda.evaluation.api_catalogue import criterion_named
from hamseda.evaluation.api_cycles import cycle_of
from hamseda.evaluation.models import AppealStatus
from hamseda.evaluation.services import appeals as appeal_services

# --- output ---------------------------------------------------------------------------


class OfficeAppealOutput(serializers.Serializer):  # type: ignore[type-arg]
    """An objection on its office's scorecard (the office is the card's)."""

    id = serializers.IntegerField()
    criterion = serializers.CharField(
        source="criterion.code", allow_null=True, default=None, help_text="null: the whole score."
    )
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=AppealStatus.choices)
    answer = serializers.CharField()
    filed_by = serializers.CharField(source="filed_by.display_name", default="")
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    total_before = serializers.FloatField(allow_null=True)
    total_after = serializers.FloatField(allow_null=True)
    rank_before = serializers.IntegerField(allow_null=True)
    rank_after = serializers.IntegerField(allow_null=True)


class AppealOutput(OfficeAppealOutput):
    office = serializers.IntegerField(source="office_id")
    office_name = serializers.CharField(source="office.name")


# --- input ----------------------------------------------------------------------------


class AppealInput(StrictInputSerializer):
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), required=False, help_text="Default: your own office."
    )
    criterion = serializers.CharField(
        max_length=12,
        required=False,
        allow_null=True,
        default=None,
        help_text="A criterion's code; null: the whole score.",
    )
    text = serializers.CharField()


class AppealAnswerInput(StrictInputSerializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField()
    value = serializers.FloatField(
        required=False, allow_null=True, default=None, help_text="Quantitative: corrected value."
    )
    level = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Qualitative: corrected level."
    )


# --- views ----------------------------------------------------------------------------


class AppealListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=AppealStatus.values)],
        responses=AppealOutput(many=True),
    )
    def get(self, request: Request, cycle_id: int) -> Response:
        cycle = cycle_of(request, cycle_id)
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in AppealStatus.values:
            message = _("یکی از این مقدارها را بفرستید: %(values)s")
            raise serializers.ValidationError(
                {"status": [message % {"values": "، ".join(AppealStatus.values)}]}
            )
        appeals = selectors.appeal_list(viewer=signed_in(request), cycle=cycle, status=wanted)
        return paginated(request, self, appeals, AppealOutput)

    @extend_schema(request=AppealInput, responses={201: AppealOutput})
    def post(self, request: Request, cycle_id: int) -> Response:
        actor = signed_in(request)
        cycle = cycle_of(request, cycle_id)
        data = validated(AppealInput, request)
        office = data.get("office") or actor.office
        if office is None:
            raise serializers.ValidationError({"office": [_("روابط عمومی را برگزینید.")]})
        appeal = appeal_services.appeal_file(
            actor=actor,
            cycle=cycle,
            office=office,
            text=data["text"],
            criterion=criterion_named(cycle, code) if (code := data["criterion"]) else None,
        )
        found = selectors.appeal_get(viewer=actor, cycle=cycle, appeal_id=appeal.pk)
        return Response(AppealOutput(found).data, status=status.HTTP_201_CREATED)


class AppealAnswerApi(APIView):
    @extend_schema(
        request=AppealAnswerInput,
        responses=AppealOutput,
        description="Uphold or reject an open objection. An upheld objection on a "
        "criterion may correct its value (quantitative) or level (qualitative); the "
        "cycle is re-ranked and the objection keeps the total and rank before and after.",
    )
    def post(self, request: Request, cycle_id: int, appeal_id: int) -> Response:
        actor = signed_in(request)
        cycle = cycle_of(request, cycle_id)
        appeal = selectors.appeal_get(viewer=actor, cycle=cycle, appeal_id=appeal_id)
        data = validated(AppealAnswerInput, request)
        appeal_services.appeal_answer(actor=actor, appeal=appeal, **data)
        found = selectors.appeal_get(viewer=actor, cycle=cycle, appeal_id=appeal_id)
        return Response(AppealOutput(found).data)
