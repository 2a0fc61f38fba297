"""Actions of the files panel (add, remove) and the download of a campaign file."""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.campaigns import selectors, services
from hamseda.campaigns.forms import CampaignFileForm
from hamseda.campaigns.models import CampaignFile
from hamseda.campaigns.views.common import campaign_to_manage
from hamseda.campaigns.views.panels import panel_answer, panel_form, panel_save
from hamseda.core.auth import signed_in


@login_required
@require_http_methods(["GET", "POST"])
def file_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    form = CampaignFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and panel_save(
        form,
        lambda data: services.file_add(
            actor=user, campaign=campaign, title=data["title"], file=data["file"]
        ),
    ):
        return panel_answer(request, user, campaign, "files", notice=_("فایل افزوده شد."))
    return panel_form(
        request,
        user,
        campaign,
        "files",
        title=_("افزودن فایل"),
        form=form,
        autosave=f"campaign-{campaign.pk}-file",
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def file_remove(request: HttpRequest, campaign_id: int, file_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    document = get_object_or_404(CampaignFile, pk=file_id, campaign=campaign)
    services.file_remove(actor=user, document=document)
    return panel_answer(request, user, campaign, "files", notice=_("فایل حذف شد."))


@login_required
@require_GET
def file(request: HttpRequest, file_id: int) -> FileResponse:
    """Files are served here, after the policy, never from /media/."""
    document = selectors.file_get_for(viewer=signed_in(request), file_id=file_id)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=os.path.basename(document.file.name or "")
    )
    response["Cache-Control"] = "private, no-store"
    return response
