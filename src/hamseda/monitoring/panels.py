"""The media-monitoring panel of the home page: the press coverage of the
viewer's office over the last seven days, and its latest alerts. Two queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hamseda.core import policy
from hamseda.core.registry import home_panel
from hamseda.monitoring import dashboards
from hamseda.monitoring.dashboards import Period
from hamseda.monitoring.models import Tone
from hamseda.monitoring.views.dashboards import articles_url

DAYS = 7


@home_panel("hamseda.monitoring")
def office_coverage(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "monitoring.view") == policy.Reach.NONE or viewer.office_id is None:
        return None
    period = Period.last_days(DAYS)
    totals = dashboards.office_totals(office_id=viewer.office_id, period=period)
    agency = viewer.office.agency_id
    return {
        "template": "monitoring/panels/_home.html",
        "totals": totals,
        "days": DAYS,
        "alerts": list(dashboards.alert_list(viewer=viewer, office_id=viewer.office_id)[:3]),
        "dashboard_url": reverse("monitoring:office_dashboard", args=[viewer.office_id]),
        "articles_url": articles_url(period, agency=agency),
        "negative_url": articles_url(period, agency=agency, tone=Tone.NEGATIVE),
    }
