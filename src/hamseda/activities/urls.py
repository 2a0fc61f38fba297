from django.urls import path

from hamseda.activities.views import activities, calendar, overlaps

app_name = "activities"

urlpatterns = [
    path("", activities.activity_list, name="activity_list"),
    path("new/", activities.activity_create, name="activity_create"),
    path("check/", activities.overlap_check, name="overlap_check"),
    path("export.<str:fmt>", activities.activity_export, name="activity_export"),
    path("<int:activity_id>/", activities.activity_detail, name="activity_detail"),
    path("<int:activity_id>/edit/", activities.activity_edit, name="activity_edit"),
    path("<int:activity_id>/join/", activities.activity_join, name="activity_join"),
    path("<int:activity_id>/files/", activities.attachment_add, name="attachment_add"),
    path("files/<int:attachment_id>/", activities.attachment, name="attachment"),
    path(
        "files/<int:attachment_id>/remove/",
        activities.attachment_remove,
        name="attachment_remove",
    ),
    path("overlaps/", overlaps.overlap_report, name="overlap_report"),
    path("overlaps/merge/", overlaps.overlap_merge, name="overlap_merge"),
    path("overlaps/dismiss/", overlaps.overlap_dismiss, name="overlap_dismiss"),
    *calendar.urlpatterns,
]
