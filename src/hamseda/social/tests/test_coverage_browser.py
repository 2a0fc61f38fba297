"""The coverage matrix through the real UI in headless Chromium, on a desktop
and on a phone: the council's offices × messengers with their numbers, the
legend, and one campaign's joint-post coverage one click away."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hamseda.campaigns.tests.factories import make_campaign
from hamseda.core.tests import browser
from hamseda.social.tests.test_coverage import adopt, build_scenario, make_joint

chromium_browser = browser.chromium_browser
web = browser.web


@pytest.mark.browser
def test_the_chair_reads_the_coverage_matrix_on_desktop_and_phone(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given channels and posts of the Isfahan council, and a joint post
    scenario = build_scenario(world)
    campaign = make_campaign(world)
    joint = make_joint(world, campaign)
    adopt(joint, world.member_office, scenario.member_bale)
    page = web
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    outside: list[str] = []
    page.on("request", lambda r: None if browser.is_local(r.url) else outside.append(r.url))
    browser.log_in(page, world.chair)

    # when the chair opens the matrix
    page.goto("/social/coverage/")
    # then: the overall share, the offices and the chair's Bale cell
    expect(page.locator("h1")).to_contain_text("پوشش شبکه‌های اجتماعی")
    expect(page.locator(".hs-cov-cards")).to_contain_text("۲۵٫۰٪")
    matrix = page.locator("#coverage-matrix")
    expect(matrix).to_contain_text(world.partner_office.name)
    chair_row = matrix.locator("tbody tr").filter(has_text=world.chair_office.name)
    expect(chair_row.locator("td").first).to_contain_text("۲ فرسته")
    expect(chair_row.locator("td").first).to_contain_text("۱۵۰ بازدید")
    expect(chair_row.locator("td.hs-cov-active")).to_have_count(3)
    browser.screenshot(page, "social-coverage-desktop.png")

    # and on a phone the office column stays while the platforms scroll
    page.set_viewport_size(browser.PHONE)
    page.reload()
    expect(page.locator("#coverage-matrix")).to_be_visible()
    browser.screenshot(page, "social-coverage-phone.png")
    # nothing widens the page: the matrix scrolls inside its card
    assert page.evaluate("() => document.documentElement.scrollWidth") <= browser.PHONE["width"]

    # and the campaign's joint post: who republished it everywhere
    page.get_by_role("link", name=campaign.title).click()
    expect(page.locator("h1")).to_contain_text(campaign.title)
    expect(page.locator("main")).to_contain_text("۱ از ۳ دستگاه در همه کانال‌ها")
    browser.screenshot(page, "social-coverage-campaign-phone.png")

    # and the ministry centre reads one line per province, then opens Isfahan's
    page.set_viewport_size(browser.DESKTOP)
    page.context.clear_cookies()
    browser.log_in(page, world.ministry)
    page.goto("/social/coverage/")
    provinces = page.locator("#coverage-provinces")
    expect(provinces).to_contain_text(world.isfahan_council.province.name)
    browser.screenshot(page, "social-coverage-ministry-desktop.png")
    provinces.get_by_role("link", name=world.isfahan_council.province.name).click()
    expect(page.locator("#coverage-matrix")).to_contain_text(world.partner_office.name)
    assert js_errors == []
    assert outside == []
