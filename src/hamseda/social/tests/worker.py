"""A real Celery worker for delivery tests (like monitoring's ``test_worker``).

    from hamseda.social.tests.worker import wait_for, worker_app, worker_broker_url  # noqa: F401

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_...(worker_app, fake_botapi):  # noqa: F811 on the worker_app parameter
        worker_app.send_task("social.sweep")
        wait_for(lambda: Delivery.objects.filter(status="sent").count() == 2)

``worker_app`` consumes from Redis db 12 by default; a test module picks another
database (every helper its own, so parallel runs do not steal each other's tasks)
by overriding the ``worker_broker_url`` fixture:

    @pytest.fixture
    def worker_broker_url() -> str:
        return "redis://127.0.0.1:6379/11"

or with the environment variable HAMSEDA_SOCIAL_TEST_BROKER_URL. While the
worker runs, the project's app is not eager: tasks queued by services
(``transaction.on_commit`` → ``social.deliver``) go through the broker to the
worker thread too.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
import redis
from celery import Celery, _state, current_app
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError

T = TypeVar("T")

DEFAULT_BROKER_URL = os.environ.get("HAMSEDA_SOCIAL_TEST_BROKER_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def worker_broker_url() -> str:
    return DEFAULT_BROKER_URL


@pytest.fixture
def worker_app(worker_broker_url: str) -> Iterator[Celery]:
    """A Celery app on Redis with eager mode off, and a worker thread consuming it.
    It is the current app while the test runs (so ``task.delay()`` of the services
    reaches the worker); the project's eager app is current again afterwards."""
    try:
        broker = redis.Redis.from_url(worker_broker_url, socket_connect_timeout=2)
        broker.ping()
    except redis.RedisError as exc:
        pytest.skip(f"the worker test needs Redis at {worker_broker_url}: {exc}")
    broker.flushdb()
    app = Celery("hamseda-social-worker-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=worker_broker_url,
        broker_transport_options={},
        task_always_eager=False,
        result_backend=None,
        worker_hijack_root_logger=False,
    )
    # The social tasks must be registered on this app (shared tasks are added to
    # every app that finalizes after their module was imported).
    import hamseda.social.tasks  # noqa: F401

    default, current = _state.default_app, current_app._get_current_object()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            app.set_current()
            app.set_default()
            yield app
    finally:
        _state.default_app = default
        current.set_current()
        broker.flushdb()


def wait_for(condition: Callable[[], T], timeout: float = 30.0) -> T:
    """Call ``condition`` every 0.1 s until it returns a true value, and return that;
    AssertionError after ``timeout``. On SQLite, also the way to read or write while
    the worker runs: ``wait_for(lambda: list(Delivery.objects.all()))``, or a write
    in a function returning True (in a transaction: a locked try is rolled back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except OperationalError as exc:
            # The in-memory SQLite test database is shared with the worker's thread
            # by a table lock: a read while the worker writes is "locked", not wrong.
            if "locked" not in str(exc):
                raise
        time.sleep(0.1)
    raise AssertionError(f"the worker did not finish in {timeout} s")
