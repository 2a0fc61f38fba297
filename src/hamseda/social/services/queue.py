"""Handing a delivery to the workers (task ``social.deliver``).

A task that cannot be queued (the broker is down) is not an error for the
caller: the delivery stays QUEUED and ``sweep`` (every 30 s) queues it again.
Queuing one delivery twice is harmless: only one run can claim it.
"""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def queue_delivery(delivery_id: int, countdown: float | None = None) -> None:
    from hamseda.social.tasks import deliver_task

    try:
        deliver_task.apply_async(args=[delivery_id], countdown=countdown)
    except Exception:  # the broker; sweep queues it again
        log.warning("social: could not queue delivery %s", delivery_id, exc_info=True)


def queue_on_commit(delivery_ids: list[int], countdown: float | None = None) -> None:
    """Queue the deliveries once the current transaction has committed (the worker
    must see what was written)."""
    ids = list(delivery_ids)
    if not ids:
        return

    def send() -> None:
        for delivery_id in ids:
            queue_delivery(delivery_id, countdown)

    transaction.on_commit(send)
