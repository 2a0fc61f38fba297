"""The campaigns REST API: lists and filters, the detail with progress, writes
through the same services and policy as the pages, and strict input."""

from __future__ import annotations

import pytest

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import services
from hamseda.campaigns.models import Campaign, KeyMessage, Season, Target
from hamseda.campaigns.tests.factories import day, make_activity, make_campaign
from hamseda.core.models import AuditEvent

pytestmark = pytest.mark.django_db

API = "/api/v1/campaigns"
UNKNOWN_FIELD = "این فیلد شناخته‌شده نیست."
FORBIDDEN = {"detail": "شما اجازه این کار را ندارید."}


@pytest.fixture
def campaign(world) -> Campaign:
    campaign = make_campaign(world)
    message = services.message_add(actor=world.chair, campaign=campaign, text="پیام یکم")
    services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="خبر",
        metric="kind",
        activity_kind=ActivityKind.NEWS_RELEASE,
        target_value=2,
        baseline_value=1,
    )
    make_activity(
        office=world.chair_office,
        campaigns=[campaign],
        on=day(-1),
        partners=[world.partner_office],
        messages=[message],
    )
    return campaign


def test_the_list_is_paginated_and_filtered(api_as, world, campaign):
    make_campaign(world, title="پویش گذشته", start_date=day(-90), end_date=day(-60))
    client = api_as(world.evaluator)
    everything = client.get(f"{API}/")
    assert everything.status_code == 200
    assert everything.json()["count"] == 2
    running = client.get(f"{API}/", {"when": "running"}).json()
    assert [c["id"] for c in running["results"]] == [campaign.pk]
    assert client.get(f"{API}/", {"q": "گذشته"}).json()["count"] == 1
    assert client.get(f"{API}/", {"kind": "media_hq"}).json()["count"] == 2
    bad = client.get(f"{API}/", {"when": "soon", "province": "x"})
    assert bad.status_code == 400


def test_the_detail_carries_messages_targets_progress_and_offices(api_as, world, campaign):
    data = api_as(world.fars_chair).get(f"{API}/{campaign.pk}/").json()
    assert data["kind"] == "media_hq"
    assert data["hashtags"] == ["#نهضت_ملی_مسکن"]
    assert [(m["text"], m["uses"]) for m in data["messages"]] == [("پیام یکم", 1)]
    [target] = data["targets"]
    assert target["activity_kind"] == "news_release"
    assert (target["value"], target["percent"], target["met"]) == (1, 50.0, False)
    assert (target["baseline_value"], target["change"]) == (1, 0)
    contribution = {row["office"]: row for row in data["contribution"]}
    # the joint activity counts for both offices
    assert contribution[world.chair_office.pk]["done"] == 1
    assert contribution[world.partner_office.pk]["joint"] == 1
    assert {o["id"] for o in data["co_owner_offices"]} == {
        world.chair_office.pk,
        world.partner_office.pk,
    }
    assert api_as(world.chair).get(f"{API}/999999/").status_code == 404


