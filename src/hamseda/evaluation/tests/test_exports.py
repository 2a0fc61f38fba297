"""Reports of a cycle, a province and an office as PDF and Excel, and who may
download them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from hamseda.core import jalali
from hamseda.core.persian import fa_digits, format_number
from hamseda.directory.tests.factories import province
from hamseda.evaluation import exports
from hamseda.evaluation.exports.pdf import bar_svg
from hamseda.evaluation.models import Appeal, Criterion, ProvinceResult, Result
from hamseda.evaluation.services.appeals import appeal_answer, appeal_file
from hamseda.evaluation.services.cycles import (
    criterion_save,
    cycle_close,
    cycle_open_appeals,
    cycle_start_scoring,
)
from hamseda.evaluation.services.ratings import assignments_add, rating_save

pytestmark = pytest.mark.django_db

COMMENT = "هماهنگی با رسانه‌های استان در سفرهای نوروزی مثال‌زدنی بود"
APPEAL = "سطح سرعت در رخدادها کمتر از کار انجام‌شده برآورد شده است"
ANSWER = "با مستندات فرستاده‌شده سطح این شاخص اصلاح شد"
UNREGISTERED = "nowhere.not_installed"


@pytest.fixture
def scored(world, draft_cycle):
    """The 1405 cycle with one criterion whose provider is not installed, the
    Isfahan offices rated by the Fars evaluator and the Fars office by the
    ministry centre, and an upheld objection of the chair's office: the three
    offices' totals differ."""
    q9 = draft_cycle.criteria.get(code="Q9")
    q9.provider = UNREGISTERED
    criterion_save(actor=world.ministry, criterion=q9)
    cycle = cycle_start_scoring(actor=world.ministry, cycle=draft_cycle)
    l1, l2 = (cycle.criteria.get(code=code) for code in ("L1", "L2"))
    assignments_add(
        actor=world.ministry,
        cycle=cycle,
        evaluator=world.evaluator,
        offices=[world.chair_office, world.member_office],
    )
    rating_save(
        actor=world.evaluator, criterion=l1, office=world.chair_office, level=5, comment=COMMENT
    )
    rating_save(actor=world.evaluator, criterion=l2, office=world.chair_office, level=2)
    rating_save(actor=world.evaluator, criterion=l1, office=world.member_office, level=2)
    rating_save(actor=world.ministry, criterion=l1, office=world.fars_office, level=3)
    cycle_open_appeals(actor=world.ministry, cycle=cycle)
    appeal = appeal_file(
        actor=world.staff, cycle=cycle, office=world.chair_office, text=APPEAL, criterion=l2
    )
    appeal_answer(actor=world.ministry, appeal=appeal, upheld=True, answer=ANSWER, level=4)
    cycle.refresh_from_db()
    return cycle


def result_of(cycle, office) -> Result:
    return Result.objects.get(cycle=cycle, office=office)


def plain(text: str) -> str:
    """Text as pdftotext gives it back: no half-spaces (it drops them), no bidi
    marks, the lam-alef ligature as it reads it back ("ال"), one space between
    words."""
    text = re.sub("[\u200c\u200e\u200f\u202a-\u202e]", "", text).replace("لا", "ال")
    return re.sub(r"\s+", " ", text)


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    # Without -layout, pdftotext writes each right-to-left line in reading order.
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return plain(result.stdout.decode())


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def pairs(sheet) -> dict:
    return {label: value for label, value in rows(sheet)[1:]}


# --- the cycle ------------------------------------------------------------------------


def test_the_cycle_pdf_ranks_every_office_by_name_with_its_total_in_persian_digits(world, scored):
    # given
    report = exports.cycle_report(viewer=world.ministry, cycle_id=scored.pk)

    # when
    text = pdf_text(exports.cycle_pdf(report))

    # then
    for office in (world.chair_office, world.member_office, world.fars_office):
        assert plain(office.name) in text, office.name
        total = result_of(scored, office).total
        assert total > 0
        assert format_number(total, 2) in text
    for name in ("اصفهان", "فارس"):
        assert name in text
    assert fa_digits(scored.year) in text
    assert str(scored.year) not in text  # no Latin digits in the dates
    assert "موقت" in text


