"""The broadcast API: the same services and policy as the pages."""

from __future__ import annotations

import pytest

from hamseda.broadcast.models import Pitch, PitchStatus
from hamseda.broadcast.tests.factories import (
    BROADCASTER_EMAIL,
    approved_pitch,
    isfahan_contact,
    make_dispatch,
    make_pitch,
)
from hamseda.core import jalali

pytestmark = pytest.mark.django_db

BASE = "/api/v1/broadcast"


def test_an_office_creates_and_submits_and_the_chair_approves(world, api_as):
    office = api_as(world.member_staff)
    response = office.post(
        f"{BASE}/pitches/",
        {"title": "قطار گردشگری", "summary": "خلاصه", "format": "report"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pitch_id = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert office.post(f"{BASE}/pitches/{pitch_id}/submit/").json()["status"] == "submitted"
    chair = api_as(world.chair)
    response = chair.post(
        f"{BASE}/pitches/{pitch_id}/review/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"


def test_errors_are_persian_and_by_field(world, api_as):
    office = api_as(world.member_staff)
    response = office.post(
        f"{BASE}/pitches/", {"title": " ", "summary": "x", "format": "news"}, format="json"
    )
    assert response.status_code == 400
    assert "خالی" in response.json()["title"][0]
    response = office.post(
        f"{BASE}/pitches/", {"title": "a", "summary": "x", "format": "news", "x": 1}, format="json"
    )
    assert response.status_code == 400
    assert "x" in response.json()


def test_review_by_office_staff_is_forbidden(world, api_as):
    pitch = make_pitch(world.member_staff, submit=True)
    response = api_as(world.staff).post(
        f"{BASE}/pitches/{pitch.pk}/review/", {"decision": "approve"}, format="json"
    )
    assert response.status_code == 403
    assert Pitch.objects.get().status == PitchStatus.SUBMITTED


def test_the_list_filters_and_is_scoped(world, api_as):
    make_pitch(world.member_staff, title="قطار گردشگری", submit=True)
    approved_pitch(world, title="بزرگراه شرق")
    chair = api_as(world.chair)
    response = chair.get(f"{BASE}/pitches/", {"status": "approved"})
    assert [p["title"] for p in response.json()["results"]] == ["بزرگراه شرق"]
    assert chair.get(f"{BASE}/pitches/", {"status": "nope"}).status_code == 400
    assert api_as(world.fars_chair).get(f"{BASE}/pitches/").json()["count"] == 0
    assert api_as(world.ministry).get(f"{BASE}/pitches/").json()["count"] == 2


def test_the_chair_dispatches_sends_and_records_an_answer(world, api_as, smtp_server):
    isfahan_contact(world)
    pitch = approved_pitch(world)
    chair = api_as(world.chair)
    response = chair.post(
        f"{BASE}/dispatches/", {"pitches": [pitch.pk], "subject": "سوژه‌ها"}, format="json"
    )
    assert response.status_code == 201, response.json()
    dispatch = response.json()
    assert dispatch["number"].endswith("/0001")
    assert dispatch["items"][0]["pitch"] == pitch.pk
    response = chair.post(f"{BASE}/dispatches/{dispatch['id']}/send/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["emailed_at"]
    assert smtp_server.recipients == [[BROADCASTER_EMAIL]]
    item_id = dispatch["items"][0]["id"]
    response = chair.post(
        f"{BASE}/dispatches/{dispatch['id']}/items/{item_id}/answer/",
        {
            "outcome": "aired",
            "aired_on": jalali.today().isoformat(),
            "programme": "گزارش ویژه",
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["outcome"] == "aired"
    pitch_json = api_as(world.member_staff).get(f"{BASE}/pitches/{pitch.pk}/").json()
    assert pitch_json["answer"]["programme"] == "گزارش ویژه"


def test_an_answer_without_its_date_is_a_400(world, api_as):
    dispatch = make_dispatch(world)
    item = dispatch.items.get()
    response = api_as(world.secretary).post(
        f"{BASE}/dispatches/{dispatch.pk}/items/{item.pk}/answer/",
        {"outcome": "aired", "programme": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "aired_on" in response.json()
    other = api_as(world.fars_chair).get(f"{BASE}/dispatches/{dispatch.pk}/")
    assert other.status_code == 404
