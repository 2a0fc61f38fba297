"""The .ics feeds of an office and of a campaign: what calendar apps read
without a session, through a signed token that speaks for one person."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from icalendar import Calendar

from hamseda.activities import ics
from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.activities.views.calendar import FEED_DAYS_BACK
from hamseda.campaigns.models import Campaign, CampaignKind
from hamseda.core import jalali
from hamseda.meetings import ics as meeting_ics


def make_activity(office, start, end=None, **fields) -> Activity:
    """An activity led by ``office`` over ``start``..``end`` (one day by default)."""
    fields.setdefault("kind", ActivityKind.PRESS_CONFERENCE)
    fields.setdefault("title", "نشست خبری پروژه‌های راه")
    return ActivityFactory(lead_office=office, start_date=start, end_date=end or start, **fields)


def office_feed_url(office, person) -> str:
    return reverse("activities:feed_office", args=[ics.feed_token("office", office.pk, person.pk)])


def campaign_feed_url(campaign, person) -> str:
    token = ics.feed_token("campaign", campaign.pk, person.pk)
    return reverse("activities:feed_campaign", args=[token])


def events_of(response) -> dict[str, object]:
    """The VEVENTs of a feed response, by SUMMARY."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
def soon():
    return jalali.today() + dt.timedelta(days=5)


def test_office_feed_lists_the_offices_activities_as_all_day_events(world, client, soon):
    # given a three-day exhibition the chair office joins, and its own press conference
    expo = make_activity(
        world.member_office,
        soon,
        soon + dt.timedelta(days=2),
        title="نمایشگاه دستاوردهای ریلی",
        kind=ActivityKind.EXHIBITION,
    )
    ActivityPartner.objects.create(activity=expo, office=world.chair_office)
    press = make_activity(world.chair_office, soon, title="نشست خبری آزادراه", status="done")
    make_activity(world.member_office, soon, title="مصاحبه مدیرکل راه‌آهن")

    # when a calendar app (no session) fetches the chair office's feed made by its staff
    events = events_of(client.get(office_feed_url(world.chair_office, world.staff)))

    # then it holds the two activities of the office, as whole days
    assert set(events) == {"نمایشگاه دستاوردهای ریلی", "نشست خبری آزادراه"}
    event = events["نمایشگاه دستاوردهای ریلی"]
    assert event["uid"] == f"activity-{expo.pk}@hamseda"
    assert event.decoded("dtstart") == soon
    assert not isinstance(event.decoded("dtstart"), dt.datetime)
    assert event.decoded("dtend") == soon + dt.timedelta(days=3)  # exclusive
    assert event["status"] == "TENTATIVE"
    description = str(event["description"])
    assert "نمایشگاه" in description
    assert world.member_office.name in description
    assert world.chair_office.name in description  # the partner
    assert f"http://testserver/activities/{expo.pk}/" in description
    assert str(event["url"]) == f"http://testserver/activities/{expo.pk}/"
    assert events["نشست خبری آزادراه"]["status"] == "CONFIRMED"
    assert events["نشست خبری آزادراه"].decoded("dtend") == press.end_date + dt.timedelta(days=1)


def test_uid_is_stable_when_an_activity_moves_or_is_cancelled(world, client, soon):
    activity = make_activity(world.chair_office, soon, title="نشست خبری")
    url = office_feed_url(world.chair_office, world.staff)
    before = events_of(client.get(url))["نشست خبری"]

    activity.start_date = activity.end_date = soon + dt.timedelta(days=1)
    activity.status = ActivityStatus.CANCELLED
    activity.save()
    after = events_of(client.get(url))["نشست خبری"]

    assert before["uid"] == after["uid"] == f"activity-{activity.pk}@hamseda"
    assert after["status"] == "CANCELLED"
    assert after.decoded("dtstart") == soon + dt.timedelta(days=1)


def test_old_activities_are_left_out(world, client):
    today = jalali.today()
    make_activity(world.chair_office, today - dt.timedelta(days=FEED_DAYS_BACK + 5), title="قدیمی")
    make_activity(world.chair_office, today - dt.timedelta(days=FEED_DAYS_BACK - 5), title="اخیر")

    events = events_of(client.get(office_feed_url(world.chair_office, world.staff)))

    assert set(events) == {"اخیر"}


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        signing.dumps(["office", 1, 1], salt="another-salt"),
        meeting_ics.feed_token(1),  # a meeting feed token is not an activity token
        signing.dumps("office", salt=ics.FEED_SALT),
    ],
)
def test_a_bad_token_is_not_found(world, client, token):
    url = reverse("activities:feed_office", args=[token])

    assert client.get(url).status_code == 404


def test_a_token_of_one_kind_does_not_open_the_other(world, client):
    campaign_token = ics.feed_token("campaign", world.chair_office.pk, world.staff.pk)

    response = client.get(reverse("activities:feed_office", args=[campaign_token]))

    assert response.status_code == 404


def test_the_feed_ends_when_its_person_is_deactivated(world, client, soon):
    make_activity(world.chair_office, soon)
    url = office_feed_url(world.chair_office, world.staff)
    assert client.get(url).status_code == 200

    world.staff.is_active = False
    world.staff.save()

    assert client.get(url).status_code == 404


def test_other_provinces_activities_do_not_leak_into_a_feed(world, client, soon):
    # given a national campaign with activities in Isfahan and in Fars
    campaign = Campaign.objects.create(
        title="پویش ملی ایمنی جاده",
        kind=CampaignKind.CULTURE,
        start_date=soon,
        end_date=soon + dt.timedelta(days=30),
    )
    make_activity(world.chair_office, soon, title="ایمنی جاده در اصفهان").campaigns.add(campaign)
    make_activity(world.fars_office, soon, title="ایمنی جاده در فارس").campaigns.add(campaign)

    # when the Isfahan staff's campaign feed is read
    isfahan = events_of(client.get(campaign_feed_url(campaign, world.staff)))
    # and the same person made a feed of the Fars office
    fars_office = events_of(client.get(office_feed_url(world.fars_office, world.staff)))

    # then only what that person may see is in it
    assert set(isfahan) == {"ایمنی جاده در اصفهان"}
    assert fars_office == {}
    # while the ministry centre's feed of the campaign holds both
    ministry = events_of(client.get(campaign_feed_url(campaign, world.ministry)))
    assert set(ministry) == {"ایمنی جاده در اصفهان", "ایمنی جاده در فارس"}


def test_a_missing_campaign_or_office_is_not_found(world, client):
    assert client.get(office_feed_url(world.chair_office, world.staff)).status_code == 200
    token = ics.feed_token("campaign", 999_999, world.staff.pk)
    assert client.get(reverse("activities:feed_campaign", args=[token])).status_code == 404
    token = ics.feed_token("office", 999_999, world.staff.pk)
    assert client.get(reverse("activities:feed_office", args=[token])).status_code == 404


def test_feed_token_round_trip():
    token = ics.feed_token("campaign", 7, 42)

    assert ics.feed_target(token) == ics.FeedTarget(kind="campaign", pk=7, person_pk=42)
    assert ics.feed_target(token[:-2]) is None
    with pytest.raises(ValueError, match="unknown feed kind"):
        ics.feed_token("province", 1, 1)  # type: ignore[arg-type]
