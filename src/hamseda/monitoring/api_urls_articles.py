from django.urls import path

from hamseda.monitoring import api_articles as api

urlpatterns = [
    path("articles/", api.ArticleListApi.as_view(), name="api-monitoring-article-list"),
    path(
        "articles/<int:article_id>/",
        api.ArticleDetailApi.as_view(),
        name="api-monitoring-article-detail",
    ),
    path("stories/", api.StoryListApi.as_view(), name="api-monitoring-story-list"),
    path(
        "stories/<int:story_id>/", api.StoryDetailApi.as_view(), name="api-monitoring-story-detail"
    ),
    path(
        "stories/<int:story_id>/release/",
        api.StoryReleaseApi.as_view(),
        name="api-monitoring-story-release",
    ),
    path(
        "mentions/<int:mention_id>/tone/",
        api.MentionToneApi.as_view(),
        name="api-monitoring-mention-tone",
    ),
]
