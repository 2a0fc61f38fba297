"""HTML pages of the minutes: live minute-taking, resolutions, approval, exports.

The live page saves the text with htmx and answers with the status partial (and
the new version, swapped out of band into the form's hidden input); resolutions
are added, edited and removed in place, every answer being the whole resolutions
panel. Without JavaScript the same URLs work as ordinary forms.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import policy
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.forms import add_service_errors
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Person
from hamseda.meetings import exports, selectors
from hamseda.meetings.forms_minutes import MinutesForm, ResolutionForm
from hamseda.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MeetingStatus,
    Minutes,
    ReportItem,
    Resolution,
)
from hamseda.meetings.services import minutes as services
from hamseda.meetings.services.minutes import RAISED_KINDS, MinutesConflict

# --- reads ---------------------------------------------------------------------------


def _meeting_for(viewer: Person, meeting_id: int) -> Meeting:
    """A meeting the viewer may see; another province's is a 404 (the selector)."""
    return selectors.meeting_get_for(viewer=viewer, meeting_id=meeting_id)


def _resolution_for(meeting: Meeting, resolution_id: int) -> Resolution:
    return get_object_or_404(
        Resolution.objects.select_related("meeting__council").prefetch_related(
            "responsible_offices"
        ),
        pk=resolution_id,
        meeting=meeting,
    )


def _raised_items(meeting: Meeting) -> list[ReportItem]:
    """Problems, viewpoints and suggestions the offices brought to the meeting."""
    return list(
        ReportItem.objects.filter(report__meeting=meeting, kind__in=RAISED_KINDS)
        .select_related("report__office")
        .order_by("report__office__sort_key", "kind", "position", "pk")
    )


def _locked(meeting: Meeting, minutes: Minutes | None) -> bool:
    return meeting.status == MeetingStatus.APPROVED or bool(minutes and minutes.is_approved)


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- the resolutions panel -------------------------------------------------------------


def _panel_context(
    meeting: Meeting,
    *,
    editable: bool,
    form: ResolutionForm | None = None,
    editing: Resolution | None = None,
    notice: str = "",
) -> dict[str, Any]:
    resolutions = exports.resolutions_of(meeting)
    raised = _raised_items(meeting)
    decided = {r.source_item_id: r for r in resolutions if r.source_item_id}
    if form is None and editable:
        form = ResolutionForm(meeting=meeting)
    source = None
    if form is not None:
        source_id = form["source_item"].value()
        source = next((item for item in raised if str(item.pk) == str(source_id)), None)
    if editing is not None:
        form_action = reverse("meetings:resolution_edit", args=[meeting.pk, editing.pk])
        autosave = f"resolution-{editing.pk}"
    else:
        form_action = reverse("meetings:resolution_add", args=[meeting.pk])
        # The count is part of the key: after an add the fresh form has a new key,
        # so hamseda.js drops the saved draft instead of restoring it into the
        # empty form; after errors the key is the same and the draft stays.
        autosave = f"resolution-{meeting.pk}-new-{len(resolutions)}"
        if source is not None:
            autosave += f"-item-{source.pk}"
    return {
        "meeting": meeting,
        "resolutions": resolutions,
        "raised": [(item, decided.get(item.pk)) for item in raised],
        "editable": editable,
        "form": form,
        "editing": editing,
        "source": source,
        "form_action": form_action,
        "autosave": autosave,
        "notice": notice,
    }


def _back_to_resolutions(meeting: Meeting) -> HttpResponse:
    return redirect(reverse("meetings:minutes_edit", args=[meeting.pk]) + "#resolutions")


def _panel(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "meetings/partials/_resolutions_panel.html", context)


def _editable_for(user: Person, meeting: Meeting) -> bool:
    minutes = Minutes.objects.filter(meeting=meeting).first()
    return (
        policy.can(user, "meeting.manage", meeting)
        and meeting.status != MeetingStatus.CANCELLED
        and not _locked(meeting, minutes)
    )


