"""An office's scorecard, the records behind each of its numbers, and its
objection form. Thin: the selectors decide who may see what (an office sees its
evaluators as "evaluator 1, 2 ..."), the services decide what may be written."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hamseda.core import indicators, jalali, persian, policy
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors
from hamseda.directory.models import Office, Person
from hamseda.evaluation import selectors
from hamseda.evaluation.forms_ratings import AppealForm
from hamseda.evaluation.models import Criterion, Cycle
from hamseda.evaluation.selectors import Line, RatingView, Scorecard
from hamseda.evaluation.services.appeals import appeal_file
from hamseda.evaluation.views.cycles import tabs, tier_css

# Records listed on a drill page; past it the page says the list is cut.
DRILL_LIMIT = 200


def number(value: Any, places: int = 1) -> str:
    """A score or value in Persian digits, without trailing zeros: 72.50 → ۷۲٫۵."""
    if value is None or value == "":
        return ""
    rounded = round(float(value), places)
    if rounded == int(rounded):
        return persian.format_number(int(rounded))
    return persian.format_number(rounded, places).rstrip("۰")


def unit_of(criterion: Criterion) -> str:
    registered = indicators.REGISTRY.get(criterion.provider) if criterion.provider else None
    return str(registered.unit) if registered is not None else ""


@dataclass
class Row:
    """One criterion of the scorecard, ready for the template."""

    line: Line
    criterion: Criterion
    drill_url: str
    value: str = ""
    unit: str = ""
    score: str = ""
    weight: str = ""
    points: str = ""
    level: str = ""
    adjusted: bool = False
    disagreement: bool = False
    missing: str = ""
    mean: str = ""

    @property
    def ratings(self) -> list[RatingView]:
        return self.line.ratings


def rows_of(card: Scorecard) -> list[Row]:
    rows = []
    for line in card.lines:
        criterion, item = line.criterion, line.item
        row = Row(
            line=line,
            criterion=criterion,
            drill_url=reverse(
                "evaluation:criterion_drill", args=[card.cycle.pk, card.office.pk, criterion.code]
            ),
            unit=unit_of(criterion),
            score=number(item.get("score")),
            weight=number(criterion.weight, 2),
            points=number(item.get("points"), 2),
            level=number(item.get("level"), 2),
            adjusted=bool(item.get("adjusted")),
            mean=number(line.national_mean),
        )
        given = item.get("levels") or []
        row.disagreement = bool(given) and max(given) - min(given) >= 2
        if criterion.is_quantitative:
            row.value = number(item.get("value"), 1 if row.unit == "%" else 2)
            if criterion.missing_reason or item.get("missing"):
                row.missing = item.get("missing") or criterion.missing_reason
            elif card.result is not None and item.get("value") is None:
                row.missing = _(
                    "در این دوره داده‌ای برای محاسبه این شاخص نبود؛ وزن آن در امتیاز کل به "
                    "حساب نیامد."
                )
        elif card.result is not None and item.get("level") is None:
            row.missing = _("هنوز ارزیابی نشده است.")
        rows.append(row)
    return rows


def nav(user: Person, cycle: Cycle, current: str = "office") -> dict[str, Any]:
    """What the cycle's tabs (``partials/_ranking_tabs.html``) need, so that an
    office's pages lead back to the rest of the cycle."""
    return {**tabs(user, cycle), "current": current}


def _chart(card: Scorecard, rows: list[Row]) -> dict[str, Any]:
    """What the radar and the trend line draw (partials/_office_charts.html)."""
    return {
        "radar": {
            "labels": [row.criterion.code for row in rows],
            "names": [row.criterion.name for row in rows],
            "office": [row.line.score for row in rows],
            "mean": [row.line.national_mean for row in rows],
        },
        "trend": {
            "labels": [str(result.cycle.period_label()) for result in card.trend],
            "totals": [result.total for result in card.trend],
            "ranks": [result.rank for result in card.trend],
        },
        "strings": {
            "office": card.office.name,
            "mean": _("میانگین کشوری"),
            "total": _("امتیاز کل"),
            "rank": _("رتبه کشوری"),
        },
    }


