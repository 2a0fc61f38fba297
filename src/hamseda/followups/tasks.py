"""Background work of follow-ups: one-line Celery wrappers around services."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from hamseda.core import jalali
from hamseda.followups import services


@shared_task(name="followups.reminders_send", ignore_result=True)
def reminders_send(today: str | None = None) -> dict[str, int]:
    """The daily reminder run (beat). ``today`` (ISO date) replays a given day;
    by default it is today in Tehran. Safe to run twice: see the service."""
    day = dt.date.fromisoformat(today) if today else jalali.today()
    return services.reminders_send(today=day)
