"""Every app's API under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("hamseda.directory.api_urls")),
    path("", include("hamseda.meetings.api_urls")),
    path("", include("hamseda.followups.api_urls")),
    path("", include("hamseda.activities.api_urls")),
    path("", include("hamseda.campaigns.api_urls")),
    path("", include("hamseda.monitoring.api_urls")),
    path("", include("hamseda.evaluation.api_urls")),
    path("", include("hamseda.broadcast.api_urls")),
    path("", include("hamseda.social.api_urls")),
]
