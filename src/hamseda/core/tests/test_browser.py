"""The user-facing flows of the shell and the directory, driven in headless Chromium
through the real UI: signing in, a Jalali date refused and accepted, the search that
finds any spelling, a draft that outlives a dropped connection, the date picker.

Run: ``pytest -m browser src/hamseda/core/tests/test_browser.py``; the PNGs land
in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from hamseda.conftest import PASSWORD
from hamseda.core import jalali
from hamseda.core.persian import fa_digits
from hamseda.core.tests import browser
from hamseda.core.tests.browser import PHONE, is_local, log_in, screenshot

# The fixtures of browser.py, bound here for pytest to find.
chromium_browser = browser.chromium_browser
web = browser.web

RAILWAY = "اداره کل راه‌آهن منطقه اصفهان"
GOVERNORATE = "استانداری اصفهان"
DRAFT_PREFIX = "hamseda:draft:"


def council_edit_url(council) -> str:
    return f"/directory/councils/{council.pk}/edit/"


def drafts_in_storage(page: Page) -> list[str]:
    return page.evaluate(
        "prefix => Object.keys(localStorage).filter(k => k.startsWith(prefix))", DRAFT_PREFIX
    )


def council_fact(page: Page, label: str):
    """What the council page says for ``label`` in its facts, not in its history."""
    return page.locator("main dl").first.locator(f"dt:text-is('{label}') + dd")


@pytest.mark.browser
def test_secretary_logs_in_and_sees_a_persian_rtl_page_with_a_jalali_date(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given
    page = web
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    today = jalali.format_date(jalali.today(), "full")

    # when
    page.goto("/accounts/login/")
    page.get_by_label("نام کاربری").fill(world.secretary.username)
    page.get_by_label("گذرواژه").fill(PASSWORD)
    page.get_by_role("button", name="ورود").click()

    # then
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fa")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text(f"خوش آمدید، {world.secretary.display_name}")
    expect(page.locator("header .jalali-today")).to_have_text(today)
    expect(page.locator("header .jalali-today")).to_be_visible()
    expect(page.locator("main .jalali-today")).to_have_text(today)
    expect(page.get_by_role("heading", name=world.isfahan_council.name)).to_be_visible()
    expect(page.get_by_role("link", name=RAILWAY)).to_be_visible()
    expect(page.get_by_role("link", name="شوراها")).to_be_visible()

    assert "Vazirmatn" in page.evaluate("getComputedStyle(document.body).fontFamily")
    fonts = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return {
                check: document.fonts.check("16px Vazirmatn"),
                loaded: [...document.fonts].some(
                    f => f.family.replace(/["']/g, "") === "Vazirmatn" && f.status === "loaded"),
            };
        }"""
    )
    # check() alone is also true for a family no @font-face declares at all.
    assert fonts == {"check": True, "loaded": True}
    screenshot(page, "login-dashboard-desktop.png")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("h1")).to_be_visible()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, f"horizontal scroll at 360 px: {scroll_width}px"
    screenshot(page, "dashboard-phone.png")

    assert any("/static/vendor/vazirmatn/" in url for url in requests)
    assert [url for url in requests if not is_local(url)] == []
    assert js_errors == []


