"""The shared calendar through the real UI, in headless Chromium: a month on a
desktop (a grid, filters applied in place) and on a 360 px phone (a list of the
days that have something), with Persian digits and nothing overflowing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import jalali
from hamseda.core.persian import fa_digits
from hamseda.core.tests import browser

chromium_browser = browser.chromium_browser
web = browser.web

J = jalali.from_jalali
AZAR_1404 = "/activities/calendar/?year=1404&month=9"


def make_activity(office, start, end=None, **fields) -> Activity:
    """An activity led by ``office`` over ``start``..``end`` (one day by default)."""
    fields.setdefault("kind", ActivityKind.NEWS_RELEASE)
    return ActivityFactory(lead_office=office, start_date=start, end_date=end or start, **fields)


def azar_activities(world) -> None:
    """A realistic Azar 1404 of Isfahan: a long title, a joint multi-day
    exhibition across a week, a busy day, and one in Fars."""
    make_activity(
        world.chair_office,
        J(1404, 9, 10),
        title="نشست خبری مدیرکل راه و شهرسازی استان اصفهان دربارهٔ پیشرفت آزادراه شرق اصفهان",
        kind=ActivityKind.PRESS_CONFERENCE,
    )
    expo = make_activity(
        world.member_office,
        J(1404, 9, 6),
        J(1404, 9, 9),
        title="نمایشگاه دستاوردهای ریلی",
        kind=ActivityKind.EXHIBITION,
        status=ActivityStatus.DONE,
    )
    ActivityPartner.objects.create(activity=expo, office=world.chair_office)
    for n in range(1, 7):
        make_activity(
            world.chair_office, J(1404, 9, 18), title=f"خبر شمارهٔ {fa_digits(n)} پروژه‌های مسکن"
        )
    make_activity(
        world.partner_office,
        J(1404, 9, 26),
        title="ویژه‌برنامهٔ روز حمل‌ونقل",
        status=ActivityStatus.CANCELLED,
    )
    make_activity(world.fars_office, J(1404, 9, 10), title="پویش ایمنی جاده‌های فارس")


def no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def latin_digits_in_calendar(page: Page) -> list[str]:
    text = page.locator("#calendar-page .hs-cal-month, #calendar-page .hs-cal-toolbar")
    found: list[str] = []
    for chunk in text.all_inner_texts():
        found += re.findall(r".{0,15}[0-9].{0,15}", chunk)
    return found


@pytest.mark.browser
def test_month_calendar_on_desktop_and_phone(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given Azar 1404 of Isfahan
    azar_activities(world)
    page = web
    js_errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    page.on("request", lambda request: requests.append(request.url))
    browser.log_in(page, world.staff)

    # when the staff open the month on a desktop
    page.goto(AZAR_1404)

    # then the grid shows the month in Persian, Saturday to Friday
    expect(page.locator("#calendar-title")).to_have_text("آذر ۱۴۰۴")
    weekdays = page.locator(".hs-cal-weekdays > div")
    expect(weekdays.first).to_have_text("شنبه")
    expect(weekdays.last).to_have_text("جمعه")
    tenth = page.locator('[data-date="2025-12-01"]')
    expect(tenth).to_contain_text("آزادراه شرق اصفهان")
    expect(tenth).not_to_contain_text("فارس")
    # the long title is cut to its cell, whole in its tooltip
    title = tenth.locator(".hs-cal-item a").first
    box = title.bounding_box()
    cell_box = tenth.bounding_box()
    assert box
    assert cell_box
    assert box["width"] <= cell_box["width"]
    # the exhibition is on its four days, across the week's end
    for iso in ("2025-11-27", "2025-11-28", "2025-11-29", "2025-11-30"):
        expect(page.locator(f'[data-date="{iso}"] .hs-cal-item.is-done')).to_have_count(1)
    expect(page.locator('[data-date="2025-11-28"] .bi-people')).to_have_count(1)
    # a busy day shows four and a link to the rest
    busy = page.locator('[data-date="2025-12-09"]')
    expect(busy.locator(".hs-cal-item:visible")).to_have_count(4)
    expect(busy.locator(".hs-cal-more")).to_have_text("و ۲ مورد دیگر")
    # the occasion of 26 Azar
    expect(page.locator('[data-date="2025-12-17"] .hs-cal-occasions')).to_contain_text(
        "روز حمل‌و‌نقل و رانندگان"
    )
    no_horizontal_overflow(page)
    assert latin_digits_in_calendar(page) == []
    browser.screenshot(page, "activities-calendar-month-desktop.png")
    # narrow grids (a small tablet) still fit: long titles are clipped in their cells
    for width in (600, 800):
        page.set_viewport_size({"width": width, "height": 900})
        no_horizontal_overflow(page)
    page.set_viewport_size(browser.DESKTOP)

    # when a kind is picked, the month is filtered in place and the URL follows
    page.get_by_label("نوع فعالیت").select_option(ActivityKind.EXHIBITION.value)
    expect(page.locator(".hs-cal-item")).to_have_count(4)
    expect(page).to_have_url(re.compile(r"kind=exhibition"))
    expect(page.locator(".hs-cal-views a", has_text="فهرست")).to_have_attribute(
        "href", re.compile(r"^/activities/\?kind=exhibition$")
    )

    # and on a 360 px phone, the month is a list of the days that have something
    page.set_viewport_size(browser.PHONE)
    page.goto(AZAR_1404)
    days = page.locator(".hs-cal-day:visible")
    labels = [label.strip() for label in days.locator(".hs-cal-daylabel").all_inner_texts()]
    assert labels[:3] == ["پنج‌شنبه ۶ آذر", "جمعه ۷ آذر", "شنبه ۸ آذر"], labels
    assert "دوشنبه ۱۰ آذر" in labels
    assert "سه‌شنبه ۱۱ آذر" not in labels
    expect(page.locator('[data-date="2025-12-09"] .hs-cal-item:visible')).to_have_count(6)
    expect(page.locator(".hs-cal-weekdays")).to_be_hidden()
    # the filters fold away behind one button, above the month
    expect(page.get_by_label("نوع فعالیت")).to_be_hidden()
    no_horizontal_overflow(page)
    assert latin_digits_in_calendar(page) == []
    browser.screenshot(page, "activities-calendar-month-phone.png")

    # the week view on the phone
    page.locator(".hs-cal-views a", has_text="هفته").click()
    expect(page.locator("#calendar-title")).to_contain_text("آذر ۱۴۰۴")
    no_horizontal_overflow(page)
    browser.screenshot(page, "activities-calendar-week-phone.png")
    page.get_by_role("button", name="صافی‌ها").click()
    expect(page.get_by_label("نوع فعالیت")).to_be_visible()

    # the subscription page gives the office's feed, copied with one tap
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("link", name="اشتراک در تقویم").click()
    expect(page.locator("h1")).to_have_text("فعالیت‌ها در تقویم شما")
    expect(page.locator(".card")).to_contain_text(world.chair_office.name)
    feed_url = page.locator("#feed-url-1").input_value()
    assert re.search(r"/activities/calendar/office/[^/]+\.ics$", feed_url), feed_url
    page.get_by_role("button", name="رونوشت").click()
    expect(page.get_by_role("button", name="رونوشت شد")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == feed_url
    no_horizontal_overflow(page)
    browser.screenshot(page, "activities-calendar-feeds-phone.png")
    assert "BEGIN:VCALENDAR" in page.request.get(feed_url).text()

    assert js_errors == []
    assert [url for url in requests if not browser.is_local(url)] == []
