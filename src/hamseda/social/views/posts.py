"""HTML pages of posts: the list, one post with its deliveries (refreshed with
htmx while any is queued or being sent), and the actions on a post or one of
its deliveries (cancel, publish now, retry, "published by hand", the export of
a manual platform's text and pictures, a picture itself)."""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hamseda.core import policy
from hamseda.core.audit import audit_history
from hamseda.core.auth import signed_in
from hamseda.core.downloads import content_disposition
from hamseda.core.forms import add_service_errors
from hamseda.core.listing import page_of
from hamseda.directory.models import Person
from hamseda.social import selectors
from hamseda.social.forms import ManualForm, PostFilterForm
from hamseda.social.models import Delivery, Platform, Post, PostStatus
from hamseda.social.services import delivery as delivery_services
from hamseda.social.services import posts as post_services

# How often the post page asks for its deliveries while some are in flight, and
# while a scheduled post's time is near (the sweep releases it within 30 s).
REFRESH_SECONDS = 3
SOON_REFRESH_SECONDS = 10
SOON = dt.timedelta(minutes=15)


def htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- list ----------------------------------------------------------------------------------


@login_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    form = PostFilterForm(request.GET or None, viewer=user)
    page = page_of(request, selectors.post_list(viewer=user, **form.filters()), per_page=20)
    for post in page.object_list:
        post.chips = selectors.status_counts(post.deliveries.all())
        post.tone = selectors.POST_TONE.get(post.status, "secondary")
    context = {
        "page_obj": page,
        "form": form,
        "can_publish": _may_publish(user),
        "tab": "posts",
    }
    if htmx(request):
        return render(request, "social/partials/_post_results.html", context)
    return render(request, "social/post_list.html", context)


def _may_publish(user: Person) -> bool:
    return user.office is not None and policy.can(user, "social.publish", user.office)


# --- one post --------------------------------------------------------------------------------


def _deliveries_context(user: Person, post: Post) -> dict[str, object]:
    rows = selectors.delivery_rows(post)
    post.tone = selectors.POST_TONE.get(post.status, "secondary")  # type: ignore[attr-defined]
    texts: dict[str, str] = {}
    for row in rows:
        platform = row.delivery.platform
        if platform not in texts:
            texts[platform] = post_services.text_for(post, platform)
    in_flight = any(r.in_flight for r in rows)
    soon = (
        post.status == PostStatus.SCHEDULED
        and post.scheduled_at is not None
        and post.scheduled_at - timezone.now() <= SOON
    )
    return {
        "post": post,
        "items": [(row, texts[row.delivery.platform]) for row in rows],
        "in_flight": in_flight,
        "polling": in_flight or soon,
        "refresh_seconds": REFRESH_SECONDS if in_flight else SOON_REFRESH_SECONDS,
        "can_act": policy.can(user, "social.publish", post),
        "editable": post.status in (PostStatus.DRAFT, PostStatus.SCHEDULED),
        "cancellable": post.status
        in (PostStatus.DRAFT, PostStatus.SCHEDULED, PostStatus.PUBLISHING),
    }


@login_required
@require_GET
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = selectors.post_detail(viewer=user, pk=pk)
    platforms = selectors.platforms_of(
        [*post.accounts.all(), *(d.account for d in post.deliveries.all())]
    )
    # Platforms that get the same text share one box.
    by_text: dict[str, list[str]] = {}
    for platform in platforms:
        by_text.setdefault(post_services.text_for(post, platform), []).append(platform)
    texts = [
        (group[0], "، ".join(str(Platform(p).label) for p in group), text)
        for text, group in by_text.items()
    ]
    context = {
        **_deliveries_context(user, post),
        "texts": texts,
        "history": audit_history(viewer=user, target=post),
        "tab": "posts",
    }
    return render(request, "social/post_detail.html", context)


@login_required
@require_GET
def post_deliveries(request: HttpRequest, pk: int) -> HttpResponse:
    """The deliveries panel alone: what the post page polls while sending."""
    user = signed_in(request)
    post = selectors.post_detail(viewer=user, pk=pk)
    context = {**_deliveries_context(user, post), "oob": True}
    return render(request, "social/partials/_deliveries.html", context)


