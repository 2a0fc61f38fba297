"""The reports as Excel workbooks (openpyxl): one sheet per table, right to left,
a bold header row, set column widths, the header frozen.

Numbers are written as numbers (scores with two decimals, ranks as integers) so
the ministry can sort and chart them; text keeps Persian digits. Every date is
given twice: Jalali as the offices read it, and ISO beside it so a script can
still sort and parse it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from hamseda.core import jalali, persian
from hamseda.evaluation.exports.documents import (
    CatalogueLine,
    CycleReport,
    OfficeReport,
    OfficeRow,
    ProvinceReport,
    Report,
)

SCORE = "0.00"
WHOLE = "0"


class Column:
    def __init__(self, title: str, width: float, number_format: str = "") -> None:
        self.title = title
        self.width = width
        self.number_format = number_format


def _jalali(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        return jalali.format_datetime(value)
    return jalali.format_date(value) if value is not None else ""


def _iso(value: dt.date | dt.datetime | None) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(jalali.TEHRAN).isoformat(timespec="minutes")
    return value.isoformat() if value is not None else ""


def _day(value: dt.datetime | None) -> tuple[str, str]:
    """The Tehran day of a moment: (Jalali, ISO)."""
    if value is None:
        return "", ""
    return jalali.format_date(value), jalali.local_date(value).isoformat()


def _yes(flag: bool) -> str:
    return _("بله") if flag else ""


def _table(book: Any, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]]) -> Any:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.append([c.title for c in columns])
    header = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = header
    count = 0
    for row in rows:
        sheet.append(list(row))
        count += 1
    top = Alignment(vertical="top", wrap_text=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = top
            if column.number_format and isinstance(cell.value, int | float):
                cell.number_format = column.number_format
    sheet.freeze_panes = "A2"
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return sheet


def _pairs(book: Any, title: str, pairs: Sequence[tuple[str, Any]]) -> Any:
    """A two-column sheet of labels and values (the report's heading)."""
    from openpyxl.styles import Font

    sheet = _table(book, title, [Column(_("عنوان"), 30), Column(_("مقدار"), 60, SCORE)], pairs)
    sheet.auto_filter.ref = None
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.font = Font(bold=True)
    for (cell,) in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        if isinstance(cell.value, int):
            cell.number_format = WHOLE
    return sheet


def _heading(report: Report) -> list[tuple[str, Any]]:
    cycle = report.cycle
    start, end = cycle.bounds
    return [
        (_("دوره"), cycle.title),
        (_("بازه"), cycle.period_label()),
        (_("وضعیت"), report.status),
        (_("آغاز بازه"), _jalali(start)),
        (_("آغاز بازه (ISO)"), _iso(start)),
        (_("پایان بازه"), _jalali(end)),
        (_("پایان بازه (ISO)"), _iso(end)),
        (_("زمان آخرین رتبه‌بندی"), _jalali(cycle.ranked_at)),
        (_("زمان آخرین رتبه‌بندی (ISO)"), _iso(cycle.ranked_at)),
    ]


def _generated(report: Report) -> list[tuple[str, Any]]:
    return [
        (_("تاریخ تهیه گزارش"), _jalali(report.generated_at)),
        (_("تاریخ تهیه گزارش (ISO)"), _iso(report.generated_at)),
    ]


def _catalogue(book: Any, lines: list[CatalogueLine]) -> None:
    columns = [
        Column(_("کد"), 7),
        Column(_("شاخص"), 36),
        Column(_("نوع"), 9),
        Column(_("وزن"), 8, SCORE),
        Column(_("روش هنجارسازی"), 24),
        Column(_("هدف"), 9, SCORE),
        Column(_("شاخص محاسبه‌شونده"), 34),
        Column(_("یکا"), 9),
        Column(_("علت نبود مقدار"), 50),
    ]
    rows = [
        [
            line.criterion.code,
            line.criterion.name,
            line.criterion.get_kind_display(),
            line.weight,
            line.criterion.get_normalisation_display(),
            line.criterion.target,
            line.indicator_name or line.criterion.provider,
            line.unit,
            line.criterion.missing_reason,
        ]
        for line in lines
    ]
    _table(book, _("شاخص‌ها"), columns, rows)


def _score_columns(report: Report) -> list[Column]:
    return [
        Column(f"{line.criterion.code} {line.criterion.name}", 14, SCORE)
        for line in report.criteria
    ]


def _office_columns(report: Report, *, national: bool) -> list[Column]:
    first = (
        [Column(_("رتبه کشوری"), 8, WHOLE), Column(_("رتبه در استان"), 8, WHOLE)]
        if national
        else [Column(_("رتبه در استان"), 8, WHOLE), Column(_("رتبه کشوری"), 8, WHOLE)]
    )
    return [
        *first,
        Column(_("روابط عمومی"), 44),
        Column(_("استان"), 14),
        Column(_("امتیاز کل"), 10, SCORE),
        Column(_("امتیاز کمی"), 10, SCORE),
        Column(_("امتیاز کیفی"), 10, SCORE),
        Column(_("پوشش وزن (٪)"), 10, SCORE),
        Column(_("سطح"), 14),
        Column(_("اختلاف ارزیاب‌ها"), 10),
        *_score_columns(report),
    ]


def _office_row(row: OfficeRow, *, national: bool) -> list[Any]:
    r = row.result
    ranks = [r.rank, r.rank_in_province] if national else [r.rank_in_province, r.rank]
    return [
        *ranks,
        r.office.name,
        r.province.name,
        r.total,
        r.quantitative,
        r.qualitative,
        r.covered,
        r.tier,
        _yes(r.disagreement),
        *row.scores,
    ]


def _save(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _book() -> Any:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def cycle_xlsx(report: CycleReport) -> bytes:
    book = _book()
    tiers = [
        (_("سطح «{label}»").format(label=tier["label"]), float(tier["min"]))
        for tier in report.cycle.tiers
    ]
    _pairs(
        book,
        _("خلاصه"),
        [
            *_heading(report),
            (_("شمار استان‌های رتبه‌بندی‌شده"), len(report.provinces)),
            (_("شمار روابط عمومی‌های رتبه‌بندی‌شده"), len(report.offices)),
            (_("وزن شاخص‌های کمی"), report.quantitative_weight),
            (_("وزن شاخص‌های کیفی"), report.qualitative_weight),
            *tiers,
            *_generated(report),
        ],
    )
    _table(
        book,
        _("رتبه استان‌ها"),
        [
            Column(_("رتبه"), 7, WHOLE),
            Column(_("استان"), 20),
            Column(_("امتیاز"), 10, SCORE),
            Column(_("سطح"), 14),
            Column(_("شمار روابط عمومی‌ها"), 12, WHOLE),
        ],
        [[p.rank, p.province.name, p.total, p.tier, p.offices] for p in report.provinces],
    )
    _table(
        book,
        _("رتبه روابط عمومی‌ها"),
        _office_columns(report, national=True),
        [_office_row(row, national=True) for row in report.offices],
    )
    _catalogue(book, report.criteria)
    return _save(book)


def province_xlsx(report: ProvinceReport) -> bytes:
    book = _book()
    result = report.result
    _pairs(
        book,
        _("خلاصه"),
        [
            (_("استان"), report.province.name),
            *_heading(report),
            (_("امتیاز استان"), result.total),
            (_("رتبه کشوری"), result.rank),
            (_("از میان استان‌ها"), report.provinces_ranked),
            (_("سطح"), result.tier),
            (_("شمار روابط عمومی‌ها"), result.offices),
            *_generated(report),
        ],
    )
    _table(
        book,
        _("روابط عمومی‌ها"),
        _office_columns(report, national=False),
        [_office_row(row, national=False) for row in report.offices],
    )
    _catalogue(book, report.criteria)
    return _save(book)


def office_xlsx(report: OfficeReport) -> bytes:
    book = _book()
    result, card = report.result, report.card
    _pairs(
        book,
        _("خلاصه"),
        [
            (_("روابط عمومی"), report.office.name),
            (_("استان"), result.province.name),
            *_heading(report),
            (_("امتیاز کل"), result.total),
            (_("امتیاز کمی"), result.quantitative),
            (_("امتیاز کیفی"), result.qualitative),
            (_("پوشش وزن (٪)"), result.covered),
            (_("رتبه کشوری"), result.rank),
            (_("از میان روابط عمومی‌ها"), card.offices_ranked),
            (_("رتبه در استان"), result.rank_in_province),
            (_("از میان روابط عمومی‌های استان"), card.province_offices),
            (_("سطح"), result.tier),
            (_("اختلاف ارزیاب‌ها"), _yes(result.disagreement)),
            *_generated(report),
        ],
    )
    _table(
        book,
        _("شاخص‌ها"),
        [
            Column(_("کد"), 7),
            Column(_("شاخص"), 36),
            Column(_("نوع"), 9),
            Column(_("وزن"), 8, SCORE),
            Column(_("مقدار"), 10, SCORE),
            Column(_("یکا"), 9),
            Column(_("امتیاز (از ۱۰۰)"), 10, SCORE),
            Column(_("امتیاز وزنی"), 10, SCORE),
            Column(_("میانگین کشوری"), 10, SCORE),
            Column(_("میانگین سطح"), 10, SCORE),
            Column(_("سطح‌های ارزیابان"), 14),
            Column(_("اصلاح‌شده"), 9),
            Column(_("علت نبود مقدار"), 40),
        ],
        [
            [
                line.criterion.code,
                line.criterion.name,
                line.criterion.get_kind_display(),
                line.catalogue.weight,
                line.value,
                line.catalogue.unit,
                line.score,
                line.points,
                line.line.national_mean,
                line.level,
                "، ".join(persian.fa_digits(level) for level in line.levels),
                _yes(line.adjusted),
                line.missing,
            ]
            for line in report.lines
        ],
    )
    _table(
        book,
        _("نظر ارزیابان"),
        [
            Column(_("کد"), 7),
            Column(_("شاخص"), 30),
            Column(_("ارزیاب"), 18),
            Column(_("سطح"), 7, WHOLE),
            Column(_("توضیح ارزیاب"), 70),
            Column(_("تاریخ"), 12),
            Column(_("تاریخ (ISO)"), 12),
        ],
        [
            [
                criterion.code,
                criterion.name,
                persian.fa_digits(view.evaluator_label),  # "ارزیاب 1" → "ارزیاب ۱"
                view.rating.level,
                view.rating.comment,
                *_day(view.rating.updated_at),
            ]
            for criterion, view in report.comments
        ],
    )
    _table(
        book,
        _("اعتراض‌ها"),
        [
            Column(_("تاریخ ثبت"), 12),
            Column(_("تاریخ ثبت (ISO)"), 12),
            Column(_("شاخص"), 26),
            Column(_("متن اعتراض"), 50),
            Column(_("وضعیت"), 14),
            Column(_("پاسخ"), 50),
            Column(_("تاریخ پاسخ"), 12),
            Column(_("تاریخ پاسخ (ISO)"), 12),
            Column(_("امتیاز پیش از پاسخ"), 10, SCORE),
            Column(_("امتیاز پس از پاسخ"), 10, SCORE),
            Column(_("رتبه پیش از پاسخ"), 9, WHOLE),
            Column(_("رتبه پس از پاسخ"), 9, WHOLE),
        ],
        [
            [
                *_day(appeal.created_at),
                str(appeal.criterion) if appeal.criterion else _("کل امتیاز"),
                appeal.text,
                appeal.get_status_display(),
                appeal.answer,
                *_day(appeal.answered_at),
                appeal.total_before,
                appeal.total_after,
                appeal.rank_before,
                appeal.rank_after,
            ]
            for appeal in card.appeals
        ],
    )
    _table(
        book,
        _("روند"),
        [
            Column(_("دوره"), 30),
            Column(_("سال"), 8, WHOLE),
            Column(_("امتیاز کل"), 10, SCORE),
            Column(_("رتبه کشوری"), 9, WHOLE),
            Column(_("رتبه در استان"), 9, WHOLE),
            Column(_("سطح"), 14),
        ],
        [
            [t.cycle.title, t.cycle.year, t.total, t.rank, t.rank_in_province, t.tier]
            for t in card.trend
        ],
    )
    return _save(book)
