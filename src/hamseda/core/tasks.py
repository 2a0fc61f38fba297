"""Background tasks of the shell: worker heartbeat, notification emails."""

from __future__ import annotations

import logging
import socket

from celery import shared_task
from celery.signals import worker_ready
from django.core.mail import send_mail
from django.utils import timezone

from hamseda.core.models import Notification, WorkerHeartbeat

log = logging.getLogger(__name__)


@shared_task(name="core.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker=f"{socket.gethostname()}", defaults={"seen_at": timezone.now()}
    )


@worker_ready.connect
def _announce_worker(**_: object) -> None:
    # Report at once, rather than on beat's first tick 30 s later.
    worker_heartbeat()


@shared_task(
    name="core.notification_emails_send",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def notification_emails_send(dedupe_key: str) -> int:
    """Mail every not-yet-mailed notice with this key. Each row is claimed by
    setting ``emailed_at`` before sending, so two workers never mail it twice;
    a failed send releases the claim and the task is retried."""
    sent = 0
    pending = Notification.objects.filter(
        dedupe_key=dedupe_key, emailed_at__isnull=True
    ).select_related("recipient")
    for notice in pending:
        if not notice.recipient.email:
            continue
        claimed = Notification.objects.filter(pk=notice.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            send_mail(
                notice.title,
                f"{notice.body}\n\n{notice.url}".strip(),
                None,
                [notice.recipient.email],
            )
        except OSError:
            Notification.objects.filter(pk=notice.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent
