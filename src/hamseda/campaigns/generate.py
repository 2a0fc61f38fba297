"""National-scale campaigns for benchmarks (``hamseda generate``): in every
province with a council, a National Housing Movement media HQ over the
generated years, and the Nowruz and summer travel programmes of each year,
each with the template's messages and targets and last year's as ``previous``.
Rows go in with bulk_create, so derived keys (``text_key``)
are filled in by hand. The activities generator, which runs after this one,
links activities to these campaigns.
"""

from __future__ import annotations

import random
from typing import Any

from hamseda.campaigns.models import (
    Campaign,
    CampaignKind,
    KeyMessage,
    Season,
    Target,
    TargetMetric,
)
from hamseda.campaigns.seasons import TEMPLATES
from hamseda.core import jalali
from hamseda.core.registry import generator
from hamseda.directory.models import AgencyKind, Council, MembershipRole

HOUSING_MESSAGES = (
    "نهضت ملی مسکن با تأمین زمین، تسهیلات و نظارت دولت، خانه‌دار شدن خانواده‌ها را ممکن می‌کند.",
    "آمار پیشرفت طرح‌ها فقط از مرجع رسمی قرارگاه اعلام می‌شود.",
    "ثبت‌نام و واریز آورده فقط از سامانه رسمی طرح انجام می‌شود؛ به واسطه‌ها اعتماد نکنید.",
)
HOUSING_TARGETS = (
    ("انتشار خبر پیشرفت طرح‌ها", TargetMetric.KIND, 100, "news_release"),
    ("پوشش خبری افتتاح و بازدیدها", TargetMetric.KIND, 20, "event_coverage"),
    ("فعالیت‌های مشترک دستگاه‌ها", TargetMetric.JOINT, 30, ""),
    ("دستگاه‌های دارای فعالیت", TargetMetric.OFFICES, 6, ""),
)


def _campaign(**fields: Any) -> Campaign:
    campaign = Campaign(**fields)
    campaign.fill_text_key()
    return campaign


@generator("hamseda.campaigns")
def generate_campaigns(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    today = jalali.today()
    this_year = jalali.to_jalali(today).year
    first_year = this_year - years + 1
    taken = set(Campaign.objects.values_list("province_id", flat=True).distinct())
    councils = [
        c
        for c in Council.objects.select_related("province").prefetch_related(
            "memberships__office__agency"
        )
        if c.province_id not in taken
    ]
    campaigns: list[Campaign] = []
    owners: dict[int, list[int]] = {}  # id(campaign) -> co-owner office ids
    members: dict[int, list[int]] = {}  # id(campaign) -> participant office ids
    # (campaign, previous) pairs of seasonal programmes, linked after insert.
    chains: list[tuple[Campaign, Campaign]] = []
    for council in councils:
        memberships = list(council.memberships.all())
        chair = next((m.office for m in memberships if m.role == MembershipRole.CHAIR), None)
        if chair is None:
            continue
        governorate = [
            m.office.pk for m in memberships if m.office.agency.kind == AgencyKind.GOVERNORATE
        ]
        offices = [m.office.pk for m in memberships]
        hq = _campaign(
            title=f"قرارگاه رسانه‌ای نهضت ملی مسکن استان {council.province.name}",
            kind=CampaignKind.MEDIA_HQ,
            province=council.province,
            start_date=jalali.from_jalali(first_year, 1, 15),
            end_date=jalali.jalali_year_bounds(this_year)[1],
            hashtags=["#نهضت_ملی_مسکن", "#قانون_جهش_تولید_مسکن"],
            audiences=["متقاضیان ثبت‌نام‌شده نهضت ملی مسکن", "خبرنگاران حوزه مسکن و عمران"],
            description="اطلاع‌رسانی منسجم پیشرفت طرح‌های نهضت ملی مسکن در استان.",
        )
        campaigns.append(hq)
        owners[id(hq)] = [chair.pk, *governorate]
        members[id(hq)] = rng.sample(offices, k=min(len(offices), rng.randint(4, 8)))
        for season in (Season.NOWRUZ, Season.SUMMER):
            template = TEMPLATES[season]
            previous = None
            for year in range(first_year, this_year + 1):
                start, end = template.period(year)
                programme = _campaign(
                    title=template.title_for(year),
                    kind=CampaignKind.SEASONAL,
                    season=season,
                    season_year=year,
                    province=council.province,
                    start_date=start,
                    end_date=end,
                    hashtags=template.hashtags_for(year),
                    audiences=[str(a) for a in template.audiences],
                    description=str(template.description),
                )
                campaigns.append(programme)
                owners[id(programme)] = [chair.pk, *governorate]
                members[id(programme)] = offices
                if previous is not None:
                    chains.append((programme, previous))
                previous = programme
    Campaign.objects.bulk_create(campaigns, batch_size=500)
    for programme, previous in chains:
        programme.previous = previous
    Campaign.objects.bulk_update([p for p, _ in chains], ["previous"], batch_size=500)

    owner_rows = [
        Campaign.co_owners.through(campaign_id=c.pk, office_id=office_id)
        for c in campaigns
        for office_id in dict.fromkeys(owners[id(c)])
    ]
    participant_rows = [
        Campaign.participants.through(campaign_id=c.pk, office_id=office_id)
        for c in campaigns
        for office_id in dict.fromkeys([*owners[id(c)], *members[id(c)]])
    ]
    Campaign.co_owners.through.objects.bulk_create(owner_rows, batch_size=5000)
    Campaign.participants.through.objects.bulk_create(participant_rows, batch_size=5000)

    messages: list[KeyMessage] = []
    targets: list[Target] = []
    for campaign in campaigns:
        if campaign.season:
            template = TEMPLATES[campaign.season]
            texts = [str(m) for m in template.messages]
            specs = [
                (str(s.label), s.metric, s.target_value, s.activity_kind) for s in template.targets
            ]
        else:
            texts, specs = list(HOUSING_MESSAGES), list(HOUSING_TARGETS)
        messages += [
            KeyMessage(campaign=campaign, position=i, text=text) for i, text in enumerate(texts, 1)
        ]
        past = campaign.end_date < today
        for i, (label, metric, value, kind) in enumerate(specs, 1):
            manual = metric == TargetMetric.MANUAL
            targets.append(
                Target(
                    campaign=campaign,
                    position=i,
                    label=label,
                    metric=metric,
                    activity_kind=kind,
                    target_value=value,
                    # Last year's figure; the generated activities come later,
                    # so a plausible number stands in for the computed one.
                    baseline_value=(
                        round(value * rng.uniform(0.6, 1.2)) if campaign.previous_id else None
                    ),
                    manual_value=round(value * rng.uniform(0.5, 1.3)) if manual and past else None,
                )
            )
    KeyMessage.objects.bulk_create(messages, batch_size=2000)
    Target.objects.bulk_create(targets, batch_size=2000)
    out.write(
        f"campaigns: {len(campaigns)} campaigns, {len(messages)} key messages, "
        f"{len(targets)} targets\n"
    )
