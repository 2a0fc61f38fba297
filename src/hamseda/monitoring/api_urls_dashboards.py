from django.urls import path

from hamseda.monitoring import api_dashboards

urlpatterns = [
    path("coverage/", api_dashboards.CoverageApi.as_view(), name="api-monitoring-coverage"),
    path("alerts/", api_dashboards.AlertListApi.as_view(), name="api-monitoring-alerts"),
]
