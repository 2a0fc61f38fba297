"""The media-monitoring API under /api/v1/monitoring/."""

from django.urls import include, path

urlpatterns = [
    path("monitoring/", include("hamseda.monitoring.api_urls_articles")),
    path("monitoring/", include("hamseda.monitoring.api_urls_sources")),
    path("monitoring/", include("hamseda.monitoring.api_urls_dashboards")),
]
