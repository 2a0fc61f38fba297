"""The ministry centre's cycle pages: the list of cycles, a new cycle, and one
cycle's page (status and period, what the engine found missing, the actions of
its status, the national ranking of provinces, the best offices, tiers).

Every signed-in user sees cycles that have started and their rankings; drafts,
actions and tiers are for those who may ``evaluation.manage``. The helpers at the
top are shared by the other ranking views (catalogue, rankings, evaluators,
objections)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import policy
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors, submit
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Person
from hamseda.evaluation import selectors
from hamseda.evaluation.forms_cycles import AppealsOpenForm, CycleCreateForm, TiersForm
from hamseda.evaluation.models import Cycle, CycleStatus, ProvinceResult, Result
from hamseda.evaluation.services import cycles as services
from hamseda.evaluation.services.cycles import NATIONAL

TOP_OFFICES = 10

STATUS_CSS = {
    CycleStatus.DRAFT: "secondary",
    CycleStatus.SCORING: "primary",
    CycleStatus.APPEALS: "warning",
    CycleStatus.CLOSED: "success",
}
# A tier's badge by its place in the cycle's tiers, best first; the last one
# (usually "needs improvement") is always the red one.
TIER_CSS = ["success", "primary", "info", "warning"]


# --- shared by the ranking views -------------------------------------------------------


def may_manage(user: Person) -> bool:
    return policy.can(user, "evaluation.manage", NATIONAL)


def cycle_for(user: Person, cycle_id: int) -> Cycle:
    """The cycle if the viewer may open it (a draft only for its managers), else 404."""
    return selectors.cycle_get(viewer=user, cycle_id=cycle_id)


def cycle_to_manage(user: Person, cycle_id: int) -> Cycle:
    cycle = cycle_for(user, cycle_id)
    policy.require(user, "evaluation.manage", cycle)
    return cycle


def tabs(user: Person, cycle: Cycle) -> dict[str, Any]:
    """What ``evaluation/partials/_ranking_tabs.html`` needs besides ``current``."""
    return {
        "cycle": cycle,
        "can_manage": may_manage(user),
        "can_rate": policy.reach(user, "evaluation.rate") > policy.Reach.NONE,
        "status_css": STATUS_CSS.get(CycleStatus(cycle.status), "secondary"),
    }


def tier_css(cycle: Cycle, label: str) -> str:
    labels = [str(t["label"]) for t in sorted(cycle.tiers, key=lambda t: -float(t["min"]))]
    if not label or label not in labels:
        return "secondary"
    index = labels.index(label)
    if index == len(labels) - 1 and len(labels) > 1:
        return "danger"
    return TIER_CSS[min(index, len(TIER_CSS) - 1)]


def mark_tiers(cycle: Cycle, rows: list[Any]) -> list[Any]:
    """Give every Result / ProvinceResult row the badge colour of its tier."""
    for row in rows:
        row.tier_css = tier_css(cycle, row.tier)
    return rows


def mark_links(user: Person, cycle: Cycle, results: list[Result]) -> list[Result]:
    """Each office's scorecard link, for the viewers who may open it (the
    ranking is public, a scorecard follows ``evaluation.view_scores``)."""
    for result in results:
        result.scorecard_url = (  # type: ignore[attr-defined]
            reverse("evaluation:office_detail", args=[cycle.pk, result.office_id])
            if policy.can(user, "evaluation.view_scores", result.office)
            else ""
        )
    return results


def bars(rows: list[tuple[str, float]], label: str) -> dict[str, Any]:
    """The JSON of a horizontal bar chart (``evaluation/ranking.js``)."""
    return {
        "bars": {
            "labels": [name for name, _value in rows],
            "values": [round(value, 2) for _name, value in rows],
            "label": label,
        }
    }


# --- list and create -------------------------------------------------------------------


@login_required
@require_GET
def cycle_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    cycles = list(
        selectors.cycle_list(viewer=user).annotate(offices_ranked=Count("results", distinct=True))
    )
    for cycle in cycles:
        cycle.status_css = STATUS_CSS.get(CycleStatus(cycle.status), "secondary")  # type: ignore[attr-defined]
    return render(
        request,
        "evaluation/cycle_list.html",
        {"cycles": cycles, "can_manage": may_manage(user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not may_manage(user):
        raise PermissionDenied
    form = CycleCreateForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: services.cycle_create(actor=user, **data),
        success=lambda cycle: _("دوره «{title}» ایجاد شد. فهرست شاخص‌ها را بازبینی کنید.").format(
            title=cycle.title
        ),
        next_url=lambda cycle: reverse("evaluation:catalogue", args=[cycle.pk]),
    ):
        return done
    return render(
        request,
        "evaluation/cycle_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- one cycle -------------------------------------------------------------------------


def _detail_context(
    user: Person,
    cycle: Cycle,
    *,
    appeals_form: AppealsOpenForm | None = None,
    tiers_form: TiersForm | None = None,
) -> dict[str, Any]:
    manage = may_manage(user)
    criteria = selectors.criteria_of(cycle)
    provinces: list[ProvinceResult] = mark_tiers(
        cycle, selectors.province_ranking(viewer=user, cycle=cycle)
    )
    offices = selectors.office_ranking(viewer=user, cycle=cycle)
    top = mark_links(user, cycle, mark_tiers(cycle, offices[:TOP_OFFICES]))
    context: dict[str, Any] = {
        **tabs(user, cycle),
        "criteria": criteria,
        "weight_total": sum(c.weight for c in criteria),
        "missing": [c for c in criteria if c.missing_reason],
        "provinces": provinces,
        "top_offices": top,
        "offices_ranked": len(offices),
        "chart": bars([(p.province.name, p.total) for p in provinces], _("امتیاز")),
        "problems": [],
    }
    if manage:
        context["problems"] = (
            services.catalogue_problems(cycle) if cycle.status == CycleStatus.DRAFT else []
        )
        context["appeals_form"] = appeals_form or AppealsOpenForm()
        context["tiers_form"] = tiers_form or TiersForm(tiers=cycle.tiers)
        context["assignments_count"] = selectors.assignment_list(viewer=user, cycle=cycle).count()
    return context


@login_required
@require_GET
def cycle_detail(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_for(user, cycle_id)
    return render(request, "evaluation/cycle_detail.html", _detail_context(user, cycle))


ACTIONS = ("start", "recompute", "appeals", "close")


@login_required
@require_POST
def cycle_action(request: HttpRequest, cycle_id: int, action: str) -> HttpResponse:
    """The buttons of a cycle's page: start scoring (freeze the catalogue),
    recompute, open (or extend) the window for objections, close."""
    user = signed_in(request)
    if action not in ACTIONS:
        raise Http404
    cycle = cycle_to_manage(user, cycle_id)
    try:
        if action == "start":
            services.cycle_start_scoring(actor=user, cycle=cycle)
            done = _("فهرست شاخص‌ها قطعی شد (نسخه {version}) و رتبه‌بندی نخست محاسبه شد.")
        elif action == "recompute":
            report = services.cycle_refresh(actor=user, cycle=cycle)
            done = _("شاخص‌های کمی دوباره خوانده و رتبه‌بندی به‌روز شد.")
            if report.missing:
                done += " " + _("{n} شاخص مقدار ندارد.").format(n=len(report.missing))
        elif action == "appeals":
            form = AppealsOpenForm(request.POST)
            if not form.is_valid():
                return _redraw(request, user, cycle, appeals_form=form)
            try:
                services.cycle_open_appeals(
                    actor=user,
                    cycle=cycle,
                    appeals_from=form.cleaned_data["appeals_from"],
                    days=form.cleaned_data["days"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
                return _redraw(request, user, cycle, appeals_form=form)
            done = _("رتبه‌بندی اعلام شد و مهلت اعتراض آغاز شد.")
        else:
            services.cycle_close(actor=user, cycle=cycle)
            done = _("رتبه‌بندی دوره نهایی شد.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        cycle.refresh_from_db()
        messages.success(request, done.format(version=fa_digits(cycle.catalogue_version)))
    return redirect(cycle.get_absolute_url())


def _redraw(
    request: HttpRequest,
    user: Person,
    cycle: Cycle,
    *,
    appeals_form: AppealsOpenForm | None = None,
    tiers_form: TiersForm | None = None,
) -> HttpResponse:
    """The cycle's page again with a form that failed, as the user typed it."""
    context = _detail_context(user, cycle, appeals_form=appeals_form, tiers_form=tiers_form)
    return render(request, "evaluation/cycle_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_tiers(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Tier labels and their minimum totals. The form is also on the cycle's
    page; this page is where it comes back with errors."""
    user = signed_in(request)
    cycle = cycle_to_manage(user, cycle_id)
    form = TiersForm(request.POST or None, tiers=cycle.tiers)
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_tiers_set(actor=user, cycle=cycle, tiers=form.tiers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("سطح‌بندی ذخیره شد و رتبه‌ها دوباره سطح‌بندی شدند."))
            return redirect(cycle.get_absolute_url() + "#tiers")
    return render(
        request,
        "evaluation/cycle_tiers.html",
        {**tabs(user, cycle), "tiers_form": form},
        status=400 if form.errors else 200,
    )
