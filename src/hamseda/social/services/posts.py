"""Writes of posts: compose once (text, per-platform variants, images, video link,
the campaign's hashtags), then publish now, at a time, or keep as a draft.

Releasing a post (``post_release``) makes one ``Delivery`` per chosen channel:
QUEUED for platforms we publish to through their API (the workers take them,
``services.delivery``), MANUAL for the others (a person publishes and marks it).
A post's status follows its deliveries (``post_refresh_status``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.campaigns.models import Campaign
from hamseda.core import persian, policy
from hamseda.core.attachments import validate_attachment
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.directory.models import Office
from hamseda.social.models import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Delivery,
    DeliveryStatus,
    JointPost,
    Post,
    PostMedia,
    PostStatus,
    PostVariant,
    Protocol,
    SocialAccount,
    protocol_of,
)
from hamseda.social.services.common import aware, platform_label, url_error, valid_platform
from hamseda.social.services.queue import queue_on_commit

MAX_IMAGES = 10
IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp"})
AUDITED = ("text", "campaign", "video_url", "append_hashtags", "scheduled_at", "status", "accounts")
NOT_RELEASED = (PostStatus.DRAFT, PostStatus.SCHEDULED)
# Deliveries that have not settled: the post is still being published.
UNSETTLED = (
    DeliveryStatus.QUEUED,
    DeliveryStatus.SENDING,
    DeliveryStatus.MANUAL,
    DeliveryStatus.UNCERTAIN,
)

_HASHTAG_RE = re.compile(r"#[^\s#،؛,.!؟?:()«»\"']+")


# --- text ------------------------------------------------------------------------------


def hashtags_line(campaign: Campaign | None) -> str:
    """The campaign's hashtags as one line, each with its «#»."""
    if campaign is None:
        return ""
    tags = []
    for tag in campaign.hashtags or []:
        tag = str(tag).strip().replace(" ", "_")
        if tag:
            tags.append(tag if tag.startswith("#") else f"#{tag}")
    return " ".join(dict.fromkeys(tags))


def _with_hashtags(text: str, campaign: Campaign | None, append: bool) -> str:
    if not append or campaign is None:
        return text
    present = {persian.search_key(tag) for tag in _HASHTAG_RE.findall(text)}
    missing = []
    for tag in hashtags_line(campaign).split():
        key = persian.search_key(tag)
        if key and key not in present:
            present.add(key)
            missing.append(tag)
    if not missing:
        return text
    return f"{text.rstrip()}\n{' '.join(missing)}" if text.strip() else " ".join(missing)


def text_for(post: Post, platform: str) -> str:
    """What is published on ``platform``: its variant or the main text, with the
    campaign's hashtags that the text lacks on a new line (when asked for)."""
    body = next((v.text for v in post.variants.all() if v.platform == platform), post.text)
    return _with_hashtags(body, post.campaign, post.append_hashtags)


def _limit(platform: str, has_media: bool) -> int | None:
    # The API adapters send pictures first and the text as its own message when
    # it is longer than a caption; a person publishing by hand has one caption.
    if has_media and protocol_of(platform) == Protocol.MANUAL:
        return CAPTION_LIMIT.get(platform)
    return TEXT_LIMIT.get(platform)


def limit_problems(
    *,
    text: str,
    variants: Mapping[str, str] | None,
    platforms: Iterable[str],
    has_media: bool,
    campaign: Campaign | None = None,
    append_hashtags: bool = True,
) -> dict[str, str]:
    """platform → Persian message, for each platform whose final text (variant or
    text, with the hashtags) is longer than the platform takes."""
    problems: dict[str, str] = {}
    for platform in dict.fromkeys(platforms):
        body = (variants or {}).get(platform) or text
        final = _with_hashtags(body, campaign, append_hashtags)
        limit = _limit(platform, has_media)
        if limit is not None and len(final) > limit:
            problems[platform] = _g(
                "متن برای %(platform)s %(count)s نویسه است؛ بیشینه %(limit)s"
            ) % {
                "platform": platform_label(platform),
                "count": persian.fa_digits(len(final)),
                "limit": persian.fa_digits(limit),
            }
    return problems


# --- checks ----------------------------------------------------------------------------