def test_create_through_the_api_and_its_refusals(api_as, world):
    body = {
        "title": "پویش ساختمان ایمن",
        "kind": "culture",
        "start_date": day(1).isoformat(),
        "end_date": day(30).isoformat(),
        "province": world.isfahan_council.province.pk,
        "co_owners": [world.chair_office.pk],
        "hashtags": ["ساختمان ایمن"],
    }
    created = api_as(world.secretary).post(f"{API}/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["hashtags"] == ["#ساختمان_ایمن"]
    # strict input: a misspelt field is a 400 naming it
    typo = api_as(world.secretary).post(f"{API}/", {**body, "hashtag": ["x"]}, format="json")
    assert typo.status_code == 400
    assert typo.json() == {"hashtag": [UNKNOWN_FIELD]}
    # a service rule is a 400 beside its field
    backwards = api_as(world.secretary).post(
        f"{API}/", {**body, "end_date": day(-5).isoformat()}, format="json"
    )
    assert backwards.status_code == 400
    assert "end_date" in backwards.json()
    # another province's chair may not
    denied = api_as(world.fars_chair).post(f"{API}/", body, format="json")
    assert denied.status_code == 403
    assert denied.json() == FORBIDDEN


def test_patch_edits_only_what_is_sent(api_as, world, campaign):
    response = api_as(world.partner).patch(
        f"{API}/{campaign.pk}/", {"audiences": ["خبرنگاران"]}, format="json"
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.audiences == ["خبرنگاران"]
    assert campaign.hashtags == ["#نهضت_ملی_مسکن"]
    assert (
        api_as(world.member_staff)
        .patch(f"{API}/{campaign.pk}/", {"title": "x"}, format="json")
        .status_code
        == 403
    )
    unknown = api_as(world.chair).patch(f"{API}/{campaign.pk}/", {"province": 1}, format="json")
    assert unknown.status_code == 400
    assert unknown.json() == {"province": [UNKNOWN_FIELD]}


def test_messages_through_the_api(api_as, world, campaign):
    client = api_as(world.chair)
    added = client.post(f"{API}/{campaign.pk}/messages/", {"text": "پیام دوم"}, format="json")
    assert added.status_code == 201
    assert [m["text"] for m in added.json()["messages"]] == ["پیام یکم", "پیام دوم"]
    second = KeyMessage.objects.get(text="پیام دوم")
    moved = client.patch(
        f"{API}/{campaign.pk}/messages/{second.pk}/", {"position": 1}, format="json"
    )
    assert [m["text"] for m in moved.json()["messages"]] == ["پیام دوم", "پیام یکم"]
    assert client.delete(f"{API}/{campaign.pk}/messages/{second.pk}/").status_code == 204
    used = campaign.messages.get()
    refused = client.delete(f"{API}/{campaign.pk}/messages/{used.pk}/")
    assert refused.status_code == 400
    assert "non_field_errors" in refused.json()
    assert client.post(
        f"{API}/{campaign.pk}/messages/", {"text": "x", "order": 1}, format="json"
    ).json() == {"order": [UNKNOWN_FIELD]}


def test_targets_through_the_api(api_as, world, campaign):
    client = api_as(world.chair)
    added = client.post(
        f"{API}/{campaign.pk}/targets/",
        {"label": "پیامک", "metric": "manual", "target_value": 1000},
        format="json",
    )
    assert added.status_code == 201
    manual = Target.objects.get(label="پیامک")
    recorded = client.post(
        f"{API}/{campaign.pk}/targets/{manual.pk}/record/", {"value": 1200}, format="json"
    )
    row = next(t for t in recorded.json()["targets"] if t["id"] == manual.pk)
    assert (row["value"], row["met"]) == (1200, True)
    negative = client.post(
        f"{API}/{campaign.pk}/targets/{manual.pk}/record/", {"value": -1}, format="json"
    )
    assert negative.status_code == 400
    wrong_kind = client.post(
        f"{API}/{campaign.pk}/targets/",
        {"label": "x", "metric": "kind", "target_value": 3},
        format="json",
    )
    assert wrong_kind.status_code == 400
    assert "activity_kind" in wrong_kind.json()
    edited = client.put(
        f"{API}/{campaign.pk}/targets/{manual.pk}/",
        {"label": "پیامک", "metric": "joint", "target_value": 4},
        format="json",
    )
    assert edited.status_code == 200
    assert Target.objects.get(pk=manual.pk).manual_value is None
    assert client.delete(f"{API}/{campaign.pk}/targets/{manual.pk}/").status_code == 204
    assert (
        api_as(world.member_staff)
        .post(
            f"{API}/{campaign.pk}/targets/",
            {"label": "x", "metric": "joint", "target_value": 3},
            format="json",
        )
        .status_code
        == 403
    )


def test_participants_through_the_api(api_as, world, campaign):
    client = api_as(world.chair)
    added = client.post(
        f"{API}/{campaign.pk}/participants/", {"office": world.ministry_office.pk}, format="json"
    )
    assert added.status_code == 201
    assert world.ministry_office.pk in {o["id"] for o in added.json()["participants"]}
    foreign = client.post(
        f"{API}/{campaign.pk}/participants/", {"office": world.fars_office.pk}, format="json"
    )
    assert foreign.status_code == 400
    assert "office" in foreign.json()
    removed = client.delete(f"{API}/{campaign.pk}/participants/{world.member_office.pk}/")
    assert removed.status_code == 204
    assert world.member_office not in campaign.participants.all()


def test_a_season_is_started_through_the_api(api_as, world):
    client = api_as(world.chair)
    body = {
        "season": Season.NOWRUZ,
        "year": 1405,
        "province": world.isfahan_council.province.pk,
        "co_owners": [world.chair_office.pk],
    }
    started = client.post(f"{API}/seasons/", body, format="json")
    assert started.status_code == 201, started.json()
    assert started.json()["season"] == "nowruz"
    assert started.json()["season_year"] == 1405
    assert len(started.json()["targets"]) == 5
    again = client.post(f"{API}/seasons/", body, format="json")
    assert again.status_code == 400
    assert "year" in again.json()
    assert client.post(f"{API}/seasons/", {**body, "template": 1}, format="json").json() == {
        "template": [UNKNOWN_FIELD]
    }
    assert AuditEvent.objects.filter(event="campaign_season_started").count() == 1
