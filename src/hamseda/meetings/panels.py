"""The meetings panel of the home page: the council's next meetings."""

from __future__ import annotations

from typing import Any

from hamseda.core import policy
from hamseda.core.registry import home_panel
from hamseda.meetings import selectors


@home_panel("hamseda.meetings")
def upcoming_meetings(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "meeting.view") == policy.Reach.NONE:
        return None
    meetings = list(selectors.meeting_upcoming(viewer=viewer)[:3])
    return {
        "template": "meetings/partials/_home_panel.html",
        "meetings": meetings,
        # Someone of one province knows whose meetings these are.
        "show_council": viewer.province_id is None,
    }
