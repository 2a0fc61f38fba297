"""Delivery against the local messenger fakes (real HTTP servers): one attempt at
a time through ``services.delivery.deliver``, as the worker runs it. The claim,
the retries and their timing, the errors in Persian, and never a second copy of
a message the platform may have accepted."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections
from django.utils import timezone

from hamseda.core.models import AuditEvent
from hamseda.core.tests.uploads import png
from hamseda.social import fakes
from hamseda.social.adapters.base import explain
from hamseda.social.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    ErrorKind,
    Platform,
    PostStatus,
)
from hamseda.social.services import delivery as service
from hamseda.social.services import posts
from hamseda.social.tests.factories import PostFactory, SocialAccountFactory

ZWNJ = "\u200c"
TEXT = f"بازدید از پروژه‌های نهضت{ZWNJ}ملی مسکن؛ می‌رویم"


def _channel(world, fake, platform=Platform.BALE, **kwargs):
    return SocialAccountFactory(
        office=world.chair_office, platform=platform, base_url=fake.base_url, **kwargs
    )


def _release(world, accounts, *, text=TEXT, images=None):
    """A post of the chair's office released to ``accounts``: its deliveries,
    QUEUED (the test database never commits, so nothing is queued to a task)."""
    post = posts.post_create(
        actor=world.staff,
        office=world.chair_office,
        text=text,
        account_ids=[a.pk for a in accounts],
        images=images,
    )
    return post, list(post.deliveries.order_by("pk"))


def _make_due(delivery: Delivery) -> None:
    """Time passes: the delivery's next attempt is due now."""
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_delivery_is_sent_once_with_the_text_unchanged(world, fake_botapi):
    channel = _channel(world, fake_botapi)
    post, [delivery] = _release(world, [channel])
    assert delivery.status == DeliveryStatus.QUEUED
    assert post.status == PostStatus.PUBLISHING

    assert service.deliver(delivery.pk) == "sent"

    [message] = fake_botapi.received
    assert message.chat_id == "@hamseda_test"
    assert message.text == TEXT  # half-spaces byte for byte
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    assert delivery.remote_id == message.message_id
    assert delivery.remote_url == f"https://ble.ir/hamseda_test/{message.message_id}"
    assert delivery.sent_at is not None
    assert delivery.attempts == 1
    assert delivery.claim is None
    post.refresh_from_db()
    assert post.status == PostStatus.DONE
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert attempt.error_kind == ""
    assert attempt.finished_at is not None


def test_a_second_run_of_the_same_task_sends_nothing(world, fake_botapi):
    # given a delivery already sent
    channel = _channel(world, fake_botapi)
    _, [delivery] = _release(world, [channel])
    assert service.deliver(delivery.pk) == "sent"
    # when the broker hands the same task over again
    assert service.deliver(delivery.pk) == "skipped"
    # then the platform was called once
    assert len(fake_botapi.received) == 1
    assert len(fake_botapi.send_calls()) == 1
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_claim_is_committed_before_the_call_and_a_duplicate_task_stays_out(world, fake_botapi):
    # given a queued delivery (made by hand: a release here would commit and run
    # the eager task at once) and a platform that takes a while to answer
    channel = _channel(world, fake_botapi)
    post = PostFactory(office=world.chair_office, text=TEXT, status=PostStatus.PUBLISHING)
    delivery = Delivery.objects.create(post=post, account=channel, platform=channel.platform)
    fake_botapi.script(fakes.slow(1.5))
    outcome: dict[str, str] = {}

    def work() -> None:
        try:
            outcome["first"] = service.deliver(delivery.pk)
        finally:
            connections.close_all()  # this thread's own connection

    first = threading.Thread(target=work)

    # when one worker is in the middle of the call
    first.start()
    # (waiting on the fake, not the database: the request has reached the platform
    # once the fake has taken its scripted slow answer; polling the table meanwhile
    # would lock the shared in-memory SQLite database against the worker's claim)
    deadline = timezone.now() + dt.timedelta(seconds=5)
    while fake_botapi.pending_script and timezone.now() < deadline:
        threading.Event().wait(0.01)
    assert fake_botapi.pending_script == []
    claimed = Delivery.objects.get(pk=delivery.pk)
    # then another connection already sees the delivery claimed (committed) while
    # the platform has not answered yet ...
    assert claimed.status == DeliveryStatus.SENDING
    assert fake_botapi.received == []
    assert claimed.claim is not None
    assert claimed.attempts == 1
    # ... and a second worker with the same task does not call the platform
    assert service.deliver(delivery.pk) == "skipped"
    first.join(timeout=10)

    assert outcome == {"first": "sent"}
    assert len(fake_botapi.received) == 1
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENT


