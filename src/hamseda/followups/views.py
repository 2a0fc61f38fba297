"""HTML pages of follow-ups and the ministry inbox: full pages, or the results
partial when htmx asks (filters). Thin: parse, call a selector or a service, render."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.core import jalali, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach
from hamseda.directory.models import Person
from hamseda.followups import selectors, services
from hamseda.followups.forms import (
    FollowUpCancelForm,
    FollowUpCloseForm,
    FollowUpFilterForm,
    FollowUpReassignForm,
    FollowUpReopenForm,
    FollowUpUpdateForm,
    ReferralAssignForm,
    ReferralFilterForm,
    ReferralReplyForm,
)
from hamseda.followups.models import OPEN_STATUSES, FollowUp, Referral
from hamseda.followups.selectors import FollowUpFilters, ReferralFilters


def _referral(followup: FollowUp) -> Referral | None:
    try:
        return followup.referral
    except ObjectDoesNotExist:
        return None


# --- list and board ----------------------------------------------------------------


def _filter_form(request: HttpRequest, user: Person) -> tuple[FollowUpFilterForm, FollowUpFilters]:
    form = FollowUpFilterForm(request.GET or None, viewer=user)
    return form, form.filters() if form.is_bound else FollowUpFilters()


def _shared_context(user: Person) -> dict[str, Any]:
    return {
        "is_national": policy.reach(user, "meeting.view") == Reach.ANY,
        "can_answer": policy.reach(user, "referral.answer") > Reach.NONE,
    }


@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form, filters = _filter_form(request, user)
    today = jalali.today()
    page = page_of(request, selectors.followup_list(viewer=user, filters=filters, today=today))
    page.object_list = selectors.followup_days_overdue(list(page.object_list), today)
    context = {"page_obj": page, "form": form, "view": "list", **_shared_context(user)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "followups/partials/_results.html", context)
    return render(request, "followups/followup_list.html", context)


@login_required
def followup_board(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form, filters = _filter_form(request, user)
    columns = selectors.followup_board(viewer=user, filters=filters)
    context = {"columns": columns, "form": form, "view": "board", **_shared_context(user)}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "followups/partials/_board.html", context)
    return render(request, "followups/followup_board.html", context)


# --- one follow-up -------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    user: Person,
    followup: FollowUp,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    referral = _referral(followup)
    is_open = followup.status in OPEN_STATUSES
    context = {
        "followup": followup,
        "resolution": followup.resolution,
        "meeting": followup.resolution.meeting,
        "meeting_url": followup.resolution.meeting.get_absolute_url(),
        "offices": list(followup.offices.all()),
        "referral": referral,
        "updates": selectors.followup_history(viewer=user, followup=followup),
        "can_update": is_open and policy.can(user, "followup.update", followup),
        "can_manage": policy.can(user, "followup.manage", followup),
        "can_answer": referral is not None and policy.can(user, "referral.answer", referral),
        "is_open": is_open,
        "update_form": forms.get("update") or FollowUpUpdateForm(),
        "close_form": forms.get("close") or FollowUpCloseForm(),
        "reopen_form": forms.get("reopen") or FollowUpReopenForm(),
        "open_form": next(iter(forms), ""),
        "history": audit_history(viewer=user, target=followup),
    }
    return render(request, "followups/followup_detail.html", context, status=status)


@login_required
def followup_detail(request: HttpRequest, followup_id: int) -> HttpResponse:
    user = signed_in(request)
    followup = selectors.followup_get(viewer=user, followup_id=followup_id)
    return _detail(request, user, followup)


@login_required
@require_POST
def followup_update(request: HttpRequest, followup_id: int) -> HttpResponse:
    user = signed_in(request)
    followup = selectors.followup_get(viewer=user, followup_id=followup_id)
    policy.require(user, "followup.update", followup)
    form = FollowUpUpdateForm(request.POST, request.FILES)
    if done := submit(
        request,
        form,
        lambda data: services.followup_update_add(
            actor=user,
            followup=followup,
            text=data["text"],
            status=data["status"] or None,
            attachment=data["attachment"] or None,
        ),
        success=_("گزارش پیشرفت ثبت شد."),
        next_url=followup,
    ):
        return done
    return _detail(request, user, followup, forms={"update": form}, status=400)


@login_required
@require_POST
def followup_close(request: HttpRequest, followup_id: int) -> HttpResponse:
    user = signed_in(request)
    followup = selectors.followup_get(viewer=user, followup_id=followup_id)
    policy.require(user, "followup.update", followup)
    form = FollowUpCloseForm(request.POST, request.FILES)
    if done := submit(
        request,
        form,
        lambda data: services.followup_close(
            actor=user,
            followup=followup,
            note=data["note"],
            attachment=data["attachment"] or None,
        ),
        success=_("پیگیری بسته شد."),
        next_url=followup,
    ):
        return done
    return _detail(request, user, followup, forms={"close": form}, status=400)


@login_required
@require_POST
def followup_reopen(request: HttpRequest, followup_id: int) -> HttpResponse:
    user = signed_in(request)
    followup = selectors.followup_get(viewer=user, followup_id=followup_id)
    policy.require(user, "followup.manage", followup)
    form = FollowUpReopenForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.followup_reopen(actor=user, followup=followup, reason=data["reason"]),
        success=_("پیگیری دوباره باز شد."),
        next_url=followup,
    ):
        return done
    return _detail(request, user, followup, forms={"reopen": form}, status=400)


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    followup: FollowUp,
    title: str,
    autosave: str,
    danger: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "followups/form.html",
        {
            "form": form,
            "title": title,
            "object": followup,
            "autosave": autosave,
            "cancel_url": followup.get_absolute_url(),
            "danger": danger,
        },
        status=status,
    )


@login_required
def followup_cancel(request: HttpRequest, followup_id: int) -> HttpResponse:
    user = signed_in(request)
    followup = selectors.followup_get(viewer=user, followup_id=followup_id)
    policy.require(user, "followup.manage", followup)
    form = FollowUpCancelForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: services.followup_cancel(actor=user, followup=followup, reason=data["reason"]),
        success=_("پیگیری لغو شد."),
        next_url=followup,
    ):
        return done
    return _form_page(
        request,
        form,
        followup=followup,
        title=_("لغو پیگیری"),
        autosave=f"followup-{followup.pk}-cancel",
        danger=True,
        status=400 if form.errors else 200,
    )


@login_required
def followup_reassign(request: HttpRequest, followup_id: int) -> HttpResponse:
    user = signed_in(request)
    followup = selectors.followup_get(viewer=user, followup_id=followup_id)
    policy.require(user, "followup.manage", followup)
    form = FollowUpReassignForm(request.POST or None, followup=followup)
    if done := submit(
        request,
        form,
        lambda data: services.followup_reassign(
            actor=user,
            followup=followup,
            offices=data["offices"],
            due_date=data["due_date"],
        ),
        success=_("مسئول و مهلت پیگیری ذخیره شد."),
        next_url=followup,
    ):
        return done
    return _form_page(
        request,
        form,
        followup=followup,
        title=_("تغییر مسئول یا مهلت"),
        autosave=f"followup-{followup.pk}-reassign",
        status=400 if form.errors else 200,
    )


@login_required
def attachment(request: HttpRequest, update_id: int) -> FileResponse:
    """Evidence is served here, after the policy, never from /media/: a follow-up
    of one province is not readable by another's people by guessing a path."""
    update = selectors.attachment_get(viewer=signed_in(request), update_id=update_id)
    try:
        handle = update.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=os.path.basename(update.attachment.name or "")
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- ministry inbox ----------------------------------------------------------------


