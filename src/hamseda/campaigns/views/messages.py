"""Actions of the key messages panel: add, edit, move, remove."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hamseda.campaigns import services
from hamseda.campaigns.forms import MessageForm
from hamseda.campaigns.models import Campaign, KeyMessage
from hamseda.campaigns.views.common import campaign_to_manage
from hamseda.campaigns.views.panels import panel_answer, panel_form, panel_save
from hamseda.core.auth import signed_in


def _message(campaign: Campaign, message_id: int) -> KeyMessage:
    return get_object_or_404(KeyMessage, pk=message_id, campaign=campaign)


@login_required
@require_http_methods(["GET", "POST"])
def message_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and panel_save(
        form, lambda data: services.message_add(actor=user, campaign=campaign, text=data["text"])
    ):
        return panel_answer(
            request, user, campaign, "key-messages", notice=_("پیام کلیدی افزوده شد.")
        )
    return panel_form(
        request,
        user,
        campaign,
        "key-messages",
        title=_("پیام کلیدی تازه"),
        form=form,
        autosave=f"campaign-{campaign.pk}-message-new",
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_edit(request: HttpRequest, campaign_id: int, message_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    message = _message(campaign, message_id)
    form = MessageForm(
        request.POST or None, initial={"text": message.text}, prefix_id=f"message{message.pk}"
    )
    if request.method == "POST" and panel_save(
        form, lambda data: services.message_edit(actor=user, message=message, text=data["text"])
    ):
        return panel_answer(
            request, user, campaign, "key-messages", notice=_("پیام کلیدی ویرایش شد.")
        )
    return panel_form(
        request,
        user,
        campaign,
        "key-messages",
        title=_("ویرایش پیام کلیدی"),
        form=form,
        editing=message,
        autosave=f"campaign-{campaign.pk}-message-{message.pk}",
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def message_move(request: HttpRequest, campaign_id: int, message_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    message = _message(campaign, message_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.message_edit(actor=user, message=message, position=max(1, message.position + step))
    return panel_answer(request, user, campaign, "key-messages")


@login_required
@require_POST
def message_remove(request: HttpRequest, campaign_id: int, message_id: int) -> HttpResponse:
    user = signed_in(request)
    campaign = campaign_to_manage(user, campaign_id)
    message = _message(campaign, message_id)
    try:
        services.message_remove(actor=user, message=message)
    except ValidationError as error:
        return panel_answer(request, user, campaign, "key-messages", error=" ".join(error.messages))
    return panel_answer(request, user, campaign, "key-messages", notice=_("پیام کلیدی حذف شد."))
