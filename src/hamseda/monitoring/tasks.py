"""Background work of media monitoring: polling the feeds.

``poll_source`` is acknowledged late and rejected when its worker is lost, so a
worker killed mid-poll has the task delivered again; what the killed run had
committed stays, and ingestion stores nothing twice (``services.polling``).

One source is never read by two workers at once: the run holds a lock in the cache
(Redis in production, shared by every worker) for ``LOCK_SECONDS``; a run that finds
it taken does nothing, as the other run is reading the same feed. A lock left by a
killed worker expires on its own, by when ``polling.CLAIM`` has made the source due
again.
"""

from __future__ import annotations

import logging
import uuid

from celery import shared_task
from django.core.cache import cache

from hamseda.monitoring.models import Source
from hamseda.monitoring.services import polling

log = logging.getLogger(__name__)

LOCK_SECONDS = int(polling.CLAIM.total_seconds())


def _lock_key(source_id: int) -> str:
    return f"monitoring:poll-lock:{source_id}"


@shared_task(name="monitoring.poll_due_sources", ignore_result=True)
def poll_due_sources() -> int:
    return polling.poll_due_sources()


@shared_task(
    name="monitoring.poll_source",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def poll_source(source_id: int) -> str | None:
    """Poll one source; the outcome of the poll, or None when there was nothing to
    do (no such source, no feed, or another worker is reading it)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None or not source.feed_url:
        return None
    key, token = _lock_key(source_id), uuid.uuid4().hex
    if not cache.add(key, token, timeout=LOCK_SECONDS):
        log.info("monitoring: source %s is being polled by another worker", source_id)
        return None
    try:
        return str(polling.poll_source(source).outcome)
    finally:
        # Only our own lock: after LOCK_SECONDS another run may hold the key.
        if cache.get(key) == token:
            cache.delete(key)
