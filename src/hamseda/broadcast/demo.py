"""Demo pitches of the Isfahan council in every state, the Isfahan broadcaster
centre as contact, one letter with the broadcaster's answers (one pitch aired,
one accepted, one declined). Written through the services, like the offices
and the chair would, so the audit trail and the notices are real too."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from hamseda.broadcast import services
from hamseda.broadcast.models import Dispatch, Outcome, Pitch, PitchFormat
from hamseda.campaigns.demo import (
    AIRPORTS,
    BAHARESTAN,
    CHAIR,
    GOVERNORATE,
    HOUSING_HQ,
    RAIL,
    WEATHER,
)
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali, persian
from hamseda.core.registry import demo_loader
from hamseda.directory.models import Office, Person, Province

BROADCASTER = "صدا و سیمای مرکز اصفهان"
BROADCASTER_EMAIL = "khabar@isfahan-sima.example"
PROGRAMMES = ["خبر ساعت ۱۴ استانی", "صبح بخیر اصفهان", "گزارش ویژه", "نصف جهان"]
AIRED_PITCH = "قطار گردشگری اصفهان–کاشان؛ سفری خانوادگی با قطار"


def _person(username: str) -> Person:
    return Person.objects.select_related("office__agency").get(username=username)


def _pitch(author: Person, title: str, fmt: str, summary: str, **fields: Any) -> Pitch:
    assert author.office is not None
    return services.pitch_create(
        actor=author, office=author.office, title=title, format=fmt, summary=summary, **fields
    )


@demo_loader("hamseda.broadcast")
def load_broadcast_demo() -> list[dict[str, Any]]:
    province = Province.objects.filter(code="isfahan").first()
    if province is None or Dispatch.objects.filter(province=province).exists():
        return []
    if not Person.objects.filter(username="isf-chair").exists():
        return []
    offices = {
        o.agency.name: o
        for o in Office.objects.filter(agency__province=province).select_related("agency")
    }
    if not all(persian.normalize(n) in offices for n in (CHAIR, RAIL, AIRPORTS, BAHARESTAN)):
        return []
    chair = _person("isf-chair")
    rail, airport = _person("isf-rail"), _person("isf-airport")
    weather, baharestan = _person("isf-weather"), _person("isf-baharestan")
    governorate, secretary = _person("isf-governorate"), _person("isf-secretary")
    housing = Campaign.objects.filter(title=HOUSING_HQ).first()
    assert GOVERNORATE
    assert WEATHER

    services.contact_save(
        actor=chair,
        province=province,
        name=BROADCASTER,
        email=BROADCASTER_EMAIL,
        contact_person="جناب آقای مدیر محترم معاونت سیما",
        phone="031-32220000",
        programmes=PROGRAMMES,
    )
    aired = _pitch(
        rail,
        AIRED_PITCH,
        PitchFormat.REPORT,
        "قطار گردشگری آخر هفته اصفهان–کاشان با واگن‌های نوسازی‌شده راه افتاده و خانواده‌ها "
        "با بلیت ارزان، باغ فین و خانه‌های تاریخی کاشان را در یک روز می‌بینند.",
        why="امید و نشاط خانواده‌ها، معرفی سفر ایمن و کم‌هزینه با قطار.",
        interviewees="مدیرکل راه‌آهن منطقه اصفهان؛ چند خانواده مسافر",
        place="ایستگاه راه‌آهن اصفهان",
        submit=True,
    )
    keys = _pitch(
        baharestan,
        "نخستین خانواده‌های نهضت ملی مسکن در بهارستان کلید گرفتند",
        PitchFormat.DOCUMENTARY,
        "روایت سه خانواده از ثبت‌نام تا تحویل کلید واحدهای نهضت ملی مسکن در شهر جدید بهارستان.",
        why="نشان دادن نتیجه ملموس قانون جهش تولید مسکن برای مردم.",
        interviewees="مدیرعامل شرکت عمران بهارستان؛ خانواده‌های تحویل‌گیرنده",
        place="شهر جدید بهارستان، فاز ۸",
        campaign=housing,
        submit=True,
    )
    flight = _pitch(
        airport,
        "برقراری پرواز مستقیم اصفهان–بندرعباس",
        PitchFormat.NEWS,
        "از هفته آینده پرواز مستقیم اصفهان–بندرعباس دو بار در هفته برقرار می‌شود.",
        submit=True,
    )
    for pitch in (aired, keys, flight):
        services.pitch_review(actor=chair, pitch=pitch, decision=services.Decision.APPROVE)
    today = jalali.today()
    dispatch = services.dispatch_create(
        actor=chair,
        pitches=[aired, keys, flight],
        subject="ارسال ایده‌ها و سوژه‌های پیشنهادی روابط عمومی‌های عضو شورا",
        intro=(
            "با سلام و احترام، در راستای هم‌افزایی و اطلاع‌رسانی منسجم، سوژه‌های امیدآفرین "
            "دستگاه‌های عضو شورای هماهنگی روابط عمومی‌ها جهت بهره‌برداری در برنامه‌های آن "
            "مرکز به شرح زیر تقدیم می‌شود."
        ),
        date=today - dt.timedelta(days=20),
    )
    if "smtp" not in settings.EMAIL_BACKEND:
        # The demo writes mail to files (or memory); a real server is never called.
        services.dispatch_send(actor=chair, dispatch=dispatch)
    items = {item.pitch_id: item for item in dispatch.items.all()}
    services.answer_record(
        actor=secretary,
        item=items[aired.pk],
        outcome=Outcome.AIRED,
        aired_on=today - dt.timedelta(days=12),
        programme=PROGRAMMES[2],
        link="https://isfahan.example/video/rail-kashan",
    )
    services.answer_record(
        actor=secretary,
        item=items[keys.pk],
        outcome=Outcome.ACCEPTED,
        programme=PROGRAMMES[3],
        note="برای پخش در هفته آینده برنامه‌ریزی شده است.",
    )
    services.answer_record(
        actor=secretary,
        item=items[flight.pk],
        outcome=Outcome.DECLINED,
        note="در بخش خبری به‌صورت زیرنویس اعلام شد؛ گزارش جداگانه ندارد.",
    )
    approved = _pitch(
        weather,
        "هشدار سیلاب بهاره؛ هواشناسی چگونه پیش‌بینی می‌کند",
        PitchFormat.INTERVIEW,
        "گفت‌وگو با پیش‌بینان هواشناسی درباره سامانه هشدار سیل و توصیه‌های ایمنی به مسافران.",
        interviewees="مدیرکل هواشناسی استان اصفهان",
        submit=True,
    )
    services.pitch_review(actor=chair, pitch=approved, decision=services.Decision.APPROVE)
    _pitch(
        secretary,
        "افتتاح بزرگراه شرق اصفهان به‌صورت زنده",
        PitchFormat.LIVE,
        "پخش زنده آیین بهره‌برداری از قطعه دوم بزرگراه شرق اصفهان با حضور مسئولان استان.",
        place="بزرگراه شرق اصفهان، تقاطع جاده نایین",
        submit=True,
    )
    returned = _pitch(
        governorate,
        "طرح‌های نیمه‌تمام استان در یک نگاه",
        PitchFormat.REPORT,
        "گزارشی از پیشرفت طرح‌های عمرانی نیمه‌تمام استان.",
        submit=True,
    )
    services.pitch_review(
        actor=chair,
        pitch=returned,
        decision=services.Decision.RETURN,
        comment="سوژه کلی است؛ یک طرح مشخص با روایت مردمی انتخاب کنید.",
    )
    rejected = _pitch(
        rail,
        "گزارش عملکرد سالانه راه‌آهن",
        PitchFormat.NEWS,
        "آمار جابه‌جایی بار و مسافر در سال گذشته.",
        submit=True,
    )
    services.pitch_review(
        actor=chair,
        pitch=rejected,
        decision=services.Decision.REJECT,
        comment="آمار عملکرد سوژه صدا و سیما نیست؛ در خبرنامه دستگاه منتشر شود.",
    )
    _pitch(
        airport,
        "یک روز با آتش‌نشانان فرودگاه",
        PitchFormat.DOCUMENTARY,
        "روایت یک روز کاری آتش‌نشانان فرودگاه بین‌المللی شهید بهشتی اصفهان.",
    )
    return []
