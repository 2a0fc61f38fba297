"""Actions of the offices panel: add and remove a participating office."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamseda.campaigns import services
from hamseda.campaigns.forms import ParticipantForm
from hamseda.campaigns.views.common import campaign_to_manage
from hamseda.campaigns.views.panels import panel_answer, panel_form, panel_save
from hamseda.core.auth import signed_in
from hamseda.directory.models import Office


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    form = ParticipantForm(request.POST or None, campaign=campaign)
    if request.method == "POST" and panel_save(
        form,
        lambda data: services.participant_add(actor=user, campaign=campaign, office=data["office"]),
    ):
        return panel_answer(
            request, user, campaign, "offices", notice=_("دستگاه مشارکت‌کننده افزوده شد.")
        )
    return panel_form(
        request,
        user,
        campaign,
        "offices",
        title=_("افزودن دستگاه مشارکت‌کننده"),
        form=form,
        autosave=f"campaign-{campaign.pk}-participant",
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def participant_remove(request: HttpRequest, campaign_id: int, office_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    office = get_object_or_404(Office, pk=office_id)
    try:
        services.participant_remove(actor=user, campaign=campaign, office=office)
    except ValidationError as error:
        return panel_answer(request, user, campaign, "offices", error=" ".join(error.messages))
    return panel_answer(
        request,
        user,
        campaign,
        "offices",
        notice=_("«%(name)s» از مشارکت‌کنندگان برداشته شد.") % {"name": office.name},
    )
