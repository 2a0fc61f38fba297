"""What every campaign page shares: the campaign the viewer may see (or
manage), whether the request is htmx, and the page that holds a form."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hamseda.campaigns import selectors
from hamseda.campaigns.models import Campaign
from hamseda.core import policy
from hamseda.directory.models import Person


def htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def campaign_for(user: Person, campaign_id: int) -> Campaign:
    return selectors.campaign_get_for(viewer=user, campaign_id=campaign_id)


def campaign_to_manage(user: Person, campaign_id: int) -> Campaign:
    campaign = campaign_for(user, campaign_id)
    policy.require(user, "campaign.manage", campaign)
    return campaign


def form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    autosave: str,
    cancel_url: str,
    campaign: Campaign | None = None,
    template: str = "campaigns/form.html",
    multipart: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "campaign": campaign,
            "autosave": autosave,
            "cancel_url": cancel_url,
            "multipart": multipart,
        },
        status=status,
    )
