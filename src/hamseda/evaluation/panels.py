"""The evaluation panel of the home page: in the latest cycle that is not a
draft, the viewer's office's total, ranks and tier (with the objection window
when it is open), an evaluator's offices still to rate, the ministry centre's
open objections. At most four queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from hamseda.core import jalali, policy
from hamseda.core.policy import Role
from hamseda.core.registry import home_panel
from hamseda.evaluation.models import Appeal, AppealStatus, Cycle, CycleStatus, Result
from hamseda.evaluation.selectors import evaluator_worklist


@home_panel("hamseda.evaluation")
def current_standing(viewer: Any) -> dict[str, Any] | None:
    if policy.reach(viewer, "evaluation.view") == policy.Reach.NONE:
        return None
    cycle = Cycle.objects.exclude(status=CycleStatus.DRAFT).order_by("-year", "-quarter").first()
    if cycle is None:
        return None
    panel: dict[str, Any] = {
        "template": "evaluation/panels/_home.html",
        "cycle": cycle,
        "appeals_open": cycle.appeals_open_on(jalali.today()),
    }
    if viewer.office_id is not None:
        panel["result"] = (
            Result.objects.filter(cycle=cycle, office_id=viewer.office_id)
            .select_related("office")
            .first()
        )
        if panel["result"] is not None:
            panel["offices"] = Result.objects.filter(cycle=cycle).count()
            panel["office_url"] = reverse(
                "evaluation:office_detail", args=[cycle.pk, viewer.office_id]
            )
    if viewer.effective_role == Role.EVALUATOR:
        work = evaluator_worklist(viewer=viewer, cycle=cycle)
        panel["to_rate"] = sum(1 for item in work if item.rated < item.of)
        panel["assigned"] = len(work)
    if policy.reach(viewer, "evaluation.answer") == policy.Reach.ANY:
        panel["open_appeals"] = Appeal.objects.filter(cycle=cycle, status=AppealStatus.OPEN).count()
    return panel
