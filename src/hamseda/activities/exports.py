"""Activity lists as a spreadsheet (openpyxl) or CSV, with the list's filters.

CSV is written with a byte-order mark: Excel, which most offices open it in,
otherwise reads UTF-8 Persian as mojibake. Dates are Jalali (as the offices
write them) with an ISO column beside, so a script can still sort them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _

from hamseda.activities.models import Activity, Channel
from hamseda.core import jalali

MAX_ROWS = 50_000


def _headers() -> list[str]:
    return [
        _("شناسه"),
        _("عنوان"),
        _("نوع"),
        _("وضعیت"),
        _("تاریخ"),
        _("تا تاریخ"),
        _("تاریخ میلادی"),
        _("استان"),
        _("دستگاه مجری"),
        _("دستگاه‌های همکار"),
        _("پویش‌ها"),
        _("مجراها"),
        _("شمار مخاطبان"),
        _("شرح"),
        _("نتیجه و بازتاب"),
        _("پیوندها"),
    ]


def _rows(activities: Iterable[Activity]) -> Iterable[list[object]]:
    channel_labels = dict(Channel.choices)
    for activity in activities:
        yield [
            activity.pk,
            activity.title,
            activity.get_kind_display(),
            activity.get_status_display(),
            jalali.format_date(activity.start_date),
            jalali.format_date(activity.end_date)
            if activity.end_date != activity.start_date
            else "",
            activity.start_date.isoformat(),
            activity.province.name if activity.province else _("ملی"),
            activity.lead_office.name,
            "، ".join(office.name for office in activity.partners.all()),
            "، ".join(campaign.title for campaign in activity.campaigns.all()),
            "، ".join(str(channel_labels.get(c, c)) for c in activity.channels),
            activity.audience if activity.audience is not None else "",
            activity.description,
            activity.outcome,
            "\n".join(activity.links),
        ]


def _prepared(activities: Iterable[Activity]) -> Iterable[Activity]:
    queryset = getattr(activities, "select_related", None)
    if queryset is None:
        return activities
    return activities.select_related("province").prefetch_related("campaigns")[:MAX_ROWS]  # type: ignore[attr-defined, no-any-return]


def activities_csv(activities: Iterable[Activity]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_headers())
    writer.writerows(_rows(_prepared(activities)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def activities_xlsx(activities: Iterable[Activity]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("فعالیت‌ها")
    sheet.sheet_view.rightToLeft = True
    sheet.append(_headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in _rows(_prepared(activities)):
        sheet.append(row)
    for index, width in enumerate(
        (8, 50, 18, 14, 12, 12, 12, 14, 34, 34, 30, 24, 10, 60, 40, 40), start=1
    ):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
