from django.urls import path

from hamseda.meetings import api

urlpatterns = [
    path("meetings/", api.MeetingListApi.as_view(), name="api-meeting-list"),
    path("meetings/<int:meeting_id>/", api.MeetingDetailApi.as_view(), name="api-meeting-detail"),
    path(
        "meetings/<int:meeting_id>/cancel/",
        api.MeetingCancelApi.as_view(),
        name="api-meeting-cancel",
    ),
    path(
        "meetings/<int:meeting_id>/invite/",
        api.MeetingInviteApi.as_view(),
        name="api-meeting-invite",
    ),
    path("meetings/<int:meeting_id>/held/", api.MeetingHeldApi.as_view(), name="api-meeting-held"),
    path("meetings/<int:meeting_id>/agenda/", api.AgendaApi.as_view(), name="api-agenda"),
    path(
        "meetings/<int:meeting_id>/agenda/<int:item_id>/",
        api.AgendaItemApi.as_view(),
        name="api-agenda-item",
    ),
    path("meetings/<int:meeting_id>/reports/", api.ReportListApi.as_view(), name="api-reports"),
    path(
        "meetings/<int:meeting_id>/reports/<int:office_id>/",
        api.ReportApi.as_view(),
        name="api-report",
    ),
    path(
        "meetings/<int:meeting_id>/attendance/", api.AttendanceApi.as_view(), name="api-attendance"
    ),
    path(
        "meetings/<int:meeting_id>/resolutions/",
        api.ResolutionListApi.as_view(),
        name="api-resolutions",
    ),
    path(
        "meetings/<int:meeting_id>/resolutions/<int:resolution_id>/",
        api.ResolutionApi.as_view(),
        name="api-resolution",
    ),
    path("meetings/<int:meeting_id>/minutes/", api.MinutesApi.as_view(), name="api-minutes"),
    path(
        "meetings/<int:meeting_id>/minutes/approve/",
        api.MinutesApproveApi.as_view(),
        name="api-minutes-approve",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/acknowledge/",
        api.MinutesAcknowledgeApi.as_view(),
        name="api-minutes-acknowledge",
    ),
    path("search/", api.SearchApi.as_view(), name="api-search"),
]
