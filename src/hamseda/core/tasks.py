"""Background tasks of the shell."""

from __future__ import annotations

import socket

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from hamseda.core.models import WorkerHeartbeat


@shared_task(name="core.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=f"{socket.gethostname()}", defaults={"seen_at": timezone.now()}
    )


@worker_ready.connect
def _announce_worker(**_: object) -> None:
    # Report at once, rather than on beat's first tick 30 s later.
    worker_heartbeat()