def test_a_rate_limit_is_retried_after_the_time_the_platform_asked(world, fake_eitaa):
    channel = _channel(world, fake_eitaa, platform=Platform.EITAA)
    post, [delivery] = _release(world, [channel])
    fake_eitaa.script(fakes.rate_limited(retry_after=3))

    before = timezone.now()
    assert service.deliver(delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.error_kind == ErrorKind.RATE_LIMITED
    assert delivery.attempts == 1
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 3 <= wait < 5
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert (attempt.http_status, attempt.retry_after) == (429, 3)
    assert fake_eitaa.received == []

    # not before the time the platform asked
    assert service.deliver(delivery.pk) == "skipped"
    assert len(fake_eitaa.send_calls()) == 1

    _make_due(delivery)
    assert service.deliver(delivery.pk) == "sent"
    assert len(fake_eitaa.received) == 1
    assert fake_eitaa.received[0].text == TEXT
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error_kind) == (
        DeliveryStatus.SENT,
        2,
        "",
    )
    post.refresh_from_db()
    assert post.status == PostStatus.DONE


def test_server_errors_back_off_then_fail_after_the_last_attempt(world, fake_botapi, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 3
    channel = _channel(world, fake_botapi)
    post, [delivery] = _release(world, [channel])
    fake_botapi.script(*[fakes.server_error(502)] * 3)

    waits = []
    for _ in range(2):
        before = timezone.now()
        assert service.deliver(delivery.pk) == "retry"
        delivery.refresh_from_db()
        assert delivery.error_kind == ErrorKind.SERVER
        waits.append(round((delivery.next_attempt_at - before).total_seconds()))
        _make_due(delivery)
    assert waits == [30, 120]

    assert service.deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert delivery.next_attempt_at is None
    assert fake_botapi.received == []
    post.refresh_from_db()
    assert post.status == PostStatus.FAILED


def test_rate_limits_alone_fail_only_after_twice_the_attempts(world, fake_botapi, settings):
    settings.SOCIAL_MAX_ATTEMPTS = 2
    channel = _channel(world, fake_botapi)
    _, [delivery] = _release(world, [channel])
    fake_botapi.script(*[fakes.rate_limited(1)] * 4)
    outcomes = []
    for _ in range(4):
        outcomes.append(service.deliver(delivery.pk))
        _make_due(delivery)
    assert outcomes == ["retry", "retry", "retry", "failed"]


@pytest.mark.parametrize(
    ("scripted", "kind"),
    [
        (fakes.unauthorized(), ErrorKind.UNAUTHORIZED),
        (fakes.forbidden(), ErrorKind.FORBIDDEN),
        (fakes.bad_request("Bad Request: chat not found"), ErrorKind.CHAT_NOT_FOUND),
        (fakes.bad_request("Bad Request: message is too long"), ErrorKind.TOO_LONG),
    ],
)
def test_errors_a_person_must_fix_fail_at_once_with_a_persian_explanation(
    world, fake_botapi, scripted, kind
):
    channel = _channel(world, fake_botapi)
    _, [delivery] = _release(world, [channel])
    fake_botapi.script(scripted)

    assert service.deliver(delivery.pk) == "failed"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_kind, delivery.attempts) == (
        DeliveryStatus.FAILED,
        kind,
        1,
    )
    assert delivery.error_detail  # the platform's own words, for support
    what, todo = explain(delivery.error_kind)
    assert what
    assert todo
    assert "ا" in what
    assert service.deliver(delivery.pk) == "skipped"
    assert len(fake_botapi.send_calls()) == 1


def test_a_wrong_token_and_an_unknown_chat_are_told_apart(world, fake_botapi):
    wrong_token = _channel(world, fake_botapi, token="not-the-token", chat_id="@hamseda_test")
    wrong_chat = _channel(world, fake_botapi, chat_id="@nobody_here")
    _, deliveries = _release(world, [wrong_token, wrong_chat])
    for delivery in deliveries:
        assert service.deliver(delivery.pk) == "failed"
    kinds = {
        d.account_id: d.error_kind
        for d in Delivery.objects.filter(pk__in=[d.pk for d in deliveries])
    }
    assert kinds == {
        wrong_token.pk: ErrorKind.UNAUTHORIZED,
        wrong_chat.pk: ErrorKind.CHAT_NOT_FOUND,
    }


