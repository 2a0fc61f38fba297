"""Reads of campaigns: lists and filters, progress against targets, each office's
contribution, key message usage, and the number of queries each costs."""

from __future__ import annotations

import pytest
from django.http import Http404

from hamseda.activities.models import ActivityKind, ActivityStatus
from hamseda.campaigns import selectors, services
from hamseda.campaigns.models import CampaignKind, TargetMetric
from hamseda.campaigns.selectors import CampaignFilters, When
from hamseda.campaigns.tests.factories import day, make_activity, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world):
    campaign = make_campaign(world)
    for label, metric, value, kind in (
        ("همه", TargetMetric.ACTIVITIES, 4, ""),
        ("خبر", TargetMetric.KIND, 2, ActivityKind.NEWS_RELEASE),
        ("مصاحبه", TargetMetric.KIND, 2, ActivityKind.INTERVIEW),
        ("مشترک", TargetMetric.JOINT, 2, ""),
        ("دستگاه‌ها", TargetMetric.OFFICES, 3, ""),
        ("پیامک", TargetMetric.MANUAL, 100, ""),
    ):
        services.target_add(
            actor=world.chair,
            campaign=campaign,
            label=label,
            metric=metric,
            target_value=value,
            activity_kind=kind,
            baseline_value=2 if metric == TargetMetric.ACTIVITIES else None,
        )
    return campaign


@pytest.fixture
def activities(world, campaign):
    """What counts: two news releases of the railway, one joint interview of the
    chair's office with the governorate. What does not: planned, cancelled,
    merged, before the campaign, and another campaign's."""
    rail, chair, governorate = world.member_office, world.chair_office, world.partner_office
    make_activity(office=rail, campaigns=[campaign], on=day(-10))
    make_activity(office=rail, campaigns=[campaign], on=day(-5))
    joint = make_activity(
        office=chair,
        campaigns=[campaign],
        on=day(-3),
        kind=ActivityKind.INTERVIEW,
        partners=[governorate],
    )
    make_activity(office=rail, campaigns=[campaign], on=day(5), status=ActivityStatus.PLANNED)
    make_activity(office=rail, campaigns=[campaign], on=day(-2), status=ActivityStatus.CANCELLED)
    make_activity(office=rail, campaigns=[campaign], on=day(-2), merged_into=joint)
    make_activity(office=rail, campaigns=[campaign], on=day(-40))
    other = make_campaign(world, title="پویش دیگر")
    make_activity(office=chair, campaigns=[other], on=day(-1))
    return joint


def _by_label(progress):
    return {p.target.label: p for p in progress}


def test_progress_counts_done_activities_inside_the_period(world, campaign, activities):
    progress = _by_label(selectors.campaign_progress(campaign))
    assert progress["همه"].value == 3
    assert progress["همه"].percent == 75.0
    assert progress["همه"].met is False
    assert (progress["همه"].baseline, progress["همه"].change) == (2, 1)
    assert progress["همه"].change_percent == 50.0
    assert progress["خبر"].value == 2
    assert progress["خبر"].met is True
    assert progress["خبر"].bar == 100
    assert progress["مصاحبه"].value == 1
    assert progress["مشترک"].value == 1
    # the railway, the chair's office and the governorate (a partner)
    assert progress["دستگاه‌ها"].value == 3
    assert progress["دستگاه‌ها"].met is True
    # nothing recorded yet
    assert progress["پیامک"].value is None
    assert progress["پیامک"].percent == 0.0
    assert progress["مصاحبه"].counts == "فعالیت‌های «مصاحبه»"


def test_progress_costs_a_bounded_number_of_queries(
    world, campaign, activities, django_assert_max_num_queries
):
    loaded = selectors.campaign_get_for(viewer=world.chair, campaign_id=campaign.pk)
    # targets prefetched: kinds, joint, offices
    with django_assert_max_num_queries(3):
        selectors.campaign_progress(loaded)


def test_progress_of_many_campaigns_is_computed_together(world, campaign, activities):
    others = [make_campaign(world, title=f"پویش {n}") for n in range(3)]
    for other in others:
        services.target_add(
            actor=world.chair, campaign=other, label="همه", metric="activities", target_value=1
        )
        make_activity(office=world.member_office, campaigns=[other], on=day(-1))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        result = selectors.campaigns_progress([campaign, *others])
    assert len(queries) <= 4
    assert [rows[0].value for rows in (result[o.pk] for o in others)] == [1, 1, 1]


def test_a_joint_activity_counts_for_every_office_in_it(world, campaign, activities):
    rows = {row.office: row for row in selectors.office_contribution(campaign)}
    chair, governorate, rail = world.chair_office, world.partner_office, world.member_office
    assert (rows[chair].done, rows[chair].joint) == (1, 1)
    assert (rows[governorate].done, rows[governorate].joint) == (1, 1)
    assert (rows[rail].done, rows[rail].planned, rows[rail].joint) == (2, 1, 0)
    assert rows[chair].is_co_owner
    assert rows[governorate].is_co_owner
    assert rows[rail].is_participant
    assert not rows[rail].is_co_owner
    # most done first
    assert next(iter(rows)) == rail


