"""REST API of articles and stories: the pages' selectors and services under
the same policy. Lists count at most ``selectors.COUNT_CAP`` rows: ``count``
stops there and ``more`` says the list is longer (narrow it by dates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hamseda.activities import selectors as activity_selectors
from hamseda.campaigns.models import Campaign
from hamseda.core.api import MAX_ID, StrictInputSerializer, int_query_param, paginated, validated
from hamseda.core.auth import signed_in
from hamseda.monitoring import selectors
from hamseda.monitoring.models import Article, Mention, SourceKind, Story, Tone
from hamseda.monitoring.selectors import ArticleFilters, Capped
from hamseda.monitoring.services import stories as services

# --- output -----------------------------------------------------------------------


class ArticleMentionOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    corrected = serializers.SerializerMethodField()

    class Meta:
        model = Mention
        fields = ["id", "agency", "agency_name", "office", "count", "tone", "tone_score", "cues"]
        fields += ["corrected"]

    def get_corrected(self, obj: Mention) -> bool:
        """Whether a person set the tone (ingestion keeps it)."""
        return obj.tone_by_id is not None


class NewsArticleOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    source_name = serializers.CharField(source="source.name", read_only=True)
    source_kind = serializers.ChoiceField(
        source="source.kind", choices=SourceKind.choices, read_only=True
    )
    province = serializers.IntegerField(
        source="source.province_id", read_only=True, allow_null=True
    )
    story_outlets = serializers.SerializerMethodField()
    mentions = ArticleMentionOutput(many=True, read_only=True)
    campaigns: serializers.PrimaryKeyRelatedField[Campaign] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "source",
            "source_name",
            "source_kind",
            "province",
            "published_at",
            "via",
            "story",
            "story_outlets",
            "mentions",
            "campaigns",
        ]

    def get_story_outlets(self, obj: Article) -> int | None:
        """How many outlets carried the article's story (None: no story)."""
        return obj.story.outlet_count if obj.story is not None else None


class NewsArticleDetailOutput(NewsArticleOutput):
    class Meta(NewsArticleOutput.Meta):
        fields = [*NewsArticleOutput.Meta.fields, "summary_html", "text", "created_at"]


class NewsStoryOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Story
        fields = [
            "id",
            "title",
            "first_published_at",
            "last_published_at",
            "article_count",
            "outlet_count",
            "weight",
            "province",
            "activity",
            "activity_auto",
        ]


class NewsStoryAgencyOutput(serializers.Serializer):  # type: ignore[type-arg]
    agency = serializers.IntegerField(source="agency.pk")
    agency_name = serializers.CharField(source="agency.name")
    tone = serializers.ChoiceField(choices=Tone.choices)
    positive = serializers.IntegerField()
    neutral = serializers.IntegerField()
    negative = serializers.IntegerField()


class NewsStoryArticleOutput(serializers.ModelSerializer):  # type: ignore[type-arg]
    source_name = serializers.CharField(source="source.name", read_only=True)
    source_weight = serializers.FloatField(source="source.weight", read_only=True)
    mentions = ArticleMentionOutput(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "url",
            "source",
            "source_name",
            "source_weight",
            "published_at",
            "mentions",
        ]


class NewsStoryDetailOutput(NewsStoryOutput):
    agencies = serializers.SerializerMethodField()
    articles = NewsStoryArticleOutput(many=True, read_only=True)

    class Meta(NewsStoryOutput.Meta):
        fields = [*NewsStoryOutput.Meta.fields, "agencies", "articles"]

    @extend_schema_field(NewsStoryAgencyOutput(many=True))
    def get_agencies(self, obj: Story) -> Any:
        return NewsStoryAgencyOutput(selectors.story_agencies(obj), many=True).data


# --- input ------------------------------------------------------------------------


class StoryReleaseInput(StrictInputSerializer):
    activity = serializers.IntegerField(min_value=1, max_value=MAX_ID, allow_null=True)


class MentionToneInput(StrictInputSerializer):
    tone = serializers.ChoiceField(choices=Tone.choices)


# --- views ------------------------------------------------------------------------


