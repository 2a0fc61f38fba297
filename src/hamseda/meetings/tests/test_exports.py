"""The minutes as PDF and the resolutions as a spreadsheet, and their downloads."""

from __future__ import annotations

import io
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hamseda.meetings.exports import minutes_pdf, resolutions_xlsx
from hamseda.meetings.models import AttendanceStatus, Decision
from hamseda.meetings.services.minutes import minutes_approve, minutes_save, resolution_add
from hamseda.meetings.tests.minutes_factories import agenda_item, attend, meeting, raised_item
from hamseda.meetings.tests.test_minutes import DAY_AFTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def documented(world):
    """A held Isfahan meeting with attendance, agenda, text and three resolutions."""
    m = meeting(world.isfahan_council, number=12)
    attend(m, world.chair_office, name="مریم احمدی", title="مدیر روابط عمومی")
    attend(m, world.member_office, AttendanceStatus.REPRESENTED, name="علی رضایی", title="کارشناس")
    attend(m, world.partner_office, AttendanceStatus.ABSENT)
    agenda_item(m, "گزارش روابط عمومی‌ها", 1)
    agenda_item(m, "قرارگاه رسانه‌ای نهضت ملی مسکن", 2)
    minutes_save(
        actor=world.secretary,
        meeting=m,
        body="مدیران روابط عمومی گزارش اقدامات و عملکرد خود را ارائه کردند.",
        version=0,
    )
    item = raised_item(m, world.member_office, "کمبود اعتبار برای تولید محتوا")
    resolution_add(
        actor=world.secretary,
        meeting=m,
        text="برنامه سفرهای تابستانی تهیه شود",
        decision=Decision.ASSIGNED,
        responsible_offices=[world.member_office, world.chair_office],
        due_date=DAY_AFTER,
    )
    resolution_add(
        actor=world.secretary,
        meeting=m,
        text="جلسات شورا به‌طور منظم برگزار شود",
        decision=Decision.NOTED,
    )
    resolution_add(
        actor=world.secretary,
        meeting=m,
        text=item.text,
        decision=Decision.REFERRED,
        source_item=item,
    )
    return m


def _pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_the_minutes_pdf_is_a_pdf_with_the_councils_name(world, documented):
    pdf = minutes_pdf(documented)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = _pdf_text(pdf)
    # pdftotext writes RTL lines in visual order, word by word: check words
    for word in ["صورتجلسه", "اصفهان", "سفرهای", "تابستانی", "امضا"]:
        assert word in text, word
    assert "۱۲" in text  # the meeting number in Persian digits
    assert "۱۴۰۴" in text  # the Jalali year
    assert "2025" not in text


def test_the_approved_minutes_pdf_names_who_approved(world, documented):
    minutes_approve(actor=world.chair, meeting=documented)
    pdf = minutes_pdf(documented)
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert "پیش‌نویس" not in _pdf_text(pdf)


def test_the_resolutions_sheet_is_right_to_left_with_the_resolutions_in_order(world, documented):
    book = load_workbook(io.BytesIO(resolutions_xlsx(documented)))
    sheet = book.active
    assert sheet.sheet_view.rightToLeft is True
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("ردیف", "متن مصوبه", "تصمیم", "مسئول اجرا", "مهلت", "وضعیت پیگیری")
    assert all(cell.font.bold for cell in sheet[1])
    assert [row[0] for row in rows[1:]] == [1, 2, 3]
    assert [row[1] for row in rows[1:]] == [
        "برنامه سفرهای تابستانی تهیه شود",
        "جلسات شورا به‌طور منظم برگزار شود",
        "کمبود اعتبار برای تولید محتوا",
    ]
    assigned, noted, referred = rows[1:]
    assert assigned[2] == "محول به دستگاه"
    assert world.member_office.name in assigned[3]
    assert world.chair_office.name in assigned[3]
    assert assigned[4] == "۱۴۰۴/۰۷/۱۶"  # Jalali, Persian digits
    assert assigned[5] == "باز"  # the follow-up's status
    assert noted[4] in (None, "")
    assert noted[5] in (None, "")
    assert referred[5] == "باز"
    assert sheet.column_dimensions["B"].width >= 40


def test_the_downloads_have_persian_file_names(client, world, documented):
    client.force_login(world.member_staff)
    pdf = client.get(reverse("meetings:minutes_pdf", args=[documented.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    disposition = pdf["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="minutes-12.pdf"' in disposition
    assert "filename*=UTF-8''" + quote("صورتجلسه جلسه ۱۲") in disposition
    xlsx = client.get(reverse("meetings:resolutions_xlsx", args=[documented.pk]))
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]
    assert "filename*=UTF-8''" + quote("مصوبات جلسه ۱۲") in xlsx["Content-Disposition"]
    load_workbook(io.BytesIO(xlsx.content))


def test_the_ministry_centre_downloads_and_another_province_gets_404(client, world, documented):
    client.force_login(world.ministry)
    assert client.get(reverse("meetings:resolutions_xlsx", args=[documented.pk])).status_code == 200
    client.force_login(world.fars_chair)
    assert client.get(reverse("meetings:minutes_pdf", args=[documented.pk])).status_code == 404
