"""HTML pages of activities: the list (with exports), one activity, the form
that warns about parallel work before saving, joining as a partner, files."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.activities import exports, overlap, selectors, services
from hamseda.activities.forms import (
    ActivityFilterForm,
    ActivityForm,
    AttachmentForm,
    JoinForm,
    activity_initial,
)
from hamseda.activities.models import Activity, ActivityStatus, Channel
from hamseda.activities.selectors import ActivityFilters
from hamseda.core import jalali, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.forms import add_service_errors, submit
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach, Scope
from hamseda.directory.models import Person

CHANNEL_LABELS: dict[str, Any] = dict(Channel.choices)

# --- list and exports ----------------------------------------------------------------


def _filter_form(request: HttpRequest, user: Person) -> tuple[ActivityFilterForm, ActivityFilters]:
    form = ActivityFilterForm(request.GET or None, viewer=user)
    return form, form.filters() if form.is_bound else ActivityFilters()


def _can_create(user: Person) -> bool:
    return policy.reach(user, "activity.edit") > Reach.NONE


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "activity.view") == Reach.NONE:
        raise PermissionDenied
    form, filters = _filter_form(request, user)
    page = page_of(request, selectors.activity_list(viewer=user, filters=filters))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page_obj": page,
        "form": form,
        "query": query.urlencode(),
        "is_national": policy.reach(user, "activity.view") == Reach.ANY,
        "can_create": _can_create(user),
        "can_review": policy.reach(user, "activity.merge") > Reach.NONE,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "activities/partials/_results.html", context)
    return render(request, "activities/activity_list.html", context)


@login_required
def activity_export(request: HttpRequest, fmt: str) -> HttpResponse:
    user = signed_in(request)
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown format")
    _form, filters = _filter_form(request, user)
    activities = selectors.activity_list(viewer=user, filters=filters)
    stamp = jalali.format_date(jalali.today()).replace("/", "-")
    if fmt == "xlsx":
        body = exports.activities_xlsx(activities)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.activities_csv(activities)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(
        f"{_('فعالیت‌ها')} {stamp}.{fmt}", f"activities.{fmt}"
    )
    return response


# --- one activity ---------------------------------------------------------------------


def _viewer_may_join(user: Person, activity: Activity) -> bool:
    office = user.office
    if office is None or activity.merged_into_id is not None:
        return False
    if activity.status == ActivityStatus.CANCELLED or activity.lead_office_id == office.pk:
        return False
    if any(partner.pk == office.pk for partner in activity.partners.all()):
        return False
    return (
        office.agency.province_id == activity.province_id
        and policy.can(user, "activity.join", activity)
        and policy.can(user, "activity.edit", Scope(office.agency.province_id, office.pk))
    )


def _detail(
    request: HttpRequest, user: Person, activity: Activity, *, forms: dict[str, Any] | None = None
) -> HttpResponse:
    forms = forms or {}
    can_edit = policy.can(user, "activity.edit", activity) and activity.merged_into_id is None
    context = {
        "activity": activity,
        "partnerships": list(activity.partnerships.all()),
        "can_edit": can_edit,
        "can_join": _viewer_may_join(user, activity),
        "join_form": forms.get("join") or JoinForm(),
        "file_form": forms.get("file") or AttachmentForm(),
        "history": audit_history(viewer=user, target=activity),
        "channels": [CHANNEL_LABELS.get(c, c) for c in activity.channels],
        # Media coverage of a news release: the stories monitoring linked to it.
        "stories": list(activity.stories.order_by("-outlet_count", "-last_published_at")[:20]),
    }
    return render(request, "activities/activity_detail.html", context)


@login_required
def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = signed_in(request)
    activity = selectors.activity_get_for(viewer=user, activity_id=activity_id)
    return _detail(request, user, activity)


def _form_page(
    request: HttpRequest,
    form: ActivityForm,
    *,
    activity: Activity | None = None,
    matches: list[overlap.Match] | None = None,
) -> HttpResponse:
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "matches": matches or [],
            "join_form": JoinForm(),
        },
        status=200,
    )


def _initial_for_new(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"status": ActivityStatus.PLANNED, "start_date": jalali.today()}
    # The calendar's "+" links carry the day as an ISO date.
    with contextlib.suppress(ValueError):
        initial["start_date"] = dt.date.fromisoformat(request.GET.get("date", ""))
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        initial["campaigns"] = [int(campaign)]
    return initial


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not _can_create(user):
        raise PermissionDenied
    if request.method != "POST":
        form = ActivityForm(viewer=user, initial=_initial_for_new(request))
        return _form_page(request, form)
    form = ActivityForm(request.POST, viewer=user)
    if not form.is_valid():
        return _form_page(request, form)
    office = form.office_for_save()
    if office is None:
        form.add_error(None, _("حساب شما به روابط عمومی هیچ دستگاهی وصل نیست."))
        return _form_page(request, form)
    try:
        activity = services.activity_create(
            actor=user,
            office=office,
            overlap_confirmed=form.cleaned_data.get("overlap_confirmed") or False,
            **form.service_kwargs(),
        )
    except services.ParallelWork as found:
        # Shown before saving: join one of these, or confirm it is other work.
        return _form_page(request, form, matches=found.matches)
    except ValidationError as error:
        add_service_errors(form, error)
        return _form_page(request, form)
    messages.success(request, _("فعالیت ثبت شد."))
    return redirect(activity)


@login_required
def activity_edit(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = signed_in(request)
    activity = selectors.activity_get_for(viewer=user, activity_id=activity_id)
    policy.require(user, "activity.edit", activity)
    if activity.merged_into_id is not None:
        raise PermissionDenied
    form = ActivityForm(
        request.POST or None, viewer=user, activity=activity, initial=activity_initial(activity)
    )
    response = submit(
        request,
        form,
        lambda data: services.activity_edit(actor=user, activity=activity, **form.service_kwargs()),
        success=_("تغییرات فعالیت ذخیره شد."),
    )
    return response or _form_page(request, form, activity=activity)


@login_required
@require_POST
def overlap_check(request: HttpRequest) -> HttpResponse:
    """The live warning beside the form (htmx, as the user types): the same
    search the service runs when the form is sent."""
    user = signed_in(request)
    if not _can_create(user):
        raise PermissionDenied
    form = ActivityForm(request.POST, viewer=user)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    office = data.get("office") if "office" in form.fields else user.office
    matches: list[overlap.Match] = []
    title = str(data.get("title") or "")
    start = data.get("start_date")
    if office is not None and start is not None and len(title) >= 8:
        matches = overlap.find_overlaps(
            title=title,
            description=str(data.get("description") or ""),
            start_date=start,
            end_date=data.get("end_date") or start,
            province_id=office.agency.province_id,
            campaign_ids=[c.pk for c in data.get("campaigns") or []],
            exclude_office_ids=[office.pk],
        )
    return render(
        request,
        "activities/partials/_overlaps.html",
        {"matches": matches, "join_form": JoinForm(), "live": True},
    )


@login_required
@require_POST
def activity_join(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = signed_in(request)
    activity = selectors.activity_get_for(viewer=user, activity_id=activity_id)
    form = JoinForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: services.activity_join(
            actor=user,
            activity=activity,
            # Joined from the new-activity form: the draft says what this office brings.
            note=data["note"] or request.POST.get("title", ""),
        ),
        success=_("دستگاه شما به‌عنوان همکار به این فعالیت پیوست."),
        next_url=activity,
    )
    if response is None:
        # The service refused (already a partner, cancelled ...): say why.
        for error in form.errors.get("__all__", []) + form.errors.get("note", []):
            messages.error(request, str(error))
        return redirect(activity)
    return response


@login_required
@require_POST
def attachment_add(request: HttpRequest, activity_id: int) -> HttpResponse:
    user = signed_in(request)
    activity = selectors.activity_get_for(viewer=user, activity_id=activity_id)
    form = AttachmentForm(request.POST, request.FILES)
    response = submit(
        request,
        form,
        lambda data: services.attachment_add(
            actor=user, activity=activity, title=data["title"], file=data["file"]
        ),
        success=_("پیوست افزوده شد."),
        next_url=activity,
    )
    return response or _detail(request, user, activity, forms={"file": form})


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    user = signed_in(request)
    item = selectors.attachment_get_for(viewer=user, attachment_id=attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    name = os.path.basename(item.file.name or "")
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, attachment_id: int) -> HttpResponse:
    user = signed_in(request)
    item = selectors.attachment_get_for(viewer=user, attachment_id=attachment_id)
    activity = item.activity
    try:
        services.attachment_remove(actor=user, attachment=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("پیوست حذف شد."))
    return redirect(activity)
