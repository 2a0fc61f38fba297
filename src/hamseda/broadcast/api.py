"""REST API of the broadcast app under the same policy as the pages: pitches
(list, write, submit, review), dispatches (list, create, send) and the
broadcaster's answer per pitch. Selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.broadcast import selectors, services
from hamseda.broadcast.models import (
    Dispatch,
    DispatchItem,
    Outcome,
    Pitch,
    PitchFormat,
    PitchStatus,
)
from hamseda.broadcast.services import Decision
from hamseda.campaigns.models import Campaign
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in

# --- output ---------------------------------------------------------------------------


class AnswerOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    dispatch_number = serializers.CharField(source="dispatch.number")

    class Meta:
        model = DispatchItem
        fields = [
            "id",
            "dispatch",
            "dispatch_number",
            "pitch",
            "position",
            "outcome",
            "aired_on",
            "programme",
            "link",
            "note",
            "answered_at",
        ]


class PitchFileOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return reverse("broadcast:pitch_file", args=[obj.pk])


class PitchOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    office_name = serializers.CharField(source="office.name")
    answer = serializers.SerializerMethodField()

    class Meta:
        model = Pitch
        fields = [
            "id",
            "office",
            "office_name",
            "title",
            "summary",
            "why",
            "format",
            "interviewees",
            "place",
            "campaign",
            "status",
            "submitted_at",
            "review_comment",
            "reviewed_at",
            "approved_on",
            "created_at",
            "answer",
        ]

    @extend_schema_field(AnswerOutput(allow_null=True))
    def get_answer(self, obj: Pitch) -> Any:
        item = getattr(obj, "dispatch_item", None)
        return AnswerOutput(item).data if item is not None else None


class PitchDetailOutput(PitchOutput):
    files = PitchFileOutput(many=True, read_only=True)

    class Meta(PitchOutput.Meta):
        fields = [*PitchOutput.Meta.fields, "files"]


class DispatchOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = Dispatch
        fields = [
            "id",
            "province",
            "number",
            "date",
            "subject",
            "intro",
            "recipient",
            "recipient_person",
            "email_to",
            "emailed_at",
            "pdf_url",
        ]

    def get_pdf_url(self, obj: Dispatch) -> str:
        return reverse("broadcast:dispatch_pdf", args=[obj.pk])


class DispatchDetailOutput(DispatchOutput):
    items = AnswerOutput(many=True, read_only=True)

    class Meta(DispatchOutput.Meta):
        fields = [*DispatchOutput.Meta.fields, "items"]


# --- input ----------------------------------------------------------------------------


class PitchInput(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField()
    format = serializers.ChoiceField(choices=PitchFormat.choices)
    why = serializers.CharField(required=False, allow_blank=True, default="")
    interviewees = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), allow_null=True, required=False, default=None
    )
    submit = serializers.BooleanField(
        required=False, default=False, help_text="Submit for the chair's review at once."
    )


class PitchEditInput(StrictInputSerializer):
    """Only the fields sent change; a draft or a returned pitch only."""

    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False)
    format = serializers.ChoiceField(choices=PitchFormat.choices, required=False)
    why = serializers.CharField(required=False, allow_blank=True)
    interviewees = serializers.CharField(required=False, allow_blank=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), allow_null=True, required=False
    )


class ReviewInput(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=[(d, d) for d in Decision.ALL])
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DispatchInput(StrictInputSerializer):
    pitches = serializers.PrimaryKeyRelatedField(queryset=Pitch.objects.all(), many=True)
    subject = serializers.CharField(max_length=250)
    intro = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)


class SendInput(StrictInputSerializer):
    to = serializers.EmailField(
        required=False, allow_blank=True, default="", help_text="Defaults to the contact's email."
    )


class AnswerInput(StrictInputSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    aired_on = serializers.DateField(required=False, allow_null=True, default=None)
    programme = serializers.CharField(required=False, allow_blank=True, default="")
    link = serializers.URLField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


# --- views ----------------------------------------------------------------------------


def _pitch(request: Request, pitch_id: int) -> Pitch:
    return selectors.pitch_get_for(viewer=signed_in(request), pitch_id=pitch_id)


def _pitch_response(request: Request, pitch_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(PitchDetailOutput(_pitch(request, pitch_id)).data, status=code)


def _choice(request: Request, name: str, allowed: list[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        message = _("یکی از این مقدارها را بفرستید: %(values)s")
        raise serializers.ValidationError({name: [message % {"values": "، ".join(allowed)}]})
    return value


class PitchListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PitchStatus.values),
            OpenApiParameter("format", str, enum=PitchFormat.values),
            OpenApiParameter("office", int),
            OpenApiParameter("campaign", int),
            OpenApiParameter("province", int),
            OpenApiParameter("q", str, description="Words of the pitch, in any spelling."),
        ],
        responses=PitchOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = selectors.PitchFilters(
            status=_choice(request, "status", PitchStatus.values),
            format=_choice(request, "format", PitchFormat.values),
            office_id=int_query_param(request, "office"),
            campaign_id=int_query_param(request, "campaign"),
            province_id=int_query_param(request, "province"),
            query=request.query_params.get("q", ""),
        )
        pitches = selectors.pitch_list(viewer=signed_in(request), filters=filters)
        return paginated(request, self, pitches, PitchOutput)

    @extend_schema(request=PitchInput, responses={201: PitchDetailOutput})
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        if user.office is None:
            raise PermissionDenied(_("سوژه را روابط عمومی یک دستگاه پیشنهاد می‌کند."))
        data = validated(PitchInput, request)
        pitch = services.pitch_create(actor=user, office=user.office, **data)
        return _pitch_response(request, pitch.pk, status.HTTP_201_CREATED)


class PitchDetailApi(APIView):
    @extend_schema(responses=PitchDetailOutput)
    def get(self, request: Request, pitch_id: int) -> Response:
        return _pitch_response(request, pitch_id)

    @extend_schema(request=PitchEditInput, responses=PitchDetailOutput)
    def patch(self, request: Request, pitch_id: int) -> Response:
        pitch = _pitch(request, pitch_id)
        data = validated(PitchEditInput, request)
        services.pitch_edit(actor=signed_in(request), pitch=pitch, **data)
        return _pitch_response(request, pitch_id)


class PitchSubmitApi(APIView):
    @extend_schema(request=None, responses=PitchDetailOutput)
    def post(self, request: Request, pitch_id: int) -> Response:
        services.pitch_submit(actor=signed_in(request), pitch=_pitch(request, pitch_id))
        return _pitch_response(request, pitch_id)


class PitchReviewApi(APIView):
    @extend_schema(request=ReviewInput, responses=PitchDetailOutput)
    def post(self, request: Request, pitch_id: int) -> Response:
        pitch = _pitch(request, pitch_id)
        data = validated(ReviewInput, request)
        services.pitch_review(actor=signed_in(request), pitch=pitch, **data)
        return _pitch_response(request, pitch_id)


def _dispatch_response(
    request: Request, dispatch_id: int, code: int = status.HTTP_200_OK
) -> Response:
    dispatch = selectors.dispatch_get_for(viewer=signed_in(request), dispatch_id=dispatch_id)
    return Response(DispatchDetailOutput(dispatch).data, status=code)


class DispatchListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Number or subject.")],
        responses=DispatchOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        dispatches = selectors.dispatch_list(
            viewer=signed_in(request), query=request.query_params.get("q", "")
        )
        return paginated(request, self, dispatches, DispatchOutput)

    @extend_schema(request=DispatchInput, responses={201: DispatchDetailOutput})
    def post(self, request: Request) -> Response:
        data = validated(DispatchInput, request)
        dispatch = services.dispatch_create(actor=signed_in(request), **data)
        return _dispatch_response(request, dispatch.pk, status.HTTP_201_CREATED)


class DispatchDetailApi(APIView):
    @extend_schema(responses=DispatchDetailOutput)
    def get(self, request: Request, dispatch_id: int) -> Response:
        return _dispatch_response(request, dispatch_id)


class DispatchSendApi(APIView):
    @extend_schema(request=SendInput, responses=DispatchDetailOutput)
    def post(self, request: Request, dispatch_id: int) -> Response:
        user = signed_in(request)
        dispatch = selectors.dispatch_get_for(viewer=user, dispatch_id=dispatch_id)
        data = validated(SendInput, request)
        services.dispatch_send(actor=user, dispatch=dispatch, to=data["to"])
        return _dispatch_response(request, dispatch_id)


class AnswerApi(APIView):
    @extend_schema(request=AnswerInput, responses=AnswerOutput)
    def post(self, request: Request, dispatch_id: int, item_id: int) -> Response:
        user = signed_in(request)
        item = selectors.item_get_for(viewer=user, dispatch_id=dispatch_id, item_id=item_id)
        data = validated(AnswerInput, request)
        item = services.answer_record(actor=user, item=item, **data)
        return Response(AnswerOutput(item).data)
