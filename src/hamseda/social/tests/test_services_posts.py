"""Composing a post: the text each platform gets (variants, campaign hashtags),
the limits, the checks, drafts, schedules, cancelling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core.models import AuditEvent
from hamseda.core.tests.uploads import exe, pdf, png
from hamseda.social.models import Delivery, DeliveryStatus, Platform, Post, PostStatus
from hamseda.social.services import posts
from hamseda.social.tests.factories import PostFactory, SocialAccountFactory

TEXT = "آغاز ساخت ۱۲۰۰ واحد مسکونی در شهر جدید بهارستان"


@pytest.fixture
def channels(world):
    office = world.chair_office
    return {
        Platform.BALE: SocialAccountFactory(office=office, platform=Platform.BALE),
        Platform.EITAA: SocialAccountFactory(office=office, platform=Platform.EITAA),
        Platform.X: SocialAccountFactory(office=office, platform=Platform.X),
    }


def _create(world, channels, **fields):
    values = {
        "actor": world.staff,
        "office": world.chair_office,
        "text": TEXT,
        "account_ids": [channels[Platform.BALE].pk, channels[Platform.EITAA].pk],
    }
    values.update(fields)
    return posts.post_create(**values)


def test_the_hashtags_are_appended_unless_the_text_has_them_in_any_spelling(world):
    campaign = make_campaign(world, hashtags=["#نهضت_ملی_مسکن", "#اصفهان"])
    assert posts.hashtags_line(campaign) == "#نهضت_ملی_مسکن #اصفهان"
    post = PostFactory(office=world.chair_office, campaign=campaign, text=TEXT)
    assert posts.text_for(post, Platform.BALE) == f"{TEXT}\n#نهضت_ملی_مسکن #اصفهان"
    # Arabic yeh and kaf, the same hashtag: not repeated
    post.text = f"{TEXT} #نهضت_ملي_مسكن"
    assert posts.text_for(post, Platform.BALE) == f"{post.text}\n#اصفهان"
    post.append_hashtags = False
    assert posts.text_for(post, Platform.BALE) == post.text
    assert posts.hashtags_line(None) == ""


def test_a_platform_variant_replaces_the_text_there_only(world, channels):
    post = _create(
        world,
        channels,
        account_ids=[channels[Platform.BALE].pk, channels[Platform.X].pk],
        variants={Platform.X: "متن کوتاه برای ایکس", Platform.EITAA: TEXT},
        publish=False,
    )
    assert {v.platform for v in post.variants.all()} == {Platform.X}  # same as text: dropped
    assert posts.text_for(post, Platform.X) == "متن کوتاه برای ایکس"
    assert posts.text_for(post, Platform.BALE) == TEXT


def test_limits_are_counted_with_the_hashtags_in_persian_digits(world):
    campaign = make_campaign(world)
    text = "ا" * 100 + " " + "ب" * 190  # 291 characters
    problems = posts.limit_problems(
        text=text,
        variants={},
        platforms=[Platform.X, Platform.BALE],
        has_media=False,
        campaign=campaign,
    )
    # 291 + a line break + «#نهضت_ملی_مسکن» (14) = 306
    assert problems == {Platform.X: "متن برای ایکس ۳۰۶ نویسه است؛ بیشینه ۲۸۰"}
    assert (
        posts.limit_problems(
            text=text, variants={Platform.X: "کوتاه"}, platforms=[Platform.X], has_media=False
        )
        == {}
    )
    long_caption = "پ" * 2300
    assert Platform.INSTAGRAM in posts.limit_problems(
        text=long_caption, variants={}, platforms=[Platform.INSTAGRAM], has_media=True
    )
    # an API platform sends a long text after the pictures: the text limit applies
    assert (
        posts.limit_problems(
            text="پ" * 2000, variants={}, platforms=[Platform.BALE], has_media=True
        )
        == {}
    )


def test_a_post_is_checked_by_field(world, channels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    foreign = SocialAccountFactory(office=world.member_office, platform=Platform.BALE)
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            channels,
            text="  ",
            account_ids=[foreign.pk],
            video_url="aparat",
            variants={"myspace": "x"},
            images=[exe("virus.png"), pdf("letter.pdf")],
        )
    assert set(error.value.message_dict) == {"text", "accounts", "video_url", "variants", "images"}
    assert len(error.value.message_dict["images"]) == 2
    with pytest.raises(ValidationError) as error:
        _create(world, channels, account_ids=[])
    assert "accounts" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(world, channels, images=[png(f"p{i}.png") for i in range(11)])
    assert "images" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _create(world, channels, account_ids=[channels[Platform.X].pk], text="ت" * 300)
    assert error.value.message_dict["text"] == ["متن برای ایکس ۳۰۰ نویسه است؛ بیشینه ۲۸۰"]
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            channels,
            account_ids=[channels[Platform.X].pk],
            variants={Platform.X: "ت" * 281},
        )
    assert list(error.value.message_dict) == ["variants"]
    inactive = SocialAccountFactory(
        office=world.chair_office, chat_id="@isfahan_roads", is_active=False
    )
    with pytest.raises(ValidationError):
        _create(world, channels, account_ids=[inactive.pk])
    fars_campaign = make_campaign(
        world,
        actor=world.fars_chair,
        province=world.fars_council.province,
        co_owners=[world.fars_office],
        participants=[],
    )
    with pytest.raises(ValidationError) as error:
        _create(world, channels, campaign=fars_campaign)
    assert "campaign" in error.value.message_dict
    assert not Post.objects.exists()


def test_only_the_office_publishes_on_its_channels(world, channels):
    with pytest.raises(PermissionDenied):
        _create(world, channels, actor=world.member_staff)
    with pytest.raises(PermissionDenied):
        _create(world, channels, actor=world.fars_chair)


def test_draft_scheduled_or_released_now(world, channels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = _create(world, channels, publish=False, account_ids=[])
    assert draft.status == PostStatus.DRAFT
    assert not draft.deliveries.exists()

    later = timezone.now() + dt.timedelta(hours=3)
    scheduled = _create(world, channels, scheduled_at=later)
    assert scheduled.status == PostStatus.SCHEDULED
    assert not scheduled.deliveries.exists()

    manual = SocialAccountFactory(office=world.chair_office, platform=Platform.WEBSITE)
    now = _create(
        world,
        channels,
        account_ids=[channels[Platform.BALE].pk, manual.pk],
        images=[png("site.png")],
        scheduled_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert now.status == PostStatus.PUBLISHING
    assert now.released_at is not None
    statuses = {d.platform: d.status for d in now.deliveries.all()}
    assert statuses == {
        Platform.BALE: DeliveryStatus.QUEUED,
        Platform.WEBSITE: DeliveryStatus.MANUAL,
    }
    assert now.media.count() == 1
    assert AuditEvent.objects.filter(event="social_post_created").count() == 3
    assert AuditEvent.objects.filter(event="social_post_released", target_id=str(now.pk)).exists()
    # releasing twice makes nothing twice
    posts.post_release(now)
    assert now.deliveries.count() == 2


def test_a_draft_is_edited_then_published_now(world, channels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post = _create(world, channels, publish=False, images=[png("a.png")])
    kept = post.media.get()
    post = posts.post_update(
        actor=world.staff,
        post=post,
        text="متن تازه",
        account_ids=[channels[Platform.EITAA].pk],
        images=[png("b.png")],
        remove_media_ids=[kept.pk],
        publish=False,
    )
    assert post.text == "متن تازه"
    assert post.status == PostStatus.DRAFT
    assert [m.name for m in post.media.all()] == ["b.png"]
    assert list(post.accounts.all()) == [channels[Platform.EITAA]]
    assert AuditEvent.objects.filter(event="social_post_edited").count() == 1

    post = posts.post_publish_now(actor=world.staff, post=post)
    assert post.status == PostStatus.PUBLISHING
    assert post.deliveries.get().platform == Platform.EITAA
    with pytest.raises(ValidationError):
        posts.post_update(actor=world.staff, post=post, text="دیگر", account_ids=[])
    with pytest.raises(ValidationError):
        posts.post_publish_now(actor=world.staff, post=post)


def test_cancelling_before_and_after_the_release(world, channels):
    scheduled = _create(world, channels, scheduled_at=timezone.now() + dt.timedelta(days=1))
    scheduled = posts.post_cancel(actor=world.staff, post=scheduled)
    assert scheduled.status == PostStatus.CANCELLED

    manual = SocialAccountFactory(office=world.chair_office, platform=Platform.APARAT)
    released = _create(
        world,
        channels,
        account_ids=[channels[Platform.BALE].pk, channels[Platform.EITAA].pk, manual.pk],
    )
    sent = released.deliveries.get(platform=Platform.BALE)
    Delivery.objects.filter(pk=sent.pk).update(status=DeliveryStatus.SENT)

    released = posts.post_cancel(actor=world.staff, post=released)
    statuses = dict(released.deliveries.values_list("platform", "status"))
    assert statuses == {
        Platform.BALE: DeliveryStatus.SENT,
        Platform.EITAA: DeliveryStatus.CANCELLED,
        Platform.APARAT: DeliveryStatus.CANCELLED,
    }
    assert released.status == PostStatus.DONE  # what went out stays published
    with pytest.raises(ValidationError):
        posts.post_cancel(actor=world.staff, post=released)
    assert AuditEvent.objects.filter(event="social_post_cancelled").count() == 2
