"""The coverage matrix as an Excel workbook (openpyxl), right to left.

One row per office, and per platform three columns: its state in words (active,
a channel without posts, no channel), posts published in the period and views
where reported; then the office's share of the main messengers. A last row
holds the totals, as the page shows them. Numbers stay numbers (a council
sorts and sums them in Excel); the period's Jalali dates head the sheet.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from hamseda.core import jalali
from hamseda.social.coverage import Matrix


def _states() -> dict[str, str]:
    return {
        "active": _("فعال"),
        "idle": _("کانال بدون فرسته"),
        "none": _("بدون کانال"),
    }


def coverage_xlsx(matrix: Matrix) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("پوشش شبکه‌ها")
    sheet.sheet_view.rightToLeft = True
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fills = {
        "active": PatternFill("solid", fgColor="D1E7DD"),
        "idle": PatternFill("solid", fgColor="FFF3CD"),
        "none": PatternFill("solid", fgColor="F8D7DA"),
    }
    states = _states()

    title = _("پوشش شبکه‌های اجتماعی از %(start)s تا %(end)s") % {
        "start": jalali.format_date(matrix.start),
        "end": jalali.format_date(matrix.end),
    }
    if matrix.province is not None:
        title += f" — {matrix.province.name}"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)

    header = [_("استان"), _("دستگاه")]
    for _platform, label in matrix.labels:
        header += [
            f"{label}: " + _("وضعیت"),
            f"{label}: " + _("فرسته"),
            f"{label}: " + _("بازدید"),
        ]
    header.append(_("پوشش پیام‌رسان‌های اصلی (٪)"))
    sheet.append(header)
    for cell in sheet[2]:
        cell.font, cell.alignment = bold, centred

    for row in matrix.rows:
        values: list[object] = [row.province.name if row.province else "", row.office.name]
        for item in row.cells:
            values += [states[item.state], item.posts, item.views]
        values.append(row.share)
        sheet.append(values)
        line = sheet.max_row
        for index, item in enumerate(row.cells):
            sheet.cell(row=line, column=3 + 3 * index).fill = fills[item.state]

    totals: list[object] = [_("جمع"), _("%(n)s دستگاه") % {"n": len(matrix.rows)}]
    for total in matrix.totals:
        totals += [
            _("%(active)s فعال از %(offices)s")
            % {"active": total.active, "offices": total.offices},
            total.posts,
            total.views,
        ]
    totals.append(matrix.share)
    sheet.append(totals)
    for cell in sheet[sheet.max_row]:
        cell.font = bold

    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 44
    for index in range(3, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "C3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
