"""The broadcast panel of the home page: for the chair, the pitches waiting for
review; for an office, its pitches that came back or were answered lately."""

from __future__ import annotations

from typing import Any

from hamseda.broadcast import selectors
from hamseda.broadcast.models import PitchStatus
from hamseda.core import policy
from hamseda.core.registry import home_panel

SHOWN = 5


@home_panel("hamseda.broadcast")
def pitches_panel(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "broadcast.review") > policy.Reach.NONE:
        queue = selectors.review_queue(viewer=viewer)
        return {
            "template": "broadcast/panels/_home.html",
            "reviewer": True,
            "pitches": list(queue[:SHOWN]),
            "count": queue.count(),
        }
    if viewer.office_id is None or policy.reach(viewer, "broadcast.pitch") == policy.Reach.NONE:
        return None
    returned = selectors.pitch_list(
        viewer=viewer, filters=selectors.PitchFilters(status=PitchStatus.RETURNED, mine=True)
    )
    pitches = list(returned[:SHOWN])
    if not pitches:
        return None
    return {
        "template": "broadcast/panels/_home.html",
        "reviewer": False,
        "pitches": pitches,
        "count": returned.count(),
    }