class CappedPagination(LimitOffsetPagination):
    """limit/offset over a list counted up to ``selectors.COUNT_CAP``: ``count``
    stops at the cap and ``more`` is true when the list goes on past it."""

    def get_count(self, queryset: Any) -> int:
        self.capped = Capped(queryset)
        return self.capped.count()

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["more"] = self.capped.more
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["more"] = {
            "type": "boolean",
            "description": "true when the list is longer than count (count is capped)",
        }
        envelope["required"] = [*envelope.get("required", []), "more"]
        return envelope


def _date_param(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["تاریخ را به شکل YYYY-MM-DD بفرستید."]}) from None


def _choice_param(request: Request, name: str, allowed: list[str]) -> str:
    value = request.query_params.get(name, "")
    if value and value not in allowed:
        raise serializers.ValidationError({name: ["مقدار شناخته‌شده نیست."]})
    return value


def _filters(request: Request) -> ArticleFilters:
    return ArticleFilters(
        q=request.query_params.get("q", "").strip(),
        agency_id=int_query_param(request, "agency"),
        office_id=int_query_param(request, "office"),
        campaign_id=int_query_param(request, "campaign"),
        source_id=int_query_param(request, "source"),
        source_kind=_choice_param(request, "kind", SourceKind.values),
        tone=_choice_param(request, "tone", Tone.values),
        province_id=int_query_param(request, "province"),
        date_from=_date_param(request, "date_from"),
        date_to=_date_param(request, "date_to"),
        story_id=int_query_param(request, "story"),
    )


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="words, any Persian spelling"),
    OpenApiParameter("agency", int),
    OpenApiParameter("office", int),
    OpenApiParameter("campaign", int),
    OpenApiParameter("source", int),
    OpenApiParameter("kind", str, enum=SourceKind.values, description="the outlet's kind"),
    OpenApiParameter("tone", str, enum=Tone.values, description="a mention of this tone"),
    OpenApiParameter("province", int),
    OpenApiParameter("date_from", dt.date, description="Tehran day, included"),
    OpenApiParameter("date_to", dt.date, description="Tehran day, included"),
]


class ArticleListApi(APIView):
    pagination_class = CappedPagination

    @extend_schema(
        parameters=[*FILTER_PARAMETERS, OpenApiParameter("story", int)],
        responses=NewsArticleOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        articles = selectors.article_list(viewer=signed_in(request), filters=_filters(request))
        return paginated(request, self, articles, NewsArticleOutput)


class ArticleDetailApi(APIView):
    @extend_schema(responses=NewsArticleDetailOutput)
    def get(self, request: Request, article_id: int) -> Response:
        article = selectors.article_get(viewer=signed_in(request), article_id=article_id)
        return Response(NewsArticleDetailOutput(article).data)


class StoryListApi(APIView):
    pagination_class = CappedPagination

    @extend_schema(parameters=FILTER_PARAMETERS, responses=NewsStoryOutput(many=True))
    def get(self, request: Request) -> Response:
        stories = selectors.story_list(viewer=signed_in(request), filters=_filters(request))
        return paginated(request, self, stories, NewsStoryOutput)


class StoryDetailApi(APIView):
    @extend_schema(responses=NewsStoryDetailOutput)
    def get(self, request: Request, story_id: int) -> Response:
        story = selectors.story_get(viewer=signed_in(request), story_id=story_id)
        return Response(NewsStoryDetailOutput(story).data)


class StoryReleaseApi(APIView):
    @extend_schema(request=StoryReleaseInput, responses=NewsStoryDetailOutput)
    def post(self, request: Request, story_id: int) -> Response:
        user = signed_in(request)
        story = selectors.story_get(viewer=user, story_id=story_id)
        data = validated(StoryReleaseInput, request)
        activity = None
        if data["activity"] is not None:
            activity = activity_selectors.activity_get_for(
                viewer=user, activity_id=data["activity"]
            )
        services.story_link_activity(actor=user, story=story, activity=activity)
        story = selectors.story_get(viewer=user, story_id=story_id)
        return Response(NewsStoryDetailOutput(story).data)


class MentionToneApi(APIView):
    @extend_schema(request=MentionToneInput, responses=ArticleMentionOutput)
    def post(self, request: Request, mention_id: int) -> Response:
        user = signed_in(request)
        mention = selectors.mention_get(viewer=user, mention_id=mention_id)
        data = validated(MentionToneInput, request)
        mention = services.mention_correct_tone(actor=user, mention=mention, tone=data["tone"])
        return Response(ArticleMentionOutput(mention).data)
