"""HTML pages of meetings: schedule, agenda, member reports, attendance, calendars.

Thin: parse input, call a selector or a service, render a full page or, for
htmx, the partial that changed. The minutes pages are in ``views.minutes``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.forms import add_service_errors, submit
from hamseda.core.listing import int_param, page_of
from hamseda.core.policy import Reach
from hamseda.directory.models import Office, Person
from hamseda.meetings import ics, selectors, services
from hamseda.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingCancelForm,
    MeetingForm,
    ReportForms,
    ScheduleForm,
)
from hamseda.meetings.models import AgendaItem, Attendance, Meeting, MeetingStatus

FEED_DAYS_BACK = 60


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _minutes_links(meeting: Meeting) -> dict[str, str]:
    """The minutes pages, once the meeting has started: a planned meeting of next
    week has nothing to minute yet."""
    started = meeting.status != MeetingStatus.PLANNED or meeting.starts_at <= timezone.now()
    if not started or meeting.status == MeetingStatus.CANCELLED:
        return {"minutes_detail": "", "minutes_edit": ""}
    return {
        name: reverse(f"meetings:{name}", kwargs={"meeting_id": meeting.pk})
        for name in ("minutes_detail", "minutes_edit")
    }


def _form_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "meetings/form.html", context, status=status)


# --- list and detail -------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    status = request.GET.get("status", "")
    councils = selectors.council_choices(viewer=user)
    many_councils = policy.reach(user, "meeting.view") == Reach.ANY
    filters = selectors.MeetingFilters(
        status=status if status in MeetingStatus.values else "",
        council_id=int_param(request.GET, "council") if many_councils else None,
    )
    upcoming = list(selectors.meeting_upcoming(viewer=user, filters=filters)[:50])
    past = page_of(request, selectors.meeting_past(viewer=user, filters=filters), per_page=20)
    context = {
        "upcoming": upcoming,
        "page_obj": past,
        "filters": filters,
        "statuses": MeetingStatus.choices,
        "councils": councils if many_councils else None,
        "show_council": many_councils,
        "can_create": policy.reach(user, "meeting.manage") > Reach.NONE,
    }
    if _htmx(request):
        return render(request, "meetings/partials/_meeting_results.html", context)
    return render(request, "meetings/meeting_list.html", context)


def _agenda_context(
    user: Person,
    meeting: Meeting,
    form: AgendaItemForm | None = None,
    offices: list[Office] | None = None,
) -> dict[str, Any]:
    can_manage = policy.can(user, "meeting.manage", meeting)
    agenda_open = can_manage and meeting.status not in (
        MeetingStatus.CANCELLED,
        MeetingStatus.APPROVED,
    )
    if agenda_open and form is None:
        form = AgendaItemForm(
            offices=offices
            if offices is not None
            else selectors.council_offices(council=meeting.council)
        )
    return {
        "meeting": meeting,
        "can_manage": can_manage,
        "agenda": selectors.agenda_for(viewer=user, meeting=meeting),
        "agenda_open": agenda_open,
        "agenda_form": form if agenda_open else None,
    }


def _detail_context(user: Person, meeting: Meeting) -> dict[str, Any]:
    # The council's offices feed the agenda form, the report table and the
    # attendance list: read them once.
    offices = selectors.council_offices(council=meeting.council)
    reports = selectors.report_status(viewer=user, meeting=meeting, offices=offices)
    return {
        **_agenda_context(user, meeting, offices=offices),
        "reports": reports,
        "reports_submitted": sum(1 for row in reports if row.submitted),
        "reports_open": services.report_is_open(meeting),
        "my_office_id": user.office_id
        if user.office_id and any(row.office.pk == user.office_id for row in reports)
        else None,
        "attendance": selectors.attendance_for(viewer=user, meeting=meeting, offices=offices),
        "minutes": _minutes_links(meeting),
        "history": audit_history(viewer=user, target=meeting),
        "is_past": meeting.starts_at <= timezone.now(),
    }


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    return render(request, "meetings/meeting_detail.html", _detail_context(user, meeting))


# --- create, edit, cancel, held, invite ------------------------------------------------


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    councils = selectors.council_choices(viewer=user, action="meeting.manage")
    if not councils.exists():
        raise PermissionDenied
    form = MeetingForm(request.POST or None, councils=councils)

    def create(data: dict[str, Any]) -> Meeting:
        council = data.pop("council", None) or councils.get()
        return services.meeting_create(actor=user, council=council, **data)

    if done := submit(
        request,
        form,
        create,
        success=lambda meeting: _("«%(meeting)s» برنامه‌ریزی شد.") % {"meeting": meeting},
    ):
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("جلسه تازه"),
            "autosave": "meeting-create",
            "cancel_url": reverse("meetings:meeting_list"),
        },
    )


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    policy.require(user, "meeting.manage", meeting)
    form = MeetingForm(
        request.POST or None,
        initial={
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "duration_minutes": meeting.duration_minutes,
            "place": meeting.place,
        },
    )
    # The service works on its own copy: the page keeps showing the meeting as
    # stored if the service refuses.
    editable = Meeting.objects.select_related("council__province").get(pk=meeting.pk)
    if done := submit(
        request,
        form,
        lambda data: services.meeting_update(actor=user, meeting=editable, **data),
        success=_("تغییرات ذخیره شد."),
        next_url=meeting,
    ):
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("ویرایش جلسه"),
            "object": meeting,
            "autosave": f"meeting-{meeting.pk}",
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@login_required
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    policy.require(user, "meeting.manage", meeting)
    form = MeetingCancelForm(request.POST or None)
    if done := submit(
        request,
        form,
        lambda data: services.meeting_cancel(actor=user, meeting=meeting, **data),
        success=_("جلسه لغو شد."),
    ):
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("لغو جلسه"),
            "object": meeting,
            "autosave": f"meeting-{meeting.pk}-cancel",
            "cancel_url": meeting.get_absolute_url(),
            "submit_label": _("لغو جلسه"),
            "submit_class": "btn-danger",
        },
    )


@login_required
@require_POST
def meeting_mark_held(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    try:
        services.meeting_mark_held(actor=user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("جلسه برگزارشده ثبت شد."))
    return redirect(meeting)


@login_required
@require_POST
def meeting_invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    try:
        count = services.meeting_invite(actor=user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if count:
            messages.success(
                request,
                _("دعوت‌نامه برای %(count)s نفر فرستاده شد.") % {"count": persian.fa_digits(count)},
            )
        else:
            messages.info(request, _("دعوت‌نامه این جلسه پیش‌تر فرستاده شده بود."))
    return redirect(meeting)


# --- calendars -------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(viewer=signed_in(request), meeting_id=meeting_id)
    body = ics.calendar_for(
        [meeting], url_of={meeting.pk: request.build_absolute_uri(meeting.get_absolute_url())}
    )
    return _ics_response(body, f"meeting-{meeting.pk}.ics")


@login_required
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    feed_url = request.build_absolute_uri(
        reverse("meetings:calendar_feed", args=[ics.feed_token(user.pk)])
    )
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "meetings/calendar_subscribe.html",
        {"feed_url": feed_url, "webcal_url": webcal_url, "days_back": FEED_DAYS_BACK},
    )


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's meetings for calendar apps, which bring no session: the signed
    token in the URL says whose (``ics.feed_token``)."""
    user_pk = ics.feed_user_pk(token)
    user = (
        Person.objects.select_related("office__agency__province").filter(pk=user_pk).first()
        if user_pk is not None
        else None
    )
    if user is None or not user.is_active:
        raise Http404("not found")
    since = timezone.now() - dt.timedelta(days=FEED_DAYS_BACK)
    meetings = list(selectors.meeting_feed(viewer=user, since=since))
    body = ics.calendar_for(
        meetings,
        name=_("جلسات شورا — همصدا"),
        url_of={m.pk: request.build_absolute_uri(m.get_absolute_url()) for m in meetings},
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hamseda-meetings.ics"'
    return response


# --- agenda ----------------------------------------------------------------------------


def _agenda_response(
    request: HttpRequest, user: Person, meeting: Meeting, form: AgendaItemForm | None = None
) -> HttpResponse:
    """The agenda card for htmx, or back to the meeting page."""
    if not _htmx(request):
        return redirect(meeting)
    return render(request, "meetings/partials/_agenda.html", _agenda_context(user, meeting, form))


def _agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting"), pk=item_id, meeting=meeting
    )


