"""The "campaign targets met" indicator: per office, the share of targets met
of the campaigns that ended in the period and that the office ran or joined."""

from __future__ import annotations

import datetime as dt

import pytest

from hamseda.campaigns import services
from hamseda.campaigns.tests.factories import day, make_activity, make_campaign
from hamseda.core import indicators

pytestmark = pytest.mark.django_db


def _target(world, campaign, metric: str, value: int, **kwargs):
    return services.target_add(
        actor=world.chair,
        campaign=campaign,
        label=f"هدف {metric} {value}",
        metric=metric,
        target_value=value,
        **kwargs,
    )


@pytest.fixture
def ended(world):
    """A campaign of the chair's office and the governorate (with the railway
    participating) that ended ten days ago: two targets of three met."""
    campaign = make_campaign(world, start_date=day(-60), end_date=day(-10))
    _target(world, campaign, "activities", 2)
    _target(world, campaign, "joint", 1)
    manual = _target(world, campaign, "manual", 100)
    services.target_record(actor=world.chair, target=manual, value=40)
    make_activity(office=world.member_office, campaigns=[campaign], on=day(-30))
    make_activity(
        office=world.chair_office,
        campaigns=[campaign],
        on=day(-20),
        partners=[world.partner_office],
    )
    return campaign


def test_offices_of_an_ended_campaign_get_the_share_of_targets_met(world, ended):
    values = indicators.compute("campaigns.targets_met", start=day(-30), end=day(0))
    expected = round(100 * 2 / 3, 1)
    assert values == {
        world.chair_office.pk: expected,
        world.partner_office.pk: expected,
        world.member_office.pk: expected,
    }


def test_campaigns_ending_outside_the_period_or_without_targets_do_not_count(world, ended):
    assert indicators.compute("campaigns.targets_met", start=day(-9), end=day(0)) == {}
    make_campaign(world, title="بی‌هدف", start_date=day(-40), end_date=day(-5))
    values = indicators.compute("campaigns.targets_met", start=day(-30), end=day(0))
    assert len(values) == 3


def test_an_office_in_two_campaigns_is_scored_over_all_their_targets(world, ended):
    other = make_campaign(
        world,
        title="پویش دوم",
        start_date=day(-50),
        end_date=day(-15),
        co_owners=[world.chair_office],
        participants=[],
    )
    _target(world, other, "activities", 5)  # not met
    values = indicators.compute(
        "campaigns.targets_met",
        start=day(-30),
        end=day(0),
        office_ids=[world.chair_office.pk, world.member_office.pk],
    )
    assert values == {world.chair_office.pk: 50.0, world.member_office.pk: round(200 / 3, 1)}


def test_the_indicator_costs_a_bounded_number_of_queries(
    world, ended, django_assert_max_num_queries
):
    for n in range(4):
        campaign = make_campaign(world, title=f"پویش {n}", start_date=day(-40), end_date=day(-12))
        _target(world, campaign, "offices", 1)
        _target(world, campaign, "kind", 1, activity_kind="interview")
    with django_assert_max_num_queries(7):
        indicators.compute("campaigns.targets_met", start=day(-30), end=dt.date.today())


# --- evidence --------------------------------------------------------------------------


def test_evidence_lists_each_target_of_the_offices_campaigns_met_or_not(world, ended):
    # given: a campaign of the chair's office alone, and one that ends later
    other = make_campaign(
        world,
        title="پویش دوم",
        start_date=day(-50),
        end_date=day(-15),
        co_owners=[world.chair_office],
        participants=[],
    )
    _target(world, other, "activities", 5)
    later = make_campaign(world, title="پویش جاری", start_date=day(-5), end_date=day(20))
    _target(world, later, "activities", 1)

    # when
    railway = indicators.evidence(
        "campaigns.targets_met", start=day(-30), end=day(0), office_id=world.member_office.pk
    )
    roads = indicators.evidence(
        "campaigns.targets_met", start=day(-30), end=day(0), office_id=world.chair_office.pk
    )

    # then: the railway took part in the ended campaign only, its targets in order
    title = ended.title
    assert [(e.label, e.counted, e.note) for e in railway] == [
        (f"{title} — هدف activities 2", True, "۲ از ۲"),
        (f"{title} — هدف joint 1", True, "۱ از ۱"),
        (f"{title} — هدف manual 100", False, "۴۰ از ۱۰۰"),
    ]
    assert {e.url for e in railway} == {ended.get_absolute_url()}
    assert {e.date for e in railway} == {ended.end_date}
    # the roads office: newest ending first, then the campaign of its own
    assert [e.url for e in roads] == [ended.get_absolute_url()] * 3 + [other.get_absolute_url()]
    values = indicators.compute("campaigns.targets_met", start=day(-30), end=day(0))
    for office, evidence in ((world.member_office, railway), (world.chair_office, roads)):
        counted = sum(e.counted for e in evidence)
        assert values[office.pk] == round(100 * counted / len(evidence), 1)


def test_evidence_of_an_office_outside_every_campaign_is_empty(world, ended):
    assert (
        indicators.evidence(
            "campaigns.targets_met", start=day(-30), end=day(0), office_id=world.fars_office.pk
        )
        == []
    )


def test_the_share_of_targets_met_is_unknown_for_an_office_without_campaigns():
    assert not indicators.REGISTRY["campaigns.targets_met"].absent_is_zero


def test_the_evidence_costs_a_bounded_number_of_queries(
    world, ended, django_assert_max_num_queries
):
    for n in range(4):
        campaign = make_campaign(world, title=f"پویش {n}", start_date=day(-40), end_date=day(-12))
        _target(world, campaign, "offices", 1)
        _target(world, campaign, "kind", 1, activity_kind="interview")
    with django_assert_max_num_queries(5):
        evidence = indicators.evidence(
            "campaigns.targets_met", start=day(-30), end=day(0), office_id=world.chair_office.pk
        )
    assert len(evidence) == 3 + 4 * 2
