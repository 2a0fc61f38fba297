"""Pages of media monitoring; each part keeps its own list of addresses."""

from django.urls import include, path

app_name = "monitoring"

urlpatterns = [
    path("", include("hamseda.monitoring.urls_articles")),
    path("", include("hamseda.monitoring.urls_sources")),
    path("", include("hamseda.monitoring.urls_dashboards")),
    path("", include("hamseda.monitoring.urls_demo")),
]
