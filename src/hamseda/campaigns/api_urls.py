from django.urls import path

from hamseda.campaigns import api

urlpatterns = [
    path("campaigns/", api.CampaignListApi.as_view(), name="api-campaign-list"),
    path("campaigns/seasons/", api.SeasonStartApi.as_view(), name="api-campaign-season-start"),
    path(
        "campaigns/<int:campaign_id>/", api.CampaignDetailApi.as_view(), name="api-campaign-detail"
    ),
    path(
        "campaigns/<int:campaign_id>/messages/",
        api.MessageListApi.as_view(),
        name="api-campaign-messages",
    ),
    path(
        "campaigns/<int:campaign_id>/messages/<int:message_id>/",
        api.MessageDetailApi.as_view(),
        name="api-campaign-message",
    ),
    path(
        "campaigns/<int:campaign_id>/targets/",
        api.TargetListApi.as_view(),
        name="api-campaign-targets",
    ),
    path(
        "campaigns/<int:campaign_id>/targets/<int:target_id>/",
        api.TargetDetailApi.as_view(),
        name="api-campaign-target",
    ),
    path(
        "campaigns/<int:campaign_id>/targets/<int:target_id>/record/",
        api.TargetRecordApi.as_view(),
        name="api-campaign-target-record",
    ),
    path(
        "campaigns/<int:campaign_id>/participants/",
        api.ParticipantListApi.as_view(),
        name="api-campaign-participants",
    ),
    path(
        "campaigns/<int:campaign_id>/participants/<int:office_id>/",
        api.ParticipantDetailApi.as_view(),
        name="api-campaign-participant",
    ),
]
