"""One notification service for every feature: an in-app notice, and an email
sent by a worker after the transaction commits.

    notify(recipients=[...], title="...", url="...", dedupe_key="followup-12-overdue-2026-11-26")

The same ``dedupe_key`` for the same person is stored (and mailed) once, so a
job that runs twice, or a retried task, sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from hamseda.core.models import Notification


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> int:
    """Store one notice per active recipient (once per key); returns how many are new."""
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    if not people:
        return 0
    existing = set(
        Notification.objects.filter(recipient_id__in=people, dedupe_key=dedupe_key).values_list(
            "recipient_id", flat=True
        )
    )
    fresh = [
        Notification(
            recipient=person, title=title[:300], body=body, url=url, dedupe_key=dedupe_key[:200]
        )
        for pk, person in people.items()
        if pk not in existing
    ]
    # ignore_conflicts: a concurrent run that inserted the same key first wins.
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    if email and fresh:
        from hamseda.core.tasks import notification_emails_send

        transaction.on_commit(lambda: notification_emails_send.delay(dedupe_key))
    return len(fresh)


def notification_list(*, viewer: Any, unread_only: bool = False) -> QuerySet[Notification]:
    notices = Notification.objects.filter(recipient=viewer)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    return notices.order_by("-created_at", "-id")


def unread_count(*, viewer: Any) -> int:
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()
