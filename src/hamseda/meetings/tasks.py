"""Background work of meetings: planning recurring meetings, mailing offices."""

from __future__ import annotations

from celery import shared_task

from hamseda.meetings import services


@shared_task(name="meetings.schedules_plan", ignore_result=True)
def schedules_plan() -> int:
    """Plan every active schedule's meetings 60 days ahead (run daily by beat)."""
    return services.schedules_plan(days=services.PLAN_AHEAD_DAYS)


@shared_task(
    name="meetings.meeting_office_emails_send",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def meeting_office_emails_send(meeting_id: int, version: str) -> int:
    """Mail the meeting's ``.ics`` to each office (queued on commit by the services)."""
    return services.meeting_office_emails_send(meeting_id=meeting_id, version=version)
