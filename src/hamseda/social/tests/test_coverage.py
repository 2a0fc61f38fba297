"""The coverage matrix and a campaign's joint-post coverage, against sums worked
out by hand from a small Isfahan council (and one office in Fars)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core import jalali
from hamseda.social import coverage
from hamseda.social.models import (
    Delivery,
    DeliveryStatus,
    InviteStatus,
    JointInvite,
    JointPost,
    Platform,
    Post,
    PostStatus,
    SocialAccount,
)
from hamseda.social.tests.factories import PostFactory, SocialAccountFactory

TODAY = jalali.today()


def at(days_ago: int, hour: int = 12) -> dt.datetime:
    """Noon (Tehran) ``days_ago`` days before today."""
    day = TODAY - dt.timedelta(days=days_ago)
    return dt.datetime.combine(day, dt.time(hour), tzinfo=jalali.TEHRAN)


def deliver(
    post: Post,
    account: SocialAccount,
    *,
    days_ago: int,
    status: str = DeliveryStatus.SENT,
    views: int | None = None,
) -> Delivery:
    post.accounts.add(account)
    return Delivery.objects.create(
        post=post,
        account=account,
        platform=account.platform,
        status=status,
        sent_at=at(days_ago) if status != DeliveryStatus.FAILED else None,
        views=views,
        attempts=1,
    )


def published_post(office: Any, *targets: tuple[SocialAccount, int, int | None], **kw: Any) -> Post:
    """A released post of ``office`` sent to each (channel, days ago, views)."""
    post = PostFactory(office=office, status=PostStatus.DONE, released_at=at(60), **kw)
    for account, days_ago, views in targets:
        deliver(post, account, days_ago=days_ago, views=views)
    return post


@dataclass
class Scenario:
    chair_bale: SocialAccount
    chair_eitaa: SocialAccount
    chair_instagram: SocialAccount
    member_bale: SocialAccount
    member_rubika: SocialAccount
    fars_telegram: SocialAccount


def build_scenario(world: Any) -> Scenario:
    """Isfahan: the chair's office on Bale, Eitaa and Instagram; the railway on
    Bale (and on Rubika, a channel switched off since); the governorate nowhere.
    Fars: Telegram. Posts over the last 40 days (see each line)."""
    chair, member, fars = world.chair_office, world.member_office, world.fars_office
    s = Scenario(
        chair_bale=SocialAccountFactory(office=chair, platform=Platform.BALE, chat_id="@isf_bale"),
        chair_eitaa=SocialAccountFactory(
            office=chair, platform=Platform.EITAA, chat_id="@isf_eitaa"
        ),
        chair_instagram=SocialAccountFactory(office=chair, platform=Platform.INSTAGRAM),
        member_bale=SocialAccountFactory(
            office=member, platform=Platform.BALE, chat_id="@rail_bale"
        ),
        member_rubika=SocialAccountFactory(
            office=member, platform=Platform.RUBIKA, chat_id="rail-guid", is_active=False
        ),
        fars_telegram=SocialAccountFactory(
            office=fars, platform=Platform.TELEGRAM, chat_id="@fars_tg"
        ),
    )
    # chair: one post on Bale (100 views) and Eitaa (no views reported), 2 days ago
    published_post(chair, (s.chair_bale, 2, 100), (s.chair_eitaa, 2, None))
    # chair: Bale 10 days ago, 50 views
    published_post(chair, (s.chair_bale, 10, 50))
    # chair: Bale 40 days ago, outside the 30 days
    published_post(chair, (s.chair_bale, 40, 999))
    # chair: Eitaa failed yesterday: not published
    failed = PostFactory(office=chair, status=PostStatus.FAILED)
    deliver(failed, s.chair_eitaa, days_ago=1, status=DeliveryStatus.FAILED)
    # chair: Instagram published by hand 5 days ago, 30 views
    manual = PostFactory(office=chair, status=PostStatus.DONE)
    deliver(manual, s.chair_instagram, days_ago=5, status=DeliveryStatus.MANUAL_DONE, views=30)
    # chair: Bale still queued: not published
    queued = PostFactory(office=chair, status=PostStatus.PUBLISHING)
    Delivery.objects.create(post=queued, account=s.chair_bale, platform=Platform.BALE)
    # railway: Bale 3 days ago (no views), Rubika 4 days ago (channel off since)
    published_post(member, (s.member_bale, 3, None))
    published_post(member, (s.member_rubika, 4, 7))
    # Fars: Telegram today
    published_post(fars, (s.fars_telegram, 0, 5))
    return s


@pytest.fixture
def scenario(world):
    return build_scenario(world)


def cells(row: coverage.Row) -> dict[str, coverage.Cell]:
    return {cell.platform: cell for cell in row.cells}


def test_matrix_of_a_council_counts_channels_activity_posts_and_views(world, scenario):
    # when
    matrix = coverage.coverage_matrix(viewer=world.staff, today=TODAY)
    # then: the council's three offices, in membership order
    assert [row.office for row in matrix.rows] == [
        world.chair_office,
        world.member_office,
        world.partner_office,
    ]
    # the four messengers always, Instagram because an office has a channel
    # there (Rubika is a main platform anyway)
    assert matrix.platforms == ["bale", "eitaa", "rubika", "telegram", "instagram"]
    chair, member, partner = (cells(row) for row in matrix.rows)
    assert (chair["bale"].channels, chair["bale"].posts, chair["bale"].views) == (1, 2, 150)
    assert chair["bale"].state == "active"
    assert (chair["eitaa"].posts, chair["eitaa"].views, chair["eitaa"].state) == (1, None, "active")
    assert (chair["instagram"].posts, chair["instagram"].views) == (1, 30)
    assert chair["rubika"].state == chair["telegram"].state == "none"
    assert (member["bale"].posts, member["bale"].views, member["bale"].active) == (1, None, True)
    # a post through a channel switched off since shows, but the cell is not green
    assert (member["rubika"].channels, member["rubika"].posts) == (0, 1)
    assert member["rubika"].state == "none"
    assert all(cell.state == "none" for cell in partner.values())
    # rows: main platforms active
    assert [row.main_active for row in matrix.rows] == [2, 1, 0]
    assert [row.share for row in matrix.rows] == [50.0, 25.0, 0.0]
    # totals per platform
    totals = {t.platform: t for t in matrix.totals}
    assert (totals["bale"].with_channel, totals["bale"].active) == (2, 2)
    assert (totals["bale"].posts, totals["bale"].views) == (3, 150)
    assert totals["bale"].share == pytest.approx(66.7)
    assert (totals["eitaa"].active, totals["eitaa"].views) == (1, None)
    assert (totals["rubika"].with_channel, totals["rubika"].active, totals["rubika"].posts) == (
        0,
        0,
        1,
    )
    assert totals["telegram"].share == 0.0
    # overall: (2 + 1 + 0) of 3 offices × 4 messengers
    assert matrix.share == 25.0
    assert matrix.full_offices == 0


def test_matrix_is_bounded_in_queries(world, scenario, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        coverage.coverage_matrix(viewer=world.ministry, today=TODAY)


def test_ministry_sees_every_council_or_one_province(world, scenario):
    everything = coverage.coverage_matrix(viewer=world.ministry, today=TODAY)
    assert {row.office for row in everything.rows} == {
        world.chair_office,
        world.member_office,
        world.partner_office,
        world.fars_office,
    }
    fars = coverage.coverage_matrix(
        viewer=world.ministry, province=world.fars_council.province, today=TODAY
    )
    assert [row.office for row in fars.rows] == [world.fars_office]
    assert cells(fars.rows[0])["telegram"].posts == 1
    assert fars.share == 25.0


def test_a_council_member_never_sees_another_province(world, scenario):
    matrix = coverage.coverage_matrix(
        viewer=world.staff, province=world.fars_council.province, today=TODAY
    )
    assert matrix.rows == []
    assert matrix.share == 0.0


def test_an_office_active_on_every_messenger_is_full(world, scenario):
    for platform in (Platform.RUBIKA, Platform.TELEGRAM):
        account = SocialAccountFactory(
            office=world.chair_office, platform=platform, chat_id=f"@isf_{platform}"
        )
        published_post(world.chair_office, (account, 1, None))
    matrix = coverage.coverage_matrix(viewer=world.chair, today=TODAY)
    assert matrix.rows[0].full
    assert matrix.rows[0].share == 100.0
    assert matrix.full_offices == 1


# --- a campaign's joint posts ----------------------------------------------------------


def make_joint(world: Any, campaign: Any, title: str = "آغاز ساخت ۲۰۰۰ واحد") -> JointPost:
    joint = JointPost.objects.create(
        campaign=campaign, office=world.chair_office, title=title, text="متن مشترک"
    )
    for office in (world.chair_office, world.member_office, world.partner_office):
        JointInvite.objects.create(joint=joint, office=office)
    return joint


def adopt(joint: JointPost, office: Any, *accounts: SocialAccount) -> Post:
    JointInvite.objects.filter(joint=joint, office=office).update(status=InviteStatus.APPROVED)
    post = PostFactory(office=office, joint=joint, campaign=joint.campaign, status=PostStatus.DONE)
    for account in accounts:
        deliver(post, account, days_ago=1)
    return post


def test_campaign_coverage_tells_full_partly_and_not_published(world, scenario):
    # given: the chair's office published on Bale and Eitaa but not on Instagram
    # (partly), the railway on its only active channel (full), the governorate
    # has no channel and declined
    campaign = make_campaign(world)
    joint = make_joint(world, campaign)
    adopt(joint, world.chair_office, scenario.chair_bale, scenario.chair_eitaa)
    adopt(joint, world.member_office, scenario.member_bale)
    JointInvite.objects.filter(joint=joint, office=world.partner_office).update(
        status=InviteStatus.DECLINED, reason="کانال نداریم"
    )
    # when
    (result,) = coverage.campaign_coverage(viewer=world.staff, campaign=campaign)
    # then
    states = {row.office: (row.state, row.channels, row.published) for row in result.rows}
    assert states == {
        world.chair_office: (coverage.PARTLY, 3, 2),
        world.member_office: (coverage.FULL, 1, 1),
        world.partner_office: (coverage.NO_CHANNEL, 0, 0),
    }
    assert (result.invited, result.full, result.partly, result.not_published) == (3, 1, 1, 1)
    assert (result.approved, result.declined) == (2, 1)
    assert result.share_full == pytest.approx(33.3)


def test_campaign_coverage_lists_joint_posts_newest_first_in_bounded_queries(
    world, scenario, django_assert_max_num_queries
):
    campaign = make_campaign(world)
    older = make_joint(world, campaign, "نخست")
    newer = make_joint(world, campaign, "دوم")
    adopt(newer, world.member_office, scenario.member_bale)
    with django_assert_max_num_queries(5):
        result = coverage.campaign_coverage(viewer=world.chair, campaign=campaign)
    assert [c.joint for c in result] == [newer, older]
    assert (result[0].full, result[1].full) == (1, 0)


def test_campaign_coverage_of_another_province_is_refused(world, scenario):
    campaign = make_campaign(world)
    with pytest.raises(PermissionDenied):
        coverage.campaign_coverage(viewer=world.fars_chair, campaign=campaign)