@login_required
def ministry_inbox(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = ReferralFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else ReferralFilters()
    page = page_of(request, selectors.referral_inbox(viewer=user, filters=filters))
    context = {"page_obj": page, "form": form}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "followups/partials/_inbox_results.html", context)
    return render(request, "followups/ministry_inbox.html", context)


def _referral_page(
    request: HttpRequest,
    user: Person,
    referral: Referral,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    followup = referral.followup
    assign_form = forms.get("assign") or ReferralAssignForm(
        initial={"department": referral.department, "assignee": referral.assignee_id}
    )
    reply_form = forms.get("reply") or ReferralReplyForm(initial={"reply": referral.reply})
    context = {
        "referral": referral,
        "followup": followup,
        "offices": list(followup.offices.all()),
        "meeting_url": followup.resolution.meeting.get_absolute_url(),
        "updates": selectors.followup_history(viewer=user, followup=followup),
        "assign_form": assign_form,
        "reply_form": reply_form,
        "history": audit_history(viewer=user, target=followup),
    }
    return render(request, "followups/referral_detail.html", context, status=status)


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in(request)
    referral = selectors.referral_get(viewer=user, referral_id=referral_id)
    return _referral_page(request, user, referral)


@login_required
@require_POST
def referral_assign(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in(request)
    referral = selectors.referral_get(viewer=user, referral_id=referral_id)
    form = ReferralAssignForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.referral_assign(actor=user, referral=referral, **data),
        success=_("واحد و کارشناس مسئول ذخیره شد."),
        next_url=reverse("followups:referral_detail", kwargs={"referral_id": referral.pk}),
    ):
        return done
    return _referral_page(request, user, referral, forms={"assign": form}, status=400)


@login_required
@require_POST
def referral_reply(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in(request)
    referral = selectors.referral_get(viewer=user, referral_id=referral_id)
    form = ReferralReplyForm(request.POST)
    if done := submit(
        request,
        form,
        lambda data: services.referral_reply(actor=user, referral=referral, reply=data["reply"]),
        success=_("پاسخ ثبت و برای شورای استان فرستاده شد."),
        next_url=reverse("followups:referral_detail", kwargs={"referral_id": referral.pk}),
    ):
        return done
    return _referral_page(request, user, referral, forms={"reply": form}, status=400)