def test_the_cycle_pdf_shows_the_catalogue_and_why_a_criterion_has_no_values(world, scored):
    report = exports.cycle_report(viewer=world.staff, cycle_id=scored.pk)

    text = pdf_text(exports.cycle_pdf(report))

    for criterion in Criterion.objects.filter(cycle=scored):
        assert plain(criterion.name) in text, criterion.code
    q9 = scored.criteria.get(code="Q9")
    assert UNREGISTERED in q9.missing_reason
    assert UNREGISTERED in text
    assert "شاخص‌های بدون مقدار در این دوره".replace("\u200c", "") in text


def test_a_closed_cycle_is_reported_final(world, scored):
    # given: every objection is answered, so the ministry centre may close it
    cycle_close(actor=world.ministry, cycle=scored)

    # when
    report = exports.cycle_report(viewer=world.ministry, cycle_id=scored.pk)
    text = pdf_text(exports.cycle_pdf(report))

    # then
    assert "نهایی" in text
    assert "موقت" not in text


def test_the_cycle_workbook_is_right_to_left_and_holds_numbers_as_numbers(world, scored):
    # given
    report = exports.cycle_report(viewer=world.ministry, cycle_id=scored.pk)

    # when
    book = workbook(exports.cycle_xlsx(report))

    # then
    assert book.sheetnames == ["خلاصه", "رتبه استان‌ها", "رتبه روابط عمومی‌ها", "شاخص‌ها"]
    for sheet in book.worksheets:
        assert sheet.sheet_view.rightToLeft is True
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.freeze_panes == "A2"
    summary = pairs(book["خلاصه"])
    assert summary["دوره"] == scored.title
    assert summary["شمار روابط عمومی‌های رتبه‌بندی‌شده"] == 3
    start = scored.start_date
    assert summary["آغاز بازه"] == jalali.format_date(start)  # Jalali, Persian digits
    assert summary["آغاز بازه (ISO)"] == start.isoformat()
    assert summary["وزن شاخص‌های کمی"] + summary["وزن شاخص‌های کیفی"] == 100

    provinces = rows(book["رتبه استان‌ها"])[1:]
    expected = ProvinceResult.objects.filter(cycle=scored).order_by("rank")
    assert [(r[0], r[1], r[2]) for r in provinces] == [
        (p.rank, p.province.name, p.total) for p in expected
    ]

    sheet = book["رتبه روابط عمومی‌ها"]
    header, *offices = rows(sheet)
    assert header[:5] == ("رتبه کشوری", "رتبه در استان", "روابط عمومی", "استان", "امتیاز کل")
    l1_column = header.index("L1 " + scored.criteria.get(code="L1").name)
    by_name = {row[2]: row for row in offices}
    assert set(by_name) == {
        world.chair_office.name,
        world.member_office.name,
        world.fars_office.name,
    }
    for office in (world.chair_office, world.member_office, world.fars_office):
        result = result_of(scored, office)
        row = by_name[office.name]
        assert isinstance(row[0], int)
        assert row[0] == result.rank
        assert isinstance(row[4], int | float)  # a number, not text
        assert row[4] == result.total
        assert row[l1_column] == result.items["L1"]["score"]
    assert sheet["E2"].number_format == "0.00"
    assert sheet.column_dimensions["C"].width >= 40

    catalogue = rows(book["شاخص‌ها"])[1:]
    assert sum(row[3] for row in catalogue) == 100
    q9 = next(row for row in catalogue if row[0] == "Q9")
    assert UNREGISTERED in q9[8]


