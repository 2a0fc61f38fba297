"""Delivery, not logic: a real Celery worker consuming from Redis polls a source
served by a local HTTP server, and the articles land once although the poll is
queued twice (a "read now" while the scheduled poll waits in the queue)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
import redis
from celery import Celery, _state
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError

from hamseda.monitoring import tasks
from hamseda.monitoring.models import Article, PollOutcome, Source, SourceKind, SourcePoll
from hamseda.monitoring.tests import local_feeds
from hamseda.monitoring.tests.local_feeds import FeedServer, Reply, feed_file

feed_server = local_feeds.feed_server

# A database of its own, emptied first: stale messages of an earlier run are not ours.
BROKER_URL = os.environ.get("HAMSEDA_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")


@pytest.fixture
def worker_app() -> Iterator[Celery]:
    """A Celery app on Redis with eager mode off, and a worker thread consuming it.
    The project's app (eager under tests) is the default again afterwards."""
    try:
        broker = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
        broker.ping()
    except redis.RedisError as exc:
        pytest.skip(f"the worker test needs Redis at {BROKER_URL}: {exc}")
    broker.flushdb()
    app = Celery("hamseda-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=BROKER_URL,
        broker_transport_options={},
        task_always_eager=False,
        result_backend=None,
        worker_hijack_root_logger=False,
    )
    default, current = _state.default_app, _state.get_current_app()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        _state.default_app = default
        current.set_current()
        broker.flushdb()


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError as exc:
            # The in-memory SQLite test database is shared with the worker's thread
            # by a table lock: a read while the worker writes is "locked", not wrong.
            if "locked" not in str(exc):
                raise
        time.sleep(0.1)
    raise AssertionError("the worker did not finish in time")


# Serialized rollback, like every transactional test here: the flush after it then
# leaves no content types behind for the next one's restore to collide with.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_polls_the_source_and_the_articles_land_once(
    worker_app: Celery, feed_server: FeedServer
):
    # given a source whose server ignores conditional GET
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml")))
    source = Source.objects.create(name="خبرگزاری نمونه", kind=SourceKind.NEWS_AGENCY, feed_url=url)

    # when the beat's task and a "read now" both go through the broker
    worker_app.send_task(tasks.poll_due_sources.name)
    worker_app.send_task(tasks.poll_source.name, args=[source.pk])
    _wait_for(lambda: SourcePoll.objects.filter(source=source).count() == 2)

    # then both polls ran in the worker, and the three articles are stored once
    first, second = SourcePoll.objects.filter(source=source).order_by("started_at", "id")
    assert (first.outcome, first.articles_added) == (PollOutcome.OK, 3)
    assert (second.outcome, second.articles_added) == (PollOutcome.OK, 0)
    assert Article.objects.filter(source=source).count() == 3
    assert len(feed_server.hits("/rss")) == 2
    source.refresh_from_db()
    assert source.articles_added == 3
    assert source.next_poll_at is not None
