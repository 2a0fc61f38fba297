"""Parallel work caught through the real UI, in headless Chromium: office A plans
a media visit to the Housing Movement project; office B, on a phone, plans the
same visit in other words on overlapping dates, is warned before saving and
joins as a partner. The one joint activity shows in both offices' lists and in
the campaign's workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hamseda.activities import services
from hamseda.activities.models import Activity, ActivityPartner
from hamseda.campaigns.models import Campaign, CampaignKind, KeyMessage
from hamseda.core import jalali
from hamseda.core.tests import browser

chromium_browser = browser.chromium_browser
web = browser.web

VISIT = "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان"
VISIT_REWORDED = "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان"


def _input_date(days: int) -> str:
    return jalali.format_date(jalali.today() + dt.timedelta(days=days), "input")


@pytest.mark.browser
def test_office_b_is_warned_and_joins_office_a_as_partner(
    django_db_serialized_rollback, transactional_db, world, web, chromium_browser, live_server
):
    # given the Housing Movement media HQ of Isfahan, with a key message
    campaign = Campaign.objects.create(
        title="قرارگاه رسانه‌ای نهضت ملی مسکن",
        kind=CampaignKind.MEDIA_HQ,
        province=world.isfahan_council.province,
        start_date=jalali.today() - dt.timedelta(days=30),
        end_date=jalali.today() + dt.timedelta(days=90),
    )
    campaign.co_owners.set([world.chair_office, world.partner_office])
    campaign.participants.set([world.chair_office, world.partner_office, world.member_office])
    KeyMessage.objects.create(
        campaign=campaign, position=1, text="هر خانواده ایرانی، یک خانه مناسب"
    )
    js_errors: list[str] = []

    # when office A plans the visit on its desktop, for the media HQ
    page_a = web
    page_a.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page_a, world.staff)
    page_a.goto("/activities/new/")
    page_a.get_by_label("عنوان").fill(VISIT)
    page_a.get_by_label("نوع").select_option(label="پوشش خبری رویداد")
    page_a.get_by_label("تاریخ", exact=True).fill(_input_date(10))
    page_a.get_by_label("شرح").focus()
    page_a.get_by_label("قرارگاه رسانه‌ای نهضت ملی مسکن").check()
    page_a.get_by_label("هر خانواده ایرانی، یک خانه مناسب").check()
    page_a.get_by_role("button", name="ذخیره").click()
    expect(page_a.locator(".alert-success")).to_contain_text("فعالیت ثبت شد")
    original = Activity.objects.get()

    # and office B, on a phone, plans the same visit in other words a day later
    context_b = chromium_browser.new_context(
        base_url=live_server.url, viewport=browser.PHONE, locale="fa-IR", timezone_id="Asia/Tehran"
    )
    context_b.set_default_timeout(browser.TIMEOUT_MS)
    page_b = context_b.new_page()
    page_b.on("pageerror", lambda error: js_errors.append(str(error)))
    try:
        browser.log_in(page_b, world.member_staff)
        page_b.goto("/activities/new/")
        page_b.get_by_label("عنوان").fill(VISIT_REWORDED)
        page_b.get_by_label("نوع").select_option(label="پوشش خبری رویداد")
        page_b.get_by_label("تاریخ", exact=True).fill(_input_date(11))
        # leaving the date for the description closes the date picker, as a tap elsewhere does
        page_b.get_by_label("شرح").focus()

        # then the warning appears while typing, before anything is saved
        live = page_b.locator("#overlap-live .hs-overlaps")
        expect(live).to_contain_text(VISIT)
        expect(live).to_contain_text(world.chair_office.name)
        browser.screenshot(page_b, "activities-overlap-warning-phone.png")
        assert Activity.objects.count() == 1

        # and sending the form anyway shows it again, with the choice to join
        page_b.get_by_role("button", name="ذخیره").click()
        warning = page_b.locator(".hs-overlaps")
        expect(warning).to_contain_text("کار موازی؟")
        expect(page_b.get_by_role("button", name="کار دیگری است؛ ثبت کن")).to_be_visible()
        assert Activity.objects.count() == 1

        # when B joins as a partner
        warning.get_by_role("button", name="پیوستن به‌عنوان همکار").click()
        expect(page_b.locator(".alert-success")).to_contain_text("به‌عنوان همکار")
        expect(page_b.locator("h1")).to_contain_text(VISIT)
        expect(page_b.locator("h1")).to_contain_text("مشترک")
        browser.screenshot(page_b, "activities-joined-phone.png")
    finally:
        context_b.close()

    # then there is one joint activity, B's plan being its note
    assert Activity.objects.count() == 1
    partnership = ActivityPartner.objects.get(activity=original)
    assert partnership.office == world.member_office
    assert partnership.note == VISIT_REWORDED

    # it is in office A's list and office B's list
    for office in (world.chair_office, world.member_office):
        page_a.goto(f"/activities/?office={office.pk}")
        row = page_a.locator("#activity-results tbody tr").filter(has_text=VISIT)
        expect(row).to_have_count(1)
        expect(row).to_contain_text("مشترک")
        expect(row).to_contain_text(world.member_office.name)
    browser.screenshot(page_a, "activities-list-joint.png")

    # and in the campaign's workspace, counted for both offices
    page_a.goto(campaign.get_absolute_url())
    contribution = page_a.locator("#offices")
    for office in (world.chair_office, world.member_office):
        expect(contribution.locator("tr").filter(has_text=office.name)).to_have_count(1)
    expect(page_a.locator("#key-messages")).to_contain_text("هر خانواده ایرانی")
    browser.screenshot(page_a, "campaign-workspace.png")
    assert js_errors == []


@pytest.mark.browser
def test_office_b_says_it_is_other_work_and_both_plans_stay(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given office A's plan
    services.activity_create(
        actor=world.staff,
        office=world.chair_office,
        title=VISIT,
        kind="event_coverage",
        start_date=jalali.today() + dt.timedelta(days=10),
    )
    # when office B sends a similar plan and, warned, says it is other work
    browser.log_in(web, world.member_staff)
    web.goto("/activities/new/")
    web.get_by_label("عنوان").fill(VISIT_REWORDED)
    web.get_by_label("نوع").select_option(label="پوشش خبری رویداد")
    web.get_by_label("تاریخ", exact=True).fill(_input_date(11))
    web.get_by_label("شرح").focus()
    web.get_by_role("button", name="ذخیره").click()
    expect(web.locator(".hs-overlaps")).to_contain_text("کار موازی؟")
    web.get_by_role("button", name="کار دیگری است؛ ثبت کن").click()

    # then B's plan is saved on its own, with everything B typed
    expect(web.locator(".alert-success")).to_contain_text("فعالیت ثبت شد")
    expect(web.locator("h1")).to_contain_text(VISIT_REWORDED)
    assert Activity.objects.count() == 2
    assert Activity.objects.get(title=VISIT_REWORDED).lead_office == world.member_office
