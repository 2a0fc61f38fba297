"""The follow-ups panel of the home page: what the viewer's office owes, late first."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from hamseda.core import policy
from hamseda.core.registry import home_panel
from hamseda.followups import selectors
from hamseda.followups.selectors import FollowUpFilters, State


@home_panel("hamseda.followups")
def my_followups(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "meeting.view") == policy.Reach.NONE or viewer.office_id is None:
        return None
    mine = selectors.followup_list(
        viewer=viewer, filters=FollowUpFilters(office_id=viewer.office_id)
    )
    counts = mine.aggregate(
        overdue=Count("pk", filter=Q(state=State.OVERDUE)),
        open=Count("pk", filter=Q(state__in=(State.OPEN, State.IN_PROGRESS))),
    )
    # ``state`` is the annotation of followup_list, unknown to the type checker.
    late = list(mine.filter(state=State.OVERDUE)[:5])  # type: ignore[misc]
    selectors.followup_days_overdue(late)
    return {
        "template": "followups/partials/_home_panel.html",
        "counts": counts,
        "late": late,
        "office_id": viewer.office_id,
    }