def _clean_text(value: str | None) -> str:
    # Browsers send CRLF; nothing else is touched (half-spaces must stay).
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _image_errors(images: list[Any], existing: int) -> list[str]:
    errors: list[str] = []
    if existing + len(images) > MAX_IMAGES:
        errors.append(
            _g("حداکثر %(max)s تصویر برای هر فرسته.") % {"max": persian.fa_digits(MAX_IMAGES)}
        )
    for image in images:
        name = os.path.basename(getattr(image, "name", "") or "")
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in IMAGE_EXTENSIONS:
            errors.append(
                _g("«%(name)s» تصویر نیست؛ فقط JPG، PNG، GIF و WebP.") % {"name": name or "?"}
            )
            continue
        try:
            validate_attachment(image)
        except ValidationError as error:
            errors.extend(f"«{name}»: {message}" for message in error.messages)
    return errors


def _campaign_error(office: Office, campaign: Campaign | None) -> str | None:
    if campaign is None:
        return None
    takes_part = (
        campaign.co_owners.filter(pk=office.pk).exists()
        or campaign.participants.filter(pk=office.pk).exists()
    )
    if not takes_part:
        return _g("این روابط عمومی در این پویش شرکت ندارد.")
    return None


def _check(
    *,
    office: Office,
    text: str,
    account_ids: Iterable[int] | None,
    campaign: Campaign | None,
    video_url: str,
    append_hashtags: bool,
    variants: Mapping[str, str] | None,
    images: list[Any],
    existing_media: int,
    publish: bool,
) -> tuple[list[SocialAccount], dict[str, str]]:
    """The chosen accounts and the cleaned variants; ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_g("متن فرسته را بنویسید.")]
    ids = {int(pk) for pk in (account_ids or [])}
    accounts = list(
        SocialAccount.objects.filter(pk__in=ids, office=office, is_active=True).order_by(
            "platform", "pk"
        )
    )
    if len(accounts) != len(ids):
        errors["accounts"] = [
            _g("برخی کانال‌های انتخاب‌شده از آن این روابط عمومی نیستند یا غیرفعال‌اند.")
        ]
    elif publish and not accounts:
        errors["accounts"] = [_g("دست‌کم یک کانال را برای انتشار انتخاب کنید.")]
    message = _campaign_error(office, campaign)
    if message:
        errors["campaign"] = [message]
    message = url_error(video_url)
    if message:
        errors["video_url"] = [message]
    cleaned: dict[str, str] = {}
    for platform, body in (variants or {}).items():
        if not valid_platform(platform):
            errors.setdefault("variants", []).append(_g("شبکه ناشناخته: %(p)s") % {"p": platform})
            continue
        body = _clean_text(body)
        if body and body != text:
            cleaned[platform] = body
    image_errors = _image_errors(images, existing_media)
    if image_errors:
        errors["images"] = image_errors
    if text:
        problems = limit_problems(
            text=text,
            variants=cleaned,
            platforms=[a.platform for a in accounts],
            has_media=bool(images) or existing_media > 0,
            campaign=campaign if "campaign" not in errors else None,
            append_hashtags=append_hashtags,
        )
        for platform, problem in problems.items():
            field = "variants" if platform in cleaned else "text"
            errors.setdefault(field, []).append(problem)
    if errors:
        raise ValidationError(errors)
    return accounts, cleaned


def _state(post: Post) -> dict[str, Any]:
    state = snapshot(post, AUDITED)
    state["variants"] = {str(v.get_platform_display()): v.text for v in post.variants.all()}
    state["media"] = sorted(m.name for m in post.media.all())
    return state


def _save_media(post: Post, images: list[Any], start: int) -> None:
    for position, image in enumerate(images, start=start):
        name = os.path.basename(getattr(image, "name", "") or "image")
        media = PostMedia(post=post, position=position, name=name[:200])
        media.file.save(name, image if isinstance(image, File) else File(image), save=False)
        media.save()


def _save_variants(post: Post, variants: Mapping[str, str]) -> None:
    post.variants.exclude(platform__in=list(variants)).delete()
    for platform, body in variants.items():
        PostVariant.objects.update_or_create(post=post, platform=platform, defaults={"text": body})


def _go(post: Post, *, actor: Any, publish: bool, scheduled_at: dt.datetime | None) -> None:
    """DRAFT, SCHEDULED, or released now."""
    now = timezone.now()
    if not publish:
        post.status = PostStatus.DRAFT
        post.save(update_fields=["status", "updated_at"])
    elif scheduled_at is not None and scheduled_at > now:
        post.status = PostStatus.SCHEDULED
        post.save(update_fields=["status", "updated_at"])
    else:
        post.status = PostStatus.DRAFT
        post.save(update_fields=["status", "updated_at"])
        post_release(post, actor=actor)


# --- writes ----------------------------------------------------------------------------


def create_post(
    *,
    actor: Any,
    office: Office,
    text: str,
    account_ids: Iterable[int] | None,
    campaign: Campaign | None = None,
    video_url: str = "",
    append_hashtags: bool = True,
    variants: Mapping[str, str] | None = None,
    images: Iterable[Any] | None = None,
    scheduled_at: dt.datetime | None = None,
    publish: bool = True,
    joint: JointPost | None = None,
    media_of: JointPost | None = None,
) -> Post:
    """``post_create`` and, for ``joint_adopt``, the link to the joint post and
    its pictures (shared files, not copies). Call inside a transaction."""
    policy.require(actor, "social.publish", office)
    text = _clean_text(text)
    video_url = (video_url or "").strip()
    images = list(images or [])
    shared_media = list(media_of.media.all()) if media_of is not None else []
    accounts, cleaned = _check(
        office=office,
        text=text,
        account_ids=account_ids,
        campaign=campaign,
        video_url=video_url,
        append_hashtags=append_hashtags,
        variants=variants,
        images=images,
        existing_media=len(shared_media),
        publish=publish,
    )
    post = Post.objects.create(
        office=office,
        campaign=campaign,
        joint=joint,
        text=text,
        video_url=video_url,
        append_hashtags=append_hashtags,
        scheduled_at=aware(scheduled_at),
        status=PostStatus.DRAFT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    post.accounts.set(accounts)
    _save_variants(post, cleaned)
    for position, media in enumerate(shared_media):
        PostMedia.objects.create(
            post=post, position=position, name=media.name, file=media.file.name
        )
    _save_media(post, images, start=len(shared_media))
    audit_record(
        actor=actor,
        event="social_post_created",
        target=post,
        changes=diff({}, _state(post)),
    )
    _go(post, actor=actor, publish=publish, scheduled_at=post.scheduled_at)
    return post


@transaction.atomic
def post_create(
    *,
    actor: Any,
    office: Office,
    text: str,
    account_ids: Iterable[int] | None,
    campaign: Campaign | None = None,
    video_url: str = "",
    append_hashtags: bool = True,
    variants: Mapping[str, str] | None = None,
    images: Iterable[Any] | None = None,
    scheduled_at: dt.datetime | None = None,
    publish: bool = True,
) -> Post:
    """Write a post of ``office`` for some of its active channels. ``publish``
    False keeps it a draft; True publishes at ``scheduled_at`` if that is in the
    future, now otherwise. ValidationError by field: text, accounts, campaign,
    video_url, variants, images."""
    return create_post(
        actor=actor,
        office=office,
        text=text,
        account_ids=account_ids,
        campaign=campaign,
        video_url=video_url,
        append_hashtags=append_hashtags,
        variants=variants,
        images=images,
        scheduled_at=scheduled_at,
        publish=publish,
    )


def _locked(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("office__agency").get(pk=post.pk)


@transaction.atomic
def post_update(
    *,
    actor: Any,
    post: Post,
    text: str,
    account_ids: Iterable[int] | None,
    campaign: Campaign | None = None,
    video_url: str = "",
    append_hashtags: bool = True,
    variants: Mapping[str, str] | None = None,
    images: Iterable[Any] | None = None,
    scheduled_at: dt.datetime | None = None,
    publish: bool = True,
    remove_media_ids: Iterable[int] | None = None,
) -> Post:
    """Edit a draft or a scheduled post (every field as in ``post_create``; new
    ``images`` are added to the kept ones, ``remove_media_ids`` go)."""
    policy.require(actor, "social.publish", post)
    post = _locked(post)
    if post.status not in NOT_RELEASED:
        raise ValidationError(_g("فرسته‌ای که انتشارش آغاز شده را نمی‌توان ویرایش کرد."))
    before = _state(post)
    text = _clean_text(text)
    video_url = (video_url or "").strip()
    images = list(images or [])
    removed = {int(pk) for pk in (remove_media_ids or [])}
    kept = [m for m in post.media.all() if m.pk not in removed]
    accounts, cleaned = _check(
        office=post.office,
        text=text,
        account_ids=account_ids,
        campaign=campaign,
        video_url=video_url,
        append_hashtags=append_hashtags,
        variants=variants,
        images=images,
        existing_media=len(kept),
        publish=publish,
    )
    post.text = text
    post.campaign = campaign
    post.video_url = video_url
    post.append_hashtags = append_hashtags
    post.scheduled_at = aware(scheduled_at)
    post.save()
    post.accounts.set(accounts)
    _save_variants(post, cleaned)
    if removed:
        post.media.filter(pk__in=removed).delete()
    _save_media(post, images, start=max((m.position for m in kept), default=-1) + 1)
    _go(post, actor=actor, publish=publish, scheduled_at=post.scheduled_at)
    post.refresh_from_db()
    changes = diff(before, _state(post))
    if changes:
        audit_record(actor=actor, event="social_post_edited", target=post, changes=changes)
    return post


@transaction.atomic
def post_publish_now(*, actor: Any, post: Post) -> Post:
    """Release a draft or a scheduled post now."""
    policy.require(actor, "social.publish", post)
    post = _locked(post)
    if post.status not in NOT_RELEASED:
        raise ValidationError(_g("انتشار این فرسته پیش‌تر آغاز شده است."))
    if not post.accounts.filter(is_active=True).exists():
        raise ValidationError({"accounts": _g("دست‌کم یک کانال فعال را برای انتشار انتخاب کنید.")})
    post.scheduled_at = None
    post.save(update_fields=["scheduled_at", "updated_at"])
    post_release(post, actor=actor)
    post.refresh_from_db()
    return post


@transaction.atomic
def post_cancel(*, actor: Any, post: Post) -> Post:
    """A post not released yet is cancelled; a released one keeps what went out
    and loses the deliveries still waiting (queued, or waiting to be published
    by hand). One being sent at this moment is not stopped."""
    policy.require(actor, "social.publish", post)
    post = _locked(post)
    before = post.status
    if post.status in NOT_RELEASED:
        post.status = PostStatus.CANCELLED
        post.save(update_fields=["status", "updated_at"])
        cancelled = 0
    else:
        cancelled = Delivery.objects.filter(
            post=post, status__in=[DeliveryStatus.QUEUED, DeliveryStatus.MANUAL]
        ).update(status=DeliveryStatus.CANCELLED, next_attempt_at=None, updated_at=timezone.now())
        if not cancelled:
            raise ValidationError(_g("ارسالی در انتظار نمانده که لغو شود."))
        post = post_refresh_status(post)
    audit_record(
        actor=actor,
        event="social_post_cancelled",
        target=post,
        changes={"status": [before, post.status], "deliveries": [None, cancelled]},
    )
    return post


def post_release(post: Post, *, actor: Any = None) -> None:
    """Hand the post to the workers: one delivery per chosen active channel. Does
    nothing for a post already released or cancelled (safe to call twice)."""
    with transaction.atomic():
        now = timezone.now()
        claimed = Post.objects.filter(pk=post.pk, status__in=NOT_RELEASED).update(
            status=PostStatus.PUBLISHING, released_at=now, updated_at=now
        )
        if not claimed:
            return
        accounts = list(post.accounts.filter(is_active=True))
        Delivery.objects.bulk_create(
            [
                Delivery(
                    post_id=post.pk,
                    account=account,
                    platform=account.platform,
                    status=DeliveryStatus.MANUAL if account.is_manual else DeliveryStatus.QUEUED,
                )
                for account in accounts
            ],
            ignore_conflicts=True,
        )
        queued = list(
            Delivery.objects.filter(post_id=post.pk, status=DeliveryStatus.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        audit_record(
            actor=actor,
            event="social_post_released",
            target=post,
            changes={"deliveries": [None, len(accounts)]},
        )
        queue_on_commit(queued)
        refreshed = post_refresh_status(post)
        post.status, post.released_at = refreshed.status, refreshed.released_at


def post_refresh_status(post: Post) -> Post:
    """Set a released post's status from its deliveries: PUBLISHING while any has
    not settled (queued, sending, waiting for a person, uncertain), then DONE,
    PARTLY or FAILED; CANCELLED when every delivery was cancelled. The post row
    is locked first, so two workers finishing at once both count the other's
    result."""
    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.status in NOT_RELEASED:
            return post
        counts: dict[str, int] = dict(
            Delivery.objects.filter(post=post)
            .values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        total = sum(counts.values())
        live = total - counts.get(DeliveryStatus.CANCELLED, 0)
        published = sum(counts.get(s, 0) for s in (DeliveryStatus.SENT, DeliveryStatus.MANUAL_DONE))
        if total == 0:
            status = PostStatus.FAILED
        elif live == 0:
            status = PostStatus.CANCELLED
        elif any(counts.get(s, 0) for s in UNSETTLED):
            status = PostStatus.PUBLISHING
        elif published == live:
            status = PostStatus.DONE
        elif published == 0:
            status = PostStatus.FAILED
        else:
            status = PostStatus.PARTLY
        if post.status != status:
            post.status = status
            post.save(update_fields=["status", "updated_at"])
        return post
