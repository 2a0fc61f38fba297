"""Records the minutes tests build on, made with the ORM directly (the meetings
services have rules about dates and invitations the minutes tests do not need)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from hamseda.core.jalali import TEHRAN
from hamseda.directory.models import Council, Office
from hamseda.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MemberReport,
    ReportItem,
    ReportItemKind,
)

# A Tuesday morning in Tehran: 1404/07/15 (2025-10-07) at 10:00.
MEETING_START = dt.datetime(2025, 10, 7, 10, 0, tzinfo=TEHRAN)


def meeting(
    council: Council,
    *,
    number: int | None = None,
    starts_at: dt.datetime = MEETING_START,
    status: str = MeetingStatus.HELD,
    place: str = "سالن اجتماعات اداره‌کل راه و شهرسازی استان اصفهان",
    **fields: Any,
) -> Meeting:
    if number is None:
        number = Meeting.objects.filter(council=council).count() + 1
    return Meeting.objects.create(
        council=council, number=number, starts_at=starts_at, status=status, place=place, **fields
    )


def future_meeting(council: Council, **fields: Any) -> Meeting:
    fields.setdefault("status", MeetingStatus.PLANNED)
    return meeting(council, starts_at=timezone.now() + dt.timedelta(days=7), **fields)


def attend(
    meeting: Meeting,
    office: Office,
    status: str = AttendanceStatus.PRESENT,
    *,
    name: str = "",
    title: str = "",
) -> Attendance:
    return Attendance.objects.create(
        meeting=meeting, office=office, status=status, attendee_name=name, attendee_title=title
    )


def raised_item(
    meeting: Meeting,
    office: Office,
    text: str = "کمبود اعتبار برای تولید محتوای نهضت ملی مسکن",
    kind: str = ReportItemKind.PROBLEM,
) -> ReportItem:
    report, _ = MemberReport.objects.get_or_create(meeting=meeting, office=office)
    return ReportItem.objects.create(report=report, kind=kind, text=text)


def agenda_item(meeting: Meeting, title: str, position: int = 100) -> AgendaItem:
    return AgendaItem.objects.create(meeting=meeting, title=title, position=position)
