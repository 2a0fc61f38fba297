from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from hamseda.core import views as core_views
from hamseda.core.forms import LoginForm

admin.site.site_header = "همصدا — مدیریت سامانه"
admin.site.site_title = "همصدا"
admin.site.index_title = "مدیریت"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("directory/", include("hamseda.directory.urls")),
    path("meetings/", include("hamseda.meetings.urls")),
    path("followups/", include("hamseda.followups.urls")),
    path("activities/", include("hamseda.activities.urls")),
    path("campaigns/", include("hamseda.campaigns.urls")),
    path("monitoring/", include("hamseda.monitoring.urls")),
    path("evaluation/", include("hamseda.evaluation.urls")),
    path("broadcast/", include("hamseda.broadcast.urls")),
    path("social/", include("hamseda.social.urls")),
    path("notifications/", include("hamseda.core.notification_views")),
    path("api/v1/", include("hamseda.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
