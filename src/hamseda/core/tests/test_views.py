"""The shell: login and throttling, password change, health, error pages."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from hamseda.conftest import PASSWORD
from hamseda.core.health import prepare_broker
from hamseda.core.tasks import worker_heartbeat

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_persian_and_right_to_left(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "ورود" in html


def test_wrong_password_gives_a_persian_error_and_keeps_the_username(client, world):
    response = _login(client, "secretary", "wrong-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "نام کاربری یا گذرواژه درست نیست" in html
    assert 'value="secretary"' in html


def test_login_with_persian_digits_in_the_username_works(client, world):
    world.member_staff.username = "rail123"
    world.member_staff.save()
    response = _login(client, "rail۱۲۳", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_repeated_wrong_passwords_lock_the_account_out_in_persian(client, world):
    # given five wrong attempts for one username from one address
    for _ in range(5):
        _login(client, "secretary", "wrong-password")
    # when the right password is tried next
    response = _login(client, "secretary", PASSWORD)
    # then the lockout page answers, in Persian, and nobody is signed in
    assert response.status_code == 429
    html = response.content.decode()
    assert "ورود موقتاً بسته شد" in html
    assert "۱۵ دقیقهٔ دیگر دوباره امتحان کنید" in html
    assert "_auth_user_id" not in client.session
    # and another user from the same address is not locked out
    assert _login(client, "chair", PASSWORD).status_code == 302


def test_dashboard_needs_login_and_shows_the_users_council(client, world):
    assert client.get(reverse("home")).status_code == 302
    client.force_login(world.secretary)
    html = client.get(reverse("home")).content.decode()
    assert world.isfahan_council.name in html
    assert world.member_office.agency.name in html


def test_ministry_dashboard_lists_every_council(client, world):
    client.force_login(world.ministry)
    html = client.get(reverse("home")).content.decode()
    assert world.isfahan_council.name in html
    assert world.fars_council.name in html


def test_password_change_in_persian(client, world):
    client.force_login(world.staff)
    url = reverse("password_change")
    response = client.post(
        url, {"old_password": "nope", "new_password1": "a", "new_password2": "b"}
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    # each error beside its own field, in Persian (Django's fa catalogue)
    assert set(errors) >= {"old_password", "new_password2"}
    assert all(
        any("\u0600" <= ch <= "\u06ff" for ch in message)
        for messages in errors.values()
        for message in messages
    )
    world.staff.refresh_from_db()
    assert world.staff.check_password(PASSWORD)
    response = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "new-pass-1404-x",
            "new_password2": "new-pass-1404-x",
        },
    )
    assert response.status_code == 302
    world.staff.refresh_from_db()
    assert world.staff.check_password("new-pass-1404-x")


def test_logout_is_a_post(client, world):
    client.force_login(world.staff)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_healthz_reports_the_database_and_broker(client):
    # given the embedded broker's folders exist (hamseda demo and serve make them)
    prepare_broker()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True


@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_healthz_is_503_when_a_dependency_is_down(client):
    # given a broker address where nothing listens (a real refused connection)
    response = client.get("/healthz")
    # then the site says it is unhealthy, and why
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["broker"]["ok"] is False


def test_unknown_page_is_a_persian_404(client, world):
    client.force_login(world.staff)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "صفحه پیدا نشد" in html
    assert 'dir="rtl"' in html


def test_static_assets_are_local(client, world):
    client.force_login(world.staff)
    html = client.get(reverse("home")).content.decode()
    for tag in ('src="http', "src='http", 'href="http', "href='http"):
        assert tag not in html
    assert "bootstrap.rtl.min.css" in html
    assert client.get("/static/vendor/bootstrap/bootstrap.rtl.min.css").status_code in (200,)


def test_healthz_reports_the_worker_from_its_heartbeat(client):
    prepare_broker()
    # given no worker has ever reported
    body = client.get("/healthz").json()
    # then the worker is flagged, but the site itself is healthy
    assert body["checks"]["worker"]["ok"] is False
    assert body["status"] == "ok"
    # when the heartbeat task runs (eagerly here; the demo test runs a real worker)
    worker_heartbeat.delay()
    # then the worker counts as alive
    assert client.get("/healthz").json()["checks"]["worker"]["ok"] is True


def test_dashboard_shows_the_next_meeting_and_the_offices_late_follow_ups(client, world):
    import datetime as dt

    from django.utils import timezone

    from hamseda.followups.models import FollowUp
    from hamseda.meetings.models import Decision, Meeting, Resolution

    # given a meeting next week and an overdue follow-up of the member office
    soon = timezone.now() + dt.timedelta(days=7)
    meeting = Meeting.objects.create(
        council=world.isfahan_council, number=2, starts_at=soon, place="سالن شورا"
    )
    past = Meeting.objects.create(
        council=world.isfahan_council,
        number=1,
        place="سالن شورا",
        starts_at=timezone.now() - dt.timedelta(days=40),
        status="approved",
    )
    resolution = Resolution.objects.create(
        meeting=past, number=1, decision=Decision.ASSIGNED, text="گزارش پوشش خبری طرح‌ها فرستاده شود"
    )
    late = FollowUp.objects.create(
        resolution=resolution,
        council=world.isfahan_council,
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    late.offices.set([world.member_office])
    # when the member office's staff open the dashboard
    client.force_login(world.member_staff)
    html = client.get(reverse("home")).content.decode()
    # then both are there
    assert meeting.get_absolute_url() in html
    assert "گزارش پوشش خبری طرح‌ها فرستاده شود" in html
    assert "۱ عقب‌افتاده" in html
    # and staff of another office see the meeting but not that follow-up
    client.force_login(world.staff)
    html = client.get(reverse("home")).content.decode()
    assert meeting.get_absolute_url() in html
    assert "گزارش پوشش خبری طرح‌ها فرستاده شود" not in html
