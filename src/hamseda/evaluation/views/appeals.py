"""Objections of a cycle: the list (each viewer sees those of the offices whose
scorecard they may read) and one objection with the office's total and rank
before and after, the criterion and what the engine holds for it now; the
ministry centre answers there, correcting a value or a level when it upholds."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hamseda.core import policy
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.evaluation import selectors
from hamseda.evaluation.forms_cycles import AppealAnswerForm, AppealFilterForm
from hamseda.evaluation.models import Appeal, AppealStatus, CycleStatus, Result
from hamseda.evaluation.services.appeals import appeal_answer
from hamseda.evaluation.views.cycles import cycle_for, tabs

STATUS_CSS = {
    AppealStatus.OPEN: "warning",
    AppealStatus.UPHELD: "success",
    AppealStatus.REJECTED: "secondary",
}


def _mark(appeals: list[Appeal]) -> list[Appeal]:
    for appeal in appeals:
        appeal.status_css = STATUS_CSS.get(  # type: ignore[attr-defined]
            AppealStatus(appeal.status), "secondary"
        )
    return appeals


@login_required
@require_GET
def appeal_list(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_for(user, cycle_id)
    form = AppealFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    appeals = _mark(
        list(selectors.appeal_list(viewer=user, cycle=cycle, status=status).order_by("-created_at"))
    )
    context = {**tabs(user, cycle), "form": form, "appeals": appeals, "status": status}
    if getattr(request, "htmx", False):
        return render(request, "evaluation/partials/_ranking_appeals.html", context)
    return render(request, "evaluation/appeal_list.html", context)


def _standing(user: Any, appeal: Appeal) -> Result | None:
    """The office's row in the current ranking (its province's ranking, read
    through the selector: one query)."""
    office = appeal.office
    results = selectors.office_ranking(
        viewer=user, cycle=appeal.cycle, province_id=office.agency.province_id
    )
    return next((r for r in results if r.office_id == office.pk), None)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, cycle_id: int, appeal_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_for(user, cycle_id)
    appeal = selectors.appeal_get(viewer=user, cycle=cycle, appeal_id=appeal_id)
    may_answer = (
        appeal.status == AppealStatus.OPEN
        and cycle.status != CycleStatus.CLOSED
        and policy.can(user, "evaluation.answer", appeal)
    )
    form = None
    if may_answer:
        form = AppealAnswerForm(
            request.POST if request.method == "POST" else None, criterion=appeal.criterion
        )
        if done := submit(
            request,
            form,
            lambda data: appeal_answer(actor=user, appeal=appeal, **form.service_fields()),
            success=lambda answered: _("پاسخ ثبت شد: {status}.").format(
                status=answered.get_status_display()
            ),
        ):
            return done
    elif request.method == "POST":
        policy.require(user, "evaluation.answer", appeal)
    result = _standing(user, appeal)
    if appeal.criterion is not None:
        appeal.criterion.weight = appeal.criterion.weight.normalize()  # 20.00 → 20, for display
    item = (
        result.items.get(appeal.criterion.code, {})
        if result is not None and appeal.criterion is not None
        else {}
    )
    return render(
        request,
        "evaluation/appeal_detail.html",
        {
            **tabs(user, cycle),
            "appeal": _mark([appeal])[0],
            "result": result,
            "item": item,
            "form": form,
            "scorecard_url": (
                reverse("evaluation:office_detail", args=[cycle.pk, appeal.office_id])
                if policy.can(user, "evaluation.view_scores", appeal.office)
                else ""
            ),
        },
        status=400 if form is not None and form.errors else 200,
    )