def _act(request: HttpRequest, action, success: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def post_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = selectors.post_detail(viewer=user, pk=pk)
    _act(
        request,
        lambda: post_services.post_cancel(actor=user, post=post),
        _("فرسته لغو شد؛ آنچه پیش‌تر منتشر شده بود در کانال‌ها می‌ماند."),
    )
    return redirect(post.get_absolute_url())


@login_required
@require_POST
def post_publish_now(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    post = selectors.post_detail(viewer=user, pk=pk)
    _act(
        request,
        lambda: post_services.post_publish_now(actor=user, post=post),
        _("انتشار آغاز شد؛ وضعیت هر کانال در همین صفحه به‌روز می‌شود."),
    )
    return redirect(post.get_absolute_url())


# --- one delivery ------------------------------------------------------------------------------


def _back(request: HttpRequest, delivery: Delivery) -> HttpResponse:
    if htmx(request):
        user = signed_in(request)
        post = selectors.post_detail(viewer=user, pk=delivery.post_id)
        return render(request, "social/partials/_deliveries.html", _deliveries_context(user, post))
    return redirect(delivery.post.get_absolute_url() + f"#delivery-{delivery.pk}")


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    delivery = selectors.delivery_get(viewer=user, pk=pk)
    _act(
        request,
        lambda: delivery_services.delivery_retry(actor=user, delivery=delivery),
        _("«%(channel)s» دوباره در صف ارسال قرار گرفت.") % {"channel": delivery.account.title},
    )
    return _back(request, delivery)


@login_required
@require_http_methods(["GET", "POST"])
def delivery_manual(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the post was published by hand on this channel, with its link."""
    user = signed_in(request)
    delivery = selectors.delivery_get(viewer=user, pk=pk)
    policy.require(user, "social.publish", delivery.post)
    form = ManualForm(request.POST or None, prefix_id=f"manual_{delivery.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            delivery_services.delivery_mark_manual(
                actor=user,
                delivery=delivery,
                url=form.cleaned_data["url"],
                views=form.cleaned_data.get("views"),
                sent_at=form.cleaned_data.get("sent_at"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("انتشار در «%(channel)s» ثبت شد.") % {"channel": delivery.account.title},
            )
            return redirect(delivery.post.get_absolute_url() + f"#delivery-{delivery.pk}")
    post = delivery.post
    return render(
        request,
        "social/delivery_manual.html",
        {
            "delivery": delivery,
            "post": post,
            "row": selectors.delivery_row(delivery),
            "text": post_services.text_for(post, delivery.platform),
            "form": form,
            "tab": "posts",
        },
        status=400 if form.errors else 200,
    )


def _ascii_name(post: Post, delivery: Delivery, ext: str) -> str:
    return f"post-{post.pk}-{delivery.platform}.{ext}"


@login_required
@require_GET
def delivery_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The text as it goes to this platform (hashtags appended), as a .txt file;
    with the post's pictures, a .zip of both: for platforms published by hand."""
    user = signed_in(request)
    delivery = selectors.delivery_get(viewer=user, pk=pk)
    post = selectors.post_detail(viewer=user, pk=delivery.post_id)
    text = post_services.text_for(post, delivery.platform)
    if post.video_url and post.video_url not in text:
        text = f"{text}\n{post.video_url}"
    media = list(post.media.all())
    label = delivery.account.title
    if not media:
        response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = content_disposition(
            f"فرسته {post.pk} - {label}.txt", _ascii_name(post, delivery, "txt")
        )
        response["Cache-Control"] = "private, no-store"
        return response
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("text.txt", text.encode("utf-8"))
        for index, item in enumerate(media, start=1):
            try:
                with item.file.open("rb") as handle:
                    content = handle.read()
            except FileNotFoundError:
                continue
            name = os.path.basename(item.name or item.file.name or "image")
            archive.writestr(f"{index:02d}-{name}", content)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = content_disposition(
        f"فرسته {post.pk} - {label}.zip", _ascii_name(post, delivery, "zip")
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def media_file(request: HttpRequest, pk: int) -> FileResponse:
    """A picture of a post, after the policy (never a guessable /media/ path)."""
    media = selectors.media_get(viewer=signed_in(request), pk=pk)
    try:
        handle = media.file.open("rb")
    except FileNotFoundError:
        raise Http404("file missing") from None
    response = FileResponse(
        handle,
        as_attachment="download" in request.GET,
        filename=os.path.basename(media.name or media.file.name or ""),
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
