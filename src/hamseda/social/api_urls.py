from django.urls import path

from hamseda.social import api

urlpatterns = [
    path("social/accounts/", api.AccountListApi.as_view(), name="api-social-accounts"),
    path(
        "social/accounts/<int:account_id>/",
        api.AccountDetailApi.as_view(),
        name="api-social-account",
    ),
    path("social/posts/", api.PostListApi.as_view(), name="api-social-posts"),
    path("social/posts/<int:post_id>/", api.PostDetailApi.as_view(), name="api-social-post"),
    path(
        "social/posts/<int:post_id>/deliveries/",
        api.PostDeliveriesApi.as_view(),
        name="api-social-post-deliveries",
    ),
    path(
        "social/deliveries/<int:delivery_id>/retry/",
        api.DeliveryRetryApi.as_view(),
        name="api-social-delivery-retry",
    ),
    path(
        "social/deliveries/<int:delivery_id>/manual/",
        api.DeliveryManualApi.as_view(),
        name="api-social-delivery-manual",
    ),
    path("social/joint-posts/", api.JointListApi.as_view(), name="api-social-joints"),
    path(
        "social/joint-posts/<int:joint_id>/",
        api.JointDetailApi.as_view(),
        name="api-social-joint",
    ),
    path(
        "social/joint-posts/<int:joint_id>/adopt/",
        api.JointAdoptApi.as_view(),
        name="api-social-joint-adopt",
    ),
    path(
        "social/joint-posts/<int:joint_id>/decline/",
        api.JointDeclineApi.as_view(),
        name="api-social-joint-decline",
    ),
    path("social/coverage/", api.CoverageApi.as_view(), name="api-social-coverage"),
]
