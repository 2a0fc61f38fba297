"""The indicators media monitoring gives the evaluation engine, compared with
figures summed in the test from the rows it wrote; three queries at most each."""

from __future__ import annotations

import pytest

from hamseda.activities.models import ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import indicators
from hamseda.core.indicators import HIGHER, LOWER
from hamseda.monitoring.models import Article
from hamseda.monitoring.tests.test_dashboards import at, day, outlet, publish, story

pytestmark = pytest.mark.django_db

CODES = (
    "monitoring.coverage",
    "monitoring.weighted_coverage",
    "monitoring.negative_share",
    "monitoring.stories_per_release",
)


@pytest.fixture
def articles(world):
    """Articles about the roads office, the railway and Fars' roads office over
    the last two weeks, in outlets of weight 2.5 and 1, and the rows they are."""
    heavy, light = outlet("ایرنا", 2.5), outlet("نصف جهان")
    roads, rail, fars = (
        world.chair_office.agency,
        world.member_office.agency,
        world.fars_office.agency,
    )
    rows = [
        (heavy, -1, {roads: "negative", rail: "positive"}),
        (light, -2, {roads: "neutral"}),
        (light, -3, {roads: "negative"}),
        (heavy, -5, {roads: "positive", fars: "negative"}),
        (light, -9, {rail: "neutral"}),
        (heavy, -13, {fars: "neutral"}),
        (heavy, -20, {roads: "negative"}),  # before the period
    ]
    for source, days, tones in rows:
        publish(source, at(days), tones)
    return rows


def _expected(world, rows, first: int, last: int) -> dict[str, dict[int, float]]:
    """Count, weight and negative share per office, summed here from ``rows``."""
    offices = {
        world.chair_office.agency: world.chair_office.pk,
        world.member_office.agency: world.member_office.pk,
        world.fars_office.agency: world.fars_office.pk,
    }
    count: dict[int, int] = {}
    weight: dict[int, float] = {}
    negative: dict[int, int] = {}
    for source, days, tones in rows:
        if not first <= days <= last:
            continue
        for agency, tone in tones.items():
            office = offices[agency]
            count[office] = count.get(office, 0) + 1
            weight[office] = weight.get(office, 0.0) + source.weight
            negative[office] = negative.get(office, 0) + (tone == "negative")
    return {
        "monitoring.coverage": {office: float(n) for office, n in count.items()},
        "monitoring.weighted_coverage": weight,
        "monitoring.negative_share": {
            office: round(100 * negative[office] / n, 1) for office, n in count.items()
        },
    }


def test_the_indicators_are_registered_with_their_direction():
    registered = {code: indicators.REGISTRY[code] for code in CODES}
    assert registered["monitoring.coverage"].direction == HIGHER
    assert registered["monitoring.weighted_coverage"].direction == HIGHER
    assert registered["monitoring.negative_share"].direction == LOWER
    assert registered["monitoring.negative_share"].unit == "%"
    assert registered["monitoring.stories_per_release"].direction == HIGHER


def test_coverage_weight_and_negative_share_per_office(world, articles):
    expected = _expected(world, articles, -14, 0)
    for code, values in expected.items():
        assert indicators.compute(code, start=day(-14), end=day(0)) == pytest.approx(values)
    assert expected["monitoring.coverage"] == {
        world.chair_office.pk: 4.0,
        world.member_office.pk: 2.0,
        world.fars_office.pk: 2.0,
    }
    assert expected["monitoring.negative_share"][world.chair_office.pk] == 50.0


def test_a_shorter_period_and_chosen_offices(world, articles):
    expected = _expected(world, articles, -3, -1)
    offices = [world.chair_office.pk, world.fars_office.pk]
    for code, values in expected.items():
        computed = indicators.compute(code, start=day(-3), end=day(-1), office_ids=offices)
        assert computed == pytest.approx({o: v for o, v in values.items() if o in offices})
    # an office without any article in the period is absent
    assert world.fars_office.pk not in indicators.compute(
        "monitoring.coverage", start=day(-3), end=day(-1)
    )


def test_stories_per_release(world):
    roads, rail = world.chair_office, world.member_office
    release = ActivityFactory(
        lead_office=roads,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-4),
    )
    quiet = ActivityFactory(
        lead_office=roads,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-8),
    )
    joint = ActivityFactory(
        lead_office=rail,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-6),
    )
    ActivityPartner.objects.create(activity=joint, office=roads)
    # an interview is no release, and a release merged into another is not counted
    interview = ActivityFactory(
        lead_office=roads,
        kind=ActivityKind.INTERVIEW,
        status=ActivityStatus.DONE,
        start_date=day(-4),
    )
    merged = ActivityFactory(
        lead_office=roads,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-4),
        merged_into=release,
    )
    for n, activity in enumerate([release, release, release, joint, interview, merged]):
        story(f"رویداد {n}", at(-3), activity=activity)
    assert quiet.stories.count() == 0

    values = indicators.compute("monitoring.stories_per_release", start=day(-10), end=day(0))

    # roads: 3 + 0 + 1 stories over 3 releases; railway: 1 over 1
    assert values == {roads.pk: round(4 / 3, 2), rail.pk: 1.0}
    assert indicators.compute(
        "monitoring.stories_per_release", start=day(-5), end=day(0), office_ids=[roads.pk]
    ) == {roads.pk: 3.0}


