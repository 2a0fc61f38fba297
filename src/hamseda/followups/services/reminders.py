"""Reminders before and after the due date, and escalation to the chair;
safe to run twice (``ReminderLog``)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.core import jalali
from hamseda.core.audit import audit_record
from hamseda.core.notifications import notify
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Person
from hamseda.followups.models import (
    OPEN_STATUSES,
    FollowUp,
    ReminderKind,
    ReminderLog,
)
from hamseda.followups.services.common import (
    followup_title,
    province_chairs,
)

# --- reminders ---------------------------------------------------------------------


def _days_before() -> int:
    return int(getattr(settings, "FOLLOWUP_REMINDER_DAYS_BEFORE", 3))


def _escalate_after() -> int:
    return int(getattr(settings, "FOLLOWUP_ESCALATE_AFTER_DAYS", 7))


def _claim(followup: FollowUp, kind: str, key: dt.date) -> bool:
    """Insert the reminder's log row; False when it is there already. The
    unique constraint (followup, kind, sent_on) decides between two runs of the
    job: on PostgreSQL a second run's insert waits for the first one's
    transaction and then fails, so only one of them notifies."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(followup=followup, kind=kind, sent_on=key)
    except IntegrityError:
        return False
    return True


def _recipients(followup: FollowUp) -> list[Person]:
    # ``offices__people`` is prefetched (active people only) by reminders_send.
    return [person for office in followup.offices.all() for person in office.people.all()]


def reminders_send(*, today: dt.date) -> dict[str, int]:
    """Send the day's follow-up reminders; safe to run twice or concurrently.

    - *due soon*: once, within ``FOLLOWUP_REMINDER_DAYS_BEFORE`` days of the due
      date (period key: the due date);
    - *overdue*: on the first overdue day, then once a week while overdue (period
      key: the first day of that overdue week, counted from the due date);
    - *escalation*: once, to every active council chair of the province, after
      ``FOLLOWUP_ESCALATE_AFTER_DAYS`` overdue days (key: the due date; sets
      ``escalated_at``).

    The office reminders go to the active people of the responsible offices.
    Each follow-up is handled in its own transaction: its log row, notices and
    ``escalated_at`` commit together, and a failure leaves the others sent.
    Returns how many reminders of each kind were sent by this run.
    """
    days_before = _days_before()
    escalate_after = _escalate_after()
    counts = {"due_soon": 0, "overdue": 0, "escalation": 0, "notifications": 0}
    candidates = (
        FollowUp.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=days_before),
        )
        .select_related("resolution", "council")
        .prefetch_related(
            Prefetch(
                "offices__people",
                queryset=Person.objects.filter(is_active=True),
            )
        )
        .order_by("due_date", "pk")
    )
    for followup in candidates:
        due = followup.due_date
        assert due is not None
        with transaction.atomic():
            counts["notifications"] += _remind(followup, due, today, escalate_after, counts)
    return counts


def _remind(
    followup: FollowUp, due: dt.date, today: dt.date, escalate_after: int, counts: dict[str, int]
) -> int:
    sent = 0
    title = followup_title(followup)
    url = followup.get_absolute_url()
    due_text = jalali.format_date(due, "long")
    if due >= today:
        if _claim(followup, ReminderKind.DUE_SOON, due):
            days = (due - today).days
            when = _g("امروز") if days == 0 else _g("%(days)s روز دیگر") % {"days": fa_digits(days)}
            sent += notify(
                recipients=_recipients(followup),
                title=_g("یادآوری مهلت پیگیری: %(title)s") % {"title": title},
                body=_g("مهلت انجام این مصوبه %(due)s (%(when)s) است.")
                % {"due": due_text, "when": when},
                url=url,
                dedupe_key=f"followup-{followup.pk}-{ReminderKind.DUE_SOON}-{due.isoformat()}",
            )
            counts["due_soon"] += 1
        return sent
    overdue_days = (today - due).days
    first_day = due + dt.timedelta(days=1)
    key = first_day + dt.timedelta(days=7 * ((overdue_days - 1) // 7))
    if _claim(followup, ReminderKind.OVERDUE, key):
        if key == first_day:
            subject = _g("مهلت پیگیری گذشت: %(title)s")
        else:
            subject = _g("پیگیری عقب‌افتاده: %(title)s")
        sent += notify(
            recipients=_recipients(followup),
            title=subject % {"title": title},
            body=_g("مهلت انجام %(due)s بود و %(days)s روز از آن گذشته است.")
            % {"due": due_text, "days": fa_digits(overdue_days)},
            url=url,
            dedupe_key=f"followup-{followup.pk}-{ReminderKind.OVERDUE}-{key.isoformat()}",
        )
        counts["overdue"] += 1
    if (
        overdue_days >= escalate_after
        and followup.escalated_at is None
        and _claim(followup, ReminderKind.ESCALATION, due)
    ):
        followup.escalated_at = timezone.now()
        FollowUp.objects.filter(pk=followup.pk).update(escalated_at=followup.escalated_at)
        offices = "، ".join(office.name for office in followup.offices.all())
        sent += notify(
            recipients=province_chairs(followup.council.province_id),
            title=_g("گزارش پیگیری عقب‌افتاده به رئیس شورا: %(title)s") % {"title": title},
            body=_g("مسئول: %(offices)s. مهلت %(due)s بود و %(days)s روز از آن گذشته است.")
            % {"offices": offices or "—", "due": due_text, "days": fa_digits(overdue_days)},
            url=url,
            dedupe_key=f"followup-{followup.pk}-{ReminderKind.ESCALATION}-{due.isoformat()}",
        )
        audit_record(
            actor=None,
            event="followup_escalated",
            target=followup,
            changes={"escalated_at": [None, followup.escalated_at.isoformat()]},
        )
        counts["escalation"] += 1
    return sent
