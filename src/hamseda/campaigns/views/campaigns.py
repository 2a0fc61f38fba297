"""HTML pages of campaigns: the list, create and edit forms, the season start,
and the workspace of one campaign (header, key messages with usage, targets
with progress, offices and their contribution, recent activities, files). The
workspace's panels are in ``views.panels`` and their actions in
``views.messages``, ``views.targets``, ``views.offices`` and ``views.files``."""

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

from hamseda.activities.selectors import ActivityFilters, activity_list
from hamseda.campaigns import seasons, selectors, services
from hamseda.campaigns.forms import CampaignFilterForm, CampaignForm, SeasonStartForm
from hamseda.campaigns.views.common import campaign_for, campaign_to_manage, form_page, htmx
from hamseda.campaigns.views.panels import (
    files_context,
    messages_context,
    offices_context,
    targets_context,
)
from hamseda.core import jalali, policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.core.listing import page_of
from hamseda.core.policy import Reach
from hamseda.directory.models import Person

RECENT_ACTIVITIES = 8


def _may_create(user: Person) -> bool:
    return policy.reach(user, "campaign.manage") > Reach.NONE


# --- list ------------------------------------------------------------------------------


@login_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = CampaignFilterForm(request.GET or None, viewer=user)
    today = jalali.today()
    page = page_of(
        request, selectors.campaign_list(viewer=user, filters=form.filters(), today=today)
    )
    for campaign in page.object_list:
        campaign.when = selectors.when_of(campaign, today)
    context = {"page_obj": page, "form": form, "can_create": _may_create(user)}
    if htmx(request):
        return render(request, "campaigns/partials/_results.html", context)
    return render(request, "campaigns/campaign_list.html", context)


# --- create, edit, season start ----------------------------------------------------------


def _offices_refresh(request: HttpRequest, form: Any) -> HttpResponse:
    """The office checkboxes of a form, for the province just chosen (htmx)."""
    return render(request, "campaigns/partials/_office_fields.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not _may_create(user):
        raise PermissionDenied
    if request.method == "GET" and htmx(request) and "province" in request.GET:
        province = request.GET.get("province", "")
        form = CampaignForm(viewer=user, province_id=int(province) if province.isdigit() else None)
        return _offices_refresh(request, form)
    form = CampaignForm(request.POST or None, viewer=user)
    if done := submit(
        request,
        form,
        lambda data: services.campaign_create(actor=user, **form.service_fields()),
        success=_("پویش ایجاد شد."),
    ):
        return done
    return form_page(
        request,
        form,
        title=_("پویش یا قرارگاه تازه"),
        autosave="campaign-new",
        cancel_url=reverse("campaigns:campaign_list"),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    form = CampaignForm(request.POST or None, viewer=user, campaign=campaign)
    if done := submit(
        request,
        form,
        lambda data: services.campaign_edit(actor=user, campaign=campaign, **form.service_fields()),
        success=_("مشخصات پویش ذخیره شد."),
    ):
        return done
    return form_page(
        request,
        form,
        title=_("ویرایش پویش"),
        campaign=campaign,
        autosave=f"campaign-{campaign.pk}-edit",
        cancel_url=campaign.get_absolute_url(),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def season_start(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    if not _may_create(user):
        raise PermissionDenied
    if request.method == "GET" and htmx(request) and "province" in request.GET:
        form = SeasonStartForm(request.GET, viewer=user)
        return _offices_refresh(request, form)
    form = SeasonStartForm(request.POST or None, viewer=user)
    if done := submit(
        request,
        form,
        lambda data: seasons.season_start(
            actor=user,
            season=data["season"],
            year=data["year"],
            province=form.chosen_province(),
            co_owners=list(data["co_owners"]) or None,
        ),
        success=lambda campaign: _("«%(title)s» آغاز شد.") % {"title": campaign.title},
    ):
        return done
    return form_page(
        request,
        form,
        title=_("آغاز برنامه فصلی"),
        autosave="campaign-season",
        cancel_url=reverse("campaigns:campaign_list"),
        template="campaigns/season_start.html",
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def baselines_refresh(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    try:
        seasons.season_baselines_refresh(actor=user, campaign=campaign)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("مبنای اهداف از عملکرد سال قبل به‌روز شد."))
    return redirect(campaign.get_absolute_url() + "#targets")


# --- the workspace ---------------------------------------------------------------------


@login_required
@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_for(user, campaign_id)
    recent = list(
        activity_list(viewer=user, filters=ActivityFilters(campaign_id=campaign.pk))[
            :RECENT_ACTIVITIES
        ]
    )
    today = jalali.today()
    when = selectors.when_of(campaign, today)
    context = {
        "campaign": campaign,
        "when": when,
        "days_left": (campaign.end_date - today).days if when == selectors.When.RUNNING else None,
        "co_owners": list(campaign.co_owners.all()),
        "can_manage": policy.can(user, "campaign.manage", campaign),
        "recent": recent,
        "history": audit_history(viewer=user, target=campaign),
        **messages_context(user, campaign),
        **targets_context(user, campaign),
        **offices_context(user, campaign),
        **files_context(user, campaign),
    }
    return render(request, "campaigns/campaign_detail.html", context)
