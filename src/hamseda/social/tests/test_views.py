"""The social pages through Django's test client: compose (channels by platform,
the campaign's brief, Jalali schedule, nothing lost on an error), the posts list
and one post with its deliveries in Persian, the delivery actions, channels
whose token is never shown, joint posts, and who may see and do what."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from hamseda.campaigns import services as campaign_services
from hamseda.campaigns.tests.factories import make_campaign, png
from hamseda.core import jalali
from hamseda.social.models import (
    Delivery,
    DeliveryStatus,
    ErrorKind,
    InviteStatus,
    JointInvite,
    Platform,
    Post,
    PostMedia,
    PostStatus,
    SocialAccount,
)
from hamseda.social.services import joint as joint_services
from hamseda.social.services import posts as post_services
from hamseda.social.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PERSONAS = [
    "chair",
    "secretary",
    "staff",
    "member_staff",
    "partner",
    "evaluator",
    "fars_chair",
    "ministry",
    "admin",
]


def _url(name: str, *args) -> str:
    return reverse(f"social:{name}", args=args)


def _select(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def _json(html: str, element_id: str):
    opening = f'<script id="{element_id}" type="application/json">'
    start = html.index(opening) + len(opening)
    return json.loads(html[start : html.index("</script>", start)])


def _later(hours: int = 3) -> dt.datetime:
    return timezone.localtime() + dt.timedelta(hours=hours)


@pytest.fixture
def campaign(world):
    campaign = make_campaign(world, hashtags=["#نهضت_ملی_مسکن", "#مسکن_اصفهان"])
    campaign_services.message_add(
        actor=world.chair, campaign=campaign, text="ثبت‌نام فقط از سامانه رسمی نهضت ملی مسکن"
    )
    return campaign


@pytest.fixture
def channels(world):
    office = world.chair_office
    return {
        "bale": SocialAccountFactory(
            office=office, platform=Platform.BALE, title="بله راه و شهرسازی"
        ),
        "eitaa": SocialAccountFactory(
            office=office, platform=Platform.EITAA, title="ایتا راه و شهرسازی"
        ),
        "x": SocialAccountFactory(office=office, platform=Platform.X, title="ایکس راه و شهرسازی"),
        "instagram": SocialAccountFactory(
            office=office, platform=Platform.INSTAGRAM, title="اینستاگرام راه و شهرسازی"
        ),
    }


def _released(world, accounts, campaign=None, text="بازدید از پروژه‌های مسکن ملی در بهارستان"):
    return post_services.post_create(
        actor=world.staff,
        office=world.chair_office,
        text=text,
        account_ids=[a.pk for a in accounts],
        campaign=campaign,
    )


def _compose_data(channels, campaign=None, **extra):
    data = {
        "text": "آغاز ساخت ۵۰۰ واحد نهضت ملی مسکن در بهارستان",
        "accounts": [channels["bale"].pk, channels["eitaa"].pk],
        "campaign": campaign.pk if campaign else "",
        "append_hashtags": "on",
        "when": "now",
        "action": "publish",
    }
    data.update(extra)
    return data


# --- compose ---------------------------------------------------------------------------


def test_compose_groups_channels_by_platform_and_carries_the_campaign_brief(
    client, world, campaign, channels
):
    client.force_login(world.staff)
    response = client.get(_url("post_create"), {"campaign": campaign.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html
    assert 'data-autosave="social-compose-' in html
    # channels under their platform, manual ones marked
    for account in channels.values():
        assert account.title in html
    assert 'data-platform="bale"' in html
    assert 'data-platform="instagram"' in html
    assert "انتشار دستی" in html
    # the Jalali date-time input with a clock
    assert 'name="scheduled_at"' in html
    assert "data-jdp-time" in html
    # the brief for the script: hashtags and key messages of the office's campaigns
    briefs = _json(html, "hs-briefs")
    assert briefs[str(campaign.pk)]["hashtags"] == ["#نهضت_ملی_مسکن", "#مسکن_اصفهان"]
    assert briefs[str(campaign.pk)]["messages"] == ["ثبت‌نام فقط از سامانه رسمی نهضت ملی مسکن"]
    limits = _json(html, "hs-limits")
    assert limits["x"] == {"text": 280, "caption": 280, "manual": True}
    assert limits["bale"]["text"] == 4096
    # the campaign chosen from the campaign page is preselected
    assert f'<option value="{campaign.pk}" selected>' in html


def test_compose_without_channels_sends_the_office_to_add_them(client, world):
    client.force_login(world.member_staff)
    response = client.get(_url("post_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "هنوز کانال فعالی" in html
    assert _url("account_create") in html


def test_a_post_scheduled_with_a_jalali_time_waits_for_it(client, world, campaign, channels):
    client.force_login(world.staff)
    when = _later(5).replace(second=0, microsecond=0)
    response = client.post(
        _url("post_create"),
        _compose_data(
            channels,
            campaign,
            when="later",
            # Persian digits, as a phone keyboard types them
            scheduled_at=jalali.format_datetime(when, "short"),
        ),
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert post.status == PostStatus.SCHEDULED
    assert post.scheduled_at == when
    assert post.campaign == campaign
    assert set(post.accounts.all()) == {channels["bale"], channels["eitaa"]}
    assert not post.deliveries.exists()
    page = client.get(post.get_absolute_url()).content.decode()
    assert "زمان‌بندی‌شده" in page
    assert jalali.format_datetime(when, "full") in page
    # the final text carries the campaign's hashtags on its own line
    assert "در بهارستان\n#نهضت_ملی_مسکن #مسکن_اصفهان" in page


def test_publishing_now_releases_one_delivery_per_channel(client, world, campaign, channels):
    client.force_login(world.staff)
    data = _compose_data(channels, campaign)
    data["accounts"] = [channels["bale"].pk, channels["instagram"].pk]
    response = client.post(_url("post_create"), data)
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == PostStatus.PUBLISHING
    statuses = dict(post.deliveries.values_list("platform", "status"))
    assert statuses == {
        Platform.BALE: DeliveryStatus.QUEUED,
        Platform.INSTAGRAM: DeliveryStatus.MANUAL,
    }


def test_save_as_draft_keeps_it_unpublished(client, world, channels):
    client.force_login(world.staff)
    response = client.post(_url("post_create"), _compose_data(channels, action="draft"))
    assert response.status_code == 302
    post = Post.objects.get()
    assert post.status == PostStatus.DRAFT
    assert not post.deliveries.exists()
    assert "پیش‌نویس" in client.get(post.get_absolute_url()).content.decode()


def test_an_error_keeps_everything_typed_and_says_where(client, world, campaign, channels):
    client.force_login(world.staff)
    long_x = "خبر " * 80  # 320 characters: too long for X
    data = _compose_data(
        channels,
        campaign,
        when="later",
        scheduled_at="1404/13/01 10:00",  # no 13th month
        variant_x=long_x,
        video_url="https://www.aparat.com/v/abc12",
    )
    data["accounts"] = [channels["bale"].pk, channels["x"].pk]
    response = client.post(_url("post_create"), data)
    assert response.status_code == 400
    assert not Post.objects.exists()
    html = response.content.decode()
    assert "آنچه نوشته‌اید سر جایش مانده است" in html
    # beside the schedule and the X text, in Persian with Persian digits
    assert 'id="id_scheduled_at_error"' in html
    assert 'id="id_variant_x_error"' in html
    assert "متن برای ایکس" in html
    assert "بیشینه ۲۸۰" in html
    # everything typed is still there
    assert "آغاز ساخت ۵۰۰ واحد نهضت ملی مسکن در بهارستان</textarea>" in html
    assert long_x.strip() in html
    assert 'value="1404/13/01 10:00"' in html
    assert 'value="https://www.aparat.com/v/abc12"' in html
    x_box = html.split(f'value="{channels["x"].pk}"')[1].split(">")[0]
    assert "checked" in x_box


def test_later_without_a_time_or_with_a_past_time_is_refused(client, world, channels):
    client.force_login(world.staff)
    response = client.post(_url("post_create"), _compose_data(channels, when="later"))
    assert response.status_code == 400
    assert "تاریخ و ساعت انتشار را بنویسید" in response.content.decode()
    past = jalali.format_datetime(timezone.localtime() - dt.timedelta(hours=1), "input")
    response = client.post(
        _url("post_create"), _compose_data(channels, when="later", scheduled_at=past)
    )
    assert response.status_code == 400
    assert "این زمان گذشته است" in response.content.decode()
    assert not Post.objects.exists()


def test_no_channel_chosen_is_said_beside_the_channels(client, world, channels):
    client.force_login(world.staff)
    data = _compose_data(channels)
    data.pop("accounts")
    response = client.post(_url("post_create"), data)
    assert response.status_code == 400
    assert "دست‌کم یک کانال را برای انتشار انتخاب کنید" in response.content.decode()


def test_pictures_are_uploaded_and_served_through_the_policy(client, world, channels):
    client.force_login(world.staff)
    data = _compose_data(channels, images=[png("poster.png"), png("site.png")])
    response = client.post(_url("post_create"), data)
    assert response.status_code == 302
    post = Post.objects.get()
    media = list(post.media.order_by("position"))
    assert [m.name for m in media] == ["poster.png", "site.png"]
    response = client.get(_url("media_file", media[0].pk))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")
    client.force_login(world.fars_chair)
    assert client.get(_url("media_file", media[0].pk)).status_code == 404


def test_a_scheduled_post_is_edited_with_its_values_in_place(client, world, campaign, channels):
    post = post_services.post_create(
        actor=world.staff,
        office=world.chair_office,
        text="متن نخست",
        account_ids=[channels["bale"].pk],
        campaign=campaign,
        variants={Platform.BALE: "متن ویژه بله"},
        scheduled_at=_later(),
    )
    client.force_login(world.staff)
    html = client.get(_url("post_edit", post.pk)).content.decode()
    assert "متن نخست</textarea>" in html
    assert "متن ویژه بله</textarea>" in html
    assert jalali.format_datetime(post.scheduled_at, "input") in html
    data = _compose_data(
        channels,
        campaign,
        text="متن دوم",
        when="later",
        scheduled_at=jalali.format_datetime(_later(6), "input"),
    )
    response = client.post(_url("post_edit", post.pk), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.text == "متن دوم"
    assert post.status == PostStatus.SCHEDULED
    assert post.accounts.count() == 2


def test_a_released_post_is_not_edited(client, world, channels):
    post = _released(world, [channels["bale"]])
    client.force_login(world.staff)
    response = client.get(_url("post_edit", post.pk))
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()


# --- list --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_pages_render_for_every_persona(client, world, channels, persona):
    post = _released(world, [channels["bale"]])
    client.force_login(getattr(world, persona))
    for url in (_url("post_list"), _url("account_list"), _url("joint_list")):
        assert client.get(url).status_code == 200
    sees = persona not in ("fars_chair",)
    assert client.get(post.get_absolute_url()).status_code == (200 if sees else 404)


def test_the_list_is_newest_first_filters_my_office_and_finds_any_spelling(client, world, channels):
    mine = _released(world, [channels["bale"]], text="بازدید از پروژه‌های مسكن ملي")
    other = SocialAccountFactory(office=world.member_office, platform=Platform.BALE)
    post_services.post_create(
        actor=world.member_staff,
        office=world.member_office,
        text="قطار حومه‌ای اصفهان",
        account_ids=[other.pk],
    )
    client.force_login(world.staff)
    html = client.get(_url("post_list")).content.decode()
    assert html.index("قطار حومه") < html.index("بازدید از پروژه")
    # "only my office's posts" is one click
    assert f"?office={world.staff.office_id}" in html
    html = client.get(_url("post_list"), {"office": world.staff.office_id}).content.decode()
    assert "بازدید از پروژه" in html
    assert "قطار حومه" not in html
    # Arabic ي/ك and a half-space typed as a space still find it
    response = client.get(_url("post_list"), {"q": "مسکن ملی پروژه ها"}, **HTMX)
    html = response.content.decode()
    assert 'id="post-results"' in html
    assert "<html" not in html
    assert mine.get_absolute_url() in html
    assert "قطار حومه" not in html
    response = client.get(_url("post_list"), {"status": PostStatus.DRAFT})
    assert "بازدید از پروژه" not in response.content.decode()


def test_the_ministry_filters_by_province_then_office(client, world, channels):
    isfahan_post = _released(world, [channels["bale"]], text="خبر اصفهان")
    fars_channel = SocialAccountFactory(office=world.fars_office, platform=Platform.BALE)
    post_services.post_create(
        actor=world.fars_chair,
        office=world.fars_office,
        text="خبر فارس",
        account_ids=[fars_channel.pk],
    )
    client.force_login(world.ministry)
    html = client.get(_url("post_list")).content.decode()
    assert "خبر اصفهان" in html
    assert "خبر فارس" in html
    # no province chosen: the office list is not every office of the country
    assert 'name="province"' in html
    assert f'<option value="{world.member_office.pk}"' not in _select(html, "office")
    province = world.fars_office.agency.province_id
    html = client.get(_url("post_list"), {"province": province}).content.decode()
    assert "خبر فارس" in html
    assert "خبر اصفهان" not in html
    assert f'<option value="{world.fars_office.pk}"' in _select(html, "office")
    isfahan = world.chair_office.agency.province_id
    html = client.get(
        _url("post_list"), {"province": isfahan, "office": world.chair_office.pk}
    ).content.decode()
    assert isfahan_post.get_absolute_url() in html
    assert "خبر فارس" not in html


def test_the_ministry_reads_channels_one_province_at_a_time(client, world, channels):
    fars = SocialAccountFactory(
        office=world.fars_office, platform=Platform.EITAA, title="کانال فارس"
    )
    client.force_login(world.ministry)
    # not every channel of the country at once: the own office's until a province is chosen
    html = client.get(_url("account_list")).content.decode()
    assert 'name="province"' in html
    assert channels["bale"].title not in html
    assert fars.title not in html
    isfahan = world.chair_office.agency.province_id
    html = client.get(_url("account_list"), {"province": isfahan}).content.decode()
    assert channels["bale"].title in html
    assert fars.title not in html
    # a council's people see their province without choosing
    client.force_login(world.chair)
    html = client.get(_url("account_list")).content.decode()
    assert 'name="province"' not in html
    assert channels["bale"].title in html


def test_a_council_member_has_no_province_filter(client, world, channels):
    client.force_login(world.chair)
    assert 'name="province"' not in client.get(_url("post_list")).content.decode()


def test_another_province_sees_none_of_it(client, world, channels):
    post = _released(world, [channels["bale"]])
    client.force_login(world.fars_chair)
    assert post.get_absolute_url() not in client.get(_url("post_list")).content.decode()
    assert channels["bale"].title not in client.get(_url("account_list")).content.decode()
    delivery = post.deliveries.get()
    assert client.post(_url("delivery_retry", delivery.pk)).status_code == 404
    assert client.get(_url("delivery_export", delivery.pk)).status_code == 404


# --- one post and its deliveries ---------------------------------------------------------


def test_deliveries_read_in_persian_with_what_to_do(client, world, channels):
    post = _released(world, [channels["bale"], channels["eitaa"], channels["instagram"]])
    Delivery.objects.filter(post=post, platform=Platform.BALE).update(
        status=DeliveryStatus.FAILED,
        error_kind=ErrorKind.UNAUTHORIZED,
        error_detail="Unauthorized",
        attempts=1,
    )
    Delivery.objects.filter(post=post, platform=Platform.EITAA).update(
        status=DeliveryStatus.SENT,
        remote_url="https://eitaa.com/hamseda_test/42",
        views=1200,
        sent_at=timezone.now(),
    )
    client.force_login(world.staff)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "ناموفق" in html
    assert "توکن بات پذیرفته نشد." in html
    assert "چه باید کرد:" in html
    assert "توکن تازه را از سازنده بات بگیرید" in html
    assert "ارسال‌شده" in html
    assert "https://eitaa.com/hamseda_test/42" in html
    assert "۱٬۲۰۰ بازدید" in html
    assert "منتظر انتشار دستی" in html
    assert "ثبت انتشار دستی" in html
    assert "ارسال دوباره" in html
    # nothing in flight: the panel does not poll
    assert "hx-trigger" not in html.split('id="deliveries"')[1].split(">")[0]


def test_the_panel_refreshes_itself_while_deliveries_are_in_flight(client, world, channels):
    post = _released(world, [channels["bale"]])
    client.force_login(world.staff)
    html = client.get(post.get_absolute_url()).content.decode()
    section = html.split('id="deliveries"')[1].split(">")[0]
    assert f'hx-get="{_url("post_deliveries", post.pk)}"' in section
    assert 'hx-trigger="every 3s"' in section
    assert "در صف" in html
    # the partial alone, and it stops polling once settled
    Delivery.objects.filter(post=post).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    partial = client.get(_url("post_deliveries", post.pk), **HTMX).content.decode()
    assert partial.lstrip().startswith("<section")
    assert "<html" not in partial
    assert "hx-trigger" not in partial.split(">")[0]
    assert "ارسال‌شده" in partial


def test_retry_puts_a_failed_delivery_back_in_the_queue(client, world, channels):
    post = _released(world, [channels["bale"]])
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, error_kind=ErrorKind.CHAT_NOT_FOUND, attempts=1
    )
    client.force_login(world.staff)
    response = client.post(_url("delivery_retry", delivery.pk))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.error_kind == ""
    html = client.get(post.get_absolute_url()).content.decode()
    assert "دوباره در صف ارسال قرار گرفت" in html


def test_a_fellow_office_sees_but_cannot_act(client, world, channels):
    post = _released(world, [channels["bale"]])
    delivery = post.deliveries.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED)
    client.force_login(world.member_staff)
    html = client.get(post.get_absolute_url()).content.decode()
    assert "ناموفق" in html
    assert _url("delivery_retry", delivery.pk) not in html
    assert client.post(_url("delivery_retry", delivery.pk)).status_code == 403
    assert client.post(_url("post_cancel", post.pk)).status_code == 403
    assert client.get(_url("post_edit", post.pk)).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_manual_platform_is_copied_exported_and_marked_with_its_link(
    client, world, campaign, channels
):
    post = _released(world, [channels["instagram"]], campaign=campaign)
    delivery = post.deliveries.get()
    assert delivery.status == DeliveryStatus.MANUAL
    client.force_login(world.staff)
    # the text as it goes out, with the hashtags
    response = client.get(_url("delivery_export", delivery.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text == "بازدید از پروژه‌های مسکن ملی در بهارستان\n#نهضت_ملی_مسکن #مسکن_اصفهان"
    page = client.get(_url("delivery_manual", delivery.pk)).content.decode()
    assert 'data-copy="بازدید از پروژه‌های مسکن ملی در بهارستان' in page
    # the link is required for a platform published by hand
    response = client.post(_url("delivery_manual", delivery.pk), {"url": ""})
    assert response.status_code == 400
    assert "پیوند فرسته منتشرشده را وارد کنید" in response.content.decode()
    response = client.post(
        _url("delivery_manual", delivery.pk),
        {"url": "https://instagram.com/p/abc", "views": "۲۵۰"},
    )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.MANUAL_DONE
    assert delivery.remote_url == "https://instagram.com/p/abc"
    assert delivery.views == 250
    assert delivery.marked_by == world.staff
    post.refresh_from_db()
    assert post.status == PostStatus.DONE


def test_the_export_of_a_post_with_pictures_is_a_zip(client, world, channels):
    post = post_services.post_create(
        actor=world.staff,
        office=world.chair_office,
        text="پوستر پویش",
        account_ids=[channels["instagram"].pk],
        images=[png("poster.png")],
    )
    delivery = post.deliveries.get()
    client.force_login(world.staff)
    response = client.get(_url("delivery_export", delivery.pk))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("text.txt").decode() == "پوستر پویش"
    assert any(name.endswith("poster.png") for name in archive.namelist())


def test_cancel_and_publish_now(client, world, channels):
    scheduled = post_services.post_create(
        actor=world.staff,
        office=world.chair_office,
        text="زمان‌بندی‌شده",
        account_ids=[channels["bale"].pk],
        scheduled_at=_later(),
    )
    draft = post_services.post_create(
        actor=world.staff,
        office=world.chair_office,
        text="پیش‌نویس",
        account_ids=[channels["bale"].pk],
        publish=False,
    )
    client.force_login(world.staff)
    assert client.post(_url("post_publish_now", scheduled.pk)).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == PostStatus.PUBLISHING
    assert scheduled.deliveries.count() == 1
    assert client.post(_url("post_cancel", draft.pk)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == PostStatus.CANCELLED
    # a second publish of the released post is refused in Persian, not a 500
    response = client.post(_url("post_publish_now", scheduled.pk), follow=True)
    assert "انتشار این فرسته پیش‌تر آغاز شده است" in response.content.decode()


# --- channels ------------------------------------------------------------------------------


def test_a_channel_is_added_and_its_token_is_never_shown(client, world):
    client.force_login(world.staff)
    secret = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    response = client.post(
        _url("account_create"),
        {
            "platform": Platform.BALE,
            "title": "کانال بله اداره کل",
            "chat_id": "@isfahan_roads",
            "token": secret,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    account = SocialAccount.objects.get()
    assert account.office == world.chair_office
    assert account.has_token
    assert secret not in account.token_encrypted
    for url in (_url("account_list"), _url("account_edit", account.pk)):
        html = client.get(url).content.decode()
        assert secret not in html
        assert secret[-4:] in html  # the hint, «…saw» style
    html = client.get(_url("account_edit", account.pk)).content.decode()
    token_input = html.split('name="token"')[1].split(">")[0]
    assert 'value="' not in token_input
    assert (
        "data-autosave-skip" in html.split('name="token"')[0].rsplit("<input", 1)[1] + token_input
    )
    # saving without a token keeps the stored one
    response = client.post(
        _url("account_edit", account.pk),
        {"title": "کانال بله", "chat_id": "@isfahan_roads", "is_active": "on"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.title == "کانال بله"
    assert account.has_token


def test_an_invalid_channel_keeps_what_was_typed_except_the_token(client, world):
    client.force_login(world.staff)
    response = client.post(
        _url("account_create"),
        {"platform": Platform.BALE, "title": "", "chat_id": "@isfahan_roads", "token": "abc:def"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="@isfahan_roads"' in html
    assert "abc:def" not in html
    assert not SocialAccount.objects.exists()


def test_the_list_says_which_main_messengers_the_office_lacks(client, world, channels):
    client.force_login(world.staff)
    html = client.get(_url("account_list")).content.decode()
    missing = html.split("هنوز کانالی ندارد")[1].split("</div>")[0]
    assert "روبیکا" in missing
    assert "تلگرام" in missing
    assert "بله" not in missing


def test_checking_the_connection_asks_the_fake_messenger(client, world, fake_botapi):
    account = SocialAccountFactory(
        office=world.chair_office, platform=Platform.BALE, base_url=fake_botapi.base_url
    )
    client.force_login(world.staff)
    response = client.post(_url("account_check", account.pk), follow=True)
    html = response.content.decode()
    assert "اتصال" in html
    assert "برقرار است" in html
    account.refresh_from_db()
    assert account.checked_at is not None
    assert account.check_error == ""
    broken = SocialAccountFactory(
        office=world.chair_office,
        platform=Platform.TELEGRAM,
        base_url=fake_botapi.base_url,
        token="wrong-token",
    )
    html = client.post(_url("account_check", broken.pk), follow=True).content.decode()
    assert "برقرار نشد" in html
    assert "توکن" in html


def test_another_office_cannot_edit_a_channel(client, world, channels):
    client.force_login(world.member_staff)
    assert client.get(_url("account_edit", channels["bale"].pk)).status_code == 403
    assert client.post(_url("account_check", channels["bale"].pk)).status_code == 403


# --- joint posts ---------------------------------------------------------------------------


@pytest.fixture
def joint(world, campaign):
    return joint_services.joint_create(
        actor=world.chair,
        campaign=campaign,
        office=world.chair_office,
        title="آغاز ثبت‌نام مرحله تازه",
        text="ثبت‌نام مرحله تازه نهضت ملی مسکن از امروز آغاز شد",
    )


def test_a_joint_post_is_written_from_the_page(client, world, campaign):
    client.force_login(world.chair)
    response = client.post(
        _url("joint_create"),
        {
            "campaign": campaign.pk,
            "title": "فرسته هماهنگ",
            "text": "متن هماهنگ پویش",
            "variant_x": "متن کوتاه ایکس",
            "publish_at": jalali.format_datetime(_later(24), "input"),
        },
    )
    assert response.status_code == 302
    joint = campaign.joint_posts.get()
    assert joint.variants == {"x": "متن کوتاه ایکس"}
    assert set(joint.invites.values_list("office_id", flat=True)) == {
        world.chair_office.pk,
        world.partner_office.pk,
        world.member_office.pk,
    }
    html = client.get(joint.get_absolute_url()).content.decode()
    assert "متن کوتاه ایکس" in html
    assert "ایکس" in html


def test_an_invited_office_adopts_the_joint_post_on_its_channels(client, world, joint):
    rail = SocialAccountFactory(office=world.member_office, platform=Platform.EITAA)
    client.force_login(world.member_staff)
    html = client.get(joint.get_absolute_url()).content.decode()
    assert "پاسخ روابط عمومی شما" in html
    assert rail.title in html
    response = client.post(_url("joint_adopt", joint.pk), {"accounts": [rail.pk]})
    assert response.status_code == 302
    post = Post.objects.get(joint=joint)
    assert response["Location"] == post.get_absolute_url()
    assert post.office == world.member_office
    invite = JointInvite.objects.get(joint=joint, office=world.member_office)
    assert invite.status == InviteStatus.APPROVED
    html = client.get(joint.get_absolute_url()).content.decode()
    assert "پاسخ روابط عمومی شما" not in html
    assert "تأیید و انتشار" in html


def test_declining_needs_a_reason(client, world, joint):
    client.force_login(world.member_staff)
    response = client.post(_url("joint_decline", joint.pk), {"reason": ""})
    assert response.status_code == 400
    assert "دلیل نپذیرفتن را بنویسید" in response.content.decode()
    response = client.post(_url("joint_decline", joint.pk), {"reason": "کانال در حال بازسازی است"})
    assert response.status_code == 302
    invite = JointInvite.objects.get(joint=joint, office=world.member_office)
    assert invite.status == InviteStatus.DECLINED
    html = client.get(joint.get_absolute_url()).content.decode()
    assert "کانال در حال بازسازی است" in html


def test_the_writer_closes_it_and_others_cannot(client, world, joint):
    client.force_login(world.member_staff)
    assert client.post(_url("joint_close", joint.pk)).status_code == 403
    client.force_login(world.chair)
    assert client.post(_url("joint_close", joint.pk)).status_code == 302
    joint.refresh_from_db()
    assert joint.status == "closed"
    client.force_login(world.member_staff)
    assert "پاسخ روابط عمومی شما" not in client.get(joint.get_absolute_url()).content.decode()


def test_the_joint_list_says_what_waits_for_me(client, world, joint):
    client.force_login(world.member_staff)
    html = client.get(_url("joint_list")).content.decode()
    assert joint.title in html
    assert "منتظر پاسخ شما" in html
    client.force_login(world.fars_chair)
    assert joint.title not in client.get(_url("joint_list")).content.decode()
    assert client.get(joint.get_absolute_url()).status_code == 404


def test_media_of_a_post_without_a_file_is_a_404_not_a_500(client, world, channels):
    post = _released(world, [channels["bale"]])
    media = PostMedia.objects.create(post=post, name="gone.png", file="social/gone.png")
    client.force_login(world.staff)
    assert client.get(_url("media_file", media.pk)).status_code == 404
