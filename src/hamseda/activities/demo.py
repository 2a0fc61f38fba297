"""Demo activities of the Isfahan offices: months of news releases, interviews,
visits and campaigns' work, some joint, linked to the demo campaigns, and a few
real parallel plans for the chair's overlap report to catch. Dates are relative
to today, so the demo looks the same whenever it is loaded. Written through the
services, so the overlap index and the audit trail are real too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from hamseda.activities import services
from hamseda.activities.models import Activity, ActivityKind, ActivityStatus, Channel
from hamseda.campaigns import demo as campaigns_demo
from hamseda.campaigns import seasons
from hamseda.campaigns.demo import (
    AIRPORTS,
    BAHARESTAN,
    CHAIR,
    ENGINEERING,
    FOULADSHAHR,
    GOVERNORATE,
    HOUSING_FOUNDATION,
    INFRASTRUCTURE,
    MAJLESI,
    RAIL,
    ROADS,
    WEATHER,
)
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.registry import demo_loader
from hamseda.directory.models import Office, Person

INFRA = INFRASTRUCTURE

K = ActivityKind


@dataclass(frozen=True)
class Plan:
    office: str
    days: int  # from today (negative: done in the past), or from the campaign's start

    kind: str
    title: str
    description: str = ""
    campaign: str = ""
    partners: tuple[str, ...] = ()
    length: int = 0
    channels: tuple[str, ...] = (Channel.WEBSITE, Channel.NEWS_AGENCY)
    # Counted from the start of ``campaign`` (a seasonal programme has fixed
    # Jalali dates, wherever today is).
    anchored: bool = False


# The pairs the overlap report should show: two offices planning the same work.
OVERLAPS: list[tuple[Plan, Plan]] = [
    (
        Plan(
            CHAIR,
            9,
            K.EVENT_COVERAGE,
            "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان",
            "بازدید اصحاب رسانه استان از پیشرفت واحدهای نهضت ملی مسکن در شهر جدید بهارستان",
            campaigns_demo.HOUSING_HQ,
        ),
        Plan(
            BAHARESTAN,
            10,
            K.EVENT_COVERAGE,
            "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان",
            "تور رسانه‌ای خبرنگاران برای دیدن پیشرفت فیزیکی واحدهای مسکن ملی بهارستان",
            campaigns_demo.HOUSING_HQ,
        ),
    ),
    (
        Plan(
            GOVERNORATE,
            16,
            K.EXHIBITION,
            "نمایشگاه دستاوردهای نهضت ملی مسکن استان اصفهان",
            "غرفه‌های تصویری از پروژه‌های مسکن ملی در سرسرای استانداری",
            campaigns_demo.HOUSING_HQ,
            length=3,
        ),
        Plan(
            HOUSING_FOUNDATION,
            17,
            K.EXHIBITION,
            "نمایشگاه دستاوردهای طرح مسکن ملی در استان",
            "نمایش عکس و ماکت طرح‌های نهضت ملی مسکن برای مردم و رسانه‌ها",
            campaigns_demo.HOUSING_HQ,
            length=2,
        ),
    ),
    (
        Plan(
            ROADS,
            12,
            K.PRESS_CONFERENCE,
            "نشست خبری طرح زمستانی راهداری استان اصفهان",
            "اعلام آمادگی راهداران برای بارش برف و باز نگه داشتن محورها",
        ),
        Plan(
            INFRA,
            13,
            K.PRESS_CONFERENCE,
            "نشست خبری آمادگی طرح زمستانی راهداری در استان اصفهان",
            "گزارش آمادگی ماشین‌آلات و راهداران برای زمستان به خبرنگاران",
        ),
    ),
]

# The rest of the calendar: what each office did and plans.
N04, N05 = campaigns_demo.NOWRUZ_1404, campaigns_demo.NOWRUZ_1405
S04, S05 = campaigns_demo.SUMMER_1404, campaigns_demo.SUMMER_1405
HQ, CULTURE = campaigns_demo.HOUSING_HQ, campaigns_demo.ENGINEERING_CULTURE
TV = (Channel.BROADCASTER,)
SOCIAL = (Channel.BALE, Channel.EITAA, Channel.RUBIKA)
PLANS: list[Plan] = [
    # Nowruz 1404, last year's programme: the baseline of 1405
    Plan(
        CHAIR,
        2,
        K.PRESS_CONFERENCE,
        "نشست خبری ستاد سفرهای نوروزی ۱۴۰۴ استان اصفهان",
        "",
        N04,
        partners=(ROADS,),
        anchored=True,
    ),
    Plan(
        ROADS,
        5,
        K.NEWS_RELEASE,
        "اطلاعیه محدودیت‌های ترافیکی نوروز ۱۴۰۴",
        "",
        N04,
        channels=SOCIAL,
        anchored=True,
    ),
    Plan(RAIL, 3, K.NEWS_RELEASE, "قطارهای فوق‌العاده نوروز ۱۴۰۴ از اصفهان", "", N04, anchored=True),
    Plan(
        WEATHER,
        6,
        K.INTERVIEW,
        "مصاحبه رادیویی درباره هوای تعطیلات نوروز ۱۴۰۴",
        "",
        N04,
        channels=TV,
        anchored=True,
    ),
    # Nowruz 1405
    Plan(
        CHAIR,
        2,
        K.PRESS_CONFERENCE,
        "نشست خبری ستاد سفرهای نوروزی استان اصفهان",
        "اعلام برنامه‌های ستاد سفرهای نوروزی ۱۴۰۵ با حضور دستگاه‌های عضو",
        N05,
        partners=(ROADS, RAIL, AIRPORTS),
        anchored=True,
    ),
    Plan(
        ROADS,
        5,
        K.NEWS_RELEASE,
        "اطلاعیه محدودیت‌های ترافیکی نوروز در محورهای استان",
        "",
        N05,
        channels=(Channel.WEBSITE, *SOCIAL),
        anchored=True,
    ),
    Plan(
        RAIL, 3, K.NEWS_RELEASE, "افزایش قطارهای فوق‌العاده نوروزی از اصفهان", "", N05, anchored=True
    ),
    Plan(
        AIRPORTS,
        4,
        K.NEWS_RELEASE,
        "برقراری پروازهای فوق‌العاده نوروزی فرودگاه شهید بهشتی",
        "",
        N05,
        anchored=True,
    ),
    Plan(
        WEATHER,
        6,
        K.BROADCAST_ITEM,
        "پیش‌بینی هوای تعطیلات نوروز در برنامه رادیویی",
        "گفت‌وگوی زنده با رادیو اصفهان",
        N05,
        channels=TV,
        anchored=True,
    ),
    Plan(
        ROADS,
        8,
        K.INTERVIEW,
        "مصاحبه مدیرکل راهداری درباره تردد نوروزی",
        "",
        N05,
        channels=TV,
        anchored=True,
    ),
    # Summer 1404 and 1405
    Plan(RAIL, 10, K.NEWS_RELEASE, "قطارهای تابستانی ۱۴۰۴ اصفهان به مشهد", "", S04, anchored=True),
    Plan(
        ROADS,
        20,
        K.SOCIAL_CAMPAIGN,
        "پویش سفر ایمن تابستان ۱۴۰۴",
        "",
        S04,
        channels=SOCIAL,
        anchored=True,
    ),
    Plan(
        RAIL,
        5,
        K.NEWS_RELEASE,
        "برنامه قطارهای تابستانی اصفهان به مشهد و شمال",
        "",
        S05,
        anchored=True,
    ),
    Plan(
        ROADS,
        15,
        K.SOCIAL_CAMPAIGN,
        "پویش سفر ایمن تابستانی در شبکه‌های اجتماعی",
        "",
        S05,
        channels=SOCIAL,
        anchored=True,
    ),
    Plan(
        WEATHER,
        30,
        K.NEWS_RELEASE,
        "هشدار موج گرما و توصیه‌های سفر تابستانی",
        "",
        S05,
        anchored=True,
    ),
    Plan(
        AIRPORTS,
        45,
        K.EVENT_COVERAGE,
        "پوشش خبری افتتاح پایانه جدید فرودگاه اصفهان",
        "",
        S05,
        partners=(CHAIR,),
        length=1,
        anchored=True,
    ),
    # The Housing Movement media HQ
    Plan(
        CHAIR,
        20,
        K.NEWS_RELEASE,
        "آغاز تحویل واحدهای نهضت ملی مسکن فولادشهر",
        "",
        HQ,
        partners=(FOULADSHAHR,),
        anchored=True,
    ),
    Plan(
        MAJLESI,
        60,
        K.EVENT_COVERAGE,
        "آیین کلنگ‌زنی واحدهای مسکن ملی شهر جدید مجلسی",
        "",
        HQ,
        partners=(GOVERNORATE,),
        anchored=True,
    ),
    Plan(BAHARESTAN, -30, K.NEWS_RELEASE, "پیشرفت ۷۰ درصدی واحدهای مسکن ملی بهارستان", "", HQ),
    Plan(
        GOVERNORATE, -21, K.INTERVIEW, "گفت‌وگوی استاندار درباره نهضت ملی مسکن", "", HQ, channels=TV
    ),
    Plan(
        FOULADSHAHR,
        3,
        K.NEWS_RELEASE,
        "اطلاعیه ثبت‌نام مرحله تازه مسکن ملی فولادشهر",
        "",
        HQ,
        channels=(Channel.WEBSITE, Channel.SMS),
    ),
    # Building engineering culture-building
    Plan(
        ENGINEERING,
        5,
        K.BRIEFING,
        "نشست توجیهی مقررات ملی ساختمان برای انبوه‌سازان",
        "",
        CULTURE,
        anchored=True,
    ),
    Plan(
        ENGINEERING,
        20,
        K.MULTIMEDIA,
        "اینفوگرافیک نقش مهندس ناظر در ایمنی ساختمان",
        "",
        CULTURE,
        channels=(Channel.INSTAGRAM, Channel.BALE),
        anchored=True,
    ),
    Plan(
        ENGINEERING,
        7,
        K.SOCIAL_CAMPAIGN,
        "پویش «ساختمان ایمن، خانواده ایمن»",
        "",
        CULTURE,
        channels=(Channel.INSTAGRAM, Channel.EITAA),
    ),
    # Outside any campaign
    Plan(CHAIR, -60, K.PUBLICATION, "ویژه‌نامه هفته دولت راه و شهرسازی اصفهان", "", length=2),
    Plan(
        INFRA,
        -58,
        K.EVENT_COVERAGE,
        "پوشش افتتاح بزرگراه شرق اصفهان در هفته دولت",
        "",
        partners=(ROADS,),
    ),
    Plan(WEATHER, -10, K.NEWS_RELEASE, "پیش‌بینی نخستین بارش برف پاییزی در ارتفاعات", ""),
    Plan(RAIL, -5, K.INTERVIEW, "مصاحبه مدیرکل راه‌آهن درباره قطار اصفهان–شیراز", "", channels=TV),
    Plan(AIRPORTS, 5, K.BRIEFING, "نشست توجیهی خبرنگاران درباره طرح توسعه فرودگاه", ""),
    Plan(WEATHER, 20, K.MULTIMEDIA, "ویدئوی آموزشی رانندگی در برف و مه", "", partners=(ROADS,)),
    Plan(RAIL, 24, K.EVENT_COVERAGE, "پوشش خبری بهره‌برداری از ایستگاه راه‌آهن کاشان", "", length=1),
]

# Ordinary output between the planned items above, a few a month per office,
# each office about its own work (so they are not parallel work of each other).
ROUTINE: dict[str, list[tuple[str, str]]] = {
    CHAIR: [
        (K.NEWS_RELEASE, "گزارش پیشرفت طرح‌های آزادسازی زمین برای مسکن"),
        (K.NEWS_RELEASE, "بازدید مدیرکل از پروژه‌های بازآفرینی شهری"),
    ],
    ROADS: [
        (K.NEWS_RELEASE, "آمار تردد خودروها در محورهای استان"),
        (K.MULTIMEDIA, "ویدئوی عملیات روکش آسفالت راه‌های روستایی"),
    ],
    RAIL: [
        (K.NEWS_RELEASE, "جابه‌جایی مسافر و بار در ناحیه ریلی اصفهان"),
        (K.MULTIMEDIA, "گزارش تصویری نوسازی ایستگاه‌های راه‌آهن"),
    ],
    AIRPORTS: [
        (K.NEWS_RELEASE, "آمار پروازها و مسافران فرودگاه شهید بهشتی"),
        (K.MULTIMEDIA, "گزارش تصویری پروژه توسعه پایانه پروازهای خارجی"),
    ],
    WEATHER: [
        (K.NEWS_RELEASE, "پیش‌بینی وضعیت جوی هفته آینده استان"),
        (K.NEWS_RELEASE, "گزارش بارش‌های ماه و مقایسه با سال گذشته"),
    ],
    BAHARESTAN: [
        (K.NEWS_RELEASE, "پیشرفت زیرساخت‌های آب و برق شهر بهارستان"),
        (K.MULTIMEDIA, "عکس‌های هوایی از فضای سبز بهارستان"),
    ],
    MAJLESI: [
        (K.NEWS_RELEASE, "واگذاری زمین خدماتی در شهر جدید مجلسی"),
        (K.NEWS_RELEASE, "پیشرفت شبکه معابر شهر مجلسی"),
    ],
    FOULADSHAHR: [
        (K.NEWS_RELEASE, "بهسازی بوستان‌های شهر فولادشهر"),
        (K.NEWS_RELEASE, "پیشرفت مدارس در دست ساخت فولادشهر"),
    ],
    INFRA: [
        (K.NEWS_RELEASE, "پیشرفت فیزیکی تقاطع‌های غیرهمسطح کمربندی"),
        (K.MULTIMEDIA, "گزارش ویدئویی عملیات احداث پل‌های بزرگراه"),
    ],
}


def _people(offices: dict[str, Office]) -> dict[int, Person]:
    """Who writes each office's activities: its own staff where the demo has
    someone there, otherwise the administrator."""
    admin = Person.objects.get(username="admin")
    by_office: dict[int, Person] = {}
    for person in Person.objects.filter(office__in=offices.values(), is_active=True).order_by("pk"):
        by_office.setdefault(person.office_id, person)  # type: ignore[arg-type]
    return {office.pk: by_office.get(office.pk, admin) for office in offices.values()}


def _create(
    plan: Plan,
    *,
    offices: dict[str, Office],
    actors: dict[int, Person],
    campaigns: dict[str, Campaign],
    today: dt.date,
) -> Activity:
    office = offices[plan.office]
    campaign = campaigns.get(plan.campaign)
    origin = campaign.start_date if campaign is not None and plan.anchored else today
    day = origin + dt.timedelta(days=plan.days)
    return services.activity_create(
        actor=actors[office.pk],
        office=office,
        title=plan.title,
        description=plan.description,
        kind=plan.kind,
        status=ActivityStatus.DONE if day < today else ActivityStatus.PLANNED,
        start_date=day,
        end_date=day + dt.timedelta(days=plan.length),
        campaigns=[campaign] if campaign else [],
        messages=list(campaign.messages.all()[:1]) if campaign and day < today else [],
        channels=plan.channels,
        partners=[offices[name] for name in plan.partners],
        audience=None,
        # The demo stores parallel plans on purpose: the overlap report finds them.
        overlap_confirmed=True,
    )


@demo_loader("hamseda.activities")
def load_activities_demo() -> list[dict[str, Any]]:
    if Activity.objects.filter(province__code="isfahan").exists():
        return []
    offices = {
        office.agency.name: office
        for office in Office.objects.filter(agency__province__code="isfahan").select_related(
            "agency"
        )
    }
    actors = _people(offices)
    campaigns = {
        campaign.title: campaign
        for campaign in Campaign.objects.filter(province__code="isfahan").prefetch_related(
            "messages"
        )
    }
    today = jalali.today()
    for plan in PLANS:
        _create(plan, offices=offices, actors=actors, campaigns=campaigns, today=today)
    for first, second in OVERLAPS:
        _create(first, offices=offices, actors=actors, campaigns=campaigns, today=today)
        _create(second, offices=offices, actors=actors, campaigns=campaigns, today=today)
    # Last year's programmes now have their activities: take the baselines again.
    chair = Person.objects.get(username="isf-chair")
    for title in (campaigns_demo.NOWRUZ_1405, campaigns_demo.SUMMER_1405):
        if title in campaigns:
            seasons.season_baselines_refresh(actor=chair, campaign=campaigns[title])
    rng = random.Random(1405)
    for name, items in ROUTINE.items():
        for days_back in range(-240, 0, 21):
            kind, title = rng.choice(items)
            plan = Plan(name, days_back + rng.randint(0, 6), kind, title)
            _create(plan, offices=offices, actors=actors, campaigns=campaigns, today=today)
    return []  # no demo users of its own (load_demo prints the users it is given)
