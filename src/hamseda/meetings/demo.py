"""Demo meetings of the Isfahan council around the meeting of the reference report,
with earlier and later meetings, so that carry-over, overdue follow-ups and the
ministry inbox show real states. Dates are relative to today (Saturdays), so the
demo looks the same whenever it is loaded. Written through the services, like a
secretary would, so the audit trail and follow-ups are real too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hamseda.core import jalali
from hamseda.core.registry import demo_loader
from hamseda.directory.models import Council, Office, Person
from hamseda.followups import services as followups
from hamseda.followups.models import FollowUp, Referral
from hamseda.meetings import services as meetings_services
from hamseda.meetings.models import AttendanceStatus, Decision, Meeting, ReportItemKind
from hamseda.meetings.services import minutes as minutes_services
from hamseda.meetings.services.common import reporting_offices

PLACE = "سالن اجتماعات اداره کل راه و شهرسازی استان اصفهان"

CHAIR = "اداره کل راه و شهرسازی استان اصفهان"
ROADS = "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان"
RAIL = "اداره کل راه‌آهن منطقه اصفهان"
AIRPORTS = "اداره کل فرودگاه‌های استان اصفهان"
WEATHER = "اداره کل هواشناسی استان اصفهان"
GOVERNORATE = "استانداری اصفهان"
ENGINEERING = "سازمان نظام مهندسی ساختمان استان اصفهان"
FOULADSHAHR = "شرکت عمران شهر جدید فولادشهر"


def _saturday(days_from_today: int) -> dt.datetime:
    """10:00 Tehran time on the Saturday on or before today + ``days_from_today``."""
    day = jalali.today() + dt.timedelta(days=days_from_today)
    day -= dt.timedelta(days=(day.weekday() - 5) % 7)  # Monday=0 … Saturday=5
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=jalali.TEHRAN)


def _date(meeting: Meeting, days: int) -> dt.date:
    return jalali.local_date(meeting.starts_at) + dt.timedelta(days=days)


class _Council:
    """The Isfahan council's people and offices, by the names used below."""

    def __init__(self) -> None:
        self.council = Council.objects.get(province__code="isfahan")
        self.offices = {o.agency.name: o for o in reporting_offices(self.council)}
        people = Person.objects.in_bulk(
            ["isf-secretary", "isf-chair", "isf-rail", "isf-airport", "markaz", "admin"],
            field_name="username",
        )
        self.secretary = people["isf-secretary"]
        self.chair = people["isf-chair"]
        self.rail = people["isf-rail"]
        self.airport = people["isf-airport"]
        self.ministry = people["markaz"]
        self.admin = people["admin"]

    def office(self, name: str) -> Office:
        return self.offices[name]

    def meeting(self, starts_at: dt.datetime, title: str = "") -> Meeting:
        return meetings_services.meeting_create(
            actor=self.secretary,
            council=self.council,
            starts_at=starts_at,
            place=PLACE,
            title=title,
            in_the_past=starts_at < dt.datetime.now(tz=jalali.TEHRAN),
        )

    def report(
        self,
        meeting: Meeting,
        office: str,
        actor: Person,
        summary: str,
        items: list[tuple[str, str, str, Any]],
    ) -> None:
        meetings_services.report_save(
            actor=actor,
            meeting=meeting,
            office=self.office(office),
            summary=summary,
            items=[
                {"kind": k, "text": t, "figure_label": label, "figure_value": value}
                for k, t, label, value in items
            ],
            submit=True,
        )

    def attendance(
        self,
        meeting: Meeting,
        absent: tuple[str, ...] = (),
        represented: dict[str, str] | None = None,
    ) -> None:
        represented = represented or {}
        entries = []
        for name, office in self.offices.items():
            status = (
                AttendanceStatus.ABSENT
                if name in absent
                else AttendanceStatus.REPRESENTED
                if name in represented
                else AttendanceStatus.PRESENT
            )
            entries.append(
                {
                    "office": office,
                    "status": status,
                    "attendee_name": represented.get(name, ""),
                    "attendee_title": "",
                }
            )
        meetings_services.attendance_record(actor=self.secretary, meeting=meeting, entries=entries)

    def resolve(
        self,
        meeting: Meeting,
        text: str,
        decision: str,
        offices: tuple[str, ...] = (),
        due_days: int | None = None,
        solution: str = "",
        solved_by: str = "",
    ) -> Any:
        return minutes_services.resolution_add(
            actor=self.secretary,
            meeting=meeting,
            text=text,
            decision=decision,
            solution=solution,
            solved_by=solved_by,
            responsible_offices=[self.office(name) for name in offices],
            due_date=_date(meeting, due_days) if due_days is not None else None,
        )

    def close_minutes(self, meeting: Meeting, body: str, *, approve: bool) -> None:
        meetings_services.meeting_mark_held(actor=self.secretary, meeting=meeting)
        minutes_services.minutes_save(actor=self.secretary, meeting=meeting, body=body, version=0)
        if approve:
            minutes_services.minutes_approve(actor=self.chair, meeting=meeting)


