"""The activities API: same policy and parallel-work rule as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from hamseda.activities import services
from hamseda.activities.models import Activity, ActivityKind, ActivityStatus
from hamseda.core import jalali

pytestmark = pytest.mark.django_db

VISIT = "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان"
VISIT_REWORDED = "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان"


def _day(days: int) -> dt.date:
    return jalali.today() + dt.timedelta(days=days)


def _api(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def _plan(person, title=VISIT, days=10) -> Activity:
    return services.activity_create(
        actor=person,
        office=person.office,
        title=title,
        kind=ActivityKind.EVENT_COVERAGE,
        start_date=_day(days),
    )


def _payload(**extra) -> dict[str, object]:
    data: dict[str, object] = {
        "title": VISIT_REWORDED,
        "kind": ActivityKind.EVENT_COVERAGE,
        "start_date": _day(11).isoformat(),
    }
    data.update(extra)
    return data


def test_create_list_and_detail(world):
    client = _api(world.staff)
    response = client.post("/api/v1/activities/", _payload(channels=["bale"]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lead_office"] == world.chair_office.pk
    assert body["channels"] == ["bale"]
    assert body["end_date"] == body["start_date"]
    assert body["is_joint"] is False
    listed = client.get("/api/v1/activities/", {"kind": ActivityKind.EVENT_COVERAGE}).json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == body["id"]
    assert client.get(f"/api/v1/activities/{body['id']}/").status_code == 200
    assert _api(world.fars_chair).get(f"/api/v1/activities/{body['id']}/").status_code == 404


def test_parallel_work_is_409_with_the_matches_until_confirmed(world):
    original = _plan(world.staff)
    client = _api(world.member_staff)
    response = client.post("/api/v1/activities/", _payload(), format="json")
    assert response.status_code == 409
    matches = response.json()["matches"]
    assert [m["activity"]["id"] for m in matches] == [original.pk]
    assert matches[0]["reasons"]
    checked = client.post(
        "/api/v1/activities/check/",
        {"title": VISIT_REWORDED, "start_date": _day(11).isoformat()},
        format="json",
    )
    assert [m["activity"]["id"] for m in checked.json()] == [original.pk]
    confirmed = client.post("/api/v1/activities/", _payload(overlap_confirmed=True), format="json")
    assert confirmed.status_code == 201


def test_join_and_merge(world):
    original = _plan(world.staff)
    joined = _api(world.member_staff).post(
        f"/api/v1/activities/{original.pk}/join/", {"note": "عکاسی"}, format="json"
    )
    assert joined.status_code == 201
    assert joined.json()["partners"] == [world.member_office.pk]
    again = _api(world.member_staff).post(
        f"/api/v1/activities/{original.pk}/join/", {}, format="json"
    )
    assert again.status_code == 400
    other = services.activity_create(
        actor=world.partner,
        office=world.partner_office,
        title="بازدید رسانه‌ها از مسکن ملی بهارستان با استاندار",
        kind=ActivityKind.EVENT_COVERAGE,
        start_date=_day(10),
        overlap_confirmed=True,
    )
    merged = _api(world.chair).post(
        f"/api/v1/activities/{other.pk}/merge/", {"into": original.pk}, format="json"
    )
    assert merged.status_code == 200
    assert sorted(merged.json()["partners"]) == sorted(
        [world.member_office.pk, world.partner_office.pk]
    )


def test_strict_input_and_bad_filters_are_400(world):
    client = _api(world.staff)
    assert client.post("/api/v1/activities/", _payload(titel="x"), format="json").status_code == 400
    assert (
        client.post("/api/v1/activities/", _payload(kind="gossip"), format="json").status_code
        == 400
    )
    assert client.get("/api/v1/activities/", {"kind": "gossip"}).status_code == 400
    assert client.get("/api/v1/activities/", {"date_from": "1404/01/01"}).status_code == 400
    assert client.get("/api/v1/activities/", {"office": "abc"}).status_code == 400
    done_in_future = client.post(
        "/api/v1/activities/", _payload(status=ActivityStatus.DONE), format="json"
    )
    assert done_in_future.status_code == 400
    assert "status" in done_in_future.json()


def test_overlap_report_needs_the_chair(world):
    _plan(world.staff)
    services.activity_create(
        actor=world.member_staff,
        office=world.member_office,
        title=VISIT_REWORDED,
        kind=ActivityKind.EVENT_COVERAGE,
        start_date=_day(11),
        overlap_confirmed=True,
    )
    assert _api(world.member_staff).get("/api/v1/activities/overlaps/").status_code == 403
    pairs = _api(world.chair).get("/api/v1/activities/overlaps/").json()
    assert len(pairs) == 1
    assert {pairs[0]["first"]["title"], pairs[0]["second"]["title"]} == {VISIT, VISIT_REWORDED}


def test_list_costs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for n in range(12):
        services.activity_create(
            actor=world.staff,
            office=world.chair_office,
            title=f"خبر شماره {n} درباره موضوع {n * 7}",
            kind=ActivityKind.NEWS_RELEASE,
            start_date=_day(n),
            overlap_confirmed=True,
        )
    client = _api(world.staff)
    client.get("/api/v1/activities/")
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/activities/").json()["count"] == 12


def test_check_for_another_provinces_office_is_refused(world):
    _plan(world.staff)
    response = _api(world.fars_chair).post(
        "/api/v1/activities/check/",
        {
            "title": VISIT_REWORDED,
            "start_date": _day(11).isoformat(),
            "office": world.member_office.pk,
        },
        format="json",
    )
    assert response.status_code == 403
