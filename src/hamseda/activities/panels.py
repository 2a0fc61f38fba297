"""The activities panel of the home page: what the viewer's office has coming
up, and for the chair how many possible parallel works wait for a look."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hamseda.activities import selectors
from hamseda.activities.models import ActivityStatus
from hamseda.activities.selectors import ActivityFilters
from hamseda.core import jalali, policy
from hamseda.core.registry import home_panel


@home_panel("hamseda.activities")
def upcoming_activities(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "activity.view") == policy.Reach.NONE or viewer.office_id is None:
        return None
    today = jalali.today()
    upcoming = list(
        selectors.activity_list(
            viewer=viewer,
            filters=ActivityFilters(
                office_id=viewer.office_id,
                status=ActivityStatus.PLANNED,
                date_from=today,
                date_to=today + dt.timedelta(days=14),
            ),
        ).order_by("start_date", "pk")[:6]
    )
    return {
        "template": "activities/partials/_home_panel.html",
        "upcoming": upcoming,
        "can_review": policy.reach(viewer, "activity.merge") > policy.Reach.NONE,
    }
