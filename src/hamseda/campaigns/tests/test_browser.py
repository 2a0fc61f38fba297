"""The campaign workspace through the real UI, in headless Chromium on a phone:
the chair adds a key message in place (refused when empty, beside the field),
records the figure of a manual target, and copies a hashtag."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hamseda.campaigns import services
from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core.tests import browser

chromium_browser = browser.chromium_browser
web = browser.web


@pytest.mark.browser
def test_the_chair_keeps_the_campaign_one_voice_on_a_phone(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given the housing media HQ with a manual target
    campaign = make_campaign(world, hashtags=["#نهضت_ملی_مسکن", "#مسکن_اصفهان"])
    services.target_add(
        actor=world.chair,
        campaign=campaign,
        label="متقاضیان اطلاع‌یافته با پیامک",
        metric="manual",
        target_value=250_000,
    )
    page = web
    page.set_viewport_size(browser.PHONE)
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page, world.chair)
    page.goto(campaign.get_absolute_url())
    expect(page.locator("h1")).to_contain_text(campaign.title)

    # when the chair adds an empty message, the panel says what is missing
    messages = page.locator("#key-messages")
    messages.get_by_role("button", name="افزودن پیام").click()
    expect(page.locator("#key-messages")).to_contain_text("این مقدار لازم است")

    # and then a real one: it appears in place, without a page load
    page.locator("#message_text").fill("ثبت‌نام فقط از سامانه رسمی نهضت ملی مسکن")
    page.locator("#key-messages").get_by_role("button", name="افزودن پیام").click()
    expect(page.locator("#key-messages")).to_contain_text("پیام کلیدی افزوده شد")
    expect(page.locator("#key-messages")).to_contain_text("۰ بار به کار رفته")

    # and records the figure of the manual target
    targets = page.locator("#targets")
    targets.get_by_placeholder("مقدار تاکنون").fill("125000")
    targets.get_by_role("button", name="ثبت مقدار").click()
    expect(page.locator("#targets")).to_contain_text("۱۲۵٬۰۰۰")
    expect(page.locator("#targets")).to_contain_text("۵۰٪ هدف")

    # and copies a hashtag (the fallback works on plain http too)
    page.locator('[data-copy="#مسکن_اصفهان"]').click()
    expect(page.locator("#hs-copy-status")).to_have_text("رونوشت شد")
    browser.screenshot(page, "campaigns-workspace-phone.png")

    # the page fits the phone: nothing wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= browser.PHONE["width"]
    assert js_errors == []
