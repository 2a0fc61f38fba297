"""The reminder job: due soon, overdue, weekly, escalation once; never twice."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from hamseda.core.models import Notification
from hamseda.core.policy import Role
from hamseda.directory.tests.factories import PersonFactory
from hamseda.followups import services, tasks
from hamseda.followups.models import FollowUp, ReminderKind, ReminderLog
from hamseda.followups.tests.factories import make_followup

DUE = dt.date(2025, 11, 20)  # a Thursday


def day(offset: int) -> dt.date:
    return DUE + dt.timedelta(days=offset)


@pytest.fixture
def people(world):
    """Everyone has an email address, so each notice is also a mail."""
    for person in (world.chair, world.secretary, world.staff, world.member_staff, world.fars_chair):
        person.email = f"{person.username}@example.ir"
        person.save()
    # a second active person in the railway office and an inactive one
    PersonFactory(username="rail2", office=world.member_office, email="rail2@example.ir")
    PersonFactory(
        username="gone", office=world.member_office, email="gone@example.ir", is_active=False
    )
    return world


@pytest.fixture
def followup(people):
    return make_followup(
        people.isfahan_council, [people.member_office], actor=people.chair, due_date=DUE
    )


def run(today, capture):
    with capture(execute=True):
        return services.reminders_send(today=today)


def _notices(person):
    return Notification.objects.filter(recipient=person)


@pytest.mark.django_db
def test_nothing_is_sent_before_the_reminder_window(followup, django_capture_on_commit_callbacks):
    result = run(day(-4), django_capture_on_commit_callbacks)
    assert result["due_soon"] == 0
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_a_reminder_goes_to_the_responsible_office_three_days_before(
    people, followup, django_capture_on_commit_callbacks
):
    result = run(day(-3), django_capture_on_commit_callbacks)
    assert result["due_soon"] == 1
    # the two active people of the railway office, not the inactive one, nobody else
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"rail", "rail2"}
    assert sorted(m.to[0] for m in mail.outbox) == ["rail2@example.ir", "rail@example.ir"]
    notice = _notices(people.member_staff).get()
    assert "۳ روز دیگر" in notice.body
    assert notice.url == f"/followups/{followup.pk}/"
    assert notice.dedupe_key == f"followup-{followup.pk}-due_soon-{DUE.isoformat()}"
    # and not again the next day, nor on the due date itself
    run(day(-2), django_capture_on_commit_callbacks)
    run(day(0), django_capture_on_commit_callbacks)
    assert _notices(people.member_staff).count() == 1


@pytest.mark.django_db
def test_the_days_before_come_from_settings(
    people, followup, settings, django_capture_on_commit_callbacks
):
    settings.FOLLOWUP_REMINDER_DAYS_BEFORE = 1
    assert run(day(-3), django_capture_on_commit_callbacks)["due_soon"] == 0
    assert run(day(-1), django_capture_on_commit_callbacks)["due_soon"] == 1


@pytest.mark.django_db
def test_overdue_on_the_first_day_then_weekly(people, followup, django_capture_on_commit_callbacks):
    # day 1 overdue: "the due date passed"
    assert run(day(1), django_capture_on_commit_callbacks)["overdue"] == 1
    first = _notices(people.member_staff).get()
    assert "مهلت پیگیری گذشت" in first.title
    # days 2..7: nothing new to the office
    for offset in range(2, 8):
        assert run(day(offset), django_capture_on_commit_callbacks)["overdue"] == 0
    # day 8: the first weekly reminder; day 15: the second
    assert run(day(8), django_capture_on_commit_callbacks)["overdue"] == 1
    assert run(day(12), django_capture_on_commit_callbacks)["overdue"] == 0
    assert run(day(15), django_capture_on_commit_callbacks)["overdue"] == 1
    overdue = _notices(people.member_staff).filter(dedupe_key__contains="-overdue-")
    assert overdue.count() == 3
    assert set(
        ReminderLog.objects.filter(kind=ReminderKind.OVERDUE).values_list("sent_on", flat=True)
    ) == {day(1), day(8), day(15)}
    weekly = overdue.get(dedupe_key=f"followup-{followup.pk}-overdue-{day(8).isoformat()}")
    assert "۸ روز" in weekly.body


@pytest.mark.django_db
def test_escalation_to_the_provinces_chairs_once_after_seven_overdue_days(
    people, followup, django_capture_on_commit_callbacks
):
    second_chair = PersonFactory(
        username="chair2", office=people.partner_office, role=Role.COUNCIL_CHAIR
    )
    run(day(6), django_capture_on_commit_callbacks)
    assert not _notices(people.chair).exists()
    # day 7 overdue: the chairs of Isfahan (not of Fars) are told, once
    result = run(day(7), django_capture_on_commit_callbacks)
    assert result["escalation"] == 1
    assert _notices(people.chair).count() == 1
    assert _notices(second_chair).count() == 1
    assert not _notices(people.fars_chair).exists()
    assert not _notices(people.secretary).exists()
    followup.refresh_from_db()
    assert followup.escalated_at is not None
    for offset in (8, 14, 30):
        assert run(day(offset), django_capture_on_commit_callbacks)["escalation"] == 0
    assert _notices(people.chair).count() == 1


@pytest.mark.django_db
def test_closed_and_undated_followups_get_no_reminders(
    people, followup, django_capture_on_commit_callbacks
):
    services.followup_close(actor=people.member_staff, followup=followup, note="انجام شد")
    make_followup(people.isfahan_council, [people.member_office], actor=people.chair)
    result = run(day(10), django_capture_on_commit_callbacks)
    assert result == {"due_soon": 0, "overdue": 0, "escalation": 0, "notifications": 0}


@pytest.mark.django_db
def test_running_the_job_twice_sends_nothing_twice(
    people, followup, django_capture_on_commit_callbacks
):
    # given a follow-up 7 days overdue: an overdue reminder and an escalation are due
    first = run(day(7), django_capture_on_commit_callbacks)
    notices, mails = Notification.objects.count(), len(mail.outbox)
    assert first["overdue"] == 1
    assert first["escalation"] == 1
    assert notices == 3
    assert mails == 3
    # when the job runs again the same day (a second beat, a retried task)
    second = run(day(7), django_capture_on_commit_callbacks)
    # then nothing new is stored or mailed
    assert second == {"due_soon": 0, "overdue": 0, "escalation": 0, "notifications": 0}
    assert Notification.objects.count() == notices
    assert len(mail.outbox) == mails
    assert ReminderLog.objects.count() == 2


@pytest.mark.django_db
def test_the_celery_task_wraps_the_service(people, followup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.reminders_send.delay(day(-1).isoformat()).get()
    assert result["due_soon"] == 1
    assert len(mail.outbox) == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite: one writer)"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_send_each_reminder_once(people):
    # given ten follow-ups of the railway, each 7 days overdue
    for i in range(10):
        make_followup(
            people.isfahan_council,
            [people.member_office],
            actor=people.chair,
            due_date=DUE,
            text=f"مصوبه {i}",
        )
    barrier = threading.Barrier(2)
    results, errors = [], []

    def job():
        try:
            barrier.wait()
            results.append(services.reminders_send(today=day(7)))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    # when two workers run the job at the same moment
    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then each reminder was sent by exactly one of them
    assert errors == []
    assert sum(r["overdue"] for r in results) == 10
    assert sum(r["escalation"] for r in results) == 10
    assert ReminderLog.objects.count() == 20
    assert Notification.objects.filter(recipient=people.member_staff).count() == 10
    assert Notification.objects.filter(recipient=people.chair).count() == 10
    assert Notification.objects.count() == 30
    assert len(mail.outbox) == 30
    assert FollowUp.objects.filter(escalated_at__isnull=True).count() == 0
