"""A campaign's joint post: written once by one office, approved (adopted) by
each participating office, which then publishes it on its own channels as its
own ``Post`` (linked to the joint post, sharing its pictures), or declined with a
reason. The coverage page counts who published it everywhere."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.campaigns.models import Campaign
from hamseda.core import policy
from hamseda.core.audit import audit_record
from hamseda.core.notifications import notify
from hamseda.directory.models import Office, Person
from hamseda.social.models import (
    InviteStatus,
    JointInvite,
    JointPost,
    JointStatus,
    Post,
    PostMedia,
    SocialAccount,
)
from hamseda.social.services.common import aware, url_error, valid_platform
from hamseda.social.services.posts import _clean_text, _image_errors, create_post


def _clean_variants(
    variants: Mapping[str, str] | None, text: str, errors: dict[str, list[str]]
) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for platform, body in (variants or {}).items():
        if not valid_platform(platform):
            errors.setdefault("variants", []).append(_g("شبکه ناشناخته: %(p)s") % {"p": platform})
            continue
        body = _clean_text(body)
        if body and body != text:
            cleaned[platform] = body
    return cleaned


def _invited_offices(campaign: Campaign) -> list[Office]:
    offices = list(campaign.co_owners.filter(is_active=True)) + list(
        campaign.participants.filter(is_active=True)
    )
    return list(dict.fromkeys(offices))


@transaction.atomic
def joint_create(
    *,
    actor: Any,
    campaign: Campaign,
    office: Office,
    title: str,
    text: str,
    variants: Mapping[str, str] | None = None,
    video_url: str = "",
    publish_at: dt.datetime | None = None,
    images: Iterable[Any] | None = None,
) -> JointPost:
    """Write a joint post of ``campaign`` (prepared by ``office``) and invite every
    co-owner and participant office to publish it; their people are notified."""
    policy.require(actor, "social.joint", campaign)
    title = " ".join((title or "").split())
    text = _clean_text(text)
    video_url = (video_url or "").strip()
    images = list(images or [])
    publish_at = aware(publish_at)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_g("عنوان فرسته مشترک را بنویسید.")]
    elif len(title) > 200:
        errors["title"] = [_g("عنوان حداکثر ۲۰۰ نویسه است.")]
    if not text:
        errors["text"] = [_g("متن فرسته را بنویسید.")]
    message = url_error(video_url)
    if message:
        errors["video_url"] = [message]
    if publish_at is not None and publish_at <= timezone.now():
        errors["publish_at"] = [_g("زمان انتشار هماهنگ باید در آینده باشد.")]
    cleaned = _clean_variants(variants, text, errors)
    image_errors = _image_errors(images, 0)
    if image_errors:
        errors["images"] = image_errors
    offices = _invited_offices(campaign)
    if not offices:
        errors.setdefault("__all__", []).append(_g("این پویش دستگاه شرکت‌کننده‌ای ندارد."))
    if errors:
        raise ValidationError(errors)
    joint = JointPost.objects.create(
        campaign=campaign,
        office=office,
        title=title,
        text=text,
        variants=cleaned,
        video_url=video_url,
        publish_at=publish_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for position, image in enumerate(images):
        name = os.path.basename(getattr(image, "name", "") or "image")
        media = PostMedia(joint=joint, position=position, name=name[:200])
        media.file.save(name, image, save=False)
        media.save()
    JointInvite.objects.bulk_create([JointInvite(joint=joint, office=o) for o in offices])
    audit_record(
        actor=actor,
        event="social_joint_created",
        target=joint,
        changes={
            "title": [None, title],
            "text": [None, text],
            "invite": [None, sorted(o.name for o in offices)],
        },
    )
    recipients = Person.objects.filter(is_active=True, office__in=[o.pk for o in offices])
    if getattr(actor, "pk", None) is not None:
        recipients = recipients.exclude(pk=actor.pk)
    notify(
        recipients=recipients,
        title=_g("فرسته مشترک پویش «%(campaign)s»: «%(title)s» را تأیید و منتشر کنید")
        % {"campaign": campaign.title, "title": title},
        body=text[:500],
        url=joint.get_absolute_url(),
        dedupe_key=f"social:joint:{joint.pk}:invite",
    )
    return joint


def _invite(joint: JointPost, office: Office) -> JointInvite:
    invite = JointInvite.objects.select_for_update().filter(joint=joint, office=office).first()
    if invite is None:
        raise ValidationError(_g("این روابط عمومی به این فرسته مشترک دعوت نشده است."))
    return invite


@transaction.atomic
def joint_adopt(
    *,
    actor: Any,
    joint: JointPost,
    office: Office,
    account_ids: Iterable[int] | None = None,
    text: str | None = None,
    variants: Mapping[str, str] | None = None,
    scheduled_at: dt.datetime | None = None,
) -> Post:
    """``office`` approves the joint post and publishes it on ``account_ids`` (all
    its active channels when None): its own Post, at ``scheduled_at``, else at the
    joint post's time if still ahead, else now."""
    policy.require(actor, "social.publish", office)
    joint = JointPost.objects.select_for_update().select_related("campaign").get(pk=joint.pk)
    if joint.status != JointStatus.OPEN:
        raise ValidationError(_g("این فرسته مشترک بسته شده است."))
    invite = _invite(joint, office)
    if (
        invite.status == InviteStatus.APPROVED
        or Post.objects.filter(joint=joint, office=office).exists()
    ):
        raise ValidationError(_g("این روابط عمومی این فرسته مشترک را پیش‌تر منتشر کرده است."))
    if account_ids is None:
        account_ids = list(
            SocialAccount.objects.filter(office=office, is_active=True).values_list("pk", flat=True)
        )
        if not account_ids:
            raise ValidationError(
                {"accounts": _g("این روابط عمومی کانال فعالی ندارد؛ نخست کانال‌ها را ثبت کنید.")}
            )
    now = timezone.now()
    when = aware(scheduled_at)
    if when is None and joint.publish_at is not None and joint.publish_at > now:
        when = joint.publish_at
    post = create_post(
        actor=actor,
        office=office,
        text=joint.text if text is None else text,
        account_ids=account_ids,
        campaign=joint.campaign,
        video_url=joint.video_url,
        variants=joint.variants if variants is None else variants,
        scheduled_at=when,
        publish=True,
        joint=joint,
        media_of=joint,
    )
    before = invite.status
    invite.status = InviteStatus.APPROVED
    invite.reason = ""
    invite.decided_at = now
    invite.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    invite.save()
    audit_record(
        actor=actor,
        event="social_joint_adopted",
        target=joint,
        changes={"invite": [before, f"{office.name}: {invite.status}"], "post": [None, post.pk]},
    )
    return post


