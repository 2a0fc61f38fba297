from django.urls import path

from hamseda.monitoring import api_sources as api

urlpatterns = [
    path("sources/", api.SourceListApi.as_view(), name="api-monitoring-source-list"),
    path(
        "sources/<int:source_id>/",
        api.SourceDetailApi.as_view(),
        name="api-monitoring-source-detail",
    ),
    path(
        "sources/<int:source_id>/poll/",
        api.SourcePollApi.as_view(),
        name="api-monitoring-source-poll",
    ),
    path(
        "sources/<int:source_id>/polls/",
        api.SourcePollListApi.as_view(),
        name="api-monitoring-source-polls",
    ),
    path("clips/", api.ClipApi.as_view(), name="api-monitoring-clip"),
]
