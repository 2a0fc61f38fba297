"""Pages of dispatches: the list, a new letter from approved pitches, the
letter's page (PDF, email, the broadcaster's answer per pitch) and the
province's broadcaster contact."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.broadcast import letter, selectors, services
from hamseda.broadcast.forms import AnswerForm, ContactForm, DispatchForm, SendForm
from hamseda.broadcast.models import Dispatch, DispatchItem
from hamseda.broadcast.views.pitches import nav_context
from hamseda.core import jalali, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.forms import add_service_errors, submit
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach, Scope
from hamseda.directory.models import Person, Province


@login_required
@require_GET
def dispatch_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "broadcast.view") == Reach.NONE:
        raise PermissionDenied
    query = request.GET.get("q", "")
    page = page_of(request, selectors.dispatch_list(viewer=user, query=query))
    contact = selectors.contact_for(user.province_id)
    context = {
        "page_obj": page,
        "q": query,
        "contact": contact,
        "ready_count": selectors.ready_to_dispatch(viewer=user).count(),
        "tab": "dispatches",
        **nav_context(user),
    }
    return render(request, "broadcast/dispatch_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dispatch_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "broadcast.dispatch") == Reach.NONE:
        raise PermissionDenied
    ready = selectors.ready_to_dispatch(viewer=user)
    form = DispatchForm(request.POST or None, ready=ready)
    if done := submit(
        request,
        form,
        lambda data: services.dispatch_create(
            actor=user,
            pitches=list(data["pitches"]),
            subject=data["subject"],
            intro=data["intro"],
            date=data["date"],
        ),
        success=lambda d: _("نامه شماره %(number)s تنظیم شد.") % {"number": d.number_fa},
    ):
        return done
    return render(
        request,
        "broadcast/dispatch_form.html",
        {
            "form": form,
            "contact": selectors.contact_for(user.province_id),
            "has_ready": ready.exists(),
        },
        status=400 if form.errors else 200,
    )


def _dispatch_page(
    request: HttpRequest,
    user: Person,
    dispatch: Dispatch,
    *,
    send_form: SendForm | None = None,
    answer_forms: dict[int, AnswerForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    can_dispatch = policy.can(user, "broadcast.dispatch", dispatch)
    programmes = selectors.programmes_of(dispatch.province_id)
    rows: list[dict[str, Any]] = []
    for item in dispatch.items.all():
        form = (answer_forms or {}).get(item.pk)
        if form is None and can_dispatch:
            form = AnswerForm(
                initial={
                    "outcome": item.outcome,
                    "aired_on": item.aired_on,
                    "programme": item.programme,
                    "link": item.link,
                    "note": item.note,
                },
                prefix=f"item{item.pk}",
                programmes=programmes,
            )
        rows.append({"item": item, "form": form, "open": bool(form is not None and form.errors)})
    context = {
        "dispatch": dispatch,
        "rows": rows,
        "can_dispatch": can_dispatch,
        "send_form": send_form or SendForm(initial={"to": dispatch.email_to}),
        "programmes": programmes,
        "history": audit_history(viewer=user, target=dispatch),
    }
    return render(request, "broadcast/dispatch_detail.html", context, status=status)


@login_required
@require_GET
def dispatch_detail(request: HttpRequest, dispatch_id: int) -> HttpResponse:
    user = signed_in(request)
    dispatch = selectors.dispatch_get_for(viewer=user, dispatch_id=dispatch_id)
    return _dispatch_page(request, user, dispatch)


@login_required
@require_GET
def dispatch_pdf(request: HttpRequest, dispatch_id: int) -> HttpResponse:
    user = signed_in(request)
    dispatch = selectors.dispatch_get_for(viewer=user, dispatch_id=dispatch_id)
    response = HttpResponse(services.dispatch_pdf(dispatch), content_type="application/pdf")
    disposition = content_disposition(
        letter.letter_filename(dispatch), letter.letter_ascii_filename(dispatch)
    )
    if request.GET.get("inline"):
        disposition = disposition.replace("attachment", "inline", 1)
    response["Content-Disposition"] = disposition
    return response


@login_required
@require_POST
def dispatch_send(request: HttpRequest, dispatch_id: int) -> HttpResponse:
    user = signed_in(request)
    dispatch = selectors.dispatch_get_for(viewer=user, dispatch_id=dispatch_id)
    policy.require(user, "broadcast.dispatch", dispatch)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            services.dispatch_send(actor=user, dispatch=dispatch, to=form.cleaned_data["to"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("نامه و پیوست‌ها به %(to)s فرستاده شد.") % {"to": form.cleaned_data["to"]},
            )
            return redirect(dispatch)
    return _dispatch_page(request, user, dispatch, send_form=form, status=400)


@login_required
@require_POST
def answer_record(request: HttpRequest, dispatch_id: int, item_id: int) -> HttpResponse:
    user = signed_in(request)
    item: DispatchItem = selectors.item_get_for(
        viewer=user, dispatch_id=dispatch_id, item_id=item_id
    )
    policy.require(user, "broadcast.dispatch", item.dispatch)
    form = AnswerForm(
        request.POST,
        prefix=f"item{item.pk}",
        programmes=selectors.programmes_of(item.dispatch.province_id),
    )
    if form.is_valid():
        try:
            services.answer_record(actor=user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("پاسخ صدا و سیما برای «%(title)s» ثبت شد.") % {"title": item.pitch.title}
            )
            return redirect(
                reverse("broadcast:dispatch_detail", args=[dispatch_id]) + f"#item-{item.pk}"
            )
    dispatch = selectors.dispatch_get_for(viewer=user, dispatch_id=dispatch_id)
    return _dispatch_page(request, user, dispatch, answer_forms={item.pk: form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    province_id = user.province_id
    if province_id is None or not policy.can(
        user, "broadcast.dispatch", Scope(province_id=province_id, office_id=None)
    ):
        raise PermissionDenied
    province = Province.objects.get(pk=province_id)
    contact = selectors.contact_for(province_id)
    initial: dict[str, Any] = {}
    if contact is not None:
        initial = {
            "name": contact.name,
            "email": contact.email,
            "contact_person": contact.contact_person,
            "phone": contact.phone,
            "programmes": "\n".join(contact.programmes or []),
        }
    form = ContactForm(request.POST or None, initial=initial)
    if done := submit(
        request,
        form,
        lambda data: services.contact_save(actor=user, province=province, **form.service_fields()),
        success=_("مشخصات صدا و سیمای استان ذخیره شد."),
        next_url=reverse("broadcast:dispatch_list"),
    ):
        return done
    return render(
        request,
        "broadcast/contact_form.html",
        {"form": form, "province": province, "today": jalali.today()},
        status=400 if form.errors else 200,
    )
