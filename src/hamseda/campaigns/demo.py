"""Demo campaigns of the Isfahan council, as the reference report names them:
the National Housing Movement media HQ (run by the roads and urban development
directorate and the governorate), the Nowruz and summer travel programmes of
1405 (each started from the year before, so baselines show), and the building
engineering culture-building campaign. Written through the services, like a
council chair would, so the audit trail is real too.

The activities demo (which runs after this one) links activities to these
campaigns by their titles, the constants below.
"""

from __future__ import annotations

from typing import Any

from hamseda.activities.models import ActivityKind
from hamseda.campaigns import seasons, services
from hamseda.campaigns.models import Campaign, CampaignKind, Season, TargetMetric
from hamseda.core import jalali, persian
from hamseda.core.registry import demo_loader
from hamseda.directory.models import Office, Person, Province

HOUSING_HQ = "قرارگاه رسانه‌ای نهضت ملی مسکن استان اصفهان"
ENGINEERING_CULTURE = "پویش فرهنگ‌سازی «ساختمان ایمن، زندگی ایمن»"
NOWRUZ_1404 = "ستاد سفرهای نوروزی ۱۴۰۴"
NOWRUZ_1405 = "ستاد سفرهای نوروزی ۱۴۰۵"
SUMMER_1404 = "سفرهای تابستانی ۱۴۰۴"
SUMMER_1405 = "سفرهای تابستانی ۱۴۰۵"

CHAIR = "اداره کل راه و شهرسازی استان اصفهان"
ROADS = "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان"
RAIL = "اداره کل راه‌آهن منطقه اصفهان"
AIRPORTS = "اداره کل فرودگاه‌های استان اصفهان"
WEATHER = "اداره کل هواشناسی استان اصفهان"
BAHARESTAN = "شرکت عمران شهر جدید بهارستان"
MAJLESI = "شرکت عمران شهر جدید مجلسی"
FOULADSHAHR = "شرکت عمران شهر جدید فولادشهر"
INFRASTRUCTURE = "مجری طرح‌های زیربنایی حمل و نقل استان اصفهان"
GOVERNORATE = "استانداری اصفهان"
HOUSING_FOUNDATION = "بنیاد مسکن انقلاب اسلامی استان اصفهان"
ENGINEERING = "سازمان نظام مهندسی ساختمان استان اصفهان"
BROADCASTER = "صدا و سیمای مرکز اصفهان"

TRAVEL_PARTNERS = (ROADS, RAIL, AIRPORTS, WEATHER, INFRASTRUCTURE, BROADCASTER)
NEW_TOWNS = (BAHARESTAN, MAJLESI, FOULADSHAHR)

# Figures of the manual "travellers informed" target, by programme.
TRAVELLERS_INFORMED = {
    NOWRUZ_1404: 1_850_000,
    NOWRUZ_1405: 2_140_000,
    SUMMER_1404: 960_000,
    SUMMER_1405: 1_120_000,
}


class _Isfahan:
    def __init__(self) -> None:
        self.province = Province.objects.get(code="isfahan")
        offices = Office.objects.filter(agency__province=self.province).select_related("agency")
        self.offices = {office.agency.name: office for office in offices}
        self.chair = Person.objects.get(username="isf-chair")

    def office(self, name: str) -> Office:
        return self.offices[persian.normalize(name)]

    def all(self, *names: str) -> list[Office]:
        return [self.office(name) for name in names if persian.normalize(name) in self.offices]


def _housing_hq(isf: _Isfahan) -> Campaign:
    campaign = services.campaign_create(
        actor=isf.chair,
        title=HOUSING_HQ,
        kind=CampaignKind.MEDIA_HQ,
        start_date=jalali.from_jalali(1405, 1, 15),
        end_date=jalali.from_jalali(1405, 12, jalali.days_in_month(1405, 12)),
        province=isf.province,
        co_owners=isf.all(CHAIR, GOVERNORATE),
        participants=isf.all(HOUSING_FOUNDATION, *NEW_TOWNS, ENGINEERING, BROADCASTER),
        description=(
            "قرارگاه مشترک اداره کل راه و شهرسازی و استانداری اصفهان برای اطلاع‌رسانی "
            "منسجم پیشرفت طرح‌های نهضت ملی مسکن: از تأمین زمین و ثبت‌نام تا ساخت و تحویل "
            "واحدها، با یک صدا و بر پایه آمار رسمی."
        ),
        hashtags=["#نهضت_ملی_مسکن", "#قانون_جهش_تولید_مسکن", "#مسکن_اصفهان"],
        audiences=[
            "متقاضیان ثبت‌نام‌شده نهضت ملی مسکن",
            "زوج‌های جوان و خانواده‌های فاقد مسکن",
            "ساکنان شهرهای جدید استان",
            "انبوه‌سازان و تعاونی‌های مسکن",
            "خبرنگاران حوزه مسکن و عمران",
        ],
    )
    for text in (
        "نهضت ملی مسکن با تأمین زمین، تسهیلات و نظارت دولت، خانه‌دار شدن خانواده‌های "
        "فاقد مسکن را ممکن می‌کند.",
        "آمار پیشرفت طرح‌ها فقط از مرجع رسمی قرارگاه اعلام می‌شود؛ هر دستگاه همان رقم را بازنشر کند.",
        "ثبت‌نام و واریز آورده فقط از سامانه رسمی طرح نهضت ملی مسکن انجام می‌شود؛ به "
        "واسطه‌ها اعتماد نکنید.",
        "شهرهای جدید بهارستان، مجلسی و فولادشهر با زیرساخت کامل، آماده پذیرش خانواده‌های "
        "نهضت ملی مسکن‌اند.",
        "کیفیت ساخت واحدها با نظارت مهندسان ناظر سازمان نظام مهندسی تضمین می‌شود.",
    ):
        services.message_add(actor=isf.chair, campaign=campaign, text=text)
    for label, metric, value, kind in (
        ("انتشار خبر پیشرفت طرح‌ها", TargetMetric.KIND, 120, ActivityKind.NEWS_RELEASE),
        ("پوشش خبری افتتاح و بازدیدها", TargetMetric.KIND, 24, ActivityKind.EVENT_COVERAGE),
        ("اینفوگرافیک و ویدئو", TargetMetric.KIND, 30, ActivityKind.MULTIMEDIA),
        ("فعالیت‌های مشترک دستگاه‌ها", TargetMetric.JOINT, 40, ""),
        ("دستگاه‌های دارای فعالیت", TargetMetric.OFFICES, 8, ""),
        ("متقاضیان اطلاع‌یافته با پیامک", TargetMetric.MANUAL, 250_000, ""),
    ):
        target = services.target_add(
            actor=isf.chair,
            campaign=campaign,
            label=label,
            metric=metric,
            target_value=value,
            activity_kind=kind,
        )
        if metric == TargetMetric.MANUAL:
            services.target_record(actor=isf.chair, target=target, value=138_000)
    return campaign


