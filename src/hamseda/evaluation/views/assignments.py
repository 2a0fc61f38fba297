"""Evaluators of a cycle (the ministry centre): who rates which offices, grouped
by evaluator, a form to appoint one evaluator to chosen offices or to every
office of a province at once, and removal. The services refuse an office of the
evaluator's own province; the page shows why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Person
from hamseda.evaluation import selectors
from hamseda.evaluation.forms_cycles import AssignmentForm
from hamseda.evaluation.models import Assignment
from hamseda.evaluation.services.compute import evaluated_offices
from hamseda.evaluation.services.ratings import assignment_remove, assignments_add
from hamseda.evaluation.views.cycles import cycle_to_manage, tabs


@dataclass
class EvaluatorGroup:
    evaluator: Person
    assignments: list[Assignment] = field(default_factory=list)


def _groups(assignments: list[Assignment]) -> list[EvaluatorGroup]:
    groups: dict[int, EvaluatorGroup] = {}
    for assignment in assignments:
        group = groups.setdefault(
            assignment.evaluator_id, EvaluatorGroup(evaluator=assignment.evaluator)
        )
        group.assignments.append(assignment)
    return sorted(groups.values(), key=lambda g: g.evaluator.sort_key)


@login_required
@require_http_methods(["GET", "POST"])
def assignments(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_to_manage(user, cycle_id)
    offices = evaluated_offices()
    form = AssignmentForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["offices"])
        if data["province"] is not None:
            chosen += [
                office
                for office in offices.filter(agency__province=data["province"])
                if office not in chosen
            ]
        try:
            created = assignments_add(
                actor=user, cycle=cycle, evaluator=data["evaluator"], offices=chosen
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("{name} ارزیاب {n} روابط عمومی شد.").format(
                    name=data["evaluator"].display_name, n=fa_digits(len(created))
                )
                if created
                else _("این ارزیاب پیش‌تر برای همه این روابط عمومی‌ها تعیین شده بود."),
            )
            return redirect("evaluation:assignments", cycle.pk)
    rows = list(
        selectors.assignment_list(viewer=user, cycle=cycle).order_by(
            "evaluator__sort_key", "office__agency__province__sort_key", "office__sort_key"
        )
    )
    return render(
        request,
        "evaluation/assignments.html",
        {
            **tabs(user, cycle),
            "form": form,
            "groups": _groups(rows),
            "assignments_count": len(rows),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def assignment_delete(request: HttpRequest, cycle_id: int, assignment_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = cycle_to_manage(user, cycle_id)
    assignment = (
        selectors.assignment_list(viewer=user, cycle=cycle).filter(pk=assignment_id).first()
    )
    if assignment is None:
        raise Http404
    try:
        assignment_remove(actor=user, assignment=assignment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("{name} دیگر ارزیاب {office} نیست.").format(
                name=assignment.evaluator.display_name, office=assignment.office.name
            ),
        )
    return redirect("evaluation:assignments", cycle.pk)
