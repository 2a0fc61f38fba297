"""The minutes as a document: the data of the printed صورتجلسه (shared by the
minutes page and the PDF), the PDF itself (WeasyPrint) and the resolutions as a
spreadsheet (openpyxl).

``minutes_document`` loads everything with a fixed number of queries, whatever the
number of attendees and resolutions; the minutes page and its tests rely on it.
A PDF of a few pages takes about a second (STACK.md), fine inside a request; a
report over many meetings belongs in a Celery task.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.core import jalali
from hamseda.core.pdf import render_pdf
from hamseda.core.persian import fa_digits
from hamseda.directory.models import Council, Office, Person
from hamseda.followups.models import FollowUp
from hamseda.meetings.models import (
    Acknowledgement,
    AgendaItem,
    Attendance,
    Meeting,
    Minutes,
    Resolution,
)
from hamseda.meetings.services.minutes import ATTENDED, attendee_people


@dataclass
class Acknowledger:
    person: Person
    acknowledged_at: dt.datetime | None


@dataclass
class MinutesDocument:
    meeting: Meeting
    council: Council
    minutes: Minutes | None
    ends_at: dt.datetime
    present: list[Attendance]  # present or represented, in the council's order
    absent: list[Attendance]
    agenda: list[AgendaItem]
    resolutions: list[Resolution]
    acknowledgers: list[Acknowledger] = field(default_factory=list)

    @property
    def is_approved(self) -> bool:
        return self.minutes is not None and self.minutes.is_approved

    @property
    def acknowledged(self) -> list[Acknowledger]:
        return [a for a in self.acknowledgers if a.acknowledged_at is not None]

    @property
    def not_acknowledged(self) -> list[Acknowledger]:
        return [a for a in self.acknowledgers if a.acknowledged_at is None]


def resolutions_of(meeting: Meeting) -> list[Resolution]:
    """The meeting's resolutions with their offices, source item and follow-up
    (two queries)."""
    return list(
        Resolution.objects.filter(meeting=meeting)
        .select_related("source_item__report__office", "followup")
        .prefetch_related(
            Prefetch("responsible_offices", queryset=Office.objects.order_by("sort_key"))
        )
        .order_by("number")
    )


def followup_of(resolution: Resolution) -> FollowUp | None:
    """The follow-up of a resolution loaded with ``select_related("followup")``, or None."""
    try:
        return resolution.followup
    except ObjectDoesNotExist:
        return None


def minutes_document(meeting: Meeting) -> MinutesDocument:
    """Everything the صورتجلسه shows, in seven queries."""
    meeting = Meeting.objects.select_related("council__province").get(pk=meeting.pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    attendance = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("office")
        .order_by("office__sort_key")
    )
    agenda = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenting_office")
        .order_by("position", "pk")
    )
    acknowledgers: list[Acknowledger] = []
    if minutes is not None and minutes.is_approved:
        acks = dict(
            Acknowledgement.objects.filter(minutes=minutes).values_list(
                "person_id", "acknowledged_at"
            )
        )
        acknowledgers = [
            Acknowledger(person=p, acknowledged_at=acks.get(p.pk)) for p in attendee_people(meeting)
        ]
    return MinutesDocument(
        meeting=meeting,
        council=meeting.council,
        minutes=minutes,
        ends_at=meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes),
        present=[a for a in attendance if a.status in ATTENDED],
        absent=[a for a in attendance if a.status not in ATTENDED],
        agenda=agenda,
        resolutions=resolutions_of(meeting),
        acknowledgers=acknowledgers,
    )


def clock(value: dt.datetime) -> str:
    """ "۱۰:۴۲": the Tehran time of day with Persian digits."""
    return fa_digits(timezone.localtime(value).strftime("%H:%M"))


def download_filename(meeting: Meeting, kind: str, extension: str) -> str:
    """A Persian file name, e.g. «صورتجلسه جلسه ۱۲ - ۱۴۰۴-۰۷-۱۲.pdf»."""
    day = jalali.format_date(meeting.starts_at).replace("/", "-")
    number = fa_digits(meeting.number)
    return f"{kind} جلسه {number} - {day}.{extension}"


# --- PDF ---------------------------------------------------------------------------


def minutes_pdf(meeting: Meeting) -> bytes:
    """The صورتجلسه as an A4 PDF, right to left, with the attendees' signature boxes."""
    document = minutes_document(meeting)
    return render_pdf(
        "meetings/pdf/minutes.html",
        {
            "doc": document,
            "start_clock": clock(document.meeting.starts_at),
            "end_clock": clock(document.ends_at),
            "printed_at": timezone.now(),
        },
    )


# --- spreadsheet -------------------------------------------------------------------


def resolutions_xlsx(meeting: Meeting) -> bytes:
    """The meeting's resolutions as a right-to-left sheet: number, text, decision,
    responsible offices, Jalali due date, follow-up status."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    meeting = Meeting.objects.select_related("council").get(pk=meeting.pk)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    # A sheet title has at most 31 characters and none of []:*?/\ .
    sheet.title = _("مصوبات جلسه %(number)s") % {"number": fa_digits(meeting.number)}
    sheet.sheet_view.rightToLeft = True
    headers = [
        _("ردیف"),
        _("متن مصوبه"),
        _("تصمیم"),
        _("مسئول اجرا"),
        _("مهلت"),
        _("وضعیت پیگیری"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for resolution in resolutions_of(meeting):
        followup = followup_of(resolution)
        sheet.append(
            [
                resolution.number,
                resolution.text,
                resolution.get_decision_display(),
                "، ".join(o.name for o in resolution.responsible_offices.all()),
                jalali.format_date(resolution.due_date) if resolution.due_date else "",
                followup.get_status_display() if followup is not None else "",
            ]
        )
    wrap = Alignment(vertical="top", wrap_text=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    for index, width in enumerate((7, 60, 20, 40, 14, 18), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