def office_for(user: Person, cycle_id: int, office_id: int) -> tuple[Cycle, Office]:
    """The cycle and the office whose scorecard ``user`` may read (404 / 403)."""
    cycle = selectors.cycle_get(viewer=user, cycle_id=cycle_id)
    office = selectors.office_in_cycle(viewer=user, cycle=cycle, office_id=office_id)
    return cycle, office


@login_required
@require_GET
def office_detail(request: HttpRequest, cycle_id: int, office_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle, office = office_for(user, cycle_id, office_id)
    card = selectors.scorecard(viewer=user, cycle=cycle, office=office)
    rows = rows_of(card)
    result = card.result
    context = {
        "cycle": cycle,
        "office": office,
        "card": card,
        "result": result,
        "quantitative": [row for row in rows if row.criterion.is_quantitative],
        "qualitative": [row for row in rows if not row.criterion.is_quantitative],
        "total": number(result.total, 2) if result else "",
        "quantitative_total": number(result.quantitative, 2) if result else "",
        "qualitative_total": number(result.qualitative, 2) if result else "",
        "covered": number(result.covered) if result else "",
        "partly_covered": result is not None and result.covered < 100,
        "trend": [(r, number(r.total, 2)) for r in card.trend],
        "chart": _chart(card, rows),
        "tier_css": tier_css(cycle, result.tier) if result else "secondary",
        **nav(user, cycle),
    }
    return render(request, "evaluation/office_detail.html", context)


@login_required
@require_GET
def criterion_drill(request: HttpRequest, cycle_id: int, office_id: int, code: str) -> HttpResponse:
    user = signed_in(request)
    cycle, office = office_for(user, cycle_id, office_id)
    found = selectors.drill(viewer=user, cycle=cycle, office=office, code=code, limit=DRILL_LIMIT)
    criterion, item = found.criterion, found.item
    unit = unit_of(criterion)
    may_appeal = cycle.appeals_open_on(jalali.today()) and policy.can(
        user, "evaluation.appeal", office
    )
    counted, not_counted = found.counted, found.not_counted
    context = {
        "cycle": cycle,
        "office": office,
        "drill": found,
        "has_listing": found.indicator is not None and found.indicator.evidence is not None,
        "criterion": criterion,
        "item": item,
        "unit": unit,
        "value": number(item.get("value"), 1 if unit == "%" else 2),
        "score": number(item.get("score")),
        "weight": number(criterion.weight, 2),
        "points": number(item.get("points"), 2),
        "level": number(item.get("level"), 2),
        "target": number(criterion.target),
        "counted": counted,
        "not_counted": not_counted,
        "truncated": len(found.records) >= DRILL_LIMIT,
        "limit": DRILL_LIMIT,
        "self_evidence": list(found.self_assessment.evidence.all())
        if found.self_assessment
        else [],
        "may_appeal": may_appeal,
        "appeal_url": reverse("evaluation:appeal_create", args=[cycle.pk, office.pk])
        + f"?criterion={criterion.code}",
        **nav(user, cycle),
    }
    return render(request, "evaluation/drill.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request: HttpRequest, cycle_id: int, office_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle, office = office_for(user, cycle_id, office_id)
    policy.require(user, "evaluation.appeal", office)
    criteria = selectors.criteria_of(cycle)
    initial = {"criterion": request.GET.get("criterion", "")}
    data = request.POST if request.method == "POST" else None
    form = AppealForm(data, criteria=criteria, initial=initial)
    window_open = cycle.appeals_open_on(jalali.today())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appeal_file(
                    actor=user,
                    cycle=cycle,
                    office=office,
                    text=form.cleaned_data["text"],
                    criterion=form.chosen_criterion(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("اعتراض شما ثبت شد و به مرکز ارتباطات وزارت رسید. پاسخ را همین‌جا می‌بینید."),
                )
                return redirect("evaluation:office_detail", cycle.pk, office.pk)
        status = 400
    context = {
        "cycle": cycle,
        "office": office,
        "form": form,
        "window_open": window_open,
        **nav(user, cycle),
    }
    return render(request, "evaluation/appeal_form.html", context, status=status)