def _resolution_form_page(
    request: HttpRequest, meeting: Meeting, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The resolution form on a page of its own (no JavaScript)."""
    return render(request, "meetings/minutes_resolution_form.html", context, status=status)


# --- pages ---------------------------------------------------------------------------


@login_required
@require_GET
def minutes_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    doc = exports.minutes_document(meeting)
    locked = _locked(meeting, doc.minutes)
    open_meeting = meeting.status != MeetingStatus.CANCELLED
    my_ack = next((a for a in doc.acknowledgers if a.person.pk == user.pk), None)
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "doc": doc,
            "meeting": meeting,
            "can_edit": open_meeting and not locked and policy.can(user, "meeting.manage", meeting),
            "can_approve": open_meeting
            and not locked
            and policy.can(user, "minutes.approve", meeting),
            "can_acknowledge": locked
            and (my_ack is None or my_ack.acknowledged_at is None)
            and services.may_acknowledge(user, meeting),
            "my_ack": my_ack,
            "start_clock": exports.clock(doc.meeting.starts_at),
            "end_clock": exports.clock(doc.ends_at),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The secretary's live page: the text (autosaved) and the resolutions."""
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    policy.require(user, "meeting.manage", meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if _locked(meeting, minutes) or meeting.status == MeetingStatus.CANCELLED:
        if meeting.status == MeetingStatus.CANCELLED:
            closed = _("این جلسه لغو شده است و صورتجلسه ندارد.")
        else:
            closed = _("صورتجلسه این جلسه تأیید شده است و فقط خواندنی است.")
        if _htmx(request):
            return render(
                request,
                "meetings/partials/_minutes_status.html",
                {"state": "error", "message": closed, "meeting": meeting},
            )
        messages.info(request, closed)
        return redirect("meetings:minutes_detail", meeting_id=meeting.pk)

    status_context: dict[str, Any] = {"state": "idle", "minutes": minutes, "meeting": meeting}
    response_status = 200
    if request.method == "POST":
        # «یکی کردم …» after a conflict sends the version the user has now seen.
        version = request.POST.get("adopt_version") or request.POST.get("version", "")
        form = MinutesForm({"body": request.POST.get("body", ""), "version": version})
        if not form.is_valid():
            status_context = {
                "state": "error",
                "message": _("صفحه را دوباره باز کنید؛ نسخه صورتجلسه نامعتبر است."),
                "meeting": meeting,
            }
            response_status = 400
        else:
            try:
                minutes = services.minutes_save(
                    actor=user,
                    meeting=meeting,
                    body=form.cleaned_data["body"],
                    version=form.cleaned_data["version"],
                )
            except MinutesConflict as conflict:
                status_context = {"state": "conflict", "conflict": conflict, "meeting": meeting}
                response_status = 409
            except ValidationError as error:
                status_context = {
                    "state": "error",
                    "message": " ".join(error.messages),
                    "meeting": meeting,
                }
                response_status = 400
            else:
                status_context = {
                    "state": "saved",
                    "meeting": meeting,
                    "minutes": minutes,
                    "saved_clock": exports.clock(timezone.now()),
                }
                if not _htmx(request):
                    saved = _("صورتجلسه ساعت %(time)s ذخیره شد.")
                    messages.success(request, saved % {"time": status_context["saved_clock"]})
                    return redirect("meetings:minutes_edit", meeting_id=meeting.pk)
        if _htmx(request):
            # htmx swaps only 2xx answers: a conflict is a normal, shown outcome here.
            status_context["oob_version"] = (
                status_context["minutes"].version if status_context.get("minutes") else None
            )
            return render(request, "meetings/partials/_minutes_status.html", status_context)
    else:
        form = MinutesForm(
            initial={
                "body": minutes.body if minutes else "",
                "version": minutes.version if minutes else 0,
            }
        )
    attendance = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("office")
        .order_by("office__sort_key")
    )
    context = {
        "meeting": meeting,
        "minutes_form": form,
        "status": status_context,
        "agenda": AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenting_office")
        .order_by("position", "pk"),
        "present": [a for a in attendance if a.status in services.ATTENDED],
        "absent": [a for a in attendance if a.status not in services.ATTENDED],
        **_panel_context(meeting, editable=True),
    }
    return render(request, "meetings/minutes_edit.html", context, status=response_status)


@login_required
@require_http_methods(["GET", "POST"])
def resolution_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    policy.require(user, "meeting.manage", meeting)
    editable = _editable_for(user, meeting)
    if request.method == "GET":
        initial: dict[str, Any] = {}
        item_id = request.GET.get("source_item", "")
        if item_id.isdigit():
            item = ReportItem.objects.filter(
                pk=item_id, report__meeting=meeting, kind__in=RAISED_KINDS
            ).first()
            if item is not None:
                initial = {"text": item.text, "source_item": item.pk}
        form = ResolutionForm(meeting=meeting, initial=initial) if editable else None
        context = _panel_context(meeting, editable=editable, form=form)
        return (
            _panel(request, context)
            if _htmx(request)
            else _resolution_form_page(request, meeting, context)
        )
    form = ResolutionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            resolution = services.resolution_add(
                actor=user, meeting=meeting, **form.service_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            notice = _("مصوبه %(number)s ثبت شد.") % {"number": fa_digits(resolution.number)}
            if not _htmx(request):
                messages.success(request, notice)
                return _back_to_resolutions(meeting)
            return _panel(request, _panel_context(meeting, editable=editable, notice=notice))
    context = _panel_context(meeting, editable=editable, form=form)
    if _htmx(request):
        return _panel(request, context)
    return _resolution_form_page(request, meeting, context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def resolution_edit(request: HttpRequest, meeting_id: int, resolution_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    policy.require(user, "meeting.manage", meeting)
    resolution = _resolution_for(meeting, resolution_id)
    editable = _editable_for(user, meeting)
    if request.method == "GET":
        if not editable:
            context = _panel_context(meeting, editable=False)
        else:
            form = ResolutionForm(meeting=meeting, instance=resolution)
            context = _panel_context(meeting, editable=True, form=form, editing=resolution)
        return (
            _panel(request, context)
            if _htmx(request)
            else _resolution_form_page(request, meeting, context)
        )
    form = ResolutionForm(request.POST, meeting=meeting, instance=resolution)
    if form.is_valid():
        try:
            services.resolution_update(actor=user, resolution=resolution, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            notice = _("مصوبه %(number)s ویرایش شد.") % {"number": fa_digits(resolution.number)}
            if not _htmx(request):
                messages.success(request, notice)
                return _back_to_resolutions(meeting)
            return _panel(request, _panel_context(meeting, editable=editable, notice=notice))
    context = _panel_context(meeting, editable=editable, form=form, editing=resolution)
    if _htmx(request):
        return _panel(request, context)
    return _resolution_form_page(request, meeting, context, status=400)


@login_required
@require_POST
def resolution_remove(request: HttpRequest, meeting_id: int, resolution_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    resolution = _resolution_for(meeting, resolution_id)
    number = resolution.number
    try:
        services.resolution_remove(actor=user, resolution=resolution)
    except ValidationError as error:
        notice, ok = " ".join(error.messages), False
    else:
        notice, ok = _("مصوبه %(number)s حذف شد.") % {"number": fa_digits(number)}, True
    if not _htmx(request):
        (messages.success if ok else messages.error)(request, notice)
        return _back_to_resolutions(meeting)
    return _panel(
        request,
        _panel_context(meeting, editable=_editable_for(user, meeting), notice=notice),
    )


@login_required
@require_POST
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    try:
        services.minutes_approve(actor=user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("صورتجلسه تأیید شد و از حاضران جلسه خواسته شد آن را رؤیت کنند."),
        )
    return redirect("meetings:minutes_detail", meeting_id=meeting.pk)


@login_required
@require_POST
def minutes_acknowledge(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = _meeting_for(user, meeting_id)
    try:
        services.minutes_acknowledge(actor=user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("رؤیت صورتجلسه ثبت شد."))
    return redirect("meetings:minutes_detail", meeting_id=meeting.pk)


# --- downloads -------------------------------------------------------------------------


@login_required
@require_GET
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for(signed_in(request), meeting_id)
    filename = exports.download_filename(meeting, _("صورتجلسه"), "pdf")
    return HttpResponse(
        exports.minutes_pdf(meeting),
        content_type="application/pdf",
        headers={
            "Content-Disposition": content_disposition(filename, f"minutes-{meeting.number}.pdf")
        },
    )


@login_required
@require_GET
def resolutions_xlsx(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_for(signed_in(request), meeting_id)
    filename = exports.download_filename(meeting, _("مصوبات"), "xlsx")
    return HttpResponse(
        exports.resolutions_xlsx(meeting),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": content_disposition(
                filename, f"resolutions-{meeting.number}.xlsx"
            )
        },
    )


urlpatterns: list[URLPattern] = [
    path("<int:meeting_id>/minutes/", minutes_detail, name="minutes_detail"),
    path("<int:meeting_id>/minutes/edit/", minutes_edit, name="minutes_edit"),
    path("<int:meeting_id>/minutes/approve/", minutes_approve, name="minutes_approve"),
    path("<int:meeting_id>/minutes/acknowledge/", minutes_acknowledge, name="minutes_acknowledge"),
    path("<int:meeting_id>/minutes/pdf/", minutes_pdf, name="minutes_pdf"),
    path("<int:meeting_id>/minutes/resolutions.xlsx", resolutions_xlsx, name="resolutions_xlsx"),
    path("<int:meeting_id>/minutes/resolutions/add/", resolution_add, name="resolution_add"),
    path(
        "<int:meeting_id>/minutes/resolutions/<int:resolution_id>/edit/",
        resolution_edit,
        name="resolution_edit",
    ),
    path(
        "<int:meeting_id>/minutes/resolutions/<int:resolution_id>/remove/",
        resolution_remove,
        name="resolution_remove",
    ),
]
