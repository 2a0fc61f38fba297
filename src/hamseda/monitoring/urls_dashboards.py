from django.urls import path

from hamseda.monitoring.views import alerts, dashboards

urlpatterns = [
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path(
        "dashboard/offices/<int:office_id>/",
        dashboards.office_dashboard,
        name="office_dashboard",
    ),
    path(
        "dashboard/campaigns/<int:campaign_id>/",
        dashboards.campaign_dashboard,
        name="campaign_dashboard",
    ),
    path("alerts/", alerts.alert_list, name="alert_list"),
]
