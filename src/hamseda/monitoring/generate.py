"""National-scale media monitoring for benchmarks (``hamseda generate``).

Outlets: eight national news agencies and two outlets per province (its
broadcaster's news site and a provincial news site), all without a feed address,
so no poller ever reads them. News: ``monitoring.corpus`` writes
``RELEASES_PER_AGENCY_PER_MONTH`` releases of every agency of every generated
province over the requested years, good, neutral and bad news, each republished
by 1-6 outlets in their own words, some with the province's campaigns' hashtags.

The articles go through the real pipeline, ``services.ingest.ingest_items``, in
batches per outlet, so every table is filled as polling fills it: articles with
their search tokens and story signatures, stories and their bands, mentions with
tone, campaign links, links to the offices' news releases. Alerts are not raised:
a generated past would send thousands of notices.

Why not a faster bulk path: what generated news is for is the stories, tones and
links the pipeline works out, and a bulk path would be a second copy of
ingestion's rules. The price, on a busy 2-core machine: 31 provinces over a year
(49,000 articles) took 4 minutes on PostgreSQL, a steady ~210 articles/s, so
five years (~247,000 articles) take about 20 minutes.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from hamseda.campaigns.models import Campaign, CampaignKind
from hamseda.core.registry import generator
from hamseda.directory.models import Agency, Province
from hamseda.monitoring.corpus import (
    AgencyRef,
    Article,
    CampaignRef,
    Corpus,
    Outlet,
    parsed_item,
)
from hamseda.monitoring.models import Mention, Source, SourceKind, Story

RELEASES_PER_AGENCY_PER_MONTH = 4
# Copies per release, on average, with ten outlets per province (corpus.COPIES).
MEAN_COPIES = 2.6
# Articles handed to the pipeline at a time, then split by outlet: ~140 per outlet
# and call, so what each call pays once (reading the matchers' versions, looking up
# the known addresses, refreshing stories) is paid rarely.
BATCH = 10_000

# (name, host, bylines, tails, weight)
NATIONAL: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...], float], ...] = (
    ("ایرنا", "www.irna.ir", ("{city} - ایرنا -", "به گزارش ایرنا،"), ("انتهای پیام",), 3.0),
    ("ایسنا", "www.isna.ir", ("به گزارش ایسنا،", "{province} - ایسنا -"), ("انتهای پیام/",), 2.5),
    ("خبرگزاری مهر", "www.mehrnews.com", ("به گزارش خبرنگار مهر،",), ("کد خبر: {code}",), 2.0),
    (
        "خبرگزاری تسنیم",
        "www.tasnimnews.com",
        ("به گزارش خبرگزاری تسنیم از {city}،",),
        ("انتهای پیام/",),
        2.0,
    ),
    ("خبرگزاری فارس", "www.farsnews.ir", ("به گزارش خبرگزاری فارس از {city}،",), (), 2.0),
    ("ایلنا", "www.ilna.ir", ("به گزارش ایلنا،",), ("انتهای پیام/",), 1.5),
    (
        "باشگاه خبرنگاران جوان",
        "www.yjc.ir",
        ("به گزارش گروه استان‌های باشگاه خبرنگاران جوان از {city}،",),
        (),
        1.5,
    ),
    ("خبرگزاری صدا و سیما", "www.iribnews.ir", ("به گزارش خبرگزاری صدا و سیما،",), (), 2.5),
)


# An outlet, its source's kind, weight and province.
_Spec = tuple[Outlet, str, float, Province | None]


def _national() -> list[_Spec]:
    outlets: list[_Spec] = []
    for index, (name, host, bylines, tails, weight) in enumerate(NATIONAL):
        outlet = Outlet(
            f"national-{index}",
            name,
            host,
            bylines,
            tails,
            arabic=0.3 if index % 3 == 2 else 0.0,
            spaced=0.2 if index % 2 else 0.0,
            summary=0.25 if index % 4 == 1 else 0.1,
            reach=weight,
        )
        outlets.append((outlet, SourceKind.NEWS_AGENCY, weight, None))
    return outlets


def _provincial(province: Province) -> list[_Spec]:
    code, name = province.code, province.name
    broadcaster = Outlet(
        f"{code}-iribnews",
        f"خبرگزاری صدا و سیما، مرکز {name}",
        f"{code}.iribnews.ir",
        ("به گزارش خبرگزاری صدا و سیما از {city}،",),
        ("انتهای پیام/",),
        province=name,
        reach=2.0,
    )
    local = Outlet(
        f"{code}-news",
        f"پایگاه خبری استان {name}",
        f"news-{code}.example",
        ("", "به گزارش خبرنگار ما از {city}،"),
        province=name,
        joined=0.4,
        rewrites=0.5,
        hashtags=True,
        reach=1.5,
    )
    return [
        (broadcaster, SourceKind.BROADCASTER, 2.0, province),
        (local, SourceKind.PROVINCIAL, 1.0, province),
    ]


def sources_for(provinces: Iterable[Province]) -> list[tuple[Source, Outlet]]:
    """The national outlets and those of ``provinces``, with their sources (made
    once, found again by site address)."""
    specs = _national()
    for province in provinces:
        specs += _provincial(province)
    pairs = []
    for outlet, kind, weight, home in specs:
        site = f"https://{outlet.host}/"
        source = Source.objects.filter(site_url=site, kind=kind).first()
        if source is None:
            source = Source.objects.create(
                name=outlet.name, kind=kind, site_url=site, weight=weight, province=home
            )
        pairs.append((source, outlet))
    return pairs


def agency_refs(provinces: Sequence[Province] | None = None) -> list[AgencyRef]:
    """The active agencies of ``provinces`` (all provinces when None) as the corpus
    needs them."""
    agencies = Agency.objects.filter(is_active=True, province__isnull=False)
    if provinces is not None:
        agencies = agencies.filter(province__in=provinces)
    return [
        AgencyRef(
            agency.name,
            agency.province.name if agency.province else None,
            tuple(alias.name for alias in agency.aliases.all()),
            agency.pk,
        )
        for agency in agencies.select_related("province").prefetch_related("aliases").order_by("pk")
    ]


# The beats (corpus_phrases.BEATS) whose news may carry a campaign's hashtags.
_CAMPAIGN_BEATS: dict[str, tuple[str, ...]] = {
    CampaignKind.MEDIA_HQ: ("housing", "newtown", "housing_foundation", "governorate"),
    CampaignKind.SEASONAL: ("roads", "rail", "airports", "weather", "infrastructure"),
    CampaignKind.CULTURE: ("engineering",),
}


def campaign_refs() -> list[CampaignRef]:
    return [
        CampaignRef(
            campaign.title,
            tuple(campaign.hashtags or ()) + tuple(campaign.keywords or ()),
            _CAMPAIGN_BEATS.get(campaign.kind, ()),
            campaign.start_date,
            campaign.end_date,
            campaign.province.name if campaign.province else None,
            campaign.pk,
        )
        for campaign in Campaign.objects.select_related("province").order_by("pk")
    ]


def _ingest(batch: list[Article], sources: dict[str, Source]) -> None:
    from hamseda.monitoring.services.ingest import ingest_items

    per_outlet: dict[str, list[Article]] = defaultdict(list)
    for article in batch:
        per_outlet[article.outlet.slug].append(article)
    for slug, articles in per_outlet.items():
        ingest_items(source=sources[slug], items=[parsed_item(a) for a in articles], alerts=False)


@generator("hamseda.monitoring")
def generate_monitoring(
    *,
    provinces: int,
    years: int,
    rng: random.Random,
    out: Any,
    releases_per_month: float = RELEASES_PER_AGENCY_PER_MONTH,
) -> None:
    # The provinces the directory generator fills (directory.generate).
    chosen = list(Province.objects.order_by("pk")[:provinces])
    done = set(
        Source.objects.filter(
            site_url__in=[f"https://news-{p.code}.example/" for p in chosen]
        ).values_list("province_id", flat=True)
    )
    targets = [p for p in chosen if p.pk not in done]
    agencies = agency_refs(targets)
    if not agencies:
        out.write("monitoring: nothing to generate\n")
        return
    pairs = sources_for(targets)
    sources = {outlet.slug: source for source, outlet in pairs}
    corpus = Corpus(
        agencies,
        [outlet for _source, outlet in pairs],
        campaign_refs(),
        seed=rng.randrange(1 << 30),
    )
    total = round(len(agencies) * releases_per_month * 12 * years * MEAN_COPIES)
    now = timezone.now()
    started = time.perf_counter()
    stories_before = Story.objects.count()
    batch: list[Article] = []
    made = 0
    for article in corpus.stream(total, start=now - timedelta(days=365 * years), end=now):
        batch.append(article)
        if len(batch) == BATCH:
            _ingest(batch, sources)
            made += len(batch)
            batch = []
            if made % (BATCH * 2) == 0:
                rate = made / (time.perf_counter() - started)
                out.write(f"monitoring: {made:,} / {total:,} articles ({rate:,.0f}/s)\n")
    if batch:
        _ingest(batch, sources)
        made += len(batch)
    out.write(
        f"monitoring: {made:,} articles from {len(pairs)} outlets, "
        f"{Story.objects.count() - stories_before:,} stories, "
        f"{Mention.objects.filter(province__in=targets).count():,} mentions "
        f"in {time.perf_counter() - started:.0f} s\n"
    )
