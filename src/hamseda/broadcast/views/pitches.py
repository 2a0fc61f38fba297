"""Pages of pitches: the list (filters, Persian search in any spelling), the
chair's review queue, writing and editing a pitch, its page with the review
form, submitting, and its files."""

from __future__ import annotations

import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.broadcast import selectors, services
from hamseda.broadcast.forms import PitchFilterForm, PitchForm, ReviewForm
from hamseda.broadcast.models import Pitch, PitchStatus
from hamseda.core import policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.forms import add_service_errors
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach
from hamseda.directory.models import Person


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _may_pitch(user: Person) -> bool:
    return user.office is not None and policy.can(user, "broadcast.pitch", user.office)


def nav_context(user: Person) -> dict[str, object]:
    """What the broadcast pages' tabs need."""
    return {
        "can_pitch": _may_pitch(user),
        "can_review": policy.reach(user, "broadcast.review") > Reach.NONE,
        "can_dispatch": policy.reach(user, "broadcast.dispatch") > Reach.NONE,
        "queue_count": selectors.review_queue(viewer=user).count(),
    }


@login_required
@require_GET
def pitch_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "broadcast.view") == Reach.NONE:
        raise PermissionDenied
    form = PitchFilterForm(request.GET or None, viewer=user)
    filters = form.filters()
    page = page_of(request, selectors.pitch_list(viewer=user, filters=filters))
    counts = selectors.status_counts(viewer=user)
    context = {
        "page_obj": page,
        "form": form,
        "counts": [
            (value, label, counts.get(value, 0))
            for value, label in PitchStatus.choices
            if counts.get(value, 0)
        ],
        "current_status": filters.status,
        "tab": "pitches",
        **nav_context(user),
    }
    if _htmx(request):
        return render(request, "broadcast/partials/_pitch_results.html", context)
    return render(request, "broadcast/pitch_list.html", context)


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "broadcast.review") == Reach.NONE:
        raise PermissionDenied
    pitches = list(selectors.review_queue(viewer=user))
    context = {"pitches": pitches, "tab": "queue", **nav_context(user)}
    return render(request, "broadcast/review_queue.html", context)


def _form_page(
    request: HttpRequest, form: PitchForm, *, title: str, pitch: Pitch | None, autosave: str
) -> HttpResponse:
    return render(
        request,
        "broadcast/pitch_form.html",
        {"form": form, "title": title, "pitch": pitch, "autosave": autosave},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pitch_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    office = user.office
    if office is None or not _may_pitch(user):
        raise PermissionDenied
    form = PitchForm(request.POST or None, request.FILES or None, office=office)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            pitch = services.pitch_create(
                actor=user, office=office, submit=submit, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error, {"files": "file"})
        else:
            messages.success(
                request,
                _("سوژه برای بررسی به رئیس شورا فرستاده شد.")
                if submit
                else _("پیش‌نویس سوژه ذخیره شد."),
            )
            return redirect(pitch)
    return _form_page(request, form, title=_("سوژه تازه"), pitch=None, autosave="pitch-new")


@login_required
@require_http_methods(["GET", "POST"])
def pitch_edit(request: HttpRequest, pitch_id: int) -> HttpResponse:
    user = signed_in(request)
    pitch = selectors.pitch_get_for(viewer=user, pitch_id=pitch_id)
    policy.require(user, "broadcast.pitch", pitch)
    if not pitch.is_editable:
        messages.error(request, _("این سوژه فرستاده شده و دیگر ویرایش نمی‌شود."))
        return redirect(pitch)
    form = PitchForm(request.POST or None, request.FILES or None, office=pitch.office, pitch=pitch)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            services.pitch_edit(actor=user, pitch=pitch, **form.service_fields())
            if submit:
                services.pitch_submit(actor=user, pitch=pitch)
        except ValidationError as error:
            add_service_errors(form, error, {"files": "file"})
        else:
            messages.success(
                request,
                _("سوژه برای بررسی به رئیس شورا فرستاده شد.") if submit else _("سوژه ذخیره شد."),
            )
            return redirect(pitch)
    return _form_page(
        request, form, title=_("ویرایش سوژه"), pitch=pitch, autosave=f"pitch-{pitch.pk}-edit"
    )


def _detail(
    request: HttpRequest, user: Person, pitch: Pitch, review_form: ReviewForm | None = None
) -> HttpResponse:
    can_review = pitch.status == PitchStatus.SUBMITTED and policy.can(
        user, "broadcast.review", pitch
    )
    item = getattr(pitch, "dispatch_item", None)
    context = {
        "pitch": pitch,
        "files": list(pitch.files.all()),
        "item": item,
        "can_edit": pitch.is_editable and policy.can(user, "broadcast.pitch", pitch),
        "can_review": can_review,
        "review_form": (review_form or ReviewForm()) if can_review else None,
        "history": audit_history(viewer=user, target=pitch),
    }
    status = 400 if review_form is not None and review_form.errors else 200
    return render(request, "broadcast/pitch_detail.html", context, status=status)


@login_required
@require_GET
def pitch_detail(request: HttpRequest, pitch_id: int) -> HttpResponse:
    user = signed_in(request)
    return _detail(request, user, selectors.pitch_get_for(viewer=user, pitch_id=pitch_id))


@login_required
@require_POST
def pitch_submit(request: HttpRequest, pitch_id: int) -> HttpResponse:
    user = signed_in(request)
    pitch = selectors.pitch_get_for(viewer=user, pitch_id=pitch_id)
    try:
        services.pitch_submit(actor=user, pitch=pitch)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("سوژه برای بررسی به رئیس شورا فرستاده شد."))
    return redirect(pitch)


@login_required
@require_POST
def pitch_review(request: HttpRequest, pitch_id: int) -> HttpResponse:
    user = signed_in(request)
    pitch = selectors.pitch_get_for(viewer=user, pitch_id=pitch_id)
    policy.require(user, "broadcast.review", pitch)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            pitch = services.pitch_review(
                actor=user,
                pitch=pitch,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("«%(title)s»: %(status)s")
                % {"title": pitch.title, "status": pitch.get_status_display()},
            )
            nxt = request.POST.get("next", "")
            if nxt == "queue":
                return redirect("broadcast:review_queue")
            return redirect(pitch)
    pitch = selectors.pitch_get_for(viewer=user, pitch_id=pitch_id)
    return _detail(request, user, pitch, review_form=form)


@login_required
@require_GET
def pitch_file(request: HttpRequest, file_id: int) -> FileResponse:
    user = signed_in(request)
    document = selectors.file_get_for(viewer=user, file_id=file_id)
    name = os.path.basename(document.file.name or "file")
    extension = os.path.splitext(name)[1]
    response = FileResponse(
        document.file.open("rb"),
        content_type=mimetypes.types_map.get(extension.lower(), "application/octet-stream"),
    )
    response["Content-Disposition"] = content_disposition(
        f"{document.title}{extension}", f"pitch-file-{document.pk}{extension}"
    )
    return response


@login_required
@require_POST
def pitch_file_remove(request: HttpRequest, file_id: int) -> HttpResponse:
    user = signed_in(request)
    document = selectors.file_get_for(viewer=user, file_id=file_id)
    pitch = document.pitch
    try:
        services.pitch_file_remove(actor=user, document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("پیوست حذف شد."))
    return redirect(pitch)
