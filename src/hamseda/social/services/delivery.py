"""Delivering a post to one channel: at most once, never twice.

Why at most once: none of the messengers we publish to (the Telegram Bot API
protocol of Telegram, Bale and Soroush Plus; Eitaayar; Rubika) takes an
idempotency key. If a request went out and no answer came back (a read timeout,
a dropped connection, a worker killed mid-call), the platform may or may not
have published the message, and we cannot ask it. Sending again could publish
the same post twice in a public channel, which an office notices at once and
cannot always undo; not sending leaves a gap a person can fill with one click.
So a message that may have been accepted is never sent again by the system:
its delivery becomes UNCERTAIN and waits for a person ("it is there: here is the
link" → MANUAL_DONE, or "send again" → QUEUED).

How:
1. Claim. One conditional UPDATE moves the delivery from QUEUED (and due) to
   SENDING with a fresh ``claim`` uuid, ``claimed_at`` and ``attempts + 1``, and is
   committed BEFORE the HTTP call. A second run of the same task (the broker
   delivered it twice, the sweep queued it again) finds it not QUEUED and returns
   without calling the platform.
2. Call the adapter, outside any transaction.
3. Record, matched on the claim: SENT with the platform's message id; a
   retryable error whose request surely did not publish (429 rate limit, 5xx,
   connection refused) → QUEUED again at ``next_attempt_at`` and the task queued
   with that countdown; UNCERTAIN when the request may have been accepted;
   FAILED for errors a person must fix (token, chat, text). Every call is one
   ``DeliveryAttempt`` row.
4. A worker that dies between 1 and 3 leaves the delivery SENDING; ``sweep`` turns
   a claim older than ``SOCIAL_CLAIM_TIMEOUT`` into UNCERTAIN, never into QUEUED.

Retry timing: a rate limit with ``retry_after`` is retried after exactly that
many seconds (the platform said when it will take the message; waiting longer
only delays the post), and may be retried up to twice ``SOCIAL_MAX_ATTEMPTS``;
other retryable errors back off 30 s, 2 min, 8 min, 30 min, 2 h (or longer if
the platform asked) and fail after ``SOCIAL_MAX_ATTEMPTS`` attempts.
"""

from __future__ import annotations

import datetime as dt
import logging
import mimetypes
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.core import policy
from hamseda.core.audit import audit_record
from hamseda.social.adapters.base import DeliveryError, MediaFile, Outgoing, Sent
from hamseda.social.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    ErrorKind,
    Post,
    PostStatus,
)
from hamseda.social.services.accounts import account_token
from hamseda.social.services.common import url_error
from hamseda.social.services.posts import post_refresh_status, post_release, text_for
from hamseda.social.services.queue import queue_delivery, queue_on_commit

log = logging.getLogger(__name__)

# Seconds to wait after the 1st, 2nd, ... failed attempt (the last repeats).
BACKOFF: tuple[int, ...] = (30, 120, 480, 1800, 7200)
# How many due deliveries one sweep queues at most (the next sweep takes the rest).
SWEEP_BATCH = 500


def backoff(attempts: int) -> float:
    """Seconds before the next try after ``attempts`` failed ones."""
    return float(BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1])


def max_attempts() -> int:
    return int(getattr(settings, "SOCIAL_MAX_ATTEMPTS", 6))


def retry_delay(error: DeliveryError, attempts: int) -> float:
    if error.kind == ErrorKind.RATE_LIMITED and error.retry_after:
        return max(1.0, float(error.retry_after))
    return max(float(error.retry_after or 0), backoff(attempts))


def _due(now: dt.datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


# --- one attempt ---------------------------------------------------------------------


def _outgoing(delivery: Delivery) -> Outgoing:
    post = delivery.post
    media = []
    for item in post.media.all():
        with item.file.open("rb") as handle:
            content = handle.read()
        name = item.name or (item.file.name or "image").rsplit("/", 1)[-1]
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        media.append(MediaFile(name=name, content=content, content_type=content_type))
    text = text_for(post, delivery.platform)
    if post.video_url and post.video_url not in text:
        text = f"{text}\n{post.video_url}"
    return Outgoing(chat_id=delivery.account.chat_id, text=text, media=tuple(media))


def _claim(delivery_id: int) -> uuid.UUID | None:
    claim = uuid.uuid4()
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED)
            .filter(_due(now))
            .update(
                status=DeliveryStatus.SENDING,
                claim=claim,
                claimed_at=now,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
        )
    return claim if claimed else None


