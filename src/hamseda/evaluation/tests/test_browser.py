"""The evaluation through the real UI, in headless Chromium: the ministry centre
opens the year's cycle, an evaluator scores an Isfahan office and the ranking
moves, the office drills from its rank to a follow-up that counted, objects,
and sees the ministry's answer and its new total."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hamseda.core import jalali
from hamseda.core.persian import fa_digits
from hamseda.core.tests import browser
from hamseda.evaluation.models import Appeal, AppealStatus, Result
from hamseda.evaluation.services.cycles import (
    cycle_create,
    cycle_open_appeals,
    cycle_start_scoring,
)
from hamseda.evaluation.services.ratings import assignments_add
from hamseda.evaluation.views.offices import number
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.tests.factories import make_followup

chromium_browser = browser.chromium_browser
web = browser.web

LEVELS = {"L1": 4, "L2": 3, "L3": 2, "L4": 4, "L5": 3, "L6": 3}


def _path(page) -> str:
    return urlsplit(page.url).path


@pytest.mark.browser
def test_an_office_is_scored_drills_to_its_evidence_objects_and_is_answered(
    django_db_serialized_rollback, transactional_db, world, web
):
    # given: a follow-up of the Isfahan railway office due today and done on
    # time, and this year's cycle started by the ministry, which reads it
    today = jalali.today()
    followup = make_followup(
        world.isfahan_council,
        [world.member_office],
        actor=world.secretary,
        due_date=today,
        text="گزارش تصویری پیشرفت خط آهن اصفهان-شیراز",
    )
    FollowUp.objects.filter(pk=followup.pk).update(
        status=FollowUpStatus.DONE, closed_at=timezone.now()
    )
    cycle = cycle_create(actor=world.ministry, year=jalali.to_jalali(today).year)
    cycle = cycle_start_scoring(actor=world.ministry, cycle=cycle)
    assignments_add(
        actor=world.ministry,
        cycle=cycle,
        evaluator=world.evaluator,
        offices=[world.member_office],
    )
    office = world.member_office
    scorecard = reverse("evaluation:office_detail", args=[cycle.pk, office.pk])
    before = Result.objects.get(cycle=cycle, office=office)
    page = web
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))

    # the ministry centre opens the cycle from the list of cycles
    browser.log_in(page, world.ministry)
    page.goto(reverse("evaluation:cycle_list"))
    page.get_by_role("link", name=cycle.title).first.click()
    expect(page.locator("h1")).to_contain_text(cycle.title)
    page.context.clear_cookies()

    # the evaluator finds the office in their worklist and scores it, first
    # writing a comment on one criterion without its level: the form comes
    # back with everything typed
    browser.log_in(page, world.evaluator)
    page.goto(reverse("evaluation:my_work", args=[cycle.pk]))
    expect(page.locator("#worklist")).to_contain_text(office.name)
    page.locator("#worklist").get_by_role("link", name="امتیازدهی").click()
    expect(page.locator("h1")).to_contain_text("امتیازدهی کیفی")
    for code, level in LEVELS.items():
        if code != "L2":
            page.locator(f"#id_{code}-level_{level - 1}").check()
    page.locator("#id_L2-comment").fill("اطلاعیه حادثه پس از هشت ساعت منتشر شد.")
    page.locator("#id_L3-comment").fill("در دو برنامه شورا همکاری کرد؛ کار مشترک اندک است.")
    page.locator("#id_L3-evidence_label_0").fill("پیگیری مشترک")
    page.locator("#id_L3-evidence_url_0").fill(followup.get_absolute_url())
    page.get_by_role("button", name="ثبت امتیازها").click()
    expect(page.locator("#criterion-L2")).to_contain_text("سطح این شاخص را برگزینید.")
    expect(page.locator("#id_L3-comment")).to_have_value(
        "در دو برنامه شورا همکاری کرد؛ کار مشترک اندک است."
    )
    expect(page.locator("#id_L1-level_3")).to_be_checked()
    page.locator("#id_L2-level_2").check()
    page.locator("#criterion-L3").scroll_into_view_if_needed()
    browser.screenshot(page, "evaluation-rate-form.png")
    page.get_by_role("button", name="ثبت امتیازها").click()

    # the scorecard says the new total and rank, and the ranking has moved
    page.wait_for_url(lambda url: urlsplit(url).path == scorecard)
    scored = Result.objects.get(cycle=cycle, office=office)
    assert scored.total != before.total
    expect(page.locator("#messages")).to_contain_text("امتیاز ثبت شد")
    expect(page.locator("#office-total")).to_have_text(number(scored.total, 2))
    expect(page.locator("#office-rank")).to_contain_text(
        f"{fa_digits(scored.rank)} از {fa_digits(3)}"
    )
    page.goto(reverse("evaluation:office_ranking", args=[cycle.pk]))
    row = page.locator("#office-table tbody tr").filter(has_text=office.name)
    expect(row).to_contain_text(fa_digits(scored.rank))
    page.context.clear_cookies()

    # the ministry opens the appeals window
    cycle_open_appeals(actor=world.ministry, cycle=cycle)

    # the office's staff opens the cycle, goes from its rank to its scorecard,
    # and drills into the follow-ups indicator
    browser.log_in(page, world.member_staff)
    page.goto(reverse("evaluation:cycle_list"))
    page.get_by_role("link", name=cycle.title).first.click()
    page.goto(reverse("evaluation:office_ranking", args=[cycle.pk]))
    page.locator("#office-table").get_by_role("link", name=office.name).click()
    page.wait_for_url(lambda url: urlsplit(url).path == scorecard)
    expect(page.locator("#office-rank")).to_contain_text(fa_digits(scored.rank))
    page.wait_for_function("document.querySelector('[data-chart-box]:not([hidden])') !== null")
    browser.screenshot(page, "evaluation-scorecard.png")
    page.set_viewport_size(browser.PHONE)  # the scorecard fits a phone
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= browser.PHONE["width"]
    page.set_viewport_size(browser.DESKTOP)
    page.locator('#quantitative-table tr[data-code="Q6"]').get_by_role("link").first.click()
    expect(page.locator("h1")).to_contain_text("Q6")
    counted = page.locator("#counted-records")
    expect(counted).to_contain_text("گزارش تصویری پیشرفت خط آهن اصفهان-شیراز")
    expect(page.locator("#counted-title")).to_contain_text("(۱)")
    browser.screenshot(page, "evaluation-drill.png")

    # opens the follow-up that counted, comes back
    counted.get_by_role("link", name="گزارش تصویری پیشرفت خط آهن اصفهان-شیراز").click()
    page.wait_for_url(lambda url: urlsplit(url).path == followup.get_absolute_url())
    page.go_back()
    expect(page.locator("h1")).to_contain_text("Q6")

    # and objects to the synergy score from its scorecard
    page.get_by_role("link", name="بازگشت به کارنامه").click()
    page.get_by_role("link", name="اعتراض به امتیاز").click()
    page.locator("#id_criterion").select_option("L3")
    objection = "در پیگیری مشترک شورا پیشگام بودیم؛ سند آن در همصدا هست."
    page.locator("#id_text").fill(objection)
    page.get_by_role("button", name="ثبت اعتراض").click()
    page.wait_for_url(lambda url: urlsplit(url).path == scorecard)
    expect(page.locator("#appeals")).to_contain_text(objection)
    expect(page.locator("#appeals")).to_contain_text("در انتظار پاسخ")
    page.context.clear_cookies()

    # the ministry answers: upheld, level 5
    appeal = Appeal.objects.get()
    browser.log_in(page, world.ministry)
    page.goto(reverse("evaluation:appeal_list", args=[cycle.pk]))
    page.goto(appeal.get_absolute_url())
    page.get_by_label("اعتراض پذیرفته شد").check()
    page.locator("#id_answer").fill("پذیرفته شد؛ سند پیگیری مشترک سطح ۵ را نشان می‌دهد.")
    page.locator("#id_level").select_option("5")
    page.get_by_role("button", name="ثبت پاسخ").click()
    expect(page.locator("#messages")).to_contain_text("پاسخ ثبت شد")
    page.context.clear_cookies()

    # the office sees the answer and its new total
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD
    answered = Result.objects.get(cycle=cycle, office=office)
    assert answered.total > scored.total
    browser.log_in(page, world.member_staff)
    page.goto(scorecard)
    expect(page.locator("#appeals")).to_contain_text("پذیرفته شد؛ سند پیگیری مشترک")
    expect(page.locator("#appeals")).to_contain_text("پذیرفته شد")
    expect(page.locator("#office-total")).to_have_text(number(answered.total, 2))
    expect(page.locator('#qualitative-table tr[data-code="L3"]')).to_contain_text("اصلاح‌شده")
    assert js_errors == []