def test_a_channel_without_a_token_fails_as_incomplete_settings(world, fake_botapi):
    channel = _channel(world, fake_botapi, token="")
    _, [delivery] = _release(world, [channel])
    assert service.deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.error_kind == ErrorKind.CONFIG
    assert fake_botapi.calls == []


def test_an_unanswered_request_becomes_uncertain_and_is_never_sent_again(world, fake_botapi):
    # given a platform that takes the message and drops the connection
    channel = _channel(world, fake_botapi)
    post, [delivery] = _release(world, [channel])
    fake_botapi.script(fakes.accept_and_drop())

    assert service.deliver(delivery.pk) == "uncertain"

    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_kind) == (
        DeliveryStatus.UNCERTAIN,
        ErrorKind.UNCERTAIN,
    )
    assert len(fake_botapi.received) == 1
    # when the sweep runs, now and much later, and the task comes again
    service.sweep()
    service.sweep(now=timezone.now() + dt.timedelta(days=1))
    assert service.deliver(delivery.pk) == "skipped"
    # then the message is still there once
    assert len(fake_botapi.received) == 1
    assert len(fake_botapi.send_calls()) == 1
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.UNCERTAIN
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING  # a person has to look


def test_a_worker_that_died_mid_call_leaves_an_uncertain_delivery(world, fake_botapi, settings):
    settings.SOCIAL_CLAIM_TIMEOUT = 300
    channel = _channel(world, fake_botapi)
    _, [delivery] = _release(world, [channel])
    # a worker claimed it and was killed during the call
    claimed_at = timezone.now() - dt.timedelta(seconds=301)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=claimed_at, attempts=1
    )
    recent = _channel(world, fake_botapi, chat_id="@isfahan_roads")
    _, [working] = _release(world, [recent])
    Delivery.objects.filter(pk=working.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(seconds=10)
    )

    result = service.sweep()

    assert result["uncertain"] == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.error_kind) == (
        DeliveryStatus.UNCERTAIN,
        ErrorKind.UNCERTAIN,
    )
    assert DeliveryAttempt.objects.get(delivery=delivery).error_kind == ErrorKind.UNCERTAIN
    assert Delivery.objects.get(pk=working.pk).status == DeliveryStatus.SENDING
    assert service.deliver(delivery.pk) == "skipped"
    assert fake_botapi.calls == []


def test_a_person_sends_an_uncertain_delivery_again(world, fake_botapi):
    channel = _channel(world, fake_botapi)
    post, [delivery] = _release(world, [channel])
    fake_botapi.script(fakes.accept_and_drop())
    service.deliver(delivery.pk)

    retried = service.delivery_retry(actor=world.staff, delivery=delivery)

    assert (retried.status, retried.attempts, retried.error_kind) == (DeliveryStatus.QUEUED, 0, "")
    assert service.deliver(delivery.pk) == "sent"
    assert len(fake_botapi.received) == 2  # the person decided it was not there
    assert AuditEvent.objects.filter(
        event="social_delivery_retried", target_id=str(post.pk)
    ).exists()


def test_only_failed_or_uncertain_deliveries_are_sent_again(world, fake_botapi):
    from django.core.exceptions import PermissionDenied, ValidationError

    channel = _channel(world, fake_botapi)
    _, [delivery] = _release(world, [channel])
    with pytest.raises(ValidationError):
        service.delivery_retry(actor=world.staff, delivery=delivery)
    service.deliver(delivery.pk)
    with pytest.raises(ValidationError):
        service.delivery_retry(actor=world.staff, delivery=delivery)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    with pytest.raises(PermissionDenied):
        service.delivery_retry(actor=world.member_staff, delivery=delivery)


