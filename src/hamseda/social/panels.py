"""The social-networks panel of the home page: the viewer's office on the four
main messengers over the last 30 days (the "100%" goal), and a link to the
council's matrix. Two queries."""

from __future__ import annotations

from typing import Any

from hamseda.core import policy
from hamseda.core.registry import home_panel
from hamseda.social import coverage


@home_panel("hamseda.social")
def office_channels(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "social.view") == policy.Reach.NONE or viewer.office_id is None:
        return None
    return {
        "template": "social/coverage_panel.html",
        "row": coverage.office_row(office=viewer.office),
        "days": coverage.ACTIVE_DAYS,
    }
