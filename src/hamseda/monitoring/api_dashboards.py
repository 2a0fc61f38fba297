"""REST API of coverage figures and alerts, under the same rules as the pages.

``GET /coverage/`` answers for one office (``office``), one campaign
(``campaign``) or a province's offices (``province``; every province when none is
given), over ``date_from``..``date_to`` (ISO dates, Tehran days; the last 30 days
by default, a campaign's own period for a campaign). Every answer has the same
shape; the lists that do not apply to it are empty.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core import jalali
from hamseda.core.api import int_query_param, paginated
from hamseda.core.auth import signed_in
from hamseda.monitoring import dashboards
from hamseda.monitoring.dashboards import Coverage, Period
from hamseda.monitoring.models import Alert, AlertKind

LAST_DAYS = 30


class CoverageToneOutput(serializers.Serializer):  # type: ignore[type-arg]
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()


class CoverageTotalsOutput(serializers.Serializer):  # type: ignore[type-arg]
    articles = serializers.IntegerField()
    stories = serializers.IntegerField()
    weight = serializers.FloatField()
    tone = CoverageToneOutput()
    negative_share = serializers.FloatField(
        allow_null=True, help_text="negative mentions ÷ all mentions, 0..1"
    )


class CoveragePointOutput(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField()
    end = serializers.DateField()
    articles = serializers.IntegerField()
    weight = serializers.FloatField()
    tone = CoverageToneOutput()


class CoverageOutletOutput(serializers.Serializer):  # type: ignore[type-arg]
    source_id = serializers.IntegerField()
    name = serializers.CharField()
    articles = serializers.IntegerField()
    weight = serializers.FloatField()


class CoverageStoryOutput(serializers.Serializer):  # type: ignore[type-arg]
    story_id = serializers.IntegerField()
    title = serializers.CharField()
    articles = serializers.IntegerField()
    weight = serializers.FloatField()
    outlets = serializers.IntegerField()
    first_published_at = serializers.DateTimeField(allow_null=True)


class CoverageOfficeOutput(serializers.Serializer):  # type: ignore[type-arg]
    agency_id = serializers.IntegerField()
    office_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    articles = serializers.IntegerField()
    weight = serializers.FloatField()
    tone = CoverageToneOutput()
    negative_share = serializers.FloatField(allow_null=True)


class CoverageReleasesOutput(serializers.Serializer):  # type: ignore[type-arg]
    releases = serializers.IntegerField()
    stories = serializers.IntegerField()
    ratio = serializers.FloatField(allow_null=True)


class CoverageOutput(serializers.Serializer):  # type: ignore[type-arg]
    date_from = serializers.DateField(source="period.start")
    date_to = serializers.DateField(source="period.end")
    granularity = serializers.ChoiceField(choices=["day", "week"])
    totals = CoverageTotalsOutput()
    series = CoveragePointOutput(many=True)
    outlets = CoverageOutletOutput(many=True)
    stories = CoverageStoryOutput(many=True)
    offices = CoverageOfficeOutput(many=True)
    releases = CoverageReleasesOutput(allow_null=True, help_text="an office's news releases only")


class MonitoringAlertOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    story_title = serializers.CharField(source="story.title", read_only=True, default=None)

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "created_at",
            "agency",
            "agency_name",
            "office",
            "story",
            "story_title",
            "day",
            "detail",
        ]


def _date(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["تاریخ را به شکل YYYY-MM-DD بفرستید."]}) from None


def _period(request: Request, default: Period) -> Period:
    start, end = _date(request, "date_from"), _date(request, "date_to")
    if start is None and end is None:
        return default
    start = start or (end or default.end) - dt.timedelta(days=LAST_DAYS - 1)
    end = end or jalali.today()
    if end < start:
        raise serializers.ValidationError({"date_to": ["پایان بازه پیش از آغاز آن است."]})
    if (end - start).days + 1 > dashboards.MAX_PERIOD_DAYS:
        raise serializers.ValidationError({"date_to": ["بازه بیش از اندازه بلند است."]})
    return Period(start, end)


class CoverageApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("office", int, description="one office's coverage"),
            OpenApiParameter("campaign", int, description="one campaign's articles"),
            OpenApiParameter("province", int, description="the offices of a province"),
            OpenApiParameter("date_from", dt.date),
            OpenApiParameter("date_to", dt.date),
        ],
        responses=CoverageOutput,
    )
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        dashboards.require_view(user)
        office_id = int_query_param(request, "office")
        campaign_id = int_query_param(request, "campaign")
        if office_id is not None and campaign_id is not None:
            raise serializers.ValidationError(
                {"campaign": ["یکی از دو فیلتر دستگاه یا پویش را بفرستید."]}
            )
        default = Period.last_days(LAST_DAYS)
        coverage: Coverage
        if office_id is not None:
            office = dashboards.office_get_for(viewer=user, office_id=office_id)
            coverage = dashboards.office_coverage(office=office, period=_period(request, default))
        elif campaign_id is not None:
            campaign = dashboards.campaign_get_for(viewer=user, campaign_id=campaign_id)
            period = _period(request, Period.of_campaign(campaign))
            coverage = dashboards.campaign_coverage(campaign=campaign, period=period)
        else:
            coverage = dashboards.province_coverage(
                province_id=int_query_param(request, "province"),
                period=_period(request, default),
            )
        return Response(CoverageOutput(_plain(coverage)).data)


def _plain(coverage: Coverage) -> dict[str, Any]:
    """The figures with the computed properties the serializers read."""
    return {
        "period": coverage.period,
        "granularity": coverage.granularity,
        "totals": {
            **vars(coverage.totals),
            "tone": coverage.totals.tone,
            "negative_share": coverage.totals.negative_share,
        },
        "series": coverage.series,
        "outlets": coverage.outlets,
        "stories": coverage.stories,
        "offices": [
            {**vars(row), "negative_share": row.negative_share} for row in coverage.offices
        ],
        "releases": None
        if coverage.releases is None
        else {
            "releases": coverage.releases.releases,
            "stories": coverage.releases.stories,
            "ratio": coverage.releases.ratio,
        },
    }


class AlertListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=AlertKind.values),
            OpenApiParameter("office", int),
            OpenApiParameter("province", int),
        ],
        responses=MonitoringAlertOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        user = signed_in(request)
        dashboards.require_view(user)
        kind = request.query_params.get("kind", "")
        if kind and kind not in AlertKind.values:
            raise serializers.ValidationError({"kind": ["مقدار شناخته‌شده نیست."]})
        alerts = dashboards.alert_list(
            viewer=user,
            kind=kind,
            office_id=int_query_param(request, "office"),
            province_id=int_query_param(request, "province"),
        )
        return paginated(request, self, alerts, MonitoringAlertOutput)