@pytest.mark.parametrize("code", CODES)
def test_three_queries_at_most_whatever_the_data(
    world, articles, code, django_assert_max_num_queries
):
    ActivityFactory(
        lead_office=world.chair_office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day(-1),
    )
    with django_assert_max_num_queries(3):
        indicators.compute(code, start=day(-14), end=day(0))
    for n in range(30):
        publish(outlet(f"رسانه {n}"), at(-(n % 10)), {world.member_office.agency: "negative"})
    with django_assert_max_num_queries(3):
        indicators.compute(code, start=day(-14), end=day(0), office_ids=[world.member_office.pk])


# --- evidence --------------------------------------------------------------------------


def _article_url(days: int) -> str:
    return Article.objects.get(published_at=at(days)).get_absolute_url()


def test_coverage_evidence_lists_the_offices_articles_of_the_period(world, articles):
    # when
    roads = world.chair_office.pk
    evidence = {
        code: indicators.evidence(code, start=day(-14), end=day(0), office_id=roads)
        for code in CODES[:3]
    }

    # then: newest first, each article once with its outlet; the one of day -20 is out
    coverage = evidence["monitoring.coverage"]
    assert [e.url for e in coverage] == [_article_url(d) for d in (-1, -2, -3, -5)]
    assert [e.date for e in coverage] == [day(d) for d in (-1, -2, -3, -5)]
    assert [e.label.split(" — ")[1] for e in coverage] == ["ایرنا", "نصف جهان", "نصف جهان", "ایرنا"]
    values = {
        code: indicators.compute(code, start=day(-14), end=day(0), office_ids=[roads])[roads]
        for code in CODES[:3]
    }
    assert values["monitoring.coverage"] == sum(e.counted for e in coverage) == 4
    weights = [e.note for e in evidence["monitoring.weighted_coverage"]]
    assert weights == ["وزن ۲٫۵", "وزن ۱", "وزن ۱", "وزن ۲٫۵"]
    assert values["monitoring.weighted_coverage"] == 2.5 + 1 + 1 + 2.5
    negative = evidence["monitoring.negative_share"]
    assert [e.counted for e in negative] == [True, False, True, False]
    assert [e.note for e in negative] == ["لحن منفی", "لحن خنثی", "لحن منفی", "لحن مثبت"]
    assert values["monitoring.negative_share"] == 100 * sum(e.counted for e in negative) / 4


def test_coverage_evidence_leaves_out_other_offices_and_stops_at_the_limit(world, articles):
    rail = indicators.evidence(
        "monitoring.coverage", start=day(-14), end=day(0), office_id=world.member_office.pk
    )
    assert [e.url for e in rail] == [_article_url(-1), _article_url(-9)]
    newest = indicators.evidence(
        "monitoring.coverage", start=day(-14), end=day(0), office_id=world.chair_office.pk, limit=2
    )
    assert [e.url for e in newest] == [_article_url(-1), _article_url(-2)]


def test_stories_per_release_evidence_lists_the_releases_with_their_stories(world):
    # given: three releases of the roads office (one joint, led by the railway)
    roads, rail = world.chair_office, world.member_office

    def release(office, days, **fields):
        return ActivityFactory(
            lead_office=office,
            kind=ActivityKind.NEWS_RELEASE,
            status=ActivityStatus.DONE,
            start_date=day(days),
            **fields,
        )

    loud, quiet, joint = release(roads, -4), release(roads, -8), release(rail, -6)
    ActivityPartner.objects.create(activity=joint, office=roads)
    release(roads, -4, merged_into=loud)
    release(roads, -40)
    for n, activity in enumerate([loud, loud, loud, joint]):
        story(f"رویداد {n}", at(-3), activity=activity)

    # when
    evidence = indicators.evidence(
        "monitoring.stories_per_release", start=day(-10), end=day(0), office_id=roads.pk
    )
    value = indicators.compute(
        "monitoring.stories_per_release", start=day(-10), end=day(0), office_ids=[roads.pk]
    )

    # then: every release counts (the denominator), each with its stories
    assert [(e.url, e.note) for e in evidence] == [
        (loud.get_absolute_url(), "۳ رویداد خبری"),
        (joint.get_absolute_url(), "۱ رویداد خبری"),
        (quiet.get_absolute_url(), "۰ رویداد خبری"),
    ]
    assert all(e.counted for e in evidence)
    assert value == {roads.pk: round((3 + 1 + 0) / len(evidence), 2)}


def test_counts_are_zero_and_shares_unknown_for_an_office_without_articles():
    registered = indicators.REGISTRY
    assert registered["monitoring.coverage"].absent_is_zero
    assert registered["monitoring.weighted_coverage"].absent_is_zero
    assert not registered["monitoring.negative_share"].absent_is_zero
    assert not registered["monitoring.stories_per_release"].absent_is_zero


@pytest.mark.parametrize("code", CODES)
def test_evidence_costs_one_query_whatever_the_data(
    world, articles, code, django_assert_max_num_queries
):
    for n in range(10):
        publish(outlet(f"رسانه {n}"), at(-(n % 10)), {world.member_office.agency: "negative"})
        ActivityFactory(
            lead_office=world.member_office,
            kind=ActivityKind.NEWS_RELEASE,
            status=ActivityStatus.DONE,
            start_date=day(-n),
        )
    with django_assert_max_num_queries(1):
        evidence = indicators.evidence(
            code, start=day(-14), end=day(0), office_id=world.member_office.pk
        )
    assert len(evidence) >= 10
