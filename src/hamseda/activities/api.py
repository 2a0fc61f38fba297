"""REST API of activities: selectors read, services write, under the same policy
as the pages. Creating a planned activity that looks like another office's
answers 409 with the matches, unless ``overlap_confirmed`` is sent; a client
may also ask first (``POST /activities/check/``) and join instead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.activities import overlap, selectors, services
from hamseda.activities.models import Activity, ActivityKind, ActivityStatus, Channel
from hamseda.activities.selectors import ActivityFilters
from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.core import jalali, policy
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office


class ActivityOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    lead_office_name = serializers.CharField(source="lead_office.name", read_only=True)
    partners = serializers.SerializerMethodField()
    campaigns: serializers.PrimaryKeyRelatedField[Campaign] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    messages: serializers.PrimaryKeyRelatedField[KeyMessage] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices))
    links = serializers.ListField(child=serializers.URLField())
    is_joint = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "status",
            "start_date",
            "end_date",
            "province",
            "lead_office",
            "lead_office_name",
            "partners",
            "is_joint",
            "campaigns",
            "messages",
            "channels",
            "links",
            "outcome",
            "audience",
            "merged_into",
            "created_at",
            "updated_at",
        ]

    def get_partners(self, obj: Activity) -> list[int]:
        return [office.pk for office in obj.partners.all()]

    def get_is_joint(self, obj: Activity) -> bool:
        return obj.is_joint


class MatchOutput(serializers.Serializer):  # type: ignore[type-arg]
    activity = ActivityOutput()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class ParallelWorkOutput(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()
    matches = MatchOutput(many=True)


class ActivityInput(StrictInputSerializer):
    title = serializers.CharField(max_length=250)
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    status = serializers.ChoiceField(
        choices=ActivityStatus.choices, required=False, default=ActivityStatus.PLANNED
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    campaigns = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), many=True, required=False, default=list
    )
    messages = serializers.PrimaryKeyRelatedField(
        queryset=KeyMessage.objects.all(), many=True, required=False, default=list
    )
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), required=False, default=list
    )
    links = serializers.ListField(child=serializers.URLField(), required=False, default=list)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    audience = serializers.IntegerField(required=False, allow_null=True, min_value=0, default=None)


class ActivityCreateInput(ActivityInput):
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.select_related("agency"), required=False
    )
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.select_related("agency"), many=True, required=False, default=list
    )
    overlap_confirmed = serializers.BooleanField(required=False, default=False)


class CheckInput(StrictInputSerializer):
    title = serializers.CharField(max_length=250)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    campaigns = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(), many=True, required=False, default=list
    )
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.select_related("agency"), required=False
    )


class JoinInput(StrictInputSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MergeInput(StrictInputSerializer):
    into = serializers.IntegerField(min_value=1)


class OverlapPairOutput(serializers.Serializer):  # type: ignore[type-arg]
    first = ActivityOutput()
    second = ActivityOutput()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


def _activity(request: Request, activity_id: int) -> Activity:
    return selectors.activity_get_for(viewer=signed_in(request), activity_id=activity_id)


def _office(request: Request, data: dict[str, Any]) -> Office:
    office = data.pop("office", None) or signed_in(request).office
    if office is None:
        raise ValidationError({"office": "دستگاه مجری را تعیین کنید."})
    return office


def _matches(matches: list[overlap.Match]) -> list[dict[str, Any]]:
    return [
        {"activity": match.activity, "score": match.score, "reasons": list(match.reasons)}
        for match in matches
    ]


class ActivityListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("office", int),
            OpenApiParameter("campaign", int),
            OpenApiParameter("province", int),
            OpenApiParameter("kind", str, enum=ActivityKind.values),
            OpenApiParameter("status", str, enum=ActivityStatus.values),
            OpenApiParameter("date_from", dt.date),
            OpenApiParameter("date_to", dt.date),
            OpenApiParameter("joint", bool),
            OpenApiParameter("q", str),
        ],
        responses=ActivityOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        dates: dict[str, dt.date | None] = {}
        for name in ("date_from", "date_to"):
            raw = params.get(name, "")
            dates[name] = None
            if raw:
                try:
                    dates[name] = dt.date.fromisoformat(raw)
                except ValueError:
                    raise serializers.ValidationError(
                        {name: ["تاریخ را به شکل YYYY-MM-DD بفرستید."]}
                    ) from None
        for name, allowed in (("kind", ActivityKind.values), ("status", ActivityStatus.values)):
            if params.get(name) and params[name] not in allowed:
                raise serializers.ValidationError({name: ["مقدار شناخته‌شده نیست."]})
        joint = params.get("joint")
        filters = ActivityFilters(
            office_id=int_query_param(request, "office"),
            campaign_id=int_query_param(request, "campaign"),
            province_id=int_query_param(request, "province"),
            kind=params.get("kind", ""),
            status=params.get("status", ""),
            date_from=dates["date_from"],
            date_to=dates["date_to"],
            query=params.get("q", ""),
            joint=None if joint in (None, "") else joint in ("1", "true", "True"),
        )
        activities = selectors.activity_list(viewer=signed_in(request), filters=filters)
        return paginated(
            request, self, activities.prefetch_related("campaigns", "messages"), ActivityOutput
        )

    @extend_schema(
        request=ActivityCreateInput,
        responses={
            201: ActivityOutput,
            409: OpenApiResponse(ParallelWorkOutput, description="likely parallel work"),
        },
    )
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        data = validated(ActivityCreateInput, request)
        office = _office(request, data)
        try:
            activity = services.activity_create(actor=user, office=office, **data)
        except services.ParallelWork as found:
            body = {"detail": str(found), "matches": _matches(found.matches)}
            return Response(ParallelWorkOutput(body).data, status=409)
        return Response(ActivityOutput(_activity(request, activity.pk)).data, status=201)


class ActivityCheckApi(APIView):
    @extend_schema(request=CheckInput, responses=MatchOutput(many=True))
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        if policy.reach(user, "activity.edit") == policy.Reach.NONE:
            raise PermissionDenied
        data = validated(CheckInput, request)
        office = _office(request, data)
        # The answer shows the office's province: only for whoever writes for it.
        policy.require(user, "activity.edit", policy.Scope(office.agency.province_id, office.pk))
        matches = overlap.find_overlaps(
            title=data["title"],
            description=data["description"],
            start_date=data["start_date"],
            end_date=data["end_date"] or data["start_date"],
            province_id=office.agency.province_id,
            campaign_ids=[c.pk for c in data["campaigns"]],
            exclude_office_ids=[office.pk],
            today=jalali.today(),
        )
        return Response(MatchOutput(_matches(matches), many=True).data)


class ActivityDetailApi(APIView):
    @extend_schema(responses=ActivityOutput)
    def get(self, request: Request, activity_id: int) -> Response:
        return Response(ActivityOutput(_activity(request, activity_id)).data)

    @extend_schema(request=ActivityInput, responses=ActivityOutput)
    def put(self, request: Request, activity_id: int) -> Response:
        activity = _activity(request, activity_id)
        data = validated(ActivityInput, request)
        services.activity_edit(actor=signed_in(request), activity=activity, **data)
        return Response(ActivityOutput(_activity(request, activity_id)).data)


class ActivityJoinApi(APIView):
    @extend_schema(request=JoinInput, responses={201: ActivityOutput})
    def post(self, request: Request, activity_id: int) -> Response:
        activity = _activity(request, activity_id)
        data = validated(JoinInput, request)
        services.activity_join(actor=signed_in(request), activity=activity, **data)
        return Response(ActivityOutput(_activity(request, activity_id)).data, status=201)


class ActivityMergeApi(APIView):
    @extend_schema(request=MergeInput, responses=ActivityOutput)
    def post(self, request: Request, activity_id: int) -> Response:
        source = _activity(request, activity_id)
        data = validated(MergeInput, request)
        target = _activity(request, data["into"])
        services.activity_merge(actor=signed_in(request), source=source, target=target)
        return Response(ActivityOutput(_activity(request, target.pk)).data)


class OverlapReportApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("province", int), OpenApiParameter("days_back", int)],
        responses=OverlapPairOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        granted = policy.reach(user, "activity.merge")
        if granted == policy.Reach.NONE:
            raise PermissionDenied
        province_id = user.province_id
        if granted == policy.Reach.ANY:
            province_id = int_query_param(request, "province") or province_id
        days_back = int_query_param(request, "days_back") or 30
        since = jalali.today() - dt.timedelta(days=max(1, min(days_back, 365)))
        pairs = (
            overlap.council_overlaps(province_id=province_id, since=since) if province_id else []
        )
        body = [
            {"first": a, "second": b, "score": score, "reasons": list(reasons)}
            for a, b, score, reasons in pairs
        ]
        return Response(OverlapPairOutput(body, many=True).data)
