"""The follow-up flow through the real UI, in headless Chromium: the responsible
office's staff find their overdue item on the board, try to close it without a
note (refused beside the field), then close it with evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from hamseda.core import jalali
from hamseda.core.tests import browser
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.tests.factories import make_followup

chromium_browser = browser.chromium_browser
web = browser.web


@pytest.mark.browser
def test_staff_close_their_overdue_followup_with_evidence(
    django_db_serialized_rollback, transactional_db, world, web, tmp_path, settings
):
    # given a follow-up of the railway office, four days overdue
    settings.MEDIA_ROOT = tmp_path / "media"
    followup = make_followup(
        world.isfahan_council,
        [world.member_office],
        actor=world.chair,
        due_date=jalali.today() - dt.timedelta(days=4),
        text="انتشار گزارش پیشرفت خط ریلی اصفهان-شیراز",
    )
    evidence = tmp_path / "گزارش.pdf"
    evidence.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    page = web
    js_errors: list[str] = []
    page.on("pageerror", lambda error: js_errors.append(str(error)))
    browser.log_in(page, world.member_staff)

    # when they open the board, the item is in the overdue column
    page.goto("/followups/board/")
    overdue = page.locator('[data-column="overdue"]')
    expect(overdue).to_contain_text("خط ریلی اصفهان-شیراز")
    expect(overdue).to_contain_text("۴ روز از مهلت گذشته")
    browser.screenshot(page, "followups-board.png")
    overdue.get_by_role("link", name="انتشار گزارش پیشرفت").click()

    # and try to close it with neither a note nor evidence
    page.get_by_role("button", name="انجام شد؛ بسته شود").click()
    expect(page.locator("#close_note_error")).to_contain_text("توضیح انجام کار")

    # then, with evidence attached, it closes
    page.locator("#close_attachment").set_input_files(str(evidence))
    page.get_by_role("button", name="انجام شد؛ بسته شود").click()
    expect(page.locator(".alert-success")).to_contain_text("پیگیری بسته شد")
    expect(page.locator(".hs-updates")).to_contain_text("گزارش.pdf")
    browser.screenshot(page, "followups-detail-closed.png")
    assert FollowUp.objects.get(pk=followup.pk).status == FollowUpStatus.DONE
    assert js_errors == []
