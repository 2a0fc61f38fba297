from django.urls import path

from hamseda.broadcast import api

urlpatterns = [
    path("broadcast/pitches/", api.PitchListApi.as_view(), name="api-pitch-list"),
    path("broadcast/pitches/<int:pitch_id>/", api.PitchDetailApi.as_view(), name="api-pitch"),
    path(
        "broadcast/pitches/<int:pitch_id>/submit/",
        api.PitchSubmitApi.as_view(),
        name="api-pitch-submit",
    ),
    path(
        "broadcast/pitches/<int:pitch_id>/review/",
        api.PitchReviewApi.as_view(),
        name="api-pitch-review",
    ),
    path("broadcast/dispatches/", api.DispatchListApi.as_view(), name="api-dispatch-list"),
    path(
        "broadcast/dispatches/<int:dispatch_id>/",
        api.DispatchDetailApi.as_view(),
        name="api-dispatch",
    ),
    path(
        "broadcast/dispatches/<int:dispatch_id>/send/",
        api.DispatchSendApi.as_view(),
        name="api-dispatch-send",
    ),
    path(
        "broadcast/dispatches/<int:dispatch_id>/items/<int:item_id>/answer/",
        api.AnswerApi.as_view(),
        name="api-dispatch-answer",
    ),
]
