"""The issue's "done when", social half, through the real UI in headless Chromium:
an office writes a campaign post for Bale and Eitaa on the compose page (live
counters with the campaign's hashtags, a key message inserted from the brief),
schedules it with a Jalali date and time; time passes and the beat's sweep goes
through a real Celery worker on Redis; Eitaa answers 429 first and then accepts;
the post page refreshes itself to «ارسال‌شده» on both channels, and each local
messenger fake received the message exactly once. Screenshots on a desktop and
a 360 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hamseda.campaigns import services as campaign_services
from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core import jalali
from hamseda.core.tests import browser
from hamseda.social import fakes
from hamseda.social.models import Delivery, DeliveryStatus, Platform, Post, PostStatus
from hamseda.social.tests.factories import SocialAccountFactory
from hamseda.social.tests.worker import wait_for, worker_app  # noqa: F401

chromium_browser = browser.chromium_browser
web = browser.web

CHAT = "@hamseda_test"
TEXT = "آغاز ساخت ۵۰۰ واحد نهضت ملی مسکن در بهارستان؛ تحویل نخستین واحدها تا پایان سال"
MESSAGE = "ثبت‌نام فقط از سامانه رسمی نهضت ملی مسکن"


@pytest.fixture
def worker_broker_url() -> str:
    # This helper's own Redis database: parallel runs do not take each other's tasks.
    return "redis://127.0.0.1:6379/11"


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


@pytest.mark.browser
def test_an_office_schedules_a_campaign_post_and_the_worker_delivers_it_once(
    django_db_serialized_rollback,
    transactional_db,
    world,
    web,
    worker_app,  # noqa: F811
    fake_botapi,
    fake_eitaa,
):
    # given the housing HQ with its hashtags and a key message, and the office's
    # channels on Bale and Eitaa (the local fakes), plus a manual Instagram one
    campaign = make_campaign(world, hashtags=["#نهضت_ملی_مسکن", "#مسکن_اصفهان"])
    campaign_services.message_add(actor=world.chair, campaign=campaign, text=MESSAGE)
    bale = SocialAccountFactory(
        office=world.chair_office,
        platform=Platform.BALE,
        title="کانال بله راه و شهرسازی",
        base_url=fake_botapi.base_url,
    )
    eitaa = SocialAccountFactory(
        office=world.chair_office,
        platform=Platform.EITAA,
        title="کانال ایتا راه و شهرسازی",
        base_url=fake_eitaa.base_url,
    )
    SocialAccountFactory(
        office=world.chair_office, platform=Platform.INSTAGRAM, title="اینستاگرام اداره کل"
    )
    page = web
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page, world.staff)

    # when the office writes the post on the compose page
    page.goto("/social/compose/")
    expect(page.locator("h1")).to_contain_text("فرسته تازه")
    page.get_by_label("پویش", exact=True).select_option(str(campaign.pk))
    brief = page.locator("#hs-brief")
    expect(brief).to_contain_text(MESSAGE)
    expect(brief).to_contain_text("#مسکن_اصفهان")
    text = page.locator("textarea[name=text]")
    text.fill(TEXT)
    page.get_by_label(bale.title).check()
    page.get_by_label(eitaa.title).check()
    # the counters count what goes out: the text and the hashtags on a new line
    expected = len(TEXT) + 1 + len("#نهضت_ملی_مسکن #مسکن_اصفهان")
    counter = page.locator('[data-counter="bale"]')
    expect(counter).to_have_attribute("data-count", str(expected))
    expect(counter).to_contain_text("از ۴٬۰۹۶")
    expect(page.locator("#hs-hashtags-preview")).to_contain_text("#نهضت_ملی_مسکن")
    # a key message goes in at the cursor, and the counters follow
    text.press("End")
    brief.locator("[data-insert-message='0']").click()
    expect(text).to_have_value(f"{TEXT}\n{MESSAGE}")
    expect(counter).to_have_attribute("data-count", str(expected + 1 + len(MESSAGE)))
    # scheduled with a Jalali date and time, ten minutes from now
    page.get_by_label("در زمان مشخص").check()
    when = timezone.localtime() + dt.timedelta(minutes=10)
    schedule = page.locator("input[name=scheduled_at]")
    expect(schedule).to_be_visible()
    schedule.fill(jalali.format_datetime(when, "input"))
    expect(page.locator("#hs-publish")).to_contain_text("زمان‌بندی انتشار")
    # moving on closes the date picker
    page.locator("#hs-publish").focus()
    expect(page.locator("jdp-container")).to_be_hidden()
    browser.screenshot(page, "social-compose-desktop.png")
    page.set_viewport_size(browser.PHONE)
    _fits(page)
    browser.screenshot(page, "social-compose-phone.png")
    page.set_viewport_size(browser.DESKTOP)
    page.locator("#hs-publish").click()

    # then the post waits for its time
    page.wait_for_url("**/social/posts/*/")
    expect(page.locator("#messages")).to_contain_text("زمان‌بندی شد")
    expect(page.locator("#deliveries")).to_contain_text("زمان‌بندی‌شده")
    post = Post.objects.get()
    assert post.status == PostStatus.SCHEDULED
    assert post.campaign == campaign
    assert post.text == f"{TEXT}\n{MESSAGE}"
    assert abs((post.scheduled_at - when).total_seconds()) < 60

    # when time passes and the beat's sweep goes through the worker; Eitaa is busy first
    fake_eitaa.script(fakes.rate_limited(1))
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
    worker_app.send_task("social.sweep")
    wait_for(
        lambda: Delivery.objects.filter(post=post, status=DeliveryStatus.SENT).count() == 2,
        timeout=40,
    )

    # then the page, polling by itself, shows both channels delivered
    deliveries = page.locator("#deliveries")
    expect(deliveries.locator('[data-platform="bale"] .hs-status')).to_have_text(
        "ارسال‌شده", timeout=30_000
    )
    expect(deliveries.locator('[data-platform="eitaa"] .hs-status')).to_have_text("ارسال‌شده")
    expect(deliveries).to_contain_text("منتشرشده")
    # and the buttons of a post not yet released went with it
    expect(page.locator("#post-actions")).not_to_contain_text("انتشار همین حالا")
    eitaa_delivery = Delivery.objects.get(post=post, platform=Platform.EITAA)
    assert eitaa_delivery.attempts == 2
    assert eitaa_delivery.attempt_log.filter(error_kind="rate_limited").count() == 1
    # and each messenger received it exactly once, hashtags and half-spaces intact
    for fake in (fake_botapi, fake_eitaa):
        received = fake.sent_to(CHAT)
        assert len(received) == 1
        assert received[0].text == f"{TEXT}\n{MESSAGE}\n#نهضت_ملی_مسکن #مسکن_اصفهان"
    expect(deliveries).not_to_have_attribute("hx-trigger", "every 3s")
    browser.screenshot(page, "social-post-delivered-desktop.png")
    page.set_viewport_size(browser.PHONE)
    _fits(page)
    browser.screenshot(page, "social-post-delivered-phone.png")
    assert js_errors == []
