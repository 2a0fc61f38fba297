"""A cycle's catalogue of criteria: the table everyone may read (a ranking is
accepted when everyone can see how it was made), and, while the cycle is a
draft, the ministry centre's forms to add, change and remove a criterion. Once
scoring starts the catalogue is frozen: read-only, with its version."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import indicators
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.directory.models import Person
from hamseda.evaluation import selectors
from hamseda.evaluation.forms_cycles import CriterionForm
from hamseda.evaluation.models import Criterion, Cycle, CycleStatus
from hamseda.evaluation.services import cycles as services
from hamseda.evaluation.views.cycles import cycle_for, cycle_to_manage, may_manage, tabs

HUNDRED = Decimal(100)


def _provider_of(criterion: Criterion) -> dict[str, Any]:
    registered = indicators.REGISTRY.get(criterion.provider) if criterion.provider else None
    return {
        "name": str(registered.name) if registered is not None else "",
        "unit": str(registered.unit) if registered is not None else "",
        "registered": registered is not None,
    }


@login_required
@require_GET
def catalogue(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_for(user, cycle_id)
    criteria = selectors.criteria_of(cycle)
    for criterion in criteria:
        # 12.00 → 12, 12.50 → 12.5 (the page only shows them).
        criterion.weight = criterion.weight.normalize()
        criterion.provider_info = _provider_of(criterion)  # type: ignore[attr-defined]
    total = sum((c.weight for c in criteria), Decimal(0))
    editable = may_manage(user) and cycle.status == CycleStatus.DRAFT
    problems = services.catalogue_problems(cycle) if editable else []
    if problems and criteria and total != HUNDRED:
        # The weights' message comes first; the page shows it in its own box.
        problems = problems[1:]
    return render(
        request,
        "evaluation/catalogue.html",
        {
            **tabs(user, cycle),
            "criteria": criteria,
            "weight_total": total.normalize(),
            "weight_ok": total == HUNDRED,
            "quantitative_total": sum(
                (c.weight for c in criteria if c.is_quantitative), Decimal(0)
            ),
            "qualitative_total": sum(
                (c.weight for c in criteria if not c.is_quantitative), Decimal(0)
            ),
            "editable": editable,
            "problems": problems,
        },
    )


def _form_page(
    request: HttpRequest,
    user: Person,
    cycle: Cycle,
    form: CriterionForm,
    *,
    criterion: Criterion | None,
) -> HttpResponse:
    others = sum(
        (
            c.weight
            for c in selectors.criteria_of(cycle)
            if criterion is None or c.pk != criterion.pk
        ),
        Decimal(0),
    )
    return render(
        request,
        "evaluation/catalogue_form.html",
        {
            **tabs(user, cycle),
            "form": form,
            "criterion": criterion,
            "others_weight": others.normalize(),
            "room": (HUNDRED - others).normalize(),
        },
        status=400 if form.errors else 200,
    )


def _frozen(request: HttpRequest, cycle: Cycle) -> HttpResponse:
    messages.error(
        request,
        _("فهرست شاخص‌های این دوره از آغاز ارزیابی قطعی شده و دیگر تغییر نمی‌کند."),
    )
    return redirect("evaluation:catalogue", cycle.pk)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_to_manage(user, cycle_id)
    if cycle.is_frozen:
        return _frozen(request, cycle)
    form = CriterionForm(
        request.POST or None, initial={"position": len(selectors.criteria_of(cycle)) + 1}
    )
    if done := submit(
        request,
        form,
        lambda data: services.criterion_save(
            actor=user, criterion=form.apply(Criterion(cycle=cycle))
        ),
        success=lambda c: _("شاخص «{name}» افزوده شد.").format(name=c.name),
        next_url=reverse("evaluation:catalogue", args=[cycle.pk]),
    ):
        return done
    return _form_page(request, user, cycle, form, criterion=None)


def _criterion_of(cycle: Cycle, criterion_id: int) -> Criterion:
    criterion = next((c for c in selectors.criteria_of(cycle) if c.pk == criterion_id), None)
    if criterion is None:
        raise Http404
    return criterion


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, cycle_id: int, criterion_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_to_manage(user, cycle_id)
    criterion = _criterion_of(cycle, criterion_id)
    if cycle.is_frozen:
        return _frozen(request, cycle)
    form = CriterionForm(request.POST or None, criterion=criterion)
    if done := submit(
        request,
        form,
        # A fresh copy: a refused save must not leave the half-applied input on
        # the object the page is drawn from.
        lambda data: services.criterion_save(
            actor=user, criterion=form.apply(_criterion_of(cycle, criterion_id))
        ),
        success=lambda c: _("شاخص «{name}» ذخیره شد.").format(name=c.name),
        next_url=reverse("evaluation:catalogue", args=[cycle.pk]),
    ):
        return done
    return _form_page(request, user, cycle, form, criterion=criterion)


@login_required
@require_POST
def criterion_delete(request: HttpRequest, cycle_id: int, criterion_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_to_manage(user, cycle_id)
    criterion = _criterion_of(cycle, criterion_id)
    try:
        services.criterion_remove(actor=user, criterion=criterion)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("شاخص «{name}» حذف شد.").format(name=criterion.name))
    return redirect("evaluation:catalogue", cycle.pk)
