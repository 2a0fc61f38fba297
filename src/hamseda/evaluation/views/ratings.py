"""An evaluator's worklist and rating form, an office's self-assessment, and the
evidence files behind both.

The rating and self-assessment pages save every criterion in one transaction:
when one is refused, none is saved and the page comes back with everything
typed (uploaded files aside: a browser never sends a file twice)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import persian
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors
from hamseda.directory.models import Person
from hamseda.evaluation import selectors
from hamseda.evaluation.forms_ratings import LevelForm, RatingForm, SelfAssessmentForm
from hamseda.evaluation.models import CycleStatus, EvidenceLink
from hamseda.evaluation.selectors import Line, Scorecard
from hamseda.evaluation.services.ratings import (
    evidence_remove,
    one_ranking,
    rating_save,
    self_assessment_save,
)
from hamseda.evaluation.views.offices import nav, number, office_for, rows_of


@login_required
@require_GET
def my_work(request: HttpRequest, cycle_id: int) -> HttpResponse:
    user = signed_in(request)
    cycle = selectors.cycle_get(viewer=user, cycle_id=cycle_id)
    items = selectors.evaluator_worklist(viewer=user, cycle=cycle)
    context = {
        "cycle": cycle,
        "items": items,
        "rated": sum(1 for item in items if item.of and item.rated >= item.of),
        "may_rate": cycle.status in (CycleStatus.SCORING, CycleStatus.APPEALS),
        **nav(user, cycle, "mine"),
    }
    return render(request, "evaluation/my_work.html", context)


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    """The form data of a POST (bound even when empty), or none for a GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


class _Refused(Exception):
    """Rolls back the criteria saved before the one that was refused."""


def _save_all(
    forms: list[tuple[Line, LevelForm]],
    save: Callable[[Line, LevelForm], Any],
    skip: Callable[[Line, LevelForm], bool],
) -> tuple[int, str]:
    """Save every filled-in criterion in one transaction. Returns how many were
    saved, or an error for the whole page (nothing chosen)."""
    valid = [form.is_valid() for _line, form in forms]  # every form, for every error
    if not all(valid):
        return 0, ""
    chosen = [(line, form) for line, form in forms if not form.is_blank()]
    if not chosen:
        return 0, _("برای دست‌کم یک شاخص سطحی برگزینید.")
    saved = 0
    try:
        with transaction.atomic(), one_ranking():
            for line, form in chosen:
                if skip(line, form):
                    continue
                try:
                    save(line, form)
                except ValidationError as error:
                    # "level" lands beside the level; "evidence" (a link that is
                    # not a page of Hamseda) at the top of the criterion's card.
                    add_service_errors(form, error)
                else:
                    saved += 1
            if any(form.errors for _line, form in chosen):
                raise _Refused
    except _Refused:
        return 0, ""
    return saved, ""


def _level_page(
    request: HttpRequest,
    user: Person,
    template: str,
    card: Scorecard,
    forms: list[tuple[Line, LevelForm]],
    page_error: str,
    links: dict[int, list[EvidenceLink]],
) -> HttpResponse:
    """Draw the rating or self-assessment page; ``links`` are the saved evidence
    of each criterion (by criterion id) that the user may remove."""
    failed = request.method == "POST"
    entries = [
        {"line": line, "form": form, "links": links.get(line.criterion.pk, [])}
        for line, form in forms
    ]
    context = {
        "cycle": card.cycle,
        "office": card.office,
        "card": card,
        "entries": entries,
        "all_links": [link for found in links.values() for link in found],
        "page_error": page_error,
        "failed": failed,
        "quantitative": [row for row in rows_of(card) if row.criterion.is_quantitative],
        **nav(user, card.cycle),
    }
    return render(request, template, context, status=400 if failed else 200)


def _card(request: HttpRequest, cycle_id: int, office_id: int) -> tuple[Person, Scorecard]:
    user = signed_in(request)
    cycle, office = office_for(user, cycle_id, office_id)
    return user, selectors.scorecard(viewer=user, cycle=cycle, office=office)


@login_required
@require_http_methods(["GET", "POST"])
def office_rate(request: HttpRequest, cycle_id: int, office_id: int) -> HttpResponse:
    user, card = _card(request, cycle_id, office_id)
    if not card.may_rate:
        raise PermissionDenied(_("شما ارزیاب این روابط عمومی در این دوره نیستید."))
    mine = {
        line.criterion.pk: view.rating
        for line in card.qualitative
        for view in line.ratings
        if view.rating.evaluator_id == user.pk
    }
    posted = _posted(request)
    forms: list[tuple[Line, LevelForm]] = []
    for line in card.qualitative:
        rating = mine.get(line.criterion.pk)
        initial = {"level": str(rating.level), "comment": rating.comment} if rating else {}
        form = RatingForm(
            *posted,
            criterion=line.criterion,
            host=request.get_host(),
            initial=initial,
        )
        forms.append((line, form))

    def skip(line: Line, form: LevelForm) -> bool:
        rating = mine.get(line.criterion.pk)
        return rating is not None and form.unchanged(rating.level, rating.comment)

    def save(line: Line, form: LevelForm) -> None:
        rating_save(
            actor=user,
            criterion=line.criterion,
            office=card.office,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            evidence=form.evidence(),
        )

    page_error = ""
    if request.method == "POST":
        saved, page_error = _save_all(forms, save, skip)
        if not page_error and not any(form.errors for _line, form in forms):
            _announce(request, user, card, saved)
            return redirect("evaluation:office_detail", card.cycle.pk, card.office.pk)
    own = {pk: list(rating.evidence.all()) for pk, rating in mine.items()}
    return _level_page(request, user, "evaluation/rate.html", card, forms, page_error, own)