def test_the_cycle_report_reads_a_fixed_number_of_queries(
    world, scored, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        report = exports.cycle_report(viewer=world.ministry, cycle_id=scored.pk)
        exports.cycle_xlsx(report)


# --- a province -----------------------------------------------------------------------


def test_the_province_pdf_ranks_its_own_offices_only(world, scored):
    isfahan = world.chair_office.agency.province

    report = exports.province_report(
        viewer=world.fars_chair, cycle_id=scored.pk, province_id=isfahan.pk
    )
    text = pdf_text(exports.province_pdf(report))

    province = ProvinceResult.objects.get(cycle=scored, province=isfahan)
    assert format_number(province.total, 2) in text
    for office in (world.chair_office, world.member_office):
        assert plain(office.name) in text
        assert format_number(result_of(scored, office).total, 2) in text
    assert plain(world.fars_office.name) not in text


def test_the_province_workbook_has_each_office_with_every_criterion_score(world, scored):
    isfahan = world.chair_office.agency.province
    report = exports.province_report(
        viewer=world.ministry, cycle_id=scored.pk, province_id=isfahan.pk
    )

    book = workbook(exports.province_xlsx(report))

    summary = pairs(book["خلاصه"])
    province = ProvinceResult.objects.get(cycle=scored, province=isfahan)
    assert summary["استان"] == isfahan.name
    assert summary["امتیاز استان"] == province.total
    assert summary["رتبه کشوری"] == province.rank
    sheet = book["روابط عمومی‌ها"]
    assert sheet.sheet_view.rightToLeft is True
    header, first, second = rows(sheet)
    assert header[0] == "رتبه در استان"
    assert (first[0], first[2]) == (1, world.chair_office.name)
    assert (second[0], second[2]) == (2, world.member_office.name)
    codes = list(scored.criteria.values_list("code", flat=True))
    items = result_of(scored, world.chair_office).items
    assert list(first[10:]) == [items[code]["score"] for code in codes]


def test_a_province_without_ranked_offices_has_no_report(client, world, scored):
    yazd = province("yazd")  # no office of Yazd sits on a council in the world
    client.force_login(world.ministry)
    url = reverse("evaluation:province_pdf", args=[scored.pk, yazd.pk])
    assert client.get(url).status_code == 404


# --- an office ------------------------------------------------------------------------


def test_the_office_pdf_shows_scores_comments_without_names_and_the_answered_objection(
    world, scored
):
    # given: a colleague of the office reads it
    report = exports.office_report(
        viewer=world.staff, cycle_id=scored.pk, office_id=world.chair_office.pk
    )

    # when
    text = pdf_text(exports.office_pdf(report))

    # then
    result = result_of(scored, world.chair_office)
    assert plain(world.chair_office.name) in text
    assert format_number(result.total, 2) in text
    assert plain(COMMENT) in text
    assert "ارزیاب ۱" in text
    assert plain(world.evaluator.display_name) not in text
    assert plain(APPEAL) in text
    assert plain(ANSWER) in text
    assert "پذیرفته شد" in text


def test_the_office_workbook_holds_every_criterion_and_hides_evaluators_from_the_office(
    world, scored
):
    # given
    staff_view = exports.office_report(
        viewer=world.staff, cycle_id=scored.pk, office_id=world.chair_office.pk
    )
    ministry_view = exports.office_report(
        viewer=world.ministry, cycle_id=scored.pk, office_id=world.chair_office.pk
    )

    # when
    book = workbook(exports.office_xlsx(staff_view))

    # then
    result = result_of(scored, world.chair_office)
    assert all(sheet.sheet_view.rightToLeft for sheet in book.worksheets)
    summary = pairs(book["خلاصه"])
    assert summary["امتیاز کل"] == result.total
    assert summary["رتبه کشوری"] == result.rank
    assert summary["رتبه در استان"] == result.rank_in_province
    assert summary["از میان روابط عمومی‌ها"] == 3

    _header, *criteria = rows(book["شاخص‌ها"])
    assert [row[0] for row in criteria] == list(scored.criteria.values_list("code", flat=True))
    l2 = next(row for row in criteria if row[0] == "L2")
    item = result.items["L2"]
    assert (l2[3], l2[6], l2[7], l2[9]) == (item["weight"], item["score"], item["points"], 4.0)
    assert l2[11] == "بله"  # corrected in answer to the objection
    q9 = next(row for row in criteria if row[0] == "Q9")
    assert q9[6] is None
    assert UNREGISTERED in q9[12]

    comments = rows(book["نظر ارزیابان"])[1:]
    assert [(c[0], c[2], c[3]) for c in comments] == [("L1", "ارزیاب ۱", 5), ("L2", "ارزیاب ۱", 2)]
    assert comments[0][4] == COMMENT
    named = rows(workbook(exports.office_xlsx(ministry_view))["نظر ارزیابان"])[1:]
    assert named[0][2] == world.evaluator.display_name

    appeals = rows(book["اعتراض‌ها"])[1:]
    appeal = Appeal.objects.get(cycle=scored)
    assert len(appeals) == 1
    assert appeals[0][1] == jalali.local_date(appeal.created_at).isoformat()
    assert (appeals[0][3], appeals[0][5]) == (APPEAL, ANSWER)
    assert appeals[0][8:] == (appeal.total_before, appeal.total_after, appeal.rank_before, 1)

    trend = rows(book["روند"])[1:]
    assert trend == [(scored.title, scored.year, result.total, result.rank, 1, result.tier)]


def test_a_bar_grows_from_the_right_in_proportion_to_the_score():
    svg = str(bar_svg(75, mean=50, width=200))

    assert '<rect x="50.00" y="1" width="150.00"' in svg
    assert '<line x1="100.00"' in svg
    assert "<script" not in svg
    assert "<text" not in svg  # WeasyPrint does not shape Persian in SVG text


# --- downloads and who may have them ---------------------------------------------------


REPORTS = [
    ("cycle_pdf", "application/pdf"),
    ("cycle_xlsx", "spreadsheetml"),
    ("province_pdf", "application/pdf"),
    ("province_xlsx", "spreadsheetml"),
    ("office_pdf", "application/pdf"),
    ("office_xlsx", "spreadsheetml"),
]


def url_of(name: str, cycle, world) -> str:
    if name.startswith("cycle"):
        return reverse(f"evaluation:{name}", args=[cycle.pk])
    if name.startswith("province"):
        isfahan = world.chair_office.agency.province_id
        return reverse(f"evaluation:{name}", args=[cycle.pk, isfahan])
    return reverse(f"evaluation:{name}", args=[cycle.pk, world.chair_office.pk])


@pytest.mark.parametrize(("name", "content_type"), REPORTS)
def test_every_report_downloads_with_a_persian_file_name(client, world, scored, name, content_type):
    client.force_login(world.member_staff)  # a fellow office of the same province

    response = client.get(url_of(name, scored, world))

    assert response.status_code == 200
    assert content_type in response["Content-Type"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="evaluation-')
    assert "filename*=UTF-8''" + quote("گزارش" if "office" not in name else "کارنامه") in (
        disposition
    )
    if name.startswith("office"):
        assert quote(world.chair_office.name) in disposition
    if name.startswith("province"):
        assert quote("اصفهان") in disposition


def test_office_staff_may_not_download_another_provinces_office_report(client, world, scored):
    # given
    client.force_login(world.staff)  # Isfahan

    # when / then: the Fars office's scorecard is not theirs to read
    for name in ("office_pdf", "office_xlsx"):
        url = reverse(f"evaluation:{name}", args=[scored.pk, world.fars_office.pk])
        assert client.get(url).status_code == 403
    # but the national ranking, and Fars's province ranking, are open to all
    fars = world.fars_office.agency.province_id
    assert (
        client.get(reverse("evaluation:province_xlsx", args=[scored.pk, fars])).status_code == 200
    )
    # and the Fars evaluator reads any office's report
    client.force_login(world.evaluator)
    url = reverse("evaluation:office_xlsx", args=[scored.pk, world.chair_office.pk])
    assert client.get(url).status_code == 200


def test_a_draft_cycle_has_no_report_but_for_the_ministry_centre(client, world, draft_cycle):
    url = reverse("evaluation:cycle_xlsx", args=[draft_cycle.pk])
    client.force_login(world.staff)
    assert client.get(url).status_code == 404
    client.force_login(world.ministry)
    assert client.get(url).status_code == 200


def test_an_unranked_office_has_no_report(client, world, scored):
    client.force_login(world.ministry)
    url = reverse("evaluation:office_pdf", args=[scored.pk, world.partner_office.pk])
    assert client.get(url).status_code == 404


def test_reports_need_a_signed_in_user(client, scored):
    response = client.get(reverse("evaluation:cycle_pdf", args=[scored.pk]))
    assert response.status_code == 302