@transaction.atomic
def joint_decline(*, actor: Any, joint: JointPost, office: Office, reason: str) -> JointInvite:
    policy.require(actor, "social.publish", office)
    joint = JointPost.objects.select_for_update().get(pk=joint.pk)
    invite = _invite(joint, office)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _g("دلیل نپذیرفتن را بنویسید.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _g("دلیل حداکثر ۵۰۰ نویسه است.")})
    if invite.status == InviteStatus.APPROVED:
        raise ValidationError(_g("این فرسته مشترک پیش‌تر تأیید و منتشر شده است."))
    if joint.status != JointStatus.OPEN:
        raise ValidationError(_g("این فرسته مشترک بسته شده است."))
    before = invite.status
    invite.status = InviteStatus.DECLINED
    invite.reason = reason
    invite.decided_at = timezone.now()
    invite.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    invite.save()
    audit_record(
        actor=actor,
        event="social_joint_declined",
        target=joint,
        changes={"invite": [before, f"{office.name}: {invite.status}"], "reason": [None, reason]},
    )
    return invite


@transaction.atomic
def joint_close(*, actor: Any, joint: JointPost) -> JointPost:
    """No more adoptions; posts already made stay as they are."""
    policy.require(actor, "social.joint", joint)
    joint = JointPost.objects.select_for_update().get(pk=joint.pk)
    if joint.status == JointStatus.CLOSED:
        return joint
    joint.status = JointStatus.CLOSED
    joint.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        event="social_joint_closed",
        target=joint,
        changes={"status": [JointStatus.OPEN, JointStatus.CLOSED]},
    )
    return joint
