"""National-scale activities for benchmarks (``hamseda generate``): every office
of every council plans and reports about two activities a month over the
requested years, some of them joint, many linked to the province's campaigns.
Rows go in with bulk_create, so ``text_key`` is filled in by hand and the
overlap index is built in bulk (``overlap.index_bulk``)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from hamseda.activities import overlap
from hamseda.activities.models import (
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
    Channel,
)
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali
from hamseda.core.registry import generator
from hamseda.directory.models import Council, MembershipRole

PER_OFFICE_PER_YEAR = 24

# (kind, weight, title patterns); {topic} and {place} are filled in below.
KINDS: list[tuple[str, int, list[str]]] = [
    (
        ActivityKind.NEWS_RELEASE,
        40,
        [
            "انتشار خبر {topic}",
            "اطلاعیه درباره {topic}",
            "گزارش خبری پیشرفت {topic} در {place}",
        ],
    ),
    (
        ActivityKind.INTERVIEW,
        10,
        ["مصاحبه مدیرکل درباره {topic}", "گفت‌وگوی رادیویی درباره {topic}"],
    ),
    (
        ActivityKind.PRESS_CONFERENCE,
        6,
        ["نشست خبری {topic}", "نشست خبری مدیرکل با اصحاب رسانه درباره {topic}"],
    ),
    (
        ActivityKind.EVENT_COVERAGE,
        12,
        ["پوشش خبری آیین {topic} در {place}", "بازدید خبرنگاران از {topic} در {place}"],
    ),
    (ActivityKind.PUBLICATION, 3, ["ویژه‌نامه {topic}", "بروشور آموزشی {topic}"]),
    (ActivityKind.MULTIMEDIA, 10, ["اینفوگرافیک {topic}", "ویدئوی کوتاه {topic} در {place}"]),
    (ActivityKind.BROADCAST_ITEM, 5, ["گزارش تلویزیونی {topic}", "برنامه رادیویی {topic}"]),
    (ActivityKind.SOCIAL_CAMPAIGN, 6, ["پویش مجازی {topic}", "پویش شبکه‌های اجتماعی {topic}"]),
    (ActivityKind.BRIEFING, 4, ["نشست توجیهی {topic} برای گروه‌های مرجع"]),
    (ActivityKind.EXHIBITION, 4, ["غرفه نمایشگاهی {topic}", "نمایشگاه عکس {topic}"]),
]
TOPICS = [
    "طرح نهضت ملی مسکن",
    "ایمنی سفرهای نوروزی",
    "سفرهای تابستانی",
    "بازگشایی محور مواصلاتی",
    "بهره‌برداری از پروژه راه روستایی",
    "افزایش قطارهای مسافری",
    "پروازهای فوق‌العاده",
    "پیش‌بینی بارش و هشدار هواشناسی",
    "مقاوم‌سازی ساختمان‌ها",
    "آزادسازی زمین برای مسکن",
    "هفته دولت",
    "روز ملی ایمنی حمل و نقل",
    "طرح زمستانی راهداری",
    "بهسازی ایستگاه راه‌آهن",
    "توسعه فرودگاه",
    "واگذاری واحدهای مسکونی شهر جدید",
]
PLACES = [
    "مرکز استان",
    "شهر جدید",
    "محور اصلی استان",
    "ایستگاه راه‌آهن",
    "فرودگاه",
    "شهرستان‌های استان",
]
DESCRIPTIONS = [
    "با حضور مدیران استانی و خبرنگاران رسانه‌های محلی",
    "برای اطلاع‌رسانی به مردم و پاسخ به پرسش‌های پرتکرار",
    "در هماهنگی با شورای روابط عمومی‌ها و استانداری",
    "همراه با تولید عکس و ویدئو برای شبکه‌های اجتماعی",
    "با انتشار در پایگاه خبری و ارسال به خبرگزاری‌ها",
]
CHANNELS = [c.value for c in Channel if c != Channel.OTHER]


def _pick_kind(rng: random.Random) -> tuple[str, list[str]]:
    total = sum(weight for _kind, weight, _patterns in KINDS)
    roll = rng.uniform(0, total)
    for kind, weight, patterns in KINDS:
        roll -= weight
        if roll <= 0:
            return kind, patterns
    return KINDS[0][0], KINDS[0][2]


@generator("hamseda.activities")
def generate_activities(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    today = jalali.today()
    start = today - dt.timedelta(days=365 * years)
    days = (today + dt.timedelta(days=60) - start).days
    councils = list(
        Council.objects.filter(province__activities__isnull=True)
        .select_related("province")
        .prefetch_related("memberships")
        .distinct()
    )
    campaigns_of: dict[int | None, list[Campaign]] = {}
    for campaign in Campaign.objects.all():
        campaigns_of.setdefault(campaign.province_id, []).append(campaign)
    activities: list[Activity] = []
    partners: list[tuple[int, int]] = []  # (index in activities, office id)
    campaign_links: list[tuple[int, int]] = []  # (index, campaign id)
    for council in councils:
        offices = [
            m.office_id for m in council.memberships.all() if m.role != MembershipRole.BROADCASTER
        ]
        running = campaigns_of.get(council.province_id, [])
        for office_id in offices:
            for _n in range(PER_OFFICE_PER_YEAR * years):
                kind, patterns = _pick_kind(rng)
                day = start + dt.timedelta(days=rng.randrange(days))
                length = 0 if rng.random() < 0.85 else rng.randint(1, 5)
                if day > today:
                    status = ActivityStatus.PLANNED
                elif rng.random() < 0.05:
                    status = ActivityStatus.CANCELLED
                else:
                    status = (
                        ActivityStatus.DONE
                        if day < today - dt.timedelta(days=3)
                        else (ActivityStatus.PLANNED)
                    )
                title = rng.choice(patterns).format(
                    topic=rng.choice(TOPICS), place=rng.choice(PLACES)
                )
                activity = Activity(
                    title=title,
                    description=rng.choice(DESCRIPTIONS),
                    kind=kind,
                    status=status,
                    start_date=day,
                    end_date=day + dt.timedelta(days=length),
                    lead_office_id=office_id,
                    province_id=council.province_id,
                    channels=rng.sample(CHANNELS, k=rng.randint(1, 3)),
                    audience=rng.randint(200, 50_000) if status == ActivityStatus.DONE else None,
                )
                activity.fill_text_key()
                index = len(activities)
                activities.append(activity)
                if len(offices) > 1 and rng.random() < 0.12:
                    partner = rng.choice([o for o in offices if o != office_id])
                    partners.append((index, partner))
                for campaign in running:
                    if campaign.start_date <= day <= campaign.end_date and rng.random() < 0.6:
                        campaign_links.append((index, campaign.pk))
    Activity.objects.bulk_create(activities, batch_size=2000)
    ActivityPartner.objects.bulk_create(
        [ActivityPartner(activity=activities[i], office_id=office) for i, office in partners],
        batch_size=2000,
    )
    Link = Activity.campaigns.through
    Link.objects.bulk_create(
        [Link(activity_id=activities[i].pk, campaign_id=c) for i, c in campaign_links],
        batch_size=2000,
    )
    bands = overlap.index_bulk(activities)
    out.write(
        f"activities: {len(activities)} ({len(partners)} joint, "
        f"{len(campaign_links)} campaign links, {bands} index bands)\n"
    )
