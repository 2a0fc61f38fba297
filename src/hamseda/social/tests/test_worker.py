"""Delivery, not logic: a real Celery worker consuming from Redis (db 12)
publishes a post to the Bale and Eitaa fakes. Eitaa answers 429 first: the
worker retries it after the time asked, and each fake holds the message once,
although the beat's sweep queues the deliveries again meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from celery import Celery
from django.utils import timezone

from hamseda.social import fakes
from hamseda.social.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    Platform,
    Post,
    PostStatus,
)
from hamseda.social.services import posts
from hamseda.social.tests.factories import SocialAccountFactory
from hamseda.social.tests.worker import wait_for, worker_app, worker_broker_url  # noqa: F401

TEXT = "افتتاح بزرگراه شرق اصفهان با حضور وزیر راه\u200cو\u200cشهرسازی"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_delivers_to_bale_and_eitaa_exactly_once(
    world,
    worker_app: Celery,  # noqa: F811  (the fixture imported above)
    fake_botapi,
    fake_eitaa,
):
    # given an office's Bale and Eitaa channels, Eitaa busy for a second
    bale = SocialAccountFactory(
        office=world.chair_office, platform=Platform.BALE, base_url=fake_botapi.base_url
    )
    eitaa = SocialAccountFactory(
        office=world.chair_office, platform=Platform.EITAA, base_url=fake_eitaa.base_url
    )
    fake_eitaa.script(fakes.rate_limited(retry_after=1))
    # (and, for later, a marker post for a website: releasing it sends nothing)
    website = SocialAccountFactory(office=world.chair_office, platform=Platform.WEBSITE)
    marker = posts.post_create(
        actor=world.staff,
        office=world.chair_office,
        text="نشانه",
        account_ids=[website.pk],
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
    )
    post = posts.post_create(
        actor=world.staff,
        office=world.chair_office,
        text=TEXT,
        account_ids=[bale.pk, eitaa.pk],
        scheduled_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert post.status == PostStatus.SCHEDULED
    # when its time has come and the beat's sweep goes through the broker
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - dt.timedelta(seconds=1))
    worker_app.send_task("social.sweep")

    def delivered() -> bool:
        return (
            Delivery.objects.filter(post=post, status=DeliveryStatus.SENT).count() == 2
            and Post.objects.get(pk=post.pk).status == PostStatus.DONE
        )

    # ... and once more while Eitaa's retry waits (the sweep runs every 30 s)
    wait_for(lambda: Delivery.objects.filter(post=post, attempts__gte=1).count() == 2)
    worker_app.send_task("social.sweep")
    wait_for(delivered)

    # and when both tasks come again (the broker delivered them twice), followed by
    # a marker: a sweep releasing a post for a website (nothing to send)
    ids = wait_for(lambda: list(Delivery.objects.filter(post=post).values_list("pk", flat=True)))
    for pk in ids:
        worker_app.send_task("social.deliver", args=[pk])
    wait_for(lambda: Post.objects.filter(pk=marker.pk).update(scheduled_at=timezone.now()))
    worker_app.send_task("social.sweep")
    wait_for(lambda: Post.objects.get(pk=marker.pk).status == PostStatus.PUBLISHING)

    # then each platform got the message once, Eitaa after its 429
    assert [m.text for m in fake_botapi.received] == [TEXT]
    assert [m.text for m in fake_eitaa.received] == [TEXT]
    assert [c.status for c in fake_eitaa.send_calls()] == [429, 200]
    retried = Delivery.objects.get(post=post, platform=Platform.EITAA)
    assert retried.attempts == 2
    first, second = DeliveryAttempt.objects.filter(delivery=retried).order_by("started_at", "pk")
    assert first.http_status == 429
    assert second.started_at >= first.finished_at + dt.timedelta(seconds=1)
    assert Delivery.objects.get(post=post, platform=Platform.BALE).attempts == 1
