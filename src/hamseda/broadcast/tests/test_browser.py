"""The issue's "done when", broadcast half, through the real UI in headless
Chromium: an office writes a pitch on its desktop; the chair, on a phone,
approves it, makes the letter, downloads the PDF, emails it to the
broadcaster (a real local SMTP server receives it with the PDF attached) and
records that the pitch was aired."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hamseda.broadcast.models import Dispatch, DispatchItem, Outcome, Pitch, PitchStatus
from hamseda.broadcast.tests.factories import BROADCASTER_EMAIL, isfahan_contact
from hamseda.broadcast.tests.test_letter import pdf_text, plain
from hamseda.core import jalali
from hamseda.core.tests import browser

chromium_browser = browser.chromium_browser
web = browser.web

TITLE = "قطار گردشگری اصفهان–کاشان؛ سفری خانوادگی"


@pytest.mark.browser
def test_a_pitch_goes_from_office_to_chair_to_the_broadcaster_and_is_aired(
    django_db_serialized_rollback,
    transactional_db,
    world,
    web,
    chromium_browser,
    live_server,
    smtp_server,
):
    isfahan_contact(world)
    js_errors: list[str] = []

    # given an office that writes a pitch on its desktop and submits it
    page = web
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page, world.member_staff)
    page.goto("/broadcast/")
    page.get_by_role("link", name="سوژه تازه").click()
    page.get_by_label("عنوان سوژه").fill(TITLE)
    page.get_by_label("قالب پیشنهادی").select_option(label="گزارش")
    page.get_by_label("خلاصه سوژه").fill("خانواده‌ها با قطار آخر هفته به کاشان می‌روند.")
    page.get_by_label("مصاحبه‌شوندگان پیشنهادی").fill("مدیرکل راه‌آهن منطقه اصفهان")
    page.get_by_role("button", name="ذخیره و ارسال برای بررسی").click()
    expect(page.locator(".alert-success")).to_contain_text("برای بررسی به رئیس شورا فرستاده شد")
    expect(page.locator("h1")).to_have_text(TITLE)
    browser.screenshot(page, "broadcast-pitch-desktop.png")
    assert Pitch.objects.get().status == PitchStatus.SUBMITTED

    # when the chair, on a phone, approves it from the review queue
    phone = chromium_browser.new_context(
        base_url=live_server.url, viewport=browser.PHONE, locale="fa-IR", timezone_id="Asia/Tehran"
    )
    phone.set_default_timeout(browser.TIMEOUT_MS)
    chair = phone.new_page()
    chair.on("pageerror", lambda error: js_errors.append(str(error)))
    try:
        browser.log_in(chair, world.chair)
        expect(chair.locator("main")).to_contain_text("سوژه‌های در انتظار بررسی")
        chair.goto("/broadcast/review/")
        expect(chair.locator("main")).to_contain_text(TITLE)
        browser.screenshot(chair, "broadcast-queue-phone.png")
        assert chair.evaluate("document.documentElement.scrollWidth") <= browser.PHONE["width"]
        chair.get_by_role("button", name="تأیید").click()
        expect(chair.locator(".alert-success")).to_contain_text("تأییدشده")

        # and makes the letter of the approved pitches
        chair.goto("/broadcast/dispatches/")
        chair.get_by_role("link", name="نامه تازه").click()
        expect(chair.get_by_label(TITLE, exact=False)).to_be_checked()
        chair.get_by_role("button", name="تنظیم نامه").click()
        expect(chair.locator(".alert-success")).to_contain_text("تنظیم شد")
        dispatch = Dispatch.objects.get()
        expect(chair.locator("h1")).to_contain_text(dispatch.number_fa)

        # and downloads the PDF letter
        with chair.expect_download() as download:
            chair.get_by_role("link", name="دریافت نامه (PDF)").click()
        with open(download.value.path(), "rb") as handle:
            text = pdf_text(handle.read())
        assert plain(TITLE) in text
        assert plain(dispatch.number_fa) in text

        # and emails it to the broadcaster
        expect(chair.get_by_label("رایانامه گیرنده")).to_have_value(BROADCASTER_EMAIL)
        chair.get_by_role("button", name="ارسال نامه").click()
        expect(chair.locator(".alert-success")).to_contain_text(BROADCASTER_EMAIL)
        assert smtp_server.recipients == [[BROADCASTER_EMAIL]]
        names = [p.get_filename() for p in smtp_server.messages[0].walk() if p.get_filename()]
        assert names == [f"نامه {dispatch.number_fa.replace('/', '-')}.pdf"]

        # then records that the broadcaster aired it
        chair.get_by_text("ثبت پاسخ صدا و سیما").click()
        chair.get_by_label("پاسخ صدا و سیما", exact=True).select_option(label="پخش شد")
        chair.get_by_label("تاریخ پخش").fill(jalali.format_date(jalali.today(), "input"))
        chair.get_by_label("برنامه", exact=True).fill("گزارش ویژه")
        chair.get_by_label("پیوند", exact=True).fill("https://isfahan.example/video/1")
        chair.get_by_role("button", name="ثبت پاسخ", exact=True).click()
        expect(chair.locator(".alert-success")).to_contain_text("پاسخ صدا و سیما")
        expect(chair.locator("main")).to_contain_text("پخش شد")
        browser.screenshot(chair, "broadcast-dispatch-phone.png")
        assert chair.evaluate("document.documentElement.scrollWidth") <= browser.PHONE["width"]
    finally:
        phone.close()

    item = DispatchItem.objects.get()
    assert (item.outcome, item.programme) == (Outcome.AIRED, "گزارش ویژه")

    # and the office sees on its pitch that it was aired
    page.reload()
    expect(page.locator("main")).to_contain_text("پخش‌شده در برنامه «گزارش ویژه»")
    browser.screenshot(page, "broadcast-aired-desktop.png")
    assert js_errors == []