def deliver(delivery_id: int) -> str:
    """One attempt to publish delivery ``delivery_id`` (task ``social.deliver``).
    Returns what happened: "sent", "retry", "failed", "uncertain", or "skipped"
    when the delivery was not claimable (not queued, not due, or gone)."""
    from hamseda.social.adapters import adapter_for

    claim = _claim(delivery_id)
    if claim is None:
        return "skipped"
    delivery = Delivery.objects.select_related("account", "post__campaign").get(pk=delivery_id)
    started = timezone.now()
    sent: Sent | None = None
    error: DeliveryError | None = None
    try:
        account = delivery.account
        if not account.is_active:
            raise DeliveryError(ErrorKind.CONFIG, "the channel is not active")
        if not account.chat_id:
            raise DeliveryError(ErrorKind.CONFIG, "the channel has no chat id")
        adapter = adapter_for(
            account.platform, base_url=account.base_url, token=account_token(account)
        )
        message = _outgoing(delivery)
    except DeliveryError as exc:
        error = exc
    except Exception as exc:  # nothing was sent: preparing the message failed
        log.exception("social: delivery %s could not be prepared", delivery_id)
        error = DeliveryError(ErrorKind.CONFIG, f"preparing the message failed: {exc!r}")
    else:
        try:
            sent = adapter.send(message)
        except DeliveryError as exc:
            error = exc
        except Exception as exc:
            # An adapter bug after the request may have gone out: assume it did.
            log.exception("social: delivery %s failed unexpectedly in the adapter", delivery_id)
            error = DeliveryError(ErrorKind.UNCERTAIN, f"unexpected error: {exc!r}")
    return _record(delivery_id, claim, started, sent, error)


def _record(
    delivery_id: int,
    claim: uuid.UUID,
    started: dt.datetime,
    sent: Sent | None,
    error: DeliveryError | None,
) -> str:
    countdown: float | None = None
    with transaction.atomic():
        now = timezone.now()
        DeliveryAttempt.objects.create(
            delivery_id=delivery_id,
            started_at=started,
            finished_at=now,
            http_status=error.http_status if error else None,
            error_kind=error.kind if error else "",
            detail=(error.detail if error else (sent.message_id if sent else ""))[:500],
            retry_after=error.retry_after if error else None,
        )
        delivery = (
            Delivery.objects.select_for_update()
            .filter(
                pk=delivery_id,
                claim=claim,
                status__in=[DeliveryStatus.SENDING, DeliveryStatus.UNCERTAIN],
            )
            .first()
        )
        if delivery is None:
            # A person took it over meanwhile (sent again, marked published by hand).
            log.warning("social: delivery %s changed hands during the call", delivery_id)
            return "lost"
        delivery.claim = None
        delivery.next_attempt_at = None
        if sent is not None:
            outcome = "sent"
            delivery.status = DeliveryStatus.SENT
            delivery.remote_id = str(sent.message_id)[:200]
            delivery.remote_url = (sent.url or "")[:200]
            delivery.sent_at = now
            if sent.views is not None:
                delivery.views = sent.views
            delivery.error_kind = ""
            delivery.error_detail = ""
        else:
            assert error is not None
            delivery.error_kind = error.kind
            delivery.error_detail = error.detail[:500]
            limit = max_attempts()
            if error.kind == ErrorKind.RATE_LIMITED:
                limit *= 2
            if error.kind == ErrorKind.UNCERTAIN:
                outcome = "uncertain"
                delivery.status = DeliveryStatus.UNCERTAIN
            elif error.retryable and delivery.attempts < limit:
                outcome = "retry"
                countdown = retry_delay(error, delivery.attempts)
                delivery.status = DeliveryStatus.QUEUED
                delivery.next_attempt_at = now + dt.timedelta(seconds=countdown)
            else:
                outcome = "failed"
                delivery.status = DeliveryStatus.FAILED
        delivery.save()
        post_refresh_status(delivery.post)
        if countdown is not None:
            queue_on_commit([delivery_id], countdown=countdown)
    return outcome


