from django.urls import path

from hamseda.campaigns.views import campaigns, files, messages, offices, targets

app_name = "campaigns"

urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("new/", campaigns.campaign_create, name="campaign_create"),
    path("season/", campaigns.season_start, name="season_start"),
    path("<int:campaign_id>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("<int:campaign_id>/baselines/", campaigns.baselines_refresh, name="baselines_refresh"),
    path("<int:campaign_id>/messages/add/", messages.message_add, name="message_add"),
    path(
        "<int:campaign_id>/messages/<int:message_id>/edit/",
        messages.message_edit,
        name="message_edit",
    ),
    path(
        "<int:campaign_id>/messages/<int:message_id>/move/",
        messages.message_move,
        name="message_move",
    ),
    path(
        "<int:campaign_id>/messages/<int:message_id>/remove/",
        messages.message_remove,
        name="message_remove",
    ),
    path("<int:campaign_id>/targets/add/", targets.target_add, name="target_add"),
    path(
        "<int:campaign_id>/targets/<int:target_id>/edit/", targets.target_edit, name="target_edit"
    ),
    path(
        "<int:campaign_id>/targets/<int:target_id>/record/",
        targets.target_record,
        name="target_record",
    ),
    path(
        "<int:campaign_id>/targets/<int:target_id>/remove/",
        targets.target_remove,
        name="target_remove",
    ),
    path("<int:campaign_id>/offices/add/", offices.participant_add, name="participant_add"),
    path(
        "<int:campaign_id>/offices/<int:office_id>/remove/",
        offices.participant_remove,
        name="participant_remove",
    ),
    path("<int:campaign_id>/files/add/", files.file_add, name="file_add"),
    path("<int:campaign_id>/files/<int:file_id>/remove/", files.file_remove, name="file_remove"),
    path("files/<int:file_id>/", files.file, name="file"),
]
