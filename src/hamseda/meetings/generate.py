"""National-scale meetings for benchmarks (``hamseda generate``): every council
meets monthly over the requested years, with attendance, member reports and
their items, resolutions and minutes. Rows go in with bulk_create, so derived
keys (``text_key``) are filled in by hand. Follow-ups are added by
``followups.generate`` from the resolutions made here."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from hamseda.core import jalali
from hamseda.core.registry import generator
from hamseda.directory.models import Council, MembershipRole
from hamseda.meetings.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    MemberReport,
    Minutes,
    ReportItem,
    ReportItemKind,
    ReportStatus,
    Resolution,
)

TOPICS = [
    "اطلاع‌رسانی طرح نهضت ملی مسکن",
    "برنامه سفرهای تابستانی",
    "ستاد سفرهای نوروزی",
    "استفاده از ظرفیت شبکه‌های اجتماعی",
    "ارسال سوژه‌های امیدآفرین به صدا و سیما",
    "فرهنگ‌سازی در حوزه نظام مهندسی ساختمان",
    "ایمنی حمل و نقل جاده‌ای",
    "افتتاح طرح‌های عمرانی هفته دولت",
    "پاسخگویی به شکایات مردمی",
    "هماهنگی پوشش خبری رویدادهای مشترک",
]
PROBLEMS = [
    "کمبود نیروی متخصص عکاسی و تولید محتوا در روابط عمومی",
    "تأخیر در دریافت اطلاعات طرح‌ها از معاونت‌های فنی",
    "نبود اعتبار برای تولید محتوای ویدئویی",
    "انتشار اخبار نادرست درباره پیشرفت طرح در فضای مجازی",
    "دسترسی نداشتن خبرنگاران به محل کارگاه",
]
SUGGESTIONS = [
    "برگزاری نشست خبری مشترک با حضور مدیران دستگاه‌ها",
    "تولید مستند کوتاه از طرح‌های افتتاح‌شده",
    "تشکیل گروه مشترک شبکه‌های اجتماعی روابط عمومی‌ها",
    "دعوت از گروه‌های مرجع برای بازدید از طرح‌ها",
]


def _meeting_dates(years: int, today: dt.date) -> list[dt.date]:
    """The first Saturday of every Jalali month, from ``years`` ago to next month."""
    year, month = jalali.to_jalali(today).year - years, jalali.to_jalali(today).month
    dates: list[dt.date] = []
    while True:
        first, _last = jalali.jalali_month_bounds(year, month)
        saturday = first + dt.timedelta(days=(5 - first.weekday()) % 7)  # Mon=0 … Sat=5
        if saturday > today + dt.timedelta(days=35):
            return dates
        dates.append(saturday)
        month += 1
        if month == 13:
            year, month = year + 1, 1


@generator("hamseda.meetings")
def generate_meetings(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    today = jalali.today()
    now = timezone.now()
    councils = list(
        Council.objects.filter(meetings__isnull=True).prefetch_related("memberships__office")
    )
    dates = _meeting_dates(years, today)
    meetings: list[Meeting] = []
    members_of: dict[int, list[int]] = {}
    for council in councils:
        members_of[council.pk] = [
            m.office_id for m in council.memberships.all() if m.role != MembershipRole.BROADCASTER
        ]
        for number, day in enumerate(dates, start=1):
            starts = dt.datetime.combine(day, dt.time(10, 0), tzinfo=jalali.TEHRAN)
            if starts > now:
                status = MeetingStatus.PLANNED
            elif rng.random() < 0.04:
                status = MeetingStatus.CANCELLED
            else:
                status = (
                    MeetingStatus.APPROVED
                    if starts < now - dt.timedelta(days=20)
                    else (MeetingStatus.HELD)
                )
            meetings.append(
                Meeting(
                    council=council,
                    number=number,
                    starts_at=starts,
                    place="سالن اجتماعات",
                    status=status,
                )
            )
    Meeting.objects.bulk_create(meetings, batch_size=1000)

    agenda, attendance, reports, minutes = [], [], [], []
    for meeting in meetings:
        agenda += [
            AgendaItem(
                meeting=meeting,
                position=1,
                kind=AgendaKind.FOLLOWUP_REVIEW,
                title="پیگیری مصوبات جلسات قبل",
            ),
            AgendaItem(
                meeting=meeting, position=2, kind=AgendaKind.REPORTS, title="گزارش روابط عمومی‌ها"
            ),
            AgendaItem(meeting=meeting, position=3, title=rng.choice(TOPICS)),
        ]
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED):
            continue
        for office_id in members_of[meeting.council_id]:
            roll = rng.random()
            presence = (
                AttendanceStatus.PRESENT
                if roll < 0.8
                else AttendanceStatus.REPRESENTED
                if roll < 0.9
                else AttendanceStatus.ABSENT
            )
            attendance.append(Attendance(meeting=meeting, office_id=office_id, status=presence))
            if rng.random() < 0.8:
                late = rng.random() < 0.25
                submitted = meeting.starts_at + dt.timedelta(hours=2 if late else -30)
                reports.append(
                    MemberReport(
                        meeting=meeting,
                        office_id=office_id,
                        status=ReportStatus.SUBMITTED,
                        summary="گزارش اقدامات و عملکرد روابط عمومی در ماه گذشته",
                        submitted_at=submitted,
                    )
                )
        body = Minutes(
            meeting=meeting,
            body=f"جلسه شورا با موضوع {rng.choice(TOPICS)} برگزار شد.",
            approved_at=meeting.starts_at + dt.timedelta(days=3)
            if meeting.status == MeetingStatus.APPROVED
            else None,
        )
        body.fill_text_key()
        minutes.append(body)
    AgendaItem.objects.bulk_create(agenda, batch_size=2000)
    Attendance.objects.bulk_create(attendance, batch_size=2000)
    MemberReport.objects.bulk_create(reports, batch_size=2000)
    Minutes.objects.bulk_create(minutes, batch_size=1000)

    items = []
    for report in reports:
        choices = [
            (
                ReportItemKind.ACTION,
                "انتشار اخبار و گزارش‌های طرح‌های در دست اجرا",
                "تعداد خبر",
                Decimal(rng.randint(5, 60)),
            ),
            (ReportItemKind.PROBLEM, rng.choice(PROBLEMS), "", None),
            (ReportItemKind.SUGGESTION, rng.choice(SUGGESTIONS), "", None),
        ]
        for position, (kind, text, label, value) in enumerate(choices, start=1):
            item = ReportItem(
                report=report,
                kind=kind,
                text=text,
                figure_label=label,
                figure_value=value,
                position=position,
            )
            item.fill_text_key()
            items.append(item)
    ReportItem.objects.bulk_create(items, batch_size=5000)

    resolutions = []
    offices_of: list[list[int]] = []
    for meeting in meetings:
        if meeting.status in (MeetingStatus.PLANNED, MeetingStatus.CANCELLED):
            continue
        for number in range(1, rng.randint(3, 6) + 1):
            decision = rng.choices(
                [Decision.RESOLVED, Decision.ASSIGNED, Decision.REFERRED, Decision.NOTED],
                weights=[3, 4, 2, 1],
            )[0]
            resolution = Resolution(
                meeting=meeting,
                number=number,
                decision=decision,
                text=f"{rng.choice(SUGGESTIONS)} در موضوع {rng.choice(TOPICS)}",
                due_date=meeting.starts_at.date() + dt.timedelta(days=rng.randint(14, 60))
                if decision == Decision.ASSIGNED
                else None,
            )
            resolution.fill_text_key()
            resolutions.append(resolution)
            offices_of.append(
                rng.sample(
                    members_of[meeting.council_id], k=min(2, len(members_of[meeting.council_id]))
                )
                if decision == Decision.ASSIGNED
                else []
            )
    Resolution.objects.bulk_create(resolutions, batch_size=2000)
    through = Resolution.responsible_offices.through
    through.objects.bulk_create(
        [
            through(resolution_id=r.pk, office_id=o)
            for r, offices in zip(resolutions, offices_of, strict=True)
            for o in offices
        ],
        batch_size=5000,
    )
    out.write(
        f"meetings: {len(meetings)} meetings, {len(attendance)} attendance rows, "
        f"{len(reports)} reports with {len(items)} items, {len(resolutions)} resolutions\n"
    )
