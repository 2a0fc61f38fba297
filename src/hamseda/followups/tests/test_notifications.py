"""The notifications page (core.notification_views)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from hamseda.core.models import Notification
from hamseda.core.notifications import notify

pytestmark = pytest.mark.django_db


def test_notices_newest_first_unread_highlighted_and_linked(client, world):
    notify(recipients=[world.staff], title="اعلان قدیمی", dedupe_key="a", url="/followups/1/")
    notify(recipients=[world.staff], title="اعلان تازه", dedupe_key="b", url="/followups/2/")
    Notification.objects.filter(dedupe_key="a").update(read_at=timezone.now())
    notify(recipients=[world.chair], title="اعلان دیگری", dedupe_key="c")
    client.force_login(world.staff)
    html = client.get(reverse("notification_list")).content.decode()
    assert html.index("اعلان تازه") < html.index("اعلان قدیمی")
    assert "اعلان دیگری" not in html
    assert html.count("hs-unread") == 1
    fresh = Notification.objects.get(dedupe_key="b")
    assert reverse("notification_open", args=[fresh.pk]) in html


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, world):
    notify(recipients=[world.staff], title="یادآوری", dedupe_key="k", url="/followups/7/")
    notice = Notification.objects.get()
    client.force_login(world.staff)
    response = client.get(reverse("notification_open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/followups/7/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    # another person's notice is not there for you
    client.force_login(world.chair)
    assert client.get(reverse("notification_open", args=[notice.pk])).status_code == 404


def test_a_stored_url_to_another_site_is_not_followed(client, world):
    notify(recipients=[world.staff], title="x", dedupe_key="evil", url="https://evil.example/")
    client.force_login(world.staff)
    notice = Notification.objects.get()
    response = client.get(reverse("notification_open", args=[notice.pk]))
    assert response["Location"] == reverse("notification_list")


def test_mark_all_read(client, world):
    for key in "xyz":
        notify(recipients=[world.staff, world.chair], title=key, dedupe_key=key)
    client.force_login(world.staff)
    assert client.get(reverse("notification_read_all")).status_code == 405
    response = client.post(reverse("notification_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=world.staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=world.chair, read_at__isnull=True).count() == 3
    html = client.get(reverse("notification_list")).content.decode()
    assert "hs-unread" not in html


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("notification_list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