@pytest.mark.browser
def test_wrong_password_shows_a_persian_error_and_keeps_the_username(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given
    page = web
    page.goto("/accounts/login/")
    username = page.get_by_label("نام کاربری")
    password = page.get_by_label("گذرواژه")

    # when
    username.fill(world.secretary.username)
    password.fill("not-my-password")
    page.get_by_role("button", name="ورود").click()

    # then
    expect(page.get_by_role("alert")).to_contain_text(
        "نام کاربری یا گذرواژه درست نیست. دوباره امتحان کنید."
    )
    assert urlsplit(page.url).path == "/accounts/login/"
    expect(username).to_have_value(world.secretary.username)
    expect(password).to_have_value("")


@pytest.mark.browser
def test_impossible_jalali_date_is_refused_beside_the_field_and_input_is_kept(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given
    page = web
    council = world.isfahan_council
    new_name = "شورای هماهنگی روابط عمومی‌های استان اصفهان، دوره دوم"
    log_in(page, world.chair)
    page.goto(council_edit_url(council))
    name = page.get_by_label("نام شورا")
    date_input = page.get_by_label("تاریخ تشکیل")

    # when: the 30th of Esfand 1404, a common year
    name.fill(new_name)
    date_input.click()
    date_input.press_sequentially("1404/12/30")  # the picker is open meanwhile
    page.get_by_role("button", name="ذخیره").click()

    # then
    field = page.locator(".hs-field", has=page.locator("#id_established_on"))
    error = page.locator("#id_established_on_error")
    expect(error).to_have_text("این تاریخ در تقویم شمسی وجود ندارد: سال ۱۴۰۴ سی‌ام اسفند ندارد.")
    expect(field).to_contain_text("سی‌ام اسفند ندارد")
    expect(field).to_have_class(re.compile(r"\bhs-has-error\b"))
    expect(date_input).to_have_attribute("aria-invalid", "true")
    expect(date_input).to_have_attribute("aria-describedby", re.compile("id_established_on_error"))
    expect(name).to_have_value(new_name)
    expect(date_input).to_have_value("1404/12/30")
    expect(page.locator(".hs-field.hs-has-error")).to_have_count(1)
    screenshot(page, "council-edit-error.png")

    # when: the 30th of Esfand 1403, a leap year
    date_input.click()
    date_input.fill("")
    date_input.press_sequentially("1403/12/30")
    page.get_by_role("button", name="ذخیره").click()

    # then
    page.wait_for_url(f"**/directory/councils/{council.pk}/")
    expect(page.get_by_role("alert")).to_contain_text("تغییرات ذخیره شد.")
    expect(page.locator("h1")).to_have_text(new_name)
    shown = jalali.format_date(jalali.from_jalali(1403, 12, 30), "long")
    assert shown == "۳۰ اسفند ۱۴۰۳"
    expect(council_fact(page, "تاریخ تشکیل")).to_have_text(shown)
    expect(page.locator(".hs-audit")).to_contain_text(shown)
    council.refresh_from_db()
    assert council.name == new_name
    assert council.established_on == jalali.from_jalali(1403, 12, 30)
    assert drafts_in_storage(page) == []  # saved, so nothing left to restore


@pytest.mark.browser
def test_agency_search_finds_any_spelling_as_you_type(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given
    page = web
    log_in(page, world.chair)
    page.goto("/directory/agencies/")
    results = page.locator("#agency-results")
    expect(results.get_by_role("link", name=GOVERNORATE)).to_be_visible()
    page.evaluate("window.__sameDocument = true")
    search = page.get_by_role("searchbox")

    for query in (
        "راه اهن",  # a space where the name has a half-space, no madda
        "راه آهن اصفهان",
        "اداره كل راه آهن",  # Arabic kaf, as some keyboards type it
    ):
        # when
        with page.expect_response(
            lambda response, q=query: (
                urlsplit(response.url).path == "/directory/agencies/"
                and parse_qs(urlsplit(response.url).query).get("q") == [q]
            )
        ) as response_info:
            search.fill("")
            search.press_sequentially(query, delay=30)

        # then
        response = response_info.value
        assert response.ok
        assert response.request.headers.get("hx-request") == "true"
        expect(results.get_by_role("link", name=RAILWAY)).to_be_visible()
        expect(results.get_by_role("link", name=GOVERNORATE)).to_have_count(0)
        expect(results.get_by_role("link")).to_have_count(1)
        page.wait_for_url(lambda url, q=query: parse_qs(urlsplit(url).query).get("q") == [q])
        assert page.evaluate("window.__sameDocument") is True  # no full page load


@pytest.mark.browser
def test_draft_survives_a_dropped_connection(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given
    page = web
    council = world.isfahan_council
    text = "جلسه‌های شورا نخستین سه‌شنبهٔ هر ماه در سالن اجتماعات استانداری برگزار می‌شود."
    log_in(page, world.chair)
    page.goto(council_edit_url(council))
    description = page.get_by_label("توضیحات")
    description.fill(text)
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)

    # when: the connection drops and the user presses «ذخیره»
    page.context.set_offline(True)
    page.get_by_role("button", name="ذخیره").click()

    # then
    alert = page.locator(".hs-offline-alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("اتصال به شبکه برقرار نیست و فرم فرستاده نشد.")
    expect(alert).to_contain_text("پیش‌نویس شما در همین مرورگر نگه داشته شده است")
    assert posts == []
    assert urlsplit(page.url).path == council_edit_url(council)
    assert len(drafts_in_storage(page)) == 1
    council.refresh_from_db()
    assert council.description == ""

    # when: back online, the page is loaded again
    page.context.set_offline(False)
    page.reload()

    # then: the server rendered an empty description; the draft fills it in
    expect(page.locator(".hs-draft-notice")).to_contain_text("پیش‌نویس ذخیره‌شده بازیابی شد")
    expect(description).to_have_value(text)

    # when: the user saves it now
    page.get_by_role("button", name="ذخیره").click()

    # then
    page.wait_for_url(f"**/directory/councils/{council.pk}/")
    expect(council_fact(page, "توضیحات")).to_have_text(text)
    council.refresh_from_db()
    assert council.description == text
    assert drafts_in_storage(page) == []


@pytest.mark.browser
def test_date_picker_opens_in_persian(django_db_serialized_rollback, transactional_db, world, web):
    # given
    page = web
    council = world.isfahan_council
    today = jalali.to_jalali(jalali.today())
    log_in(page, world.chair)
    page.goto(council_edit_url(council))
    date_input = page.get_by_label("تاریخ تشکیل")
    expect(date_input).to_have_value("")

    # when
    date_input.click()

    # then: this month, in Persian
    picker = page.locator("jdp-container")
    expect(picker).to_be_visible()
    month = picker.locator(".jdp-month select")
    year = picker.locator(".jdp-year select")
    selected = "s => s.options[s.selectedIndex].text"
    assert month.evaluate(selected) == jalali.month_name(today.month)
    assert year.evaluate(selected) == fa_digits(today.year)
    expect(picker.locator(".jdp-day-name").first).to_have_text("ش")  # the week starts Saturday
    expect(picker.locator(".jdp-day.today")).to_have_text(fa_digits(today.day))
    expect(picker.locator(".jdp-btn-today")).to_have_text("امروز")
    screenshot(page, "date-picker.png")

    # when: the user picks the 15th
    picker.locator(".jdp-day:not(.not-in-month)").filter(
        has_text=re.compile(f"^{fa_digits(15)}$")
    ).click()

    # then
    expect(date_input).to_have_value(f"{today.year:04d}/{today.month:02d}/15")
    page.get_by_role("button", name="ذخیره").click()
    page.wait_for_url(f"**/directory/councils/{council.pk}/")
    picked = jalali.from_jalali(today.year, today.month, 15)
    expect(council_fact(page, "تاریخ تشکیل")).to_have_text(jalali.format_date(picked, "long"))
    council.refresh_from_db()
    assert council.established_on == picked


@pytest.mark.browser
@pytest.mark.parametrize("persona", ["ministry", "admin", "chair"])
def test_the_menu_fits_on_one_line_on_desktop_screens(
    django_db_serialized_rollback, transactional_db, world, web, persona
):
    # given the users with the longest menus (the ministry centre and the
    # administrator see every item, the ministry inbox too)
    page = web
    log_in(page, getattr(world, persona))
    for width in (1200, 1280, 1440, 1600, 1920):
        # when the dashboard is drawn at this width
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/")
        # then nothing is pushed off the screen: every menu item and the user menu
        # are on it, and the menu is one line, not the collapsed button
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        expect(page.locator(".navbar-toggler")).to_be_hidden()
        for item in page.locator(".hs-navbar .nav-link, .hs-user-menu .dropdown-toggle").all():
            box = item.bounding_box()
            assert box is not None
            assert box["x"] >= 0, (width, item.inner_text())
            assert box["x"] + box["width"] <= width, (width, item.inner_text())
        tops = {
            round(item.bounding_box()["y"]) for item in page.locator(".hs-navbar .nav-link").all()
        }
        assert len(tops) == 1, (width, tops)
        if width >= 1280:
            expect(page.locator("header .jalali-today")).to_be_visible()