def _engineering_culture(isf: _Isfahan) -> Campaign:
    campaign = services.campaign_create(
        actor=isf.chair,
        title=ENGINEERING_CULTURE,
        kind=CampaignKind.CULTURE,
        start_date=jalali.from_jalali(1405, 7, 1),
        end_date=jalali.from_jalali(1405, 12, 15),
        province=isf.province,
        co_owners=isf.all(ENGINEERING, CHAIR),
        participants=isf.all(GOVERNORATE, HOUSING_FOUNDATION, *NEW_TOWNS, BROADCASTER),
        description=(
            "فرهنگ‌سازی درباره ساخت‌وساز ایمن و مقاوم، نقش مهندس ناظر، شناسنامه فنی "
            "ساختمان و صرفه‌جویی انرژی بر پایه مقررات ملی ساختمان؛ در پی مصوبه شورای "
            "هماهنگی، با هم‌افزایی دستگاه‌ها."
        ),
        hashtags=["#ساختمان_ایمن", "#نظام_مهندسی", "#شناسنامه_فنی_ساختمان"],
        audiences=[
            "مالکان و سازندگان",
            "خریداران و مستأجران مسکن",
            "مهندسان ناظر و طراح",
            "دانشجویان عمران و معماری",
        ],
    )
    for text in (
        "ساختمان ایمن با طراحی و نظارت مهندس صاحب صلاحیت ساخته می‌شود.",
        "پیش از خرید یا اجاره، شناسنامه فنی و ملکی ساختمان را بخواهید.",
        "مقاوم‌سازی در برابر زلزله هزینه نیست؛ سرمایه‌گذاری برای جان خانواده است.",
        "رعایت مبحث نوزدهم مقررات ملی ساختمان، هزینه انرژی خانه را کم می‌کند.",
    ):
        services.message_add(actor=isf.chair, campaign=campaign, text=text)
    for label, metric, value, kind in (
        ("نشست توجیهی سازندگان و مالکان", TargetMetric.KIND, 8, ActivityKind.BRIEFING),
        ("اینفوگرافیک و ویدئوی آموزشی", TargetMetric.KIND, 24, ActivityKind.MULTIMEDIA),
        ("برنامه صداوسیما", TargetMetric.KIND, 6, ActivityKind.BROADCAST_ITEM),
        ("همه فعالیت‌های انجام‌شده", TargetMetric.ACTIVITIES, 50, ""),
        ("فعالیت‌های مشترک دستگاه‌ها", TargetMetric.JOINT, 12, ""),
    ):
        services.target_add(
            actor=isf.chair,
            campaign=campaign,
            label=label,
            metric=metric,
            target_value=value,
            activity_kind=kind,
        )
    return campaign


def _season(isf: _Isfahan, season: str, year: int, *, first: bool) -> Campaign:
    campaign = seasons.season_start(
        actor=isf.chair,
        season=season,
        year=year,
        province=isf.province,
        co_owners=isf.all(CHAIR, GOVERNORATE) if first else None,
    )
    if first:
        for office in isf.all(*TRAVEL_PARTNERS):
            services.participant_add(actor=isf.chair, campaign=campaign, office=office)
    informed = next(t for t in campaign.targets.all() if t.metric == TargetMetric.MANUAL)
    services.target_record(
        actor=isf.chair, target=informed, value=TRAVELLERS_INFORMED[campaign.title]
    )
    return campaign


@demo_loader("hamseda.campaigns")
def load_campaigns_demo() -> list[dict[str, Any]]:
    if Campaign.objects.filter(title=HOUSING_HQ, province__code="isfahan").exists():
        return []
    isf = _Isfahan()
    _housing_hq(isf)
    # Each season's 1405 programme is started from 1404's, which gives the
    # baselines (the activities demo adds last year's activities; the page's
    # «به‌روزرسانی مبنا» takes them in).
    for season in (Season.NOWRUZ, Season.SUMMER):
        _season(isf, season, 1404, first=True)
        _season(isf, season, 1405, first=False)
    _engineering_culture(isf)
    return []
