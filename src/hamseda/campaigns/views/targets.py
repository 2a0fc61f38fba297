"""Actions of the targets panel: add, edit, record a figure, remove."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamseda.campaigns import services
from hamseda.campaigns.forms import TargetForm, TargetRecordForm
from hamseda.campaigns.models import Campaign, Target
from hamseda.campaigns.views.common import campaign_to_manage, form_page, htmx
from hamseda.campaigns.views.panels import panel_answer, panel_form, panel_save, targets_context
from hamseda.core.auth import signed_in


def _target(campaign: Campaign, target_id: int) -> Target:
    return get_object_or_404(Target, pk=target_id, campaign=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def target_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and panel_save(
        form, lambda data: services.target_add(actor=user, campaign=campaign, **data)
    ):
        return panel_answer(request, user, campaign, "targets", notice=_("هدف کمی افزوده شد."))
    return panel_form(
        request,
        user,
        campaign,
        "targets",
        title=_("هدف کمی تازه"),
        form=form,
        autosave=f"campaign-{campaign.pk}-target-new",
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, campaign_id: int, target_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    target = _target(campaign, target_id)
    form = TargetForm(
        request.POST or None,
        prefix_id=f"target{target.pk}",
        initial={
            "label": target.label,
            "metric": target.metric,
            "activity_kind": target.activity_kind,
            "target_value": target.target_value,
            "baseline_value": target.baseline_value,
        },
    )
    if request.method == "POST" and panel_save(
        form, lambda data: services.target_edit(actor=user, target=target, **data)
    ):
        return panel_answer(request, user, campaign, "targets", notice=_("هدف کمی ویرایش شد."))
    return panel_form(
        request,
        user,
        campaign,
        "targets",
        title=_("ویرایش هدف کمی"),
        form=form,
        editing=target,
        autosave=f"campaign-{campaign.pk}-target-{target.pk}",
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def target_record(request: HttpRequest, campaign_id: int, target_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    target = _target(campaign, target_id)
    form = TargetRecordForm(request.POST, prefix_id=f"record{target.pk}")
    if panel_save(
        form, lambda data: services.target_record(actor=user, target=target, value=data["value"])
    ):
        return panel_answer(
            request,
            user,
            campaign,
            "targets",
            notice=_("مقدار «%(label)s» ثبت شد.") % {"label": target.label},
        )
    if htmx(request):
        return render(
            request,
            "campaigns/partials/_targets.html",
            targets_context(user, campaign, record_errors={target.pk: form}),
        )
    return form_page(
        request,
        form,
        title=_("ثبت مقدار «%(label)s»") % {"label": target.label},
        campaign=campaign,
        autosave=f"campaign-{campaign.pk}-record-{target.pk}",
        cancel_url=campaign.get_absolute_url() + "#targets",
        status=400,
    )


@login_required
@require_POST
def target_remove(request: HttpRequest, campaign_id: int, target_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    target = _target(campaign, target_id)
    services.target_remove(actor=user, target=target)
    return panel_answer(request, user, campaign, "targets", notice=_("هدف کمی حذف شد."))
