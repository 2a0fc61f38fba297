"""REST API of campaigns: selectors read, services write, under the same policy
as the pages. A campaign's detail carries its key messages (with usage), its
targets with progress, its offices with their contribution, and its files."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import seasons, selectors, services
from hamseda.campaigns.models import (
    Campaign,
    CampaignKind,
    KeyMessage,
    Season,
    Target,
    TargetMetric,
)
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office, Province

# --- output ---------------------------------------------------------------------------


class OfficeBriefOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Office
        fields = ["id", "name"]


class CampaignOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "kind",
            "season",
            "season_year",
            "province",
            "start_date",
            "end_date",
            "co_owners",
            "hashtags",
            "audiences",
            "keywords",
            "previous",
        ]


class MessageOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="message.pk")
    position = serializers.IntegerField(source="message.position")
    text = serializers.CharField(source="message.text")
    uses = serializers.IntegerField(help_text="Activities that carried the message.")


class TargetOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="target.pk")
    position = serializers.IntegerField(source="target.position")
    # A serializer field named "label" shadows Field.label for the type checker
    # only: DRF's metaclass moves declared fields out of the class attributes.
    label = serializers.CharField(source="target.label")  # type: ignore[assignment]
    metric = serializers.ChoiceField(choices=TargetMetric.choices, source="target.metric")
    activity_kind = serializers.ChoiceField(
        choices=ActivityKind.choices, source="target.activity_kind", allow_blank=True
    )
    target_value = serializers.IntegerField(source="target.target_value")
    baseline_value = serializers.IntegerField(source="target.baseline_value", allow_null=True)
    manual_value = serializers.IntegerField(source="target.manual_value", allow_null=True)
    value = serializers.IntegerField(allow_null=True, help_text="Achieved so far.")
    percent = serializers.FloatField()
    met = serializers.BooleanField()
    change = serializers.IntegerField(allow_null=True, help_text="value - baseline_value")
    change_percent = serializers.FloatField(allow_null=True)


class ContributionOutput(serializers.Serializer):  # type: ignore[type-arg]
    office = serializers.IntegerField(source="office.pk")
    office_name = serializers.CharField(source="office.name")
    done = serializers.IntegerField()
    planned = serializers.IntegerField()
    joint = serializers.IntegerField()
    is_co_owner = serializers.BooleanField()
    is_participant = serializers.BooleanField()


class FileOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return reverse("campaigns:file", args=[obj.pk])


class CampaignDetailOutput(CampaignOutput):
    co_owner_offices = OfficeBriefOutput(source="co_owners", many=True, read_only=True)
    participants = OfficeBriefOutput(many=True, read_only=True)
    messages = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()
    contribution = serializers.SerializerMethodField()
    files = FileOutput(many=True, read_only=True)

    class Meta(CampaignOutput.Meta):
        fields = [
            *CampaignOutput.Meta.fields,
            "description",
            "co_owner_offices",
            "participants",
            "messages",
            "targets",
            "contribution",
            "files",
        ]

    @extend_schema_field(MessageOutput(many=True))
    def get_messages(self, obj: Campaign) -> Any:
        return MessageOutput(selectors.message_usage(obj), many=True).data

    @extend_schema_field(TargetOutput(many=True))
    def get_targets(self, obj: Campaign) -> Any:
        return TargetOutput(selectors.campaign_progress(obj), many=True).data

    @extend_schema_field(ContributionOutput(many=True))
    def get_contribution(self, obj: Campaign) -> Any:
        return ContributionOutput(selectors.office_contribution(obj), many=True).data


# --- input ----------------------------------------------------------------------------


class CampaignInput(StrictInputSerializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CampaignKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(),
        allow_null=True,
        required=False,
        default=None,
        help_text="Empty for a national programme of the ministry centre.",
    )
    co_owners = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all(), many=True)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), many=True, required=False, default=list
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    hashtags = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list
    )
    audiences = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )
    keywords = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, default=list
    )


class CampaignEditInput(StrictInputSerializer):
    """Only the fields sent change. The province never does."""

    title = serializers.CharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=CampaignKind.choices, required=False)
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False)
    co_owners = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(), many=True, required=False
    )
    description = serializers.CharField(required=False, allow_blank=True)
    hashtags = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    audiences = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    keywords = serializers.ListField(child=serializers.CharField(max_length=200), required=False)


class SeasonStartInput(StrictInputSerializer):
    season = serializers.ChoiceField(choices=Season.choices)
    year = serializers.IntegerField(help_text="Jalali year of the programme, e.g. 1405.")
    province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(), allow_null=True, required=False, default=None
    )
    co_owners = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        many=True,
        required=False,
        allow_null=True,
        default=None,
        help_text="Defaults to last year's co-owners; needed when there is no last year.",
    )


class MessageInput(StrictInputSerializer):
    text = serializers.CharField()


class MessageEditInput(StrictInputSerializer):
    text = serializers.CharField(required=False)
    position = serializers.IntegerField(min_value=1, required=False)


class TargetInput(StrictInputSerializer):
    label = serializers.CharField(max_length=200)  # type: ignore[assignment]
    metric = serializers.ChoiceField(choices=TargetMetric.choices)
    activity_kind = serializers.ChoiceField(
        choices=ActivityKind.choices, required=False, allow_blank=True, default=""
    )
    target_value = serializers.IntegerField(min_value=1)
    baseline_value = serializers.IntegerField(
        min_value=0, required=False, allow_null=True, default=None
    )


class RecordInput(StrictInputSerializer):
    value = serializers.IntegerField(min_value=0)


class ParticipantInput(StrictInputSerializer):
    office = serializers.PrimaryKeyRelatedField(queryset=Office.objects.all())


# --- views ----------------------------------------------------------------------------


def _campaign(request: Request, campaign_id: int) -> Campaign:
    return selectors.campaign_get_for(viewer=signed_in(request), campaign_id=campaign_id)


def _detail(request: Request, campaign_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(CampaignDetailOutput(_campaign(request, campaign_id)).data, status=code)


class CampaignListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=CampaignKind.values),
            OpenApiParameter("province", int, description="Also national campaigns."),
            OpenApiParameter(
                "when", str, description="running, upcoming or past (from today's date)."
            ),
            OpenApiParameter("q", str, description="Words of the title, description or hashtags."),
            OpenApiParameter("office", int, description="Campaigns the office runs or joins."),
        ],
        responses=CampaignOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        when = request.query_params.get("when", "")
        kind = request.query_params.get("kind", "")
        for name, value, allowed in (
            ("when", when, selectors.When.values),
            ("kind", kind, CampaignKind.values),
        ):
            if value and value not in allowed:
                message = _("یکی از این مقدارها را بفرستید: %(values)s")
                raise serializers.ValidationError(
                    {name: [message % {"values": "، ".join(allowed)}]}
                )
        filters = selectors.CampaignFilters(
            kind=kind,
            when=when,
            query=request.query_params.get("q", ""),
            province_id=int_query_param(request, "province"),
            office_id=int_query_param(request, "office"),
        )
        campaigns = selectors.campaign_list(viewer=signed_in(request), filters=filters)
        return paginated(request, self, campaigns, CampaignOutput)

    @extend_schema(request=CampaignInput, responses={201: CampaignDetailOutput})
    def post(self, request: Request) -> Response:
        data = validated(CampaignInput, request)
        campaign = services.campaign_create(actor=signed_in(request), **data)
        return _detail(request, campaign.pk, status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    @extend_schema(responses=CampaignDetailOutput)
    def get(self, request: Request, campaign_id: int) -> Response:
        return _detail(request, campaign_id)

    @extend_schema(request=CampaignEditInput, responses=CampaignDetailOutput)
    def patch(self, request: Request, campaign_id: int) -> Response:
        campaign = _campaign(request, campaign_id)
        data = validated(CampaignEditInput, request)
        services.campaign_edit(actor=signed_in(request), campaign=campaign, **data)
        return _detail(request, campaign_id)


class SeasonStartApi(APIView):
    @extend_schema(request=SeasonStartInput, responses={201: CampaignDetailOutput})
    def post(self, request: Request) -> Response:
        data = validated(SeasonStartInput, request)
        campaign = seasons.season_start(actor=signed_in(request), **data)
        return _detail(request, campaign.pk, status.HTTP_201_CREATED)


class MessageListApi(APIView):
    @extend_schema(request=MessageInput, responses={201: CampaignDetailOutput})
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = _campaign(request, campaign_id)
        data = validated(MessageInput, request)
        services.message_add(actor=signed_in(request), campaign=campaign, text=data["text"])
        return _detail(request, campaign_id, status.HTTP_201_CREATED)


class MessageDetailApi(APIView):
    def _message(self, request: Request, campaign_id: int, message_id: int) -> KeyMessage:
        campaign = _campaign(request, campaign_id)
        return get_object_or_404(KeyMessage, pk=message_id, campaign=campaign)

    @extend_schema(request=MessageEditInput, responses=CampaignDetailOutput)
    def patch(self, request: Request, campaign_id: int, message_id: int) -> Response:
        message = self._message(request, campaign_id, message_id)
        data = validated(MessageEditInput, request)
        services.message_edit(actor=signed_in(request), message=message, **data)
        return _detail(request, campaign_id)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, campaign_id: int, message_id: int) -> Response:
        message = self._message(request, campaign_id, message_id)
        services.message_remove(actor=signed_in(request), message=message)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetListApi(APIView):
    @extend_schema(request=TargetInput, responses={201: CampaignDetailOutput})
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = _campaign(request, campaign_id)
        data = validated(TargetInput, request)
        services.target_add(actor=signed_in(request), campaign=campaign, **data)
        return _detail(request, campaign_id, status.HTTP_201_CREATED)


def _target(request: Request, campaign_id: int, target_id: int) -> Target:
    campaign = _campaign(request, campaign_id)
    return get_object_or_404(Target, pk=target_id, campaign=campaign)


class TargetDetailApi(APIView):
    @extend_schema(request=TargetInput, responses=CampaignDetailOutput)
    def put(self, request: Request, campaign_id: int, target_id: int) -> Response:
        target = _target(request, campaign_id, target_id)
        data = validated(TargetInput, request)
        services.target_edit(actor=signed_in(request), target=target, **data)
        return _detail(request, campaign_id)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, campaign_id: int, target_id: int) -> Response:
        target = _target(request, campaign_id, target_id)
        services.target_remove(actor=signed_in(request), target=target)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TargetRecordApi(APIView):
    @extend_schema(request=RecordInput, responses=CampaignDetailOutput)
    def post(self, request: Request, campaign_id: int, target_id: int) -> Response:
        target = _target(request, campaign_id, target_id)
        data = validated(RecordInput, request)
        services.target_record(actor=signed_in(request), target=target, value=data["value"])
        return _detail(request, campaign_id)


class ParticipantListApi(APIView):
    @extend_schema(request=ParticipantInput, responses={201: CampaignDetailOutput})
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = _campaign(request, campaign_id)
        data = validated(ParticipantInput, request)
        services.participant_add(actor=signed_in(request), campaign=campaign, office=data["office"])
        return _detail(request, campaign_id, status.HTTP_201_CREATED)


class ParticipantDetailApi(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, campaign_id: int, office_id: int) -> Response:
        campaign = _campaign(request, campaign_id)
        office = get_object_or_404(Office, pk=office_id)
        services.participant_remove(actor=signed_in(request), campaign=campaign, office=office)
        return Response(status=status.HTTP_204_NO_CONTENT)
