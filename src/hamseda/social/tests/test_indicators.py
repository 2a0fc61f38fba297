"""The social indicators: values against hand counts of the coverage scenario,
their evidence, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core import indicators
from hamseda.social.models import InviteStatus, JointInvite, Platform
from hamseda.social.tests.test_coverage import (
    TODAY,
    adopt,
    build_scenario,
    make_joint,
)

START, END = TODAY - dt.timedelta(days=29), TODAY


@pytest.fixture
def scenario(world):
    return build_scenario(world)


def value(code: str, **kw):
    return indicators.compute(code, start=START, end=END, **kw)


def test_every_social_indicator_is_registered_with_evidence():
    codes = {code for code in indicators.REGISTRY if code.startswith("social.")}
    assert {"social.posts", "social.channel_coverage", "social.campaign_republished"} <= codes
    assert {f"social.posts.{p}" for p in Platform.values} <= codes
    assert all(indicators.REGISTRY[code].evidence is not None for code in codes)


def test_posts_count_posts_published_on_at_least_one_channel(world, scenario):
    # chair: 2 on Bale/Eitaa in the period + 1 by hand on Instagram (the one of 40
    # days ago, the failed and the queued do not count); railway 2; Fars 1
    assert value("social.posts") == {
        world.chair_office.pk: 3.0,
        world.member_office.pk: 2.0,
        world.fars_office.pk: 1.0,
    }
    assert value("social.posts", office_ids=[world.member_office.pk]) == {
        world.member_office.pk: 2.0
    }
    assert value("social.posts.bale") == {world.chair_office.pk: 2.0, world.member_office.pk: 1.0}
    assert value("social.posts.eitaa") == {world.chair_office.pk: 1.0}
    assert value("social.posts.instagram") == {world.chair_office.pk: 1.0}
    assert value("social.posts.x") == {}


def test_a_longer_period_counts_the_older_post(world, scenario):
    found = indicators.compute(
        "social.posts.bale",
        start=TODAY - dt.timedelta(days=45),
        end=END,
        office_ids=[world.chair_office.pk],
    )
    assert found == {world.chair_office.pk: 3.0}


def test_posts_evidence_lists_each_post_once_with_its_platforms(world, scenario):
    listed = indicators.evidence(
        "social.posts", start=START, end=END, office_id=world.chair_office.pk
    )
    assert len(listed) == 3
    assert [item.date for item in listed] == sorted((item.date for item in listed), reverse=True)
    newest = listed[0]
    assert newest.date == TODAY - dt.timedelta(days=2)
    assert newest.note == "بله، ایتا · ۱۰۰ بازدید"
    assert newest.url.startswith("/social/posts/")
    assert all(item.counted for item in listed)


def test_channel_coverage_needs_an_active_channel_and_a_published_post(world, scenario):
    # chair: Bale, Eitaa of 4 → 50; railway: Bale (Rubika's channel is off) → 25;
    # Fars: Telegram → 25; the governorate and the ministry centre have no
    # channel: 0, a value, not unknown
    assert value("social.channel_coverage") == {
        world.chair_office.pk: 50.0,
        world.member_office.pk: 25.0,
        world.partner_office.pk: 0.0,
        world.fars_office.pk: 25.0,
        world.ministry_office.pk: 0.0,
    }
    assert value("social.channel_coverage", office_ids=[world.partner_office.pk]) == {
        world.partner_office.pk: 0.0
    }
    listed = indicators.evidence(
        "social.channel_coverage", start=START, end=END, office_id=world.member_office.pk
    )
    assert [(item.label.split(":")[0], item.counted) for item in listed] == [
        ("بله", True),
        ("ایتا", False),
        ("روبیکا", False),
        ("تلگرام", False),
    ]
    assert listed[2].note == "کانال فعالی ندارد"


def test_campaign_republished_is_the_share_published_on_every_channel(world, scenario):
    campaign = make_campaign(world)
    first = make_joint(world, campaign, "نخست")
    second = make_joint(world, campaign, "دوم")
    # chair: partly on the first (not Instagram), fully on the second
    adopt(first, world.chair_office, scenario.chair_bale, scenario.chair_eitaa)
    adopt(
        second,
        world.chair_office,
        scenario.chair_bale,
        scenario.chair_eitaa,
        scenario.chair_instagram,
    )
    # railway: fully on the first, nothing on the second
    adopt(first, world.member_office, scenario.member_bale)
    JointInvite.objects.filter(joint=second, office=world.member_office).update(
        status=InviteStatus.DECLINED, reason="موضوع مربوط به ما نیست"
    )
    # the governorate: invited twice, has no channel
    assert value("social.campaign_republished") == {
        world.chair_office.pk: 50.0,
        world.member_office.pk: 50.0,
        world.partner_office.pk: 0.0,
    }
    # an office never invited is unknown, not 0
    assert world.fars_office.pk not in value("social.campaign_republished")
    assert indicators.REGISTRY["social.campaign_republished"].absent_is_zero is False
    listed = indicators.evidence(
        "social.campaign_republished", start=START, end=END, office_id=world.member_office.pk
    )
    assert [(item.label.split(" — ")[0], item.counted) for item in listed] == [
        ("دوم", False),
        ("نخست", True),
    ]
    assert listed[0].note == "نپذیرفت: موضوع مربوط به ما نیست"
    assert listed[1].note == "در ۱ از ۱ کانال"


def test_invitations_outside_the_period_do_not_count(world, scenario):
    campaign = make_campaign(world)
    make_joint(world, campaign)
    later = indicators.compute(
        "social.campaign_republished",
        start=TODAY + dt.timedelta(days=1),
        end=TODAY + dt.timedelta(days=30),
    )
    assert later == {}


@pytest.mark.parametrize(
    ("code", "queries"),
    [
        ("social.posts", 1),
        ("social.posts.bale", 1),
        ("social.channel_coverage", 3),
        ("social.campaign_republished", 3),
    ],
)
def test_values_and_evidence_take_a_bounded_number_of_queries(
    world, scenario, django_assert_max_num_queries, code, queries
):
    campaign = make_campaign(world)
    for title in ("نخست", "دوم", "سوم"):
        adopt(make_joint(world, campaign, title), world.member_office, scenario.member_bale)
    with django_assert_max_num_queries(queries):
        indicators.compute(code, start=START, end=END)
    for office in (world.chair_office, world.member_office):
        with django_assert_max_num_queries(3):
            indicators.evidence(code, start=START, end=END, office_id=office.pk)
