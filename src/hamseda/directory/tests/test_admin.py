"""The Django admin, in Persian with Jalali dates, for superusers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hamseda.directory.models import Council

pytestmark = pytest.mark.django_db


def test_admin_pages_are_persian_and_date_inputs_are_jalali(client, world):
    client.force_login(world.admin)
    url = reverse("admin:directory_council_change", args=[world.isfahan_council.pk])
    html = client.get(url).content.decode()
    assert 'lang="fa"' in html
    assert 'dir="rtl"' in html
    assert 'name="established_on"' in html
    assert "data-jdp" in html
    assert "jalalidatepicker.min.js" in html


def test_admin_saves_the_gregorian_date_of_a_jalali_input(client, world):
    client.force_login(world.admin)
    url = reverse("admin:directory_council_change", args=[world.isfahan_council.pk])
    data = {
        "name": world.isfahan_council.name,
        "province": world.isfahan_council.province_id,
        "established_on": "۱۴۰۴/۰۱/۰۱",
        "description": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Council.objects.get(pk=world.isfahan_council.pk).established_on == dt.date(2025, 3, 21)


def test_admin_is_closed_to_non_superusers(client, world):
    client.force_login(world.ministry)
    assert client.get(reverse("admin:index")).status_code == 302
