"""Compose once, publish everywhere: the form that writes (or edits) a post of the
signed-in person's office. The page carries, for its script (compose.js), the
limits of every platform and the hashtags and key messages of the office's
campaigns, so counters and the campaign's brief follow every keystroke without
a round trip."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hamseda.core import jalali, policy
from hamseda.core.auth import signed_in
from hamseda.core.forms import submit
from hamseda.directory.models import Office, Person
from hamseda.social import selectors
from hamseda.social.forms import PostForm
from hamseda.social.models import Platform, Post, PostStatus
from hamseda.social.services import posts as services

DRAFT, PUBLISH = "draft", "publish"


def _office_to_publish(user: Person) -> Office:
    office = user.office
    if office is None or not policy.can(user, "social.publish", office):
        raise PermissionDenied(_("فرسته را کارکنان یک روابط عمومی برای کانال‌های خودشان می‌نویسند."))
    return office


def _done_message(post: Post) -> str:
    if post.status == PostStatus.DRAFT:
        return _("پیش‌نویس ذخیره شد؛ هر وقت آماده بود منتشرش کنید.")
    if post.status == PostStatus.SCHEDULED:
        return _("فرسته برای %(when)s زمان‌بندی شد.") % {
            "when": jalali.format_datetime(post.scheduled_at, "long")
        }
    return _("انتشار آغاز شد؛ وضعیت هر کانال در همین صفحه به‌روز می‌شود.")


def _page(
    request: HttpRequest, form: PostForm, *, title: str, autosave: str, post: Post | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "title": title,
        "autosave": autosave,
        "post": post,
        "office": form.office,
        "briefs": selectors.campaign_briefs(form.campaigns),
        "limits": form.limits(),
        "groups": form.channel_groups(),
        "channel_platforms": {str(a.pk): a.platform for a in form.channels},
        "platform_labels": {p.value: str(p.label) for p in Platform},
        "media": list(post.media.all()) if post is not None else [],
        "tab": "posts",
    }
    return render(request, "social/compose.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    office = _office_to_publish(user)
    initial: dict[str, Any] = {}
    campaign = request.GET.get("campaign", "")
    if campaign.isdigit():
        initial["campaign"] = int(campaign)
    form = PostForm(request.POST or None, request.FILES or None, office=office, initial=initial)
    publish = request.POST.get("action", PUBLISH) != DRAFT
    if done := submit(
        request,
        form,
        lambda data: services.post_create(
            actor=user, office=office, **form.service_fields(publish=publish)
        ),
        success=_done_message,
        fields={"account_ids": "accounts"},
    ):
        return done
    return _page(request, form, title=_("فرسته تازه"), autosave=f"social-compose-{office.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = selectors.post_detail(viewer=user, pk=pk)
    policy.require(user, "social.publish", post)
    if post.status not in (PostStatus.DRAFT, PostStatus.SCHEDULED):
        messages.info(request, _("این فرسته منتشر شده است و دیگر ویرایش نمی‌شود."))
        return redirect(post.get_absolute_url())
    form = PostForm(request.POST or None, request.FILES or None, office=post.office, post=post)
    publish = request.POST.get("action", PUBLISH) != DRAFT
    if done := submit(
        request,
        form,
        lambda data: services.post_update(
            actor=user, post=post, **form.service_fields(publish=publish)
        ),
        success=_done_message,
        fields={"account_ids": "accounts"},
    ):
        return done
    return _page(
        request, form, title=_("ویرایش فرسته"), autosave=f"social-post-{post.pk}-edit", post=post
    )
