"""REST API of news sources and clippings: the same selectors, services and policy as
the pages. A source's health fields are written by the poller only; a client reads
them. "Poll now" answers 202: the poll is queued (it may already be done)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.core import policy
from hamseda.core.api import StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.directory.models import Province
from hamseda.monitoring import selectors_sources as selectors
from hamseda.monitoring.forms_sources import OUTLET_KINDS
from hamseda.monitoring.models import Article, Source, SourceKind, SourcePoll
from hamseda.monitoring.selectors_sources import Health, SourceFilters, health_of
from hamseda.monitoring.services import clips
from hamseda.monitoring.services import sources as services

HEALTH_FIELDS = (
    "last_polled_at",
    "last_success_at",
    "last_error_at",
    "last_error",
    "last_status",
    "consecutive_failures",
    "items_seen",
    "articles_added",
    "next_poll_at",
)


class SourceOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    health = serializers.SerializerMethodField()

    class Meta:
        model = Source
        fields = [
            "id",
            "name",
            "kind",
            "feed_url",
            "site_url",
            "host",
            "province",
            "weight",
            "poll_minutes",
            "is_active",
            "health",
            *HEALTH_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=Health.CHOICES))
    def get_health(self, obj: Source) -> str:
        return health_of(obj)


class SourcePollOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    problems = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = SourcePoll
        fields = [
            "id",
            "started_at",
            "finished_at",
            "outcome",
            "http_status",
            "attempts",
            "items_seen",
            "articles_added",
            "problems",
            "error",
        ]


class SourceInput(StrictInputSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OUTLET_KINDS)
    feed_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    site_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    province = serializers.PrimaryKeyRelatedField(
        queryset=Province.objects.all(), required=False, allow_null=True, default=None
    )
    weight = serializers.FloatField(min_value=0.0, max_value=10.0, required=False, default=1.0)
    poll_minutes = serializers.IntegerField(
        min_value=5, max_value=24 * 60, required=False, default=30
    )
    is_active = serializers.BooleanField(required=False, default=True)


class ClipInput(StrictInputSerializer):
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    text = serializers.CharField(required=False, allow_blank=True, default="")
    # "source" shadows Field.source in the stubs only; DRF reads declared fields.
    source = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Source.objects.all(), required=False, allow_null=True, default=None
    )
    published_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("url") and not attrs.get("text", "").strip():
            raise serializers.ValidationError(
                {"text": ["نشانی خبر (url) یا متن آن (text) را بفرستید."]}
            )
        return attrs


class ClipOutput(serializers.Serializer):  # type: ignore[type-arg]
    article = serializers.IntegerField(source="article.pk")
    created = serializers.BooleanField()
    title = serializers.CharField(source="article.title")
    source = serializers.IntegerField(source="article.source_id")  # type: ignore[assignment]
    published_at = serializers.DateTimeField(source="article.published_at")
    page = serializers.CharField(source="article.get_absolute_url")


def _source(request: Request, source_id: int) -> Source:
    return selectors.source_get_for(viewer=signed_in(request), source_id=source_id)


class SourceListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("province", int),
            OpenApiParameter("national", bool),
            OpenApiParameter("kind", str, enum=SourceKind.values),
            OpenApiParameter("health", str, enum=list(Health.LABELS)),
            OpenApiParameter("q", str),
        ],
        responses=SourceOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        kind, health = params.get("kind", ""), params.get("health", "")
        if kind and kind not in SourceKind.values:
            raise serializers.ValidationError({"kind": ["مقدار شناخته‌شده نیست."]})
        if health and health not in Health.LABELS:
            raise serializers.ValidationError({"health": ["مقدار شناخته‌شده نیست."]})
        filters = SourceFilters(
            query=params.get("q", ""),
            province_id=int_query_param(request, "province"),
            national=params.get("national") in ("1", "true", "True"),
            kind=kind,
            health=health,
        )
        sources = selectors.source_list(viewer=signed_in(request), filters=filters)
        return paginated(request, self, sources, SourceOutput)

    @extend_schema(request=SourceInput, responses={201: SourceOutput})
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        if policy.reach(user, "monitoring.sources") == policy.Reach.NONE:
            raise PermissionDenied
        source = services.source_create(actor=user, **validated(SourceInput, request))
        return Response(SourceOutput(source).data, status=201)


class SourceDetailApi(APIView):
    @extend_schema(responses=SourceOutput)
    def get(self, request: Request, source_id: int) -> Response:
        return Response(SourceOutput(_source(request, source_id)).data)

    @extend_schema(request=SourceInput(partial=True), responses=SourceOutput)
    def patch(self, request: Request, source_id: int) -> Response:
        source = _source(request, source_id)
        policy.require(signed_in(request), "monitoring.sources", source)
        data = validated(SourceInput, request, partial=True)
        services.source_edit(actor=signed_in(request), source=source, **data)
        return Response(SourceOutput(_source(request, source_id)).data)


class SourcePollApi(APIView):
    @extend_schema(request=None, responses={202: SourceOutput})
    def post(self, request: Request, source_id: int) -> Response:
        source = _source(request, source_id)
        services.source_poll_request(actor=signed_in(request), source=source)
        return Response(SourceOutput(_source(request, source_id)).data, status=202)


class SourcePollListApi(APIView):
    pagination_class = LimitOffsetPagination

    @extend_schema(responses=SourcePollOutput(many=True))
    def get(self, request: Request, source_id: int) -> Response:
        source = _source(request, source_id)
        polls = SourcePoll.objects.filter(source=source).order_by("-started_at", "-id")
        return paginated(request, self, polls, SourcePollOutput)


class ClipApi(APIView):
    @extend_schema(request=ClipInput, responses={201: ClipOutput, 200: ClipOutput})
    def post(self, request: Request) -> Response:
        user = signed_in(request)
        data = validated(ClipInput, request)
        if data["text"].strip():
            result = clips.clip_create(actor=user, **data)
        else:
            data.pop("text")
            result = clips.clip_from_url(actor=user, **data)
        article = Article.objects.get(pk=result.article.pk)
        body = ClipOutput({"article": article, "created": result.created}).data
        return Response(body, status=201 if result.created else 200)
