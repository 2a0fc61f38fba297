from django.urls import path

from hamseda.social.views import accounts, compose, coverage, joint, posts

app_name = "social"

urlpatterns = [
    path("", posts.post_list, name="post_list"),
    path("compose/", compose.post_create, name="post_create"),
    path("posts/<int:pk>/", posts.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", compose.post_edit, name="post_edit"),
    path("posts/<int:pk>/cancel/", posts.post_cancel, name="post_cancel"),
    path("posts/<int:pk>/publish-now/", posts.post_publish_now, name="post_publish_now"),
    path("posts/<int:pk>/deliveries/", posts.post_deliveries, name="post_deliveries"),
    path("deliveries/<int:pk>/retry/", posts.delivery_retry, name="delivery_retry"),
    path("deliveries/<int:pk>/manual/", posts.delivery_manual, name="delivery_manual"),
    path("deliveries/<int:pk>/export/", posts.delivery_export, name="delivery_export"),
    path("media/<int:pk>/", posts.media_file, name="media_file"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_edit, name="account_edit"),
    path("accounts/<int:pk>/check/", accounts.account_check, name="account_check"),
    path("joint/", joint.joint_list, name="joint_list"),
    path("joint/new/", joint.joint_create, name="joint_create"),
    path("joint/<int:pk>/", joint.joint_detail, name="joint_detail"),
    path("joint/<int:pk>/adopt/", joint.joint_adopt, name="joint_adopt"),
    path("joint/<int:pk>/decline/", joint.joint_decline, name="joint_decline"),
    path("joint/<int:pk>/close/", joint.joint_close, name="joint_close"),
    path("coverage/", coverage.coverage, name="coverage"),
    path("coverage/export/", coverage.coverage_export, name="coverage_export"),
    path("coverage/campaigns/<int:pk>/", coverage.campaign_coverage, name="campaign_coverage"),
]