def test_an_office_outside_the_participants_shows_with_its_activities(world, campaign):
    make_activity(office=world.ministry_office, campaigns=[campaign], on=day(-1))
    rows = {row.office: row for row in selectors.office_contribution(campaign)}
    assert rows[world.ministry_office].done == 1
    assert rows[world.ministry_office].is_participant is False


def test_contribution_costs_two_queries_on_a_loaded_campaign(
    world, campaign, activities, django_assert_num_queries
):
    loaded = selectors.campaign_get_for(viewer=world.chair, campaign_id=campaign.pk)
    with django_assert_num_queries(2):
        selectors.office_contribution(loaded)


def test_message_usage_counts_activities_that_carried_each_message(world, campaign):
    first = services.message_add(actor=world.chair, campaign=campaign, text="یکم")
    second = services.message_add(actor=world.chair, campaign=campaign, text="دوم")
    services.message_add(actor=world.chair, campaign=campaign, text="سوم")
    make_activity(office=world.member_office, campaigns=[campaign], messages=[first, second])
    make_activity(
        office=world.chair_office,
        campaigns=[campaign],
        messages=[first],
        status=ActivityStatus.PLANNED,
    )
    make_activity(
        office=world.chair_office,
        campaigns=[campaign],
        messages=[first],
        status=ActivityStatus.CANCELLED,
    )
    usage = selectors.message_usage(campaign)
    assert [(u.message.text, u.uses) for u in usage] == [("یکم", 2), ("دوم", 1), ("سوم", 0)]


# --- lists -------------------------------------------------------------------------------


@pytest.fixture
def listed(world):
    running = make_campaign(world, title="قرارگاه مسکن", hashtags=["#خانه_امید"])
    past = make_campaign(
        world, title="پویش ایمنی", kind=CampaignKind.CULTURE, start_date=day(-90), end_date=day(-60)
    )
    upcoming = make_campaign(world, title="سفرهای تابستانی", start_date=day(30), end_date=day(90))
    national = make_campaign(
        world,
        actor=world.ministry,
        title="پویش ملی",
        province=None,
        co_owners=[world.ministry_office],
        participants=[],
    )
    fars = make_campaign(
        world,
        actor=world.fars_chair,
        title="قرارگاه فارس",
        province=world.fars_council.province,
        co_owners=[world.fars_office],
        participants=[],
    )
    return {
        "running": running,
        "past": past,
        "upcoming": upcoming,
        "national": national,
        "fars": fars,
    }


def _titles(viewer, **filters):
    return {
        c.title for c in selectors.campaign_list(viewer=viewer, filters=CampaignFilters(**filters))
    }


def test_everyone_sees_every_campaign_and_filters_narrow(world, listed):
    assert len(_titles(world.evaluator)) == 5
    isfahan = world.isfahan_council.province.pk
    assert _titles(world.chair, province_id=isfahan) == {
        "قرارگاه مسکن",
        "پویش ایمنی",
        "سفرهای تابستانی",
        "پویش ملی",
    }
    assert "پویش ملی" not in _titles(world.chair, province_id=isfahan, national=False)
    assert _titles(world.chair, when=When.PAST) == {"پویش ایمنی"}
    assert _titles(world.chair, when=When.UPCOMING) == {"سفرهای تابستانی"}
    assert "قرارگاه فارس" in _titles(world.chair, when=When.RUNNING)
    assert _titles(world.chair, kind=CampaignKind.CULTURE) == {"پویش ایمنی"}
    # search matches title words and hashtags, whatever the spelling
    assert _titles(world.chair, query="قرارگاه") == {"قرارگاه مسکن", "قرارگاه فارس"}
    assert _titles(world.chair, query="خانه امید") == {"قرارگاه مسکن"}
    assert _titles(world.chair, office_id=world.fars_office.pk) == {"قرارگاه فارس"}


def test_a_list_page_costs_two_queries(world, listed, django_assert_num_queries):
    with django_assert_num_queries(2):
        campaigns = list(selectors.campaign_list(viewer=world.chair))
        for campaign in campaigns:
            list(campaign.co_owners.all())


def test_an_unknown_campaign_is_a_404(world):
    with pytest.raises(Http404):
        selectors.campaign_get_for(viewer=world.chair, campaign_id=999999)


def test_when_of_tells_running_past_and_upcoming(world, listed):
    assert selectors.when_of(listed["running"]) == When.RUNNING
    assert selectors.when_of(listed["past"]) == When.PAST
    assert selectors.when_of(listed["upcoming"]) == When.UPCOMING
