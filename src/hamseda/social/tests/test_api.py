"""The social API: the same policy as the pages, the bot token never returned,
a post composed through the API and delivered to the local fake, joint posts and
the coverage matrix."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.social import crypto
from hamseda.social.models import (
    Delivery,
    DeliveryStatus,
    ErrorKind,
    InviteStatus,
    JointInvite,
    Platform,
    PostStatus,
    SocialAccount,
)
from hamseda.social.tests.factories import PostFactory, SocialAccountFactory
from hamseda.social.tests.test_coverage import build_scenario

SECRET = "123456:SECRET-bot-token-abcd"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api_as():
    def sign_in(person) -> APIClient:
        client = APIClient()
        client.force_authenticate(person)
        return client

    return sign_in


def _no_secret(payload) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    assert SECRET not in text
    assert "token_encrypted" not in text
    assert '"token"' not in text


# --- channels ------------------------------------------------------------------------


def test_a_channel_is_created_with_its_token_which_is_never_returned(world, api_as):
    # when
    response = api_as(world.staff).post(
        reverse("api-social-accounts"),
        {
            "platform": Platform.BALE,
            "title": "کانال راه و شهرسازی اصفهان",
            "chat_id": "@isfahan_roads",
            "token": SECRET,
        },
        format="json",
    )
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    _no_secret(body)
    assert body["office"] == world.chair_office.pk
    assert body["has_token"] is True
    assert body["token_hint"].endswith("abcd")
    account = SocialAccount.objects.get(pk=body["id"])
    assert account.token_encrypted != SECRET
    assert crypto.decrypt(account.token_encrypted) == SECRET
    # and the list and the detail do not show it either
    client = api_as(world.member_staff)
    _no_secret(client.get(reverse("api-social-accounts")).json())
    _no_secret(client.get(reverse("api-social-account", args=[account.pk])).json())


def test_an_update_without_token_keeps_it_and_a_new_one_replaces_it(world, api_as):
    account = SocialAccountFactory(office=world.chair_office, token=SECRET)
    url = reverse("api-social-account", args=[account.pk])
    client = api_as(world.staff)
    response = client.patch(url, {"title": "نام تازه"}, format="json")
    assert response.status_code == 200, response.json()
    account.refresh_from_db()
    assert (account.title, crypto.decrypt(account.token_encrypted)) == ("نام تازه", SECRET)
    response = client.patch(url, {"token": "999:new-token-wxyz"}, format="json")
    assert response.status_code == 200
    assert response.json()["token_hint"].endswith("wxyz")
    account.refresh_from_db()
    assert crypto.decrypt(account.token_encrypted) == "999:new-token-wxyz"


def test_channels_follow_the_policy(world, api_as):
    account = SocialAccountFactory(office=world.chair_office)
    url = reverse("api-social-account", args=[account.pk])
    # a fellow member office sees it but may not change it
    assert api_as(world.member_staff).get(url).status_code == 200
    response = api_as(world.member_staff).patch(url, {"title": "x"}, format="json")
    assert response.status_code == 403
    # another province does not even see it
    assert api_as(world.fars_chair).get(url).status_code == 404
    listed = api_as(world.fars_chair).get(reverse("api-social-accounts")).json()
    assert listed["count"] == 0
    # and nobody creates a channel for another office
    response = api_as(world.member_staff).post(
        reverse("api-social-accounts"),
        {"office": world.chair_office.pk, "platform": Platform.EITAA, "title": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert APIClient().get(reverse("api-social-accounts")).status_code in (401, 403)


def test_unknown_fields_are_refused(world, api_as):
    response = api_as(world.staff).post(
        reverse("api-social-accounts"),
        {"platform": Platform.BALE, "title": "x", "tokn": "typo"},
        format="json",
    )
    assert response.status_code == 400
    assert "tokn" in response.json()


# --- posts ---------------------------------------------------------------------------


def test_a_post_created_through_the_api_is_delivered_to_the_fake(
    world, api_as, fake_botapi, django_capture_on_commit_callbacks
):
    # given
    account = SocialAccountFactory(
        office=world.chair_office,
        platform=Platform.BALE,
        base_url=fake_botapi.base_url,
        chat_id="@isfahan_roads",
    )
    text = "آغاز ساخت ۲۰۰۰ واحد نهضت ملی مسکن در اصفهان"
    # when: the worker (eager in tests) runs once the request's transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.staff).post(
            reverse("api-social-posts"),
            {"text": text, "account_ids": [account.pk]},
            format="json",
        )
    # then
    assert response.status_code == 201, response.json()
    post_id = response.json()["id"]
    [received] = fake_botapi.sent_to("@isfahan_roads")
    assert received.text == text
    deliveries = api_as(world.staff).get(reverse("api-social-post-deliveries", args=[post_id]))
    [delivery] = deliveries.json()
    assert delivery["status"] == DeliveryStatus.SENT
    assert delivery["remote_id"] == str(received.message_id)
    detail = api_as(world.member_staff).get(reverse("api-social-post", args=[post_id])).json()
    assert detail["status"] == PostStatus.DONE
    assert detail["texts"] == {"bale": text}


def test_a_draft_keeps_its_variants_and_a_wrong_channel_is_a_field_error(world, api_as):
    bale = SocialAccountFactory(office=world.chair_office, platform=Platform.BALE)
    others = SocialAccountFactory(office=world.member_office, platform=Platform.BALE)
    client = api_as(world.staff)
    response = client.post(
        reverse("api-social-posts"),
        {
            "text": "متن اصلی",
            "account_ids": [bale.pk],
            "variants": {"bale": "متن ویژه بله"},
            "publish": False,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["variants"], body["deliveries"]) == (
        PostStatus.DRAFT,
        {"bale": "متن ویژه بله"},
        [],
    )
    response = client.post(
        reverse("api-social-posts"),
        {"text": "متن", "account_ids": [others.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert "accounts" in response.json()


def test_post_list_is_scoped_and_filtered(world, api_as):
    PostFactory(office=world.chair_office, text="خبر اصفهان")
    PostFactory(office=world.fars_office, text="خبر شیراز")
    isfahan = api_as(world.member_staff).get(reverse("api-social-posts")).json()
    assert [p["text"] for p in isfahan["results"]] == ["خبر اصفهان"]
    ministry = api_as(world.ministry).get(reverse("api-social-posts"), {"q": "شيراز"}).json()
    assert [p["text"] for p in ministry["results"]] == ["خبر شیراز"]
    bad = api_as(world.ministry).get(reverse("api-social-posts"), {"status": "nope"})
    assert bad.status_code == 400


def test_a_manual_delivery_is_marked_published_with_its_link(world, api_as):
    instagram = SocialAccountFactory(office=world.chair_office, platform=Platform.INSTAGRAM)
    post = PostFactory(office=world.chair_office, status=PostStatus.PUBLISHING)
    delivery = Delivery.objects.create(
        post=post, account=instagram, platform=Platform.INSTAGRAM, status=DeliveryStatus.MANUAL
    )
    url = reverse("api-social-delivery-manual", args=[delivery.pk])
    # a fellow office may not mark it
    assert api_as(world.member_staff).post(url, {}, format="json").status_code == 403
    response = api_as(world.staff).post(
        url, {"url": "https://www.instagram.com/p/abc/", "views": 40}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["remote_url"], body["views"]) == (
        DeliveryStatus.MANUAL_DONE,
        "https://www.instagram.com/p/abc/",
        40,
    )


def test_a_failed_delivery_explains_itself_and_is_retried(world, api_as):
    bale = SocialAccountFactory(office=world.chair_office, platform=Platform.BALE)
    post = PostFactory(office=world.chair_office, status=PostStatus.FAILED)
    delivery = Delivery.objects.create(
        post=post,
        account=bale,
        platform=Platform.BALE,
        status=DeliveryStatus.FAILED,
        attempts=1,
        error_kind=ErrorKind.UNAUTHORIZED,
        error_detail="Unauthorized",
    )
    [shown] = api_as(world.staff).get(reverse("api-social-post-deliveries", args=[post.pk])).json()
    assert shown["error_what"] == "توکن بات پذیرفته نشد."
    assert "توکن تازه" in shown["error_todo"]
    url = reverse("api-social-delivery-retry", args=[delivery.pk])
    assert api_as(world.fars_chair).post(url).status_code == 404
    response = api_as(world.staff).post(url)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == DeliveryStatus.QUEUED


# --- joint posts -----------------------------------------------------------------------


def test_a_joint_post_is_written_adopted_and_declined(world, api_as):
    # given
    campaign = make_campaign(world)
    member_bale = SocialAccountFactory(office=world.member_office, platform=Platform.BALE)
    # when: the chair's office writes it
    response = api_as(world.staff).post(
        reverse("api-social-joints"),
        {"campaign": campaign.pk, "title": "آغاز ساخت", "text": "متن مشترک"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    joint = response.json()
    invited = {invite["office"] for invite in joint["invites"]}
    assert {world.member_office.pk, world.partner_office.pk} <= invited
    # the railway adopts it on all its channels
    response = api_as(world.member_staff).post(
        reverse("api-social-joint-adopt", args=[joint["id"]]), {}, format="json"
    )
    assert response.status_code == 201, response.json()
    adoption = response.json()
    assert adoption["joint"] == joint["id"]
    assert adoption["accounts"] == [member_bale.pk]
    # the governorate declines with a reason
    response = api_as(world.partner).post(
        reverse("api-social-joint-decline", args=[joint["id"]]),
        {"reason": "در این هفته برنامه دیگری داریم"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    statuses = {
        invite.office_id: invite.status for invite in JointInvite.objects.filter(joint=joint["id"])
    }
    assert statuses[world.member_office.pk] == InviteStatus.APPROVED
    assert statuses[world.partner_office.pk] == InviteStatus.DECLINED
    # Fars sees none of it
    assert api_as(world.fars_chair).get(reverse("api-social-joints")).json()["count"] == 0


# --- coverage ----------------------------------------------------------------------------


def test_coverage_api_gives_the_matrix_numbers(world, api_as):
    build_scenario(world)
    body = api_as(world.staff).get(reverse("api-social-coverage")).json()
    assert body["share"] == 25.0
    assert body["platforms"][:4] == ["bale", "eitaa", "rubika", "telegram"]
    chair = next(row for row in body["rows"] if row["office"] == world.chair_office.pk)
    bale = next(cell for cell in chair["cells"] if cell["platform"] == "bale")
    assert (bale["posts"], bale["views"], bale["active"]) == (2, 150, True)
    assert {row["office"] for row in body["rows"]} == {
        world.chair_office.pk,
        world.member_office.pk,
        world.partner_office.pk,
    }
    fars = world.fars_council.province.pk
    assert (
        api_as(world.staff).get(reverse("api-social-coverage"), {"province": fars}).status_code
        == 400
    )
    one = api_as(world.ministry).get(reverse("api-social-coverage"), {"province": fars}).json()
    assert [row["office"] for row in one["rows"]] == [world.fars_office.pk]
