"""HTML pages of the directory: full pages, or the results partial for htmx."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hamseda.core import policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.core.listing import int_param, page_of
from hamseda.core.policy import Reach, Role
from hamseda.directory import selectors, services
from hamseda.directory.forms import (
    AgencyForm,
    CouncilForm,
    MembershipForm,
    OfficeForm,
    PersonCreateForm,
    PersonForm,
)
from hamseda.directory.models import (
    AgencyKind,
    Council,
    CouncilMembership,
    Office,
    Person,
    Province,
)

# --- provinces -------------------------------------------------------------------


@login_required
def province_list(request: HttpRequest) -> HttpResponse:
    provinces = selectors.province_list(viewer=signed_in(request))
    return render(request, "directory/province_list.html", {"provinces": provinces})


@login_required
def province_detail(request: HttpRequest, code: str) -> HttpResponse:
    province = selectors.province_get(viewer=signed_in(request), code=code)
    agencies = selectors.agency_list(
        viewer=signed_in(request),
        filters=selectors.AgencyFilters(province_id=province.pk),
    )
    return render(
        request, "directory/province_detail.html", {"province": province, "agencies": agencies}
    )


# --- agencies ----------------------------------------------------------------------


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    province_param = request.GET.get("province", "")
    filters = selectors.AgencyFilters(
        query=request.GET.get("q", "").strip(),
        province_id=int_param(request.GET, "province"),
        national=province_param == "national",
        kind=request.GET.get("kind", "") if request.GET.get("kind") in AgencyKind.values else "",
    )
    page = page_of(request, selectors.agency_list(viewer=user, filters=filters))
    context = {
        "page_obj": page,
        "filters": filters,
        "province_param": province_param,
        "provinces": Province.objects.all(),
        "kinds": AgencyKind.choices,
        "can_create": policy.reach(user, "agency.create") > Reach.NONE,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "directory/partials/_agency_results.html", context)
    return render(request, "directory/agency_list.html", context)


@login_required
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = signed_in(request)
    agency = selectors.agency_get(viewer=user, agency_id=agency_id)
    return render(
        request,
        "directory/agency_detail.html",
        {
            "agency": agency,
            "can_edit": policy.can(user, "agency.edit", agency),
            "history": audit_history(viewer=user, target=agency),
        },
    )


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "agency.create") == Reach.NONE:
        raise PermissionDenied
    form = AgencyForm(request.POST or None, user=user)
    if done := submit(
        request,
        form,
        lambda data: services.agency_create(actor=user, **data),
        success=lambda agency: _("دستگاه «%(name)s» ثبت شد.") % {"name": agency.name},
    ):
        return done
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("افزودن دستگاه"),
            "autosave": "agency-create",
            "cancel_url": reverse("directory:agency_list"),
        },
    )


@login_required
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = signed_in(request)
    agency = selectors.agency_get(viewer=user, agency_id=agency_id)
    policy.require(user, "agency.edit", agency)
    form = AgencyForm(request.POST or None, user=user, instance=agency)
    if done := submit(
        request,
        form,
        lambda data: services.agency_update(actor=user, agency=agency, **data),
        success=_("تغییرات ذخیره شد."),
    ):
        return done
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("ویرایش دستگاه"),
            "object": agency,
            "autosave": f"agency-{agency.pk}",
            "cancel_url": agency.get_absolute_url(),
        },
    )


# --- offices -----------------------------------------------------------------------


@login_required
def office_detail(request: HttpRequest, office_id: int) -> HttpResponse:
    user = signed_in(request)
    office = selectors.office_get(viewer=user, office_id=office_id)
    return render(
        request,
        "directory/office_detail.html",
        {
            "office": office,
            "people": selectors.office_people(viewer=user, office=office),
            "councils": office.memberships.select_related("council"),
            "can_edit": policy.can(user, "office.edit", office),
            "can_add_person": policy.can(user, "person.create", office),
            "history": audit_history(viewer=user, target=office),
        },
    )


@login_required
def office_edit(request: HttpRequest, office_id: int) -> HttpResponse:
    user = signed_in(request)
    office = selectors.office_get(viewer=user, office_id=office_id)
    policy.require(user, "office.edit", office)
    # The form validates on its own copy: ModelForm writes the typed values onto
    # its instance even when they are invalid, and the page (breadcrumb, audit)
    # must show the record as it is stored.
    form = OfficeForm(request.POST or None, instance=Office.objects.get(pk=office.pk))
    if done := submit(
        request,
        form,
        lambda data: services.office_update(actor=user, office=office, **data),
        success=_("تغییرات ذخیره شد."),
    ):
        return done
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("ویرایش مشخصات روابط عمومی"),
            "object": office,
            "autosave": f"office-{office.pk}",
            "cancel_url": office.get_absolute_url(),
        },
    )


# --- councils ----------------------------------------------------------------------


@login_required
def council_list(request: HttpRequest) -> HttpResponse:
    councils = selectors.council_list(viewer=signed_in(request))
    return render(request, "directory/council_list.html", {"councils": councils})


def _council_page(
    request: HttpRequest,
    user: Person,
    council: Council,
    member_form: MembershipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = policy.can(user, "council.manage_members", council)
    if can_manage and member_form is None:
        member_form = MembershipForm(council=council)
    return render(
        request,
        "directory/council_detail.html",
        {
            "council": council,
            "can_edit": policy.can(user, "council.edit", council),
            "can_manage": can_manage,
            "member_form": member_form if can_manage else None,
            "history": audit_history(viewer=user, target=council),
        },
        status=status,
    )


@login_required
def council_detail(request: HttpRequest, council_id: int) -> HttpResponse:
    user = signed_in(request)
    return _council_page(request, user, selectors.council_get(viewer=user, council_id=council_id))


@login_required
def council_edit(request: HttpRequest, council_id: int) -> HttpResponse:
    user = signed_in(request)
    council = selectors.council_get(viewer=user, council_id=council_id)
    policy.require(user, "council.edit", council)
    # The form validates on its own copy (see office_edit); the service then
    # compares the stored record with the new values, so the audit sees the change.
    form = CouncilForm(request.POST or None, instance=Council.objects.get(pk=council.pk))
    if done := submit(
        request,
        form,
        lambda data: services.council_update(actor=user, council=council, **data),
        success=_("تغییرات ذخیره شد."),
    ):
        return done
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("ویرایش مشخصات شورا"),
            "object": council,
            "autosave": f"council-{council.pk}",
            "cancel_url": council.get_absolute_url(),
        },
    )


@login_required
@require_POST
def council_member_add(request: HttpRequest, council_id: int) -> HttpResponse:
    user = signed_in(request)
    council = selectors.council_get(viewer=user, council_id=council_id)
    policy.require(user, "council.manage_members", council)
    form = MembershipForm(request.POST, council=council)
    if done := submit(
        request,
        form,
        lambda data: services.council_member_add(actor=user, council=council, **data),
        success=_("عضو تازه به شورا افزوده شد."),
        next_url=council,
    ):
        return done
    return _council_page(request, user, council, member_form=form, status=400)


@login_required
@require_POST
def council_member_remove(
    request: HttpRequest, council_id: int, membership_id: int
) -> HttpResponse:
    user = signed_in(request)
    council = selectors.council_get(viewer=user, council_id=council_id)
    membership = get_object_or_404(CouncilMembership, pk=membership_id, council=council)
    try:
        services.council_member_remove(actor=user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("عضو از شورا حذف شد."))
    return redirect("directory:council_detail", council_id=council.pk)


# --- people ------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "person.view") == Reach.NONE:
        raise PermissionDenied
    role = request.GET.get("role", "")
    filters = selectors.PersonFilters(
        query=request.GET.get("q", "").strip(),
        role=role if role in Role.values else "",
        province_id=int_param(request.GET, "province"),
    )
    page = page_of(request, selectors.person_list(viewer=user, filters=filters))
    context = {
        "page_obj": page,
        "filters": filters,
        "roles": Role.choices,
        "provinces": Province.objects.all()
        if policy.reach(user, "person.view") == Reach.ANY
        else None,
        "can_create": policy.reach(user, "person.create") > Reach.NONE,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "directory/partials/_person_results.html", context)
    return render(request, "directory/person_list.html", context)


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in(request)
    person = selectors.person_get(viewer=user, person_id=person_id)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "can_edit": policy.can(user, "person.edit", person),
            "can_deactivate": policy.can(user, "person.deactivate", person)
            and person.pk != user.pk,
            "history": audit_history(viewer=user, target=person),
        },
    )


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if policy.reach(user, "person.create") == Reach.NONE:
        raise PermissionDenied
    initial = {}
    if office_id := int_param(request.GET, "office"):
        initial["office"] = office_id
    form = PersonCreateForm(request.POST or None, user=user, initial=initial)
    if done := submit(
        request,
        form,
        lambda data: services.person_create(
            actor=user, password=data["password1"], **form.service_fields()
        ),
        success=lambda person: _("کاربر «%(name)s» ایجاد شد.") % {"name": person},
        fields={"password": "password1"},
    ):
        return done
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("افزودن کاربر"),
            "autosave": "person-create",
            "cancel_url": reverse("directory:person_list"),
        },
    )


@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in(request)
    person = selectors.person_get(viewer=user, person_id=person_id)
    policy.require(user, "person.edit", person)
    form = PersonForm(request.POST or None, user=user, instance=person)
    if done := submit(
        request,
        form,
        lambda data: services.person_update(actor=user, person=person, **form.service_fields()),
        success=_("تغییرات ذخیره شد."),
    ):
        return done
    return render(
        request,
        "directory/form.html",
        {
            "form": form,
            "title": _("ویرایش کاربر"),
            "object": person,
            "autosave": f"person-{person.pk}",
            "cancel_url": person.get_absolute_url(),
        },
    )


@login_required
@require_POST
def person_set_active(request: HttpRequest, person_id: int) -> HttpResponse:
    user = signed_in(request)
    person = selectors.person_get(viewer=user, person_id=person_id)
    active = request.POST.get("active") == "1"
    try:
        services.person_set_active(actor=user, person=person, active=active)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("حساب کاربر فعال شد.") if active else _("حساب کاربر غیرفعال شد.")
        )
    return redirect("directory:person_detail", person_id=person.pk)