def _followup(resolution: Any) -> FollowUp:
    return FollowUp.objects.get(resolution=resolution)


@demo_loader("hamseda.meetings")
def load_meetings_demo() -> list[dict[str, Any]]:
    if Meeting.objects.filter(council__province__code="isfahan").exists():
        return []
    c = _Council()
    schedule = meetings_services.schedule_create(
        actor=c.secretary,
        council=c.council,
        weekday=0,
        week_of_month=1,
        start_time=dt.time(10, 0),
        place=PLACE,
    )

    # An earlier meeting: its follow-ups are done.
    earlier = c.meeting(_saturday(-215))
    c.attendance(earlier, absent=(FOULADSHAHR,))
    monthly = c.resolve(
        earlier,
        "گزارش ماهانه عملکرد روابط عمومی‌ها تا پنجم هر ماه به دبیرخانه شورا فرستاده شود.",
        Decision.ASSIGNED,
        (RAIL, AIRPORTS, WEATHER),
        20,
    )
    c.resolve(earlier, "گزارش عملکرد ستاد سفرهای نوروزی در شورا ارائه شد.", Decision.NOTED)
    c.close_minutes(
        earlier, "جلسه با حضور اعضا برگزار شد و گزارش ستاد سفرهای نوروزی ارائه شد.", approve=True
    )
    followups.followup_close(
        actor=c.rail,
        followup=_followup(monthly),
        note="گزارش ماهانه از فروردین به‌طور منظم فرستاده می‌شود.",
    )

    # The meeting of the reference report.
    reference = c.meeting(_saturday(-150), title="نشست شورای هماهنگی با حضور رئیس مرکز ارتباطات")
    c.report(
        reference,
        RAIL,
        c.rail,
        "پوشش خبری طرح‌های ریلی و پاسخ به پرسش‌های مسافران.",
        [
            (ReportItemKind.ACTION, "انتشار خبر و گزارش تصویری از طرح‌های ریلی", "تعداد خبر", 42),
            (ReportItemKind.PROBLEM, "نبود اعتبار برای تولید محتوای ویدئویی", "", None),
            (ReportItemKind.SUGGESTION, "تشکیل گروه مشترک شبکه‌های اجتماعی روابط عمومی‌ها", "", None),
        ],
    )
    c.report(
        reference,
        AIRPORTS,
        c.airport,
        "اطلاع‌رسانی پروازهای فوق‌العاده نوروزی.",
        [
            (ReportItemKind.ACTION, "اطلاع‌رسانی برنامه پروازهای نوروزی", "تعداد اطلاعیه", 18),
            (ReportItemKind.VIEWPOINT, "هماهنگی پیش از انتشار اخبار مشترک لازم است", "", None),
        ],
    )
    c.attendance(reference, absent=(FOULADSHAHR,), represented={GOVERNORATE: "محمد جعفری"})
    c.resolve(
        reference,
        "جلسات شورای هماهنگی به‌طور منظم و ماهانه تشکیل شود.",
        Decision.RESOLVED,
        solution="نخستین شنبه هر ماه، ساعت ۱۰، در محل اداره کل راه و شهرسازی.",
        solved_by="رئیس مرکز ارتباطات و اطلاع‌رسانی وزارت",
    )
    bylaw = c.resolve(
        reference,
        "آیین‌نامه شورا برای تعیین وظایف، تقدم و تأخر و حجم مشارکت "
        "اعضا در رویدادها تدوین و برای تصویب به وزارتخانه فرستاده شود.",
        Decision.REFERRED,
    )
    summer = c.resolve(
        reference,
        "برنامه اطلاع‌رسانی سفرهای تابستانی به‌صورت منسجم تهیه شود.",
        Decision.ASSIGNED,
        (CHAIR, ROADS),
        30,
    )
    social = c.resolve(
        reference,
        "از ظرفیت شبکه‌های اجتماعی به‌طور کامل برای اطلاع‌رسانی گسترده استفاده شود.",
        Decision.ASSIGNED,
        (RAIL, AIRPORTS, WEATHER),
        60,
    )
    c.resolve(
        reference,
        "ایده‌ها و سوژه‌های امیدآفرین دستگاه‌ها از طریق رئیس شورا به صدا و "
        "سیمای مرکز اصفهان فرستاده شود.",
        Decision.RESOLVED,
        solution="دبیرخانه هر ماه سوژه‌ها را جمع‌آوری و رئیس شورا ارسال می‌کند.",
        solved_by="رئیس شورا",
    )
    c.resolve(
        reference,
        "با دعوت از گروه‌های مرجع و جهادی، اقدامات دستگاه‌ها به آنان معرفی شود.",
        Decision.ASSIGNED,
        (CHAIR,),
        120,
    )
    c.resolve(
        reference,
        "فرهنگ‌سازی در حوزه نظام مهندسی ساختمان با هم‌افزایی دستگاه‌ها دنبال شود.",
        Decision.ASSIGNED,
        (ENGINEERING,),
        40,
    )
    video = c.resolve(
        reference,
        "کمبود اعتبار تولید محتوای ویدئویی روابط عمومی‌ها در وزارتخانه پیگیری شود.",
        Decision.REFERRED,
    )
    c.close_minutes(
        reference,
        "نشست با حضور رئیس مرکز ارتباطات و اطلاع‌رسانی وزارت و مدیرکل "
        "روابط عمومی استانداری برگزار شد. مدیران روابط عمومی گزارش اقدامات، مسائل، "
        "نقطه‌نظرات و پیشنهادات خود را ارائه کردند؛ برای برخی راهکار عملی ارائه شد و "
        "سایر موارد برای پیگیری در وزارتخانه احصا شد.",
        approve=True,
    )
    followups.followup_close(
        actor=c.chair,
        followup=_followup(summer),
        note="برنامه سفرهای تابستانی تهیه و به اعضا ابلاغ شد.",
    )
    followups.followup_update_add(
        actor=c.rail,
        followup=_followup(social),
        status="in_progress",
        text="کانال‌های بله و ایتا راه‌اندازی شد؛ روبیکا در دست اقدام.",
    )
    referral = Referral.objects.get(followup__resolution=bylaw)
    followups.referral_assign(
        actor=c.ministry, referral=referral, department="معاونت ارتباطات و اطلاع‌رسانی"
    )
    followups.referral_reply(
        actor=c.ministry,
        referral=referral,
        reply="پیش‌نویس آیین‌نامه در مرکز بررسی شد و پس از اصلاح بند "
        "حجم مشارکت، برای تصویب در شورای اطلاع‌رسانی وزارت ارسال می‌شود.",
    )
    # The video-budget referral stays unanswered: the ministry inbox has work.
    assert video.decision == Decision.REFERRED

    # A recent meeting: held, its minutes still a draft.
    recent = c.meeting(_saturday(-30))
    c.attendance(recent, represented={GOVERNORATE: "محمد جعفری"})
    c.resolve(
        recent,
        "پوشش خبری مشترک افتتاح طرح‌های نهضت ملی مسکن با قرارگاه رسانه‌ای هماهنگ شود.",
        Decision.ASSIGNED,
        (CHAIR, GOVERNORATE),
        45,
    )
    meetings_services.meeting_mark_held(actor=c.secretary, meeting=recent)
    minutes_services.minutes_save(
        actor=c.secretary,
        meeting=recent,
        version=0,
        body="پیش‌نویس صورتجلسه: گزارش قرارگاه رسانه‌ای نهضت ملی مسکن.",
    )

    # The recurring schedule plans the coming months; the first of those meetings
    # already has a report in (or, if none falls in the window, one is planned).
    planned = meetings_services.schedule_plan(
        schedule=schedule, until=jalali.today() + dt.timedelta(days=60), actor=c.secretary
    )
    upcoming = planned[0] if planned else c.meeting(_saturday(16))
    c.report(
        upcoming,
        RAIL,
        c.rail,
        "گزارش یک ماه گذشته روابط عمومی راه‌آهن.",
        [
            (
                ReportItemKind.ACTION,
                "برگزاری بازدید خبرنگاران از ایستگاه‌های تازه",
                "تعداد خبرنگار",
                12,
            ),
            (ReportItemKind.PROBLEM, "دیر رسیدن اطلاعات طرح‌ها از معاونت فنی", "", None),
        ],
    )
    return []