def test_a_manual_platform_waits_for_a_person_and_its_link(world, fake_botapi):
    from django.core.exceptions import ValidationError

    bale = _channel(world, fake_botapi)
    instagram = SocialAccountFactory(office=world.chair_office, platform=Platform.INSTAGRAM)
    post, deliveries = _release(world, [bale, instagram])
    by_platform = {d.platform: d for d in deliveries}
    manual = by_platform[Platform.INSTAGRAM]
    assert manual.status == DeliveryStatus.MANUAL
    assert service.deliver(manual.pk) == "skipped"

    service.deliver(by_platform[Platform.BALE].pk)
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHING

    with pytest.raises(ValidationError) as error:
        service.delivery_mark_manual(actor=world.staff, delivery=manual, url="")
    assert "url" in error.value.message_dict
    done = service.delivery_mark_manual(
        actor=world.staff, delivery=manual, url="https://instagram.com/p/abc", views=120
    )
    assert (done.status, done.remote_url, done.views, done.marked_by) == (
        DeliveryStatus.MANUAL_DONE,
        "https://instagram.com/p/abc",
        120,
        world.staff,
    )
    post.refresh_from_db()
    assert post.status == PostStatus.DONE

    service.delivery_set_views(actor=world.staff, delivery=done, views=300)
    assert Delivery.objects.get(pk=manual.pk).views == 300
    with pytest.raises(ValidationError):
        service.delivery_set_views(actor=world.staff, delivery=done, views=-1)


def test_one_channel_failing_leaves_the_post_partly_published(world, fake_botapi, fake_eitaa):
    bale = _channel(world, fake_botapi)
    eitaa = _channel(world, fake_eitaa, platform=Platform.EITAA)
    post, deliveries = _release(world, [bale, eitaa])
    fake_eitaa.script(fakes.unauthorized())
    for delivery in deliveries:
        service.deliver(delivery.pk)
    post.refresh_from_db()
    assert post.status == PostStatus.PARTLY


def test_pictures_go_with_the_message(world, fake_botapi, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    channel = _channel(world, fake_botapi)
    _, [delivery] = _release(world, [channel], images=[png("site.png")])

    assert service.deliver(delivery.pk) == "sent"

    [message] = fake_botapi.received
    assert message.method == "sendPhoto"
    assert message.text == TEXT
    [(_name, content)] = message.files
    assert content.startswith(b"\x89PNG")


def test_the_campaign_hashtags_are_published_with_the_text(world, fake_botapi):
    from hamseda.campaigns.tests.factories import make_campaign

    campaign = make_campaign(world)
    channel = _channel(world, fake_botapi)
    post = posts.post_create(
        actor=world.staff,
        office=world.chair_office,
        text=TEXT,
        account_ids=[channel.pk],
        campaign=campaign,
    )
    service.deliver(post.deliveries.get().pk)
    assert fake_botapi.received[0].text == f"{TEXT}\n#نهضت_ملی_مسکن"


def test_released_posts_are_delivered_through_the_task_after_commit(
    world, fake_botapi, fake_eitaa, django_capture_on_commit_callbacks
):
    # The tests' Celery is eager: the task runs where it is queued, after commit.
    bale = _channel(world, fake_botapi)
    eitaa = _channel(world, fake_eitaa, platform=Platform.EITAA)
    with django_capture_on_commit_callbacks(execute=True):
        post = posts.post_create(
            actor=world.staff,
            office=world.chair_office,
            text=TEXT,
            account_ids=[bale.pk, eitaa.pk],
        )
    assert len(fake_botapi.received) == 1
    assert len(fake_eitaa.received) == 1
    post.refresh_from_db()
    assert post.status == PostStatus.DONE


def test_the_sweep_releases_due_scheduled_posts_and_queues_due_deliveries(
    world, fake_botapi, django_capture_on_commit_callbacks
):
    channel = _channel(world, fake_botapi)
    post = posts.post_create(
        actor=world.staff,
        office=world.chair_office,
        text=TEXT,
        account_ids=[channel.pk],
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert post.status == PostStatus.SCHEDULED
    assert service.sweep() == {"uncertain": 0, "queued": 0, "released": 0}

    with django_capture_on_commit_callbacks(execute=True):
        result = service.sweep(now=timezone.now() + dt.timedelta(hours=1, seconds=1))
    assert result["released"] == 1
    post.refresh_from_db()
    assert post.status == PostStatus.DONE
    assert len(fake_botapi.received) == 1
    # nothing left to do
    assert service.sweep(now=timezone.now() + dt.timedelta(hours=2)) == {
        "uncertain": 0,
        "queued": 0,
        "released": 0,
    }
    assert len(fake_botapi.received) == 1