def _announce(request: HttpRequest, user: Person, card: Scorecard, saved: int) -> None:
    """The success message: the office's new total and rank, read after the
    re-ranking that saving did."""
    if not saved:
        messages.info(request, _("چیزی تغییر نکرده بود؛ امتیازها همان است که بود."))
        return
    ranking = selectors.office_ranking(
        viewer=user, cycle=card.cycle, province_id=card.office.agency.province_id
    )
    result = next((r for r in ranking if r.office_id == card.office.pk), None)
    if result is None:
        messages.success(request, _("امتیاز ثبت شد."))
        return
    messages.success(
        request,
        _(
            "امتیاز ثبت شد. امتیاز کل {office} اکنون {total} است؛ رتبه کشوری {rank} و رتبه "
            "در استان {province_rank}."
        ).format(
            office=card.office.name,
            total=number(result.total, 2),
            rank=persian.fa_digits(result.rank),
            province_rank=persian.fa_digits(result.rank_in_province),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def office_self_assess(request: HttpRequest, cycle_id: int, office_id: int) -> HttpResponse:
    user, card = _card(request, cycle_id, office_id)
    if not card.may_self_assess:
        if card.cycle.status != CycleStatus.SCORING:
            raise PermissionDenied(_("خوداظهاری تنها تا پیش از اعلام رتبه‌بندی پذیرفته می‌شود."))
        raise PermissionDenied(_("خوداظهاری را تنها کارکنان خود این روابط عمومی ثبت می‌کنند."))
    posted = _posted(request)
    forms: list[tuple[Line, LevelForm]] = []
    for line in card.qualitative:
        item = line.self_assessment
        initial = {"level": str(item.level), "comment": item.comment} if item else {}
        form = SelfAssessmentForm(
            *posted,
            criterion=line.criterion,
            host=request.get_host(),
            initial=initial,
        )
        forms.append((line, form))

    def skip(line: Line, form: LevelForm) -> bool:
        item = line.self_assessment
        return item is not None and form.unchanged(item.level, item.comment)

    def save(line: Line, form: LevelForm) -> None:
        self_assessment_save(
            actor=user,
            criterion=line.criterion,
            office=card.office,
            level=form.cleaned_data["level"],
            comment=form.cleaned_data["comment"],
            evidence=form.evidence(),
        )

    page_error = ""
    if request.method == "POST":
        saved, page_error = _save_all(forms, save, skip)
        if not page_error and not any(form.errors for _line, form in forms):
            if saved:
                messages.success(
                    request, _("خوداظهاری ثبت شد؛ ارزیابان آن را کنار هر شاخص می‌بینند.")
                )
            else:
                messages.info(request, _("چیزی تغییر نکرده بود."))
            return redirect("evaluation:office_detail", card.cycle.pk, card.office.pk)
    own = {line.criterion.pk: line.self_evidence for line in card.qualitative}
    return _level_page(request, user, "evaluation/self_assess.html", card, forms, page_error, own)


# --- evidence files ---------------------------------------------------------------


def _link(request: HttpRequest, cycle_id: int, link_id: int) -> tuple[Person, EvidenceLink]:
    """An evidence link of ``cycle`` whose office's scorecard the user may read."""
    user = signed_in(request)
    cycle = selectors.cycle_get(viewer=user, cycle_id=cycle_id)
    link = selectors.evidence_get(viewer=user, cycle=cycle, link_id=link_id)
    return user, link


@login_required
@require_GET
def evidence_file(request: HttpRequest, cycle_id: int, link_id: int) -> HttpResponse | FileResponse:
    """Evidence files are served here, after the policy, never from /media/."""
    _user, link = _link(request, cycle_id, link_id)
    if not link.file:
        return redirect(link.url)
    try:
        handle = link.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=os.path.basename(link.file.name or "")
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, cycle_id: int, link_id: int) -> HttpResponse:
    user, link = _link(request, cycle_id, link_id)
    owner = link.rating or link.self_assessment
    assert owner is not None  # _link checked
    evidence_remove(actor=user, link=link)
    messages.success(request, _("مستند «{label}» برداشته شد.").format(label=link.label))
    page = "evaluation:office_rate" if link.rating_id else "evaluation:office_self_assess"
    fallback = reverse(page, args=[cycle_id, owner.office_id])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)