# --- the beat's sweep ----------------------------------------------------------------


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Task ``social.sweep`` (every 30 s): deliveries whose worker died mid-call
    become UNCERTAIN; due QUEUED deliveries are queued again (a lost task, a
    broker that was down); scheduled posts whose time has come are released."""
    now = now or timezone.now()
    timeout = dt.timedelta(seconds=int(getattr(settings, "SOCIAL_CLAIM_TIMEOUT", 300)))
    uncertain = 0
    stale = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - timeout
    ).values_list("pk", "claim", "claimed_at")
    for pk, claim, claimed_at in list(stale):
        with transaction.atomic():
            changed = Delivery.objects.filter(
                pk=pk, status=DeliveryStatus.SENDING, claim=claim
            ).update(
                status=DeliveryStatus.UNCERTAIN,
                error_kind=ErrorKind.UNCERTAIN,
                error_detail="no result recorded: the worker stopped during the call",
                updated_at=now,
            )
            if changed:
                uncertain += 1
                DeliveryAttempt.objects.create(
                    delivery_id=pk,
                    started_at=claimed_at or now,
                    finished_at=None,
                    error_kind=ErrorKind.UNCERTAIN,
                    detail="no result recorded within the claim timeout",
                )
                post_refresh_status(Delivery.objects.get(pk=pk).post)
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.QUEUED)
        .filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in due:
        queue_delivery(pk)
    released = 0
    for post in Post.objects.filter(status=PostStatus.SCHEDULED, scheduled_at__lte=now).order_by(
        "scheduled_at", "pk"
    ):
        post_release(post)
        released += 1
    return {"uncertain": uncertain, "queued": len(due), "released": released}


# --- what people do --------------------------------------------------------------------


def _locked(delivery: Delivery) -> Delivery:
    return (
        Delivery.objects.select_for_update()
        .select_related("account", "post__office__agency")
        .get(pk=delivery.pk)
    )


@transaction.atomic
def delivery_retry(*, actor: Any, delivery: Delivery) -> Delivery:
    """Send again a delivery that failed or whose result is uncertain (the person
    checked the channel and the message is not there)."""
    policy.require(actor, "social.publish", delivery)
    delivery = _locked(delivery)
    if delivery.status not in (DeliveryStatus.FAILED, DeliveryStatus.UNCERTAIN):
        raise ValidationError(_g("فقط ارسال ناموفق یا نامعلوم را می‌توان دوباره فرستاد."))
    if delivery.account.is_manual:
        raise ValidationError(_g("این شبکه انتشار خودکار ندارد؛ فرسته را دستی منتشر کنید."))
    before = delivery.status
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.claim = None
    delivery.claimed_at = None
    delivery.error_kind = ""
    delivery.error_detail = ""
    delivery.save()
    audit_record(
        actor=actor,
        event="social_delivery_retried",
        target=delivery.post,
        changes={"status": [before, delivery.status], "account": [None, str(delivery.account)]},
    )
    post_refresh_status(delivery.post)
    queue_on_commit([delivery.pk])
    return delivery


def _views_error(views: Any) -> str | None:
    if views is None:
        return None
    if not isinstance(views, int) or isinstance(views, bool) or views < 0:
        return _g("شمار بازدید باید عددی صفر یا بیشتر باشد.")
    return None


@transaction.atomic
def delivery_mark_manual(
    *,
    actor: Any,
    delivery: Delivery,
    url: str = "",
    views: int | None = None,
    sent_at: dt.datetime | None = None,
) -> Delivery:
    """Record that a person published the post on this channel (a platform without
    API, or an uncertain/failed delivery found published). The link is required
    for platforms published by hand."""
    policy.require(actor, "social.publish", delivery)
    delivery = _locked(delivery)
    allowed = (DeliveryStatus.MANUAL, DeliveryStatus.UNCERTAIN, DeliveryStatus.FAILED)
    if delivery.status not in allowed:
        raise ValidationError(_g("این ارسال در وضعیتی نیست که بتوان انتشار دستی برایش ثبت کرد."))
    url = (url or "").strip()
    errors: dict[str, str] = {}
    message = url_error(url)
    if message:
        errors["url"] = message
    elif not url and delivery.status == DeliveryStatus.MANUAL:
        errors["url"] = _g("پیوند فرسته منتشرشده را وارد کنید.")
    message = _views_error(views)
    if message:
        errors["views"] = message
    if sent_at is not None and timezone.is_naive(sent_at):
        sent_at = timezone.make_aware(sent_at)
    if sent_at is not None and sent_at > timezone.now() + dt.timedelta(minutes=5):
        errors["sent_at"] = _g("زمان انتشار نمی‌تواند در آینده باشد.")
    if errors:
        raise ValidationError(errors)
    before = delivery.status
    delivery.status = DeliveryStatus.MANUAL_DONE
    delivery.remote_url = url
    delivery.views = views if views is not None else delivery.views
    delivery.sent_at = sent_at or timezone.now()
    delivery.marked_by = actor
    delivery.claim = None
    delivery.error_kind = ""
    delivery.error_detail = ""
    delivery.save()
    audit_record(
        actor=actor,
        event="social_delivery_marked_manual",
        target=delivery.post,
        changes={
            "status": [before, delivery.status],
            "account": [None, str(delivery.account)],
            "remote_url": [None, url],
        },
    )
    post_refresh_status(delivery.post)
    return delivery


@transaction.atomic
def delivery_set_views(*, actor: Any, delivery: Delivery, views: int | None) -> Delivery:
    """Record the views a published message has (where the platform does not
    report them to us)."""
    policy.require(actor, "social.publish", delivery)
    delivery = _locked(delivery)
    if delivery.status not in (DeliveryStatus.SENT, DeliveryStatus.MANUAL_DONE):
        raise ValidationError(_g("بازدید فقط برای فرسته منتشرشده ثبت می‌شود."))
    message = _views_error(views)
    if message:
        raise ValidationError({"views": message})
    before = delivery.views
    delivery.views = views
    delivery.save(update_fields=["views", "updated_at"])
    audit_record(
        actor=actor,
        event="social_delivery_views_set",
        target=delivery.post,
        changes={"views": [before, views], "account": [None, str(delivery.account)]},
    )
    return delivery
