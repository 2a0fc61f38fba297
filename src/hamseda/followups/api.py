"""REST API of follow-ups and the ministry inbox: selectors read, services write,
under the same policy as the pages."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office, Person
from hamseda.followups import selectors, services
from hamseda.followups.models import FollowUp, FollowUpStatus, FollowUpUpdate, Referral
from hamseda.followups.selectors import State


class ReferralOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Referral
        fields = ["id", "followup", "department", "assignee", "reply", "replied_at", "replied_by"]


class FollowUpOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    resolution_text = serializers.CharField(source="resolution.text", read_only=True)
    meeting = serializers.IntegerField(source="resolution.meeting_id", read_only=True)
    state = serializers.SerializerMethodField()
    referral = ReferralOutput(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "resolution",
            "resolution_text",
            "meeting",
            "council",
            "offices",
            "is_referral",
            "status",
            "state",
            "due_date",
            "closed_at",
            "close_note",
            "referral",
        ]

    def get_state(self, obj: FollowUp) -> str:
        return str(getattr(obj, "state", obj.status))


class UpdateOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = FollowUpUpdate
        fields = [
            "id",
            "author",
            "text",
            "status_from",
            "status_to",
            "created_at",
            "has_attachment",
        ]

    def get_has_attachment(self, obj: FollowUpUpdate) -> bool:
        return bool(obj.attachment)


class UpdateInput(StrictInputSerializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[FollowUpStatus.OPEN, FollowUpStatus.IN_PROGRESS], required=False
    )
    attachment = serializers.FileField(required=False)


class CloseInput(StrictInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    attachment = serializers.FileField(required=False)


class ReasonInput(StrictInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignInput(StrictInputSerializer):
    offices = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all(), many=True)
    due_date = serializers.DateField()


class AssignInput(StrictInputSerializer):
    department = serializers.CharField(max_length=200)
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True
    )


class ReplyInput(StrictInputSerializer):
    reply = serializers.CharField()


def _followup(request: Request, followup_id: int) -> FollowUp:
    return selectors.followup_get(viewer=signed_in(request), followup_id=followup_id)


class FollowUpListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=State.values),
            OpenApiParameter("office", int),
            OpenApiParameter("council", int),
            OpenApiParameter("referral", bool),
        ],
        responses=FollowUpOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        referral = request.query_params.get("referral")
        filters = selectors.FollowUpFilters(
            state=request.query_params.get("state", ""),
            office_id=int_query_param(request, "office"),
            council_id=int_query_param(request, "council"),
            referral=None if referral in (None, "") else referral in ("1", "true", "True"),
        )
        followups = selectors.followup_list(viewer=signed_in(request), filters=filters)
        return paginated(request, self, followups, FollowUpOutput)


class FollowUpDetailApi(APIView):
    @extend_schema(responses=FollowUpOutput)
    def get(self, request: Request, followup_id: int) -> Response:
        return Response(FollowUpOutput(_followup(request, followup_id)).data)

    @extend_schema(request=ReassignInput, responses=FollowUpOutput)
    def patch(self, request: Request, followup_id: int) -> Response:
        followup = _followup(request, followup_id)
        data = validated(ReassignInput, request)
        services.followup_reassign(actor=signed_in(request), followup=followup, **data)
        return Response(FollowUpOutput(_followup(request, followup_id)).data)


class FollowUpUpdatesApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=UpdateOutput(many=True))
    def get(self, request: Request, followup_id: int) -> Response:
        followup = _followup(request, followup_id)
        history = selectors.followup_history(viewer=signed_in(request), followup=followup)
        return Response(UpdateOutput(history, many=True).data)

    @extend_schema(request=UpdateInput, responses={201: FollowUpOutput})
    def post(self, request: Request, followup_id: int) -> Response:
        followup = _followup(request, followup_id)
        data = validated(UpdateInput, request)
        services.followup_update_add(actor=signed_in(request), followup=followup, **data)
        return Response(FollowUpOutput(_followup(request, followup_id)).data, status=201)


class FollowUpCloseApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=CloseInput, responses=FollowUpOutput)
    def post(self, request: Request, followup_id: int) -> Response:
        followup = _followup(request, followup_id)
        data = validated(CloseInput, request)
        services.followup_close(actor=signed_in(request), followup=followup, **data)
        return Response(FollowUpOutput(_followup(request, followup_id)).data)


class FollowUpReopenApi(APIView):
    @extend_schema(request=ReasonInput, responses=FollowUpOutput)
    def post(self, request: Request, followup_id: int) -> Response:
        followup = _followup(request, followup_id)
        data = validated(ReasonInput, request)
        services.followup_reopen(actor=signed_in(request), followup=followup, **data)
        return Response(FollowUpOutput(_followup(request, followup_id)).data)


class FollowUpCancelApi(APIView):
    @extend_schema(request=ReasonInput, responses=FollowUpOutput)
    def post(self, request: Request, followup_id: int) -> Response:
        followup = _followup(request, followup_id)
        data = validated(ReasonInput, request)
        services.followup_cancel(actor=signed_in(request), followup=followup, **data)
        return Response(FollowUpOutput(_followup(request, followup_id)).data)


class ReferralListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("province", int),
            OpenApiParameter("answered", bool),
            OpenApiParameter("department", str),
        ],
        responses=ReferralOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        answered = request.query_params.get("answered")
        filters = selectors.ReferralFilters(
            province_id=int_query_param(request, "province"),
            answered=None if answered in (None, "") else answered in ("1", "true", "True"),
            department=request.query_params.get("department", ""),
        )
        referrals = selectors.referral_inbox(viewer=signed_in(request), filters=filters)
        return paginated(request, self, referrals, ReferralOutput)


class ReferralAssignApi(APIView):
    @extend_schema(request=AssignInput, responses=ReferralOutput)
    def post(self, request: Request, referral_id: int) -> Response:
        user = signed_in(request)
        referral = selectors.referral_get(viewer=user, referral_id=referral_id)
        data = validated(AssignInput, request)
        referral = services.referral_assign(actor=user, referral=referral, **data)
        return Response(ReferralOutput(referral).data)


class ReferralReplyApi(APIView):
    @extend_schema(request=ReplyInput, responses=ReferralOutput)
    def post(self, request: Request, referral_id: int) -> Response:
        user = signed_in(request)
        referral = selectors.referral_get(viewer=user, referral_id=referral_id)
        data = validated(ReplyInput, request)
        referral = services.referral_reply(actor=user, referral=referral, reply=data["reply"])
        return Response(ReferralOutput(referral).data)
