"""The activity indicators drill down to the activities behind them: for one
office, the done activities it led or joined, as the counts count them."""

from __future__ import annotations

import datetime as dt

import pytest

from hamseda.activities.models import ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import indicators, jalali

pytestmark = pytest.mark.django_db

CODES = (
    "activities.news_releases",
    "activities.interviews_press",
    "activities.joint",
    "activities.done",
)
PERIOD = {"start": jalali.today() - dt.timedelta(days=30), "end": jalali.today()}


def _done(office, title, kind, days, *, partners=(), **fields):
    activity = ActivityFactory(
        lead_office=office,
        title=title,
        kind=kind,
        status=fields.pop("status", ActivityStatus.DONE),
        start_date=jalali.today() + dt.timedelta(days=days),
        **fields,
    )
    for partner in partners:
        ActivityPartner.objects.create(activity=activity, office=partner)
    return activity


@pytest.fixture
def work(world):
    """The railway's (member office's) year: its own, joined and left-out work."""
    rail, roads, fars = world.member_office, world.chair_office, world.fars_office
    news = _done(rail, "خبر افتتاح ایستگاه", ActivityKind.NEWS_RELEASE, -5)
    return {
        "news": news,
        "joint_news": _done(roads, "خبر مشترک طرح", ActivityKind.NEWS_RELEASE, -3, partners=[rail]),
        "interview": _done(rail, "مصاحبه مدیرکل", ActivityKind.INTERVIEW, -8),
        "press": _done(fars, "نشست خبری مشترک", ActivityKind.PRESS_CONFERENCE, -2, partners=[rail]),
        # none of these counts for the railway
        "planned": _done(
            rail, "خبر برنامه", ActivityKind.NEWS_RELEASE, -1, status=ActivityStatus.PLANNED
        ),
        "old": _done(rail, "خبر پارسال", ActivityKind.NEWS_RELEASE, -400),
        "merged": _done(rail, "خبر تکراری", ActivityKind.NEWS_RELEASE, -5, merged_into=news),
        "roads_only": _done(roads, "خبر راهداری", ActivityKind.NEWS_RELEASE, -4),
    }


EXPECTED = {
    "activities.news_releases": ["joint_news", "news"],
    "activities.interviews_press": ["press", "interview"],
    "activities.joint": ["press", "joint_news"],
    "activities.done": ["press", "joint_news", "news", "interview"],
}


@pytest.mark.parametrize("code", CODES)
def test_evidence_lists_exactly_the_activities_counted_newest_first(world, work, code):
    # when
    evidence = indicators.evidence(code, **PERIOD, office_id=world.member_office.pk)
    value = indicators.compute(code, **PERIOD, office_ids=[world.member_office.pk])

    # then
    expected = [work[name] for name in EXPECTED[code]]
    assert [e.url for e in evidence] == [a.get_absolute_url() for a in expected]
    assert [e.label for e in evidence] == [a.title for a in expected]
    assert [e.date for e in evidence] == [a.start_date for a in expected]
    assert all(e.counted for e in evidence)
    assert value == {world.member_office.pk: len(evidence)}


def test_evidence_says_whether_the_office_led_or_joined(world, work):
    evidence = indicators.evidence("activities.done", **PERIOD, office_id=world.member_office.pk)
    assert [e.note for e in evidence] == ["همکار", "همکار", "مجری", "مجری"]


def test_evidence_of_another_office_holds_only_its_own_work(world, work):
    evidence = indicators.evidence(
        "activities.news_releases", **PERIOD, office_id=world.chair_office.pk
    )
    assert [e.url for e in evidence] == [
        work["joint_news"].get_absolute_url(),
        work["roads_only"].get_absolute_url(),
    ]


def test_an_office_listed_as_partner_of_its_own_activity_counts_it_once(world, work):
    # given: bad data, the lead office also a partner (the service refuses it)
    ActivityPartner.objects.create(activity=work["news"], office=world.member_office)

    # when
    value = indicators.compute(
        "activities.news_releases", **PERIOD, office_ids=[world.member_office.pk]
    )
    evidence = indicators.evidence(
        "activities.news_releases", **PERIOD, office_id=world.member_office.pk
    )

    # then
    assert value == {world.member_office.pk: 2}
    assert len(evidence) == 2


def test_counts_of_an_office_without_activities_are_zero():
    assert all(indicators.REGISTRY[code].absent_is_zero for code in CODES)


@pytest.mark.parametrize("code", CODES)
def test_evidence_costs_one_query_and_stops_at_the_limit(
    world, work, code, django_assert_max_num_queries
):
    kind = (
        ActivityKind.INTERVIEW if code.endswith("interviews_press") else ActivityKind.NEWS_RELEASE
    )
    for n in range(10):
        _done(
            world.member_office,
            f"فعالیت {n}",
            kind,
            -n,
            partners=[world.fars_office],
        )
    with django_assert_max_num_queries(1):
        evidence = indicators.evidence(code, **PERIOD, office_id=world.member_office.pk, limit=3)
    assert len(evidence) == 3
