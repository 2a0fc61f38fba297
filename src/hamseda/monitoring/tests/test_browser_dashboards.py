"""An office's coverage dashboard through the real UI, in headless Chromium: the
three charts are drawn by the locally served Chart.js (their tables fold away
under their summaries), nothing is asked of another host, no script fails, and
a 360 px phone shows it without sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from hamseda.activities.models import ActivityKind, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core.persian import fa_digits
from hamseda.core.tests import browser
from hamseda.monitoring.tests.test_dashboards import at, outlet, publish, story

chromium_browser = browser.chromium_browser
web = browser.web

OUTLETS = [
    ("ایرنا", 2.0),
    ("خبرگزاری ایسنا", 1.5),
    ("روزنامه نصف جهان اصفهان", 1.0),
    ("پایگاه خبری زاینده‌رود", 1.0),
]
TONES = ["positive", "neutral", "neutral", "negative", "positive", "neutral"]
DAYS = 29


def per_day(days: int) -> int:
    return 1 + (days * 7) % 4


# Every article names the roads office: a few a day, and the four of the bad day.
ARTICLES = sum(per_day(days) for days in range(DAYS)) + len(OUTLETS)


def month_of_press(world) -> None:
    """A month of articles about the roads office: a few a day, from four outlets,
    in several stories, with one bad day."""
    roads, rail = world.chair_office.agency, world.member_office.agency
    sources = [outlet(name, weight) for name, weight in OUTLETS]
    release = ActivityFactory(
        lead_office=world.chair_office,
        title="بهره‌برداری از آزادراه شرق اصفهان",
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=at(-6).date(),
    )
    highway = story(
        "بهره‌برداری از آزادراه شرق اصفهان با حضور وزیر راه و شهرسازی", at(-6), activity=release
    )
    storm = story("گلایه رانندگان از بسته ماندن گردنه‌ها پس از بارش برف", at(-2))
    for days in range(DAYS):
        for n in range(per_day(days)):
            tone = TONES[(days + n) % len(TONES)]
            publish(
                sources[(days + n) % len(sources)],
                at(-days, 8 + n),
                {roads: tone, rail: "neutral"} if n == 2 else {roads: tone},
                in_story=highway if days in (5, 6) else None,
            )
    for n, source in enumerate(sources):
        publish(source, at(-2, 14 + n), {roads: "negative"}, in_story=storm)
    # what ingestion keeps on a story (services.ingest._refresh_stories)
    for each in (highway, storm):
        articles = each.articles.all()
        each.article_count = articles.count()
        each.outlet_count = articles.values("source").distinct().count()
        each.save()


def console_error(message: ConsoleMessage, problems: list[str]) -> None:
    # The site has no favicon yet: Chromium's own request for it is not the page's.
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        problems.append(f"{message.text} {message.location}")


def no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def latin_digits(page: Page, selector: str) -> list[str]:
    found: list[str] = []
    for chunk in page.locator(selector).all_inner_texts():
        found += re.findall(r".{0,12}[0-9].{0,12}", chunk)
    return found


def check_dashboard(page: Page) -> None:
    charts = page.locator(".hs-chart-canvas canvas")
    expect(charts).to_have_count(3)
    for n in range(3):
        canvas = charts.nth(n)
        expect(canvas).to_be_visible()
        box = canvas.bounding_box()
        assert box
        assert box["width"] > 200
        assert box["height"] > 150
    # the tables the charts are drawn from are folded, not gone
    expect(page.locator("details.hs-chart-table")).to_have_count(2)
    for n in range(2):
        assert page.locator("details.hs-chart-table").nth(n).get_attribute("open") is None
    expect(page.locator(".hs-stats .hs-stat-value").first).to_have_text(fa_digits(ARTICLES))
    assert latin_digits(page, ".hs-stats, .hs-period-label, .hs-series") == []


@pytest.mark.browser
def test_office_dashboard_draws_its_charts_on_desktop_and_phone(
    django_db_serialized_rollback, transactional_db, world, web, chromium_browser, live_server
):
    # given a month of press about the roads office
    month_of_press(world)
    page = web
    problems: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: console_error(message, problems))
    page.on("request", lambda request: requests.append(request.url))
    browser.log_in(page, world.staff)

    # the home page tells the week's coverage of the office, and leads to its dashboard
    panel = page.locator(".hs-monitoring-panel")
    expect(panel).to_contain_text("بازتاب خبری دستگاه شما در ۷ روز گذشته")
    browser.screenshot(page, "monitoring-home-panel.png")

    # when the office's staff open its dashboard from the panel
    panel.get_by_role("link", name="بازتاب خبری", exact=True).click()

    # then the cards, the three charts and the stories are there, in Persian
    expect(page.locator("h1")).to_contain_text("بازتاب خبری")
    expect(page.locator(".nav-pills .nav-link.active")).to_have_text("بازتاب خبری")
    check_dashboard(page)
    expect(page.get_by_role("link", name=re.compile("گلایه رانندگان"))).to_be_visible()
    browser.screenshot(page, "monitoring-office-dashboard-desktop.png")

    # and the data of a chart is one click away, as a table
    page.locator("details.hs-chart-table summary").first.click()
    expect(page.locator("table.hs-series")).to_be_visible()

    # and the office is first of its province, with a bar chart of the ranking
    page.get_by_role("link", name="بازتاب خبری", exact=True).first.click()
    expect(page.locator("h1")).to_contain_text("استان اصفهان")
    expect(page.locator('canvas[data-chart="offices"]')).to_be_visible()
    expect(page.locator("table.hs-ranking tbody tr").first).to_contain_text(
        world.chair_office.agency.name
    )
    browser.screenshot(page, "monitoring-dashboard-province-desktop.png")

    # when the same page is opened on a 360 px phone
    phone = chromium_browser.new_context(
        base_url=live_server.url, viewport=browser.PHONE, locale="fa-IR", timezone_id="Asia/Tehran"
    )
    phone.set_default_timeout(browser.TIMEOUT_MS)
    small = phone.new_page()
    small.on("pageerror", lambda error: problems.append(str(error)))
    small.on("console", lambda message: console_error(message, problems))
    small.on("request", lambda request: requests.append(request.url))
    try:
        browser.log_in(small, world.staff)
        small.goto(f"/monitoring/dashboard/offices/{world.chair_office.pk}/")
        check_dashboard(small)
        no_horizontal_overflow(small)
        browser.screenshot(small, "monitoring-office-dashboard-phone.png")
    finally:
        phone.close()

    # then nothing failed and nothing was asked of another host
    assert problems == []
    assert [url for url in requests if not browser.is_local(url)] == []
    assert any(url.endswith("/vendor/chartjs/chart.umd.min.js") for url in requests)


@pytest.mark.browser
def test_without_javascript_the_numbers_are_in_tables(
    django_db_serialized_rollback, transactional_db, world, chromium_browser, live_server
):
    month_of_press(world)
    context = chromium_browser.new_context(
        base_url=live_server.url,
        viewport=browser.DESKTOP,
        locale="fa-IR",
        timezone_id="Asia/Tehran",
        java_script_enabled=False,
    )
    context.set_default_timeout(browser.TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("نام کاربری").fill(world.staff.username)
        page.get_by_label("گذرواژه").fill(browser.PASSWORD)
        page.get_by_role("button", name="ورود").click()
        page.goto(f"/monitoring/dashboard/offices/{world.chair_office.pk}/")
        expect(page.locator(".hs-chart-canvas").first).to_be_hidden()
        expect(page.locator("table.hs-series")).to_be_visible()
        expect(page.locator("table.hs-series tbody tr")).to_have_count(30)
        expect(page.get_by_role("rowheader", name="ایرنا", exact=True)).to_be_visible()
    finally:
        context.close()
