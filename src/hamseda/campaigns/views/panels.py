"""The panels of a campaign's workspace (key messages, targets, offices,
files): what each shows, and how a change made in it answers.

The panels are managed in place with htmx: every answer about messages,
targets, offices or files is that whole panel. Without JavaScript the same URLs
work as ordinary forms and redirect back to the panel."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hamseda.campaigns import selectors
from hamseda.campaigns.forms import CampaignFileForm, MessageForm, ParticipantForm, TargetForm
from hamseda.campaigns.models import Campaign, KeyMessage, Target, TargetMetric
from hamseda.campaigns.views.common import campaign_for, form_page, htmx
from hamseda.core import policy
from hamseda.core.forms import add_service_errors
from hamseda.directory.models import Person


def messages_context(
    user: Person,
    campaign: Campaign,
    *,
    form: MessageForm | None = None,
    editing: KeyMessage | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    can_manage = policy.can(user, "campaign.manage", campaign)
    return {
        "campaign": campaign,
        "usage": selectors.message_usage(campaign),
        "can_manage": can_manage,
        "message_form": form if form is not None else (MessageForm() if can_manage else None),
        "editing": editing,
        "notice": notice,
        "error": error,
    }


def targets_context(
    user: Person,
    campaign: Campaign,
    *,
    form: TargetForm | None = None,
    editing: Target | None = None,
    record_errors: dict[int, Any] | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    can_manage = policy.can(user, "campaign.manage", campaign)
    progress = selectors.campaign_progress(campaign)
    record_errors = record_errors or {}
    return {
        "campaign": campaign,
        "progress": progress,
        # Each target with its record form when that form came back with errors.
        "rows": [(p, record_errors.get(p.target.pk)) for p in progress],
        "met_count": sum(1 for p in progress if p.met),
        "can_manage": can_manage,
        "target_form": form if form is not None else (TargetForm() if can_manage else None),
        "editing": editing,
        "manual": TargetMetric.MANUAL.value,
        "can_refresh_baselines": can_manage and bool(campaign.season),
        "notice": notice,
        "error": error,
    }


def offices_context(
    user: Person,
    campaign: Campaign,
    *,
    form: ParticipantForm | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    can_manage = policy.can(user, "campaign.manage", campaign)
    return {
        "campaign": campaign,
        "contribution": selectors.office_contribution(campaign),
        "can_manage": can_manage,
        "participant_form": (
            form
            if form is not None
            else (ParticipantForm(campaign=campaign) if can_manage else None)
        ),
        "notice": notice,
        "error": error,
    }


def files_context(
    user: Person,
    campaign: Campaign,
    *,
    form: CampaignFileForm | None = None,
    notice: str = "",
    error: str = "",
) -> dict[str, Any]:
    can_manage = policy.can(user, "campaign.manage", campaign)
    files = list(campaign.files.all())
    for document in files:
        document.filename = os.path.basename(document.file.name or "")  # type: ignore[attr-defined]
    return {
        "campaign": campaign,
        "files": files,
        "can_manage": can_manage,
        "file_form": form if form is not None else (CampaignFileForm() if can_manage else None),
        "notice": notice,
        "error": error,
    }


PANELS: dict[str, tuple[str, Callable[..., dict[str, Any]]]] = {
    "key-messages": ("campaigns/partials/_messages.html", messages_context),
    "targets": ("campaigns/partials/_targets.html", targets_context),
    "offices": ("campaigns/partials/_offices.html", offices_context),
    "files": ("campaigns/partials/_files.html", files_context),
}


def panel_answer(
    request: HttpRequest,
    user: Person,
    campaign: Campaign,
    panel: str,
    *,
    ok: bool = True,
    notice: str = "",
    error: str = "",
    **extra: Any,
) -> HttpResponse:
    """After a change (or a refused one): the panel itself for htmx, a redirect
    back to it with a flash message otherwise."""
    if not htmx(request):
        if notice:
            messages.success(request, notice)
        if error:
            messages.error(request, error)
        return redirect(campaign.get_absolute_url() + f"#{panel}")
    template, build = PANELS[panel]
    # Reload: the change may have altered what the selectors prefetched.
    campaign = campaign_for(user, campaign.pk)
    return render(request, template, build(user, campaign, notice=notice, error=error, **extra))


def panel_form(
    request: HttpRequest,
    user: Person,
    campaign: Campaign,
    panel: str,
    *,
    title: str,
    form: Any,
    autosave: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """A form of a panel (a new one to fill in, or one with errors): inside the
    panel for htmx (htmx swaps only 2xx answers), on a page of its own otherwise."""
    if htmx(request):
        template, build = PANELS[panel]
        return render(request, template, build(user, campaign, form=form, **extra))
    return form_page(
        request,
        form,
        title=title,
        campaign=campaign,
        autosave=autosave,
        cancel_url=campaign.get_absolute_url() + f"#{panel}",
        multipart=panel == "files",
        status=status,
    )


def panel_save(form: Any, call: Callable[[dict[str, Any]], Any]) -> bool:
    """Run a service with the form's data; its errors go onto the form."""
    if not form.is_valid():
        return False
    try:
        call(dict(form.cleaned_data))
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True
