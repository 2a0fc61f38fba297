from django.urls import path

from hamseda.activities import api

urlpatterns = [
    path("activities/", api.ActivityListApi.as_view(), name="api-activity-list"),
    path("activities/check/", api.ActivityCheckApi.as_view(), name="api-activity-check"),
    path("activities/overlaps/", api.OverlapReportApi.as_view(), name="api-activity-overlaps"),
    path(
        "activities/<int:activity_id>/",
        api.ActivityDetailApi.as_view(),
        name="api-activity-detail",
    ),
    path(
        "activities/<int:activity_id>/join/",
        api.ActivityJoinApi.as_view(),
        name="api-activity-join",
    ),
    path(
        "activities/<int:activity_id>/merge/",
        api.ActivityMergeApi.as_view(),
        name="api-activity-merge",
    ),
]