@login_required
@require_POST
def agenda_item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    policy.require(user, "meeting.manage", meeting)
    form = AgendaItemForm(request.POST, offices=selectors.council_offices(council=meeting.council))
    if form.is_valid():
        try:
            services.agenda_item_add(actor=user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not _htmx(request):
                messages.success(request, _("بند به دستور جلسه افزوده شد."))
            return _agenda_response(request, user, meeting)
    if _htmx(request):
        return _agenda_response(request, user, meeting, form)
    return _form_page(
        request,
        {
            "form": form,
            "title": _("افزودن بند به دستور جلسه"),
            "object": meeting,
            "action": reverse("meetings:agenda_item_add", args=[meeting.pk]),
            "autosave": f"agenda-{meeting.pk}-new",
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@login_required
def agenda_item_edit(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    policy.require(user, "meeting.manage", meeting)
    item = _agenda_item(meeting, item_id)
    form = AgendaItemForm(
        request.POST or None,
        offices=selectors.council_offices(council=meeting.council),
        item=item,
    )
    if done := submit(
        request,
        form,
        lambda data: services.agenda_item_update(actor=user, item=item, **data),
        success=_("تغییرات ذخیره شد."),
        next_url=meeting,
    ):
        return done
    return _form_page(
        request,
        {
            "form": form,
            "title": _("ویرایش بند دستور جلسه"),
            "object": meeting,
            "autosave": f"agenda-{meeting.pk}-{item.pk}",
            "cancel_url": meeting.get_absolute_url(),
        },
    )


@login_required
@require_POST
def agenda_item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    item = _agenda_item(meeting, item_id)
    try:
        services.agenda_item_remove(actor=user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _agenda_response(request, user, meeting)


@login_required
@require_POST
def agenda_item_move(
    request: HttpRequest, meeting_id: int, item_id: int, direction: str
) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    if direction not in ("up", "down"):
        raise Http404("not found")
    item = _agenda_item(meeting, item_id)
    try:
        services.agenda_item_move(actor=user, item=item, direction=direction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _agenda_response(request, user, meeting)


# --- member reports --------------------------------------------------------------------


@login_required
def report_edit(request: HttpRequest, meeting_id: int, office_id: int) -> HttpResponse:
    """An office's report: the form for whoever reports for the office while the
    meeting is still ahead, read-only for everyone else and afterwards."""
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    office = selectors.office_of_meeting(viewer=user, meeting=meeting, office_id=office_id)
    report = selectors.report_get_for(viewer=user, meeting=meeting, office=office)
    editable = policy.can(user, "report.submit", office) and services.report_is_open(meeting)
    context: dict[str, Any] = {
        "meeting": meeting,
        "office": office,
        "report": report,
        "editable": editable,
    }
    if not editable:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "meetings/report_detail.html", context)
    add_row = request.POST.get("add_row", "") if request.method == "POST" else ""
    forms = ReportForms(
        request.POST if request.method == "POST" else None, report=report, add_row=add_row
    )
    if request.method == "POST" and not add_row and forms.is_valid():
        submit = "submit" in request.POST
        try:
            services.report_save(
                actor=user,
                meeting=meeting,
                office=office,
                summary=forms.summary_text,
                items=forms.items(),
                submit=submit,
            )
        except ValidationError as error:
            add_service_errors(forms.summary, error)
        else:
            messages.success(
                request,
                _("گزارش برای جلسه ارسال شد.") if submit else _("پیش‌نویس گزارش ذخیره شد."),
            )
            return redirect(meeting)
    context["forms"] = forms
    return render(request, "meetings/report_form.html", context)


@login_required
def briefing(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The chair's briefing: every report side by side, and the items of all
    offices grouped by kind. Printable."""
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    return render(
        request,
        "meetings/briefing.html",
        {"meeting": meeting, "briefing": selectors.briefing_for(viewer=user, meeting=meeting)},
    )


# --- attendance ------------------------------------------------------------------------


@login_required
def attendance_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in(request)
    meeting = selectors.meeting_get_for(viewer=user, meeting_id=meeting_id)
    policy.require(user, "meeting.manage", meeting)
    offices = selectors.council_offices(council=meeting.council)
    recorded = {a.office_id: a for a in Attendance.objects.filter(meeting=meeting)}
    form = AttendanceForm(request.POST or None, offices=offices, recorded=recorded)
    if done := submit(
        request,
        form,
        lambda _data: services.attendance_record(
            actor=user, meeting=meeting, entries=form.entries()
        ),
        success=_("حضور و غیاب ثبت شد."),
        next_url=meeting,
    ):
        return done
    return render(request, "meetings/attendance_form.html", {"meeting": meeting, "form": form})


# --- schedules -------------------------------------------------------------------------


@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    councils = selectors.council_choices(viewer=user, action="meeting.manage")
    can_manage = councils.exists()
    form = ScheduleForm(request.POST or None, councils=councils) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            council = data.pop("council", None) or councils.get()
            try:
                schedule = services.schedule_create(actor=user, council=council, **data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                created = services.schedule_plan(
                    schedule=schedule,
                    actor=user,
                    until=jalali.today() + dt.timedelta(days=services.PLAN_AHEAD_DAYS),
                )
                messages.success(
                    request,
                    _("برنامه تکرار ثبت شد و %(count)s جلسه برنامه‌ریزی شد.")
                    % {"count": persian.fa_digits(len(created))},
                )
                return redirect("meetings:schedule_list")
    return render(
        request,
        "meetings/schedule_list.html",
        {
            "schedules": selectors.schedule_list(viewer=user),
            "form": form,
            "plan_days": services.PLAN_AHEAD_DAYS,
        },
    )


@login_required
@require_POST
def schedule_plan(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user = signed_in(request)
    schedule = selectors.schedule_get_for(viewer=user, schedule_id=schedule_id)
    created = services.schedule_plan(
        schedule=schedule,
        actor=user,
        until=jalali.today() + dt.timedelta(days=services.PLAN_AHEAD_DAYS),
    )
    messages.success(
        request,
        _("%(count)s جلسه تازه برنامه‌ریزی شد.") % {"count": persian.fa_digits(len(created))},
    )
    return redirect("meetings:schedule_list")


@login_required
@require_POST
def schedule_set_active(request: HttpRequest, schedule_id: int) -> HttpResponse:
    user = signed_in(request)
    schedule = selectors.schedule_get_for(viewer=user, schedule_id=schedule_id)
    services.schedule_set_active(
        actor=user, schedule=schedule, is_active=request.POST.get("active") == "1"
    )
    messages.success(request, _("تغییرات ذخیره شد."))
    return redirect("meetings:schedule_list")


urlpatterns: list[URLPattern] = [
    path("", meeting_list, name="meeting_list"),
    path("new/", meeting_create, name="meeting_create"),
    path("schedules/", schedule_list, name="schedule_list"),
    path("schedules/<int:schedule_id>/plan/", schedule_plan, name="schedule_plan"),
    path("schedules/<int:schedule_id>/active/", schedule_set_active, name="schedule_set_active"),
    path("calendar/", calendar_subscribe, name="calendar_subscribe"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("<int:meeting_id>/", meeting_detail, name="meeting_detail"),
    path("<int:meeting_id>/edit/", meeting_edit, name="meeting_edit"),
    path("<int:meeting_id>/cancel/", meeting_cancel, name="meeting_cancel"),
    path("<int:meeting_id>/held/", meeting_mark_held, name="meeting_mark_held"),
    path("<int:meeting_id>/invite/", meeting_invite, name="meeting_invite"),
    path("<int:meeting_id>/meeting.ics", meeting_ics, name="meeting_ics"),
    path("<int:meeting_id>/agenda/", agenda_item_add, name="agenda_item_add"),
    path("<int:meeting_id>/agenda/<int:item_id>/edit/", agenda_item_edit, name="agenda_item_edit"),
    path(
        "<int:meeting_id>/agenda/<int:item_id>/remove/",
        agenda_item_remove,
        name="agenda_item_remove",
    ),
    path(
        "<int:meeting_id>/agenda/<int:item_id>/move/<str:direction>/",
        agenda_item_move,
        name="agenda_item_move",
    ),
    path("<int:meeting_id>/reports/<int:office_id>/", report_edit, name="report_edit"),
    path("<int:meeting_id>/briefing/", briefing, name="briefing"),
    path("<int:meeting_id>/attendance/", attendance_edit, name="attendance_edit"),
]
