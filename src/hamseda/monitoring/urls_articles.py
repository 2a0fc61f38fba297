from django.urls import path

from hamseda.monitoring.views import articles, stories

urlpatterns = [
    path("", articles.article_list, name="article_list"),
    path("export.xlsx", articles.article_export, name="article_export"),
    path("articles/<int:article_id>/", articles.article_detail, name="article_detail"),
    path("mentions/<int:mention_id>/tone/", articles.mention_tone, name="mention_tone"),
    path("stories/", stories.story_list, name="story_list"),
    path("stories/<int:story_id>/", stories.story_detail, name="story_detail"),
    path("stories/<int:story_id>/release/", stories.story_link, name="story_link"),
]
