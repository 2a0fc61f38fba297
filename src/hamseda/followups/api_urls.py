from django.urls import path

from hamseda.followups import api

urlpatterns = [
    path("followups/", api.FollowUpListApi.as_view(), name="api-followup-list"),
    path(
        "followups/<int:followup_id>/", api.FollowUpDetailApi.as_view(), name="api-followup-detail"
    ),
    path(
        "followups/<int:followup_id>/updates/",
        api.FollowUpUpdatesApi.as_view(),
        name="api-followup-updates",
    ),
    path(
        "followups/<int:followup_id>/close/",
        api.FollowUpCloseApi.as_view(),
        name="api-followup-close",
    ),
    path(
        "followups/<int:followup_id>/reopen/",
        api.FollowUpReopenApi.as_view(),
        name="api-followup-reopen",
    ),
    path(
        "followups/<int:followup_id>/cancel/",
        api.FollowUpCancelApi.as_view(),
        name="api-followup-cancel",
    ),
    path("referrals/", api.ReferralListApi.as_view(), name="api-referral-list"),
    path(
        "referrals/<int:referral_id>/assign/",
        api.ReferralAssignApi.as_view(),
        name="api-referral-assign",
    ),
    path(
        "referrals/<int:referral_id>/reply/",
        api.ReferralReplyApi.as_view(),
        name="api-referral-reply",
    ),
]
