"""Write the demo's news feeds, src/hamseda/monitoring/data/demo_feeds/*.xml (not a test).

    python scripts/make_demo_feeds.py [--seed 1405] [--releases 125]

The same seed gives the same bytes, so the files can be committed and re-made.
Eight outlets (``monitoring.demo.DEMO_FEEDS``) carry the news of the Isfahan
council's agencies over the ``demo.DAYS`` days up to ``demo.ANCHOR`` (the day the
demo shifts to today; see ``monitoring.demo``), written by ``monitoring.corpus``:

- ordinary releases of every agency, good, neutral or bad news, each carried by
  1-6 outlets in their own words, some with a campaign's hashtags;
- the news releases of the activities demo (``demo.LINKED_RELEASES``): the
  ministry's site carries the office's one-line brief first, other outlets its
  longer text, so ingestion links the story to the office's release;
- the reference report of the council's meeting (``tests/data/
  council-meeting-news.fa.txt``) on the ministry's site, copied by two outlets;
- on the anchor day, heavy snow: a burst of road news from the small hours on,
  enough for a spike alert of the roads directorate, and ordinary news through
  the day, which the demo's poller finds as the day goes on.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamseda.settings")
os.environ.setdefault("HAMSEDA_TESTING", "1")  # no database is touched

import django

django.setup()

from hamseda.campaigns import demo as campaigns_demo  # noqa: E402
from hamseda.directory.demo import DATA as DIRECTORY_DATA  # noqa: E402
from hamseda.directory.demo import ISFAHAN_ALIASES  # noqa: E402
from hamseda.monitoring import corpus, demo  # noqa: E402
from hamseda.monitoring.corpus import (  # noqa: E402
    TEHRAN,
    AgencyRef,
    Article,
    CampaignRef,
    Corpus,
)
from hamseda.monitoring.corpus_phrases import NEGATIVE, NEUTRAL, POSITIVE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "src/hamseda/monitoring/tests/data/council-meeting-news.fa.txt"
REPORT_TITLE = (
    "نشست شورای هماهنگی ارتباطات و اطلاع‌رسانی دستگاه‌های وزارت راه و شهرسازی "
    "در استان اصفهان برگزار شد"
)
REPORT_DAYS = -12
ROADS = "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان"
WEATHER = "اداره کل هواشناسی استان اصفهان"
CHAIR = "اداره کل راه و شهرسازی استان اصفهان"

# The hashtags of the demo campaigns (campaigns/demo.py) and the beats they cover.
CAMPAIGNS = (
    CampaignRef(
        campaigns_demo.HOUSING_HQ,
        ("#نهضت_ملی_مسکن", "#قانون_جهش_تولید_مسکن", "#مسکن_اصفهان"),
        beats=("housing", "newtown", "housing_foundation", "governorate"),
    ),
    CampaignRef(
        campaigns_demo.ENGINEERING_CULTURE,
        ("#ساختمان_ایمن", "#نظام_مهندسی", "#شناسنامه_فنی_ساختمان"),
        beats=("engineering",),
    ),
)

# The anchor day's snow: (agency, tone, title, lead, hour, minute).
SNOW = (
    (
        ROADS,
        NEGATIVE,
        "بارش سنگین برف و معطلی خودروها در محور {city}–{city2}",
        "بارش سنگین برف از بامداد امروز محور {city}–{city2} را بست و رانندگان از تأخیر "
        "ماشین‌آلات {agency} گلایه کردند.",
        0,
        40,
    ),
    (
        WEATHER,
        NEUTRAL,
        "هشدار نارنجی هواشناسی برای بارش برف و کولاک در {province}",
        "{who} برای بارش شدید برف و کولاک در ارتفاعات استان {province} هشدار نارنجی صادر کرد "
        "و از رانندگان خواست از سفرهای غیرضروری خودداری کنند.",
        1,
        10,
    ),
    (
        ROADS,
        NEUTRAL,
        "محور {city}–{city2} به دلیل کولاک مسدود شد",
        "{who} گفت: محور {city}–{city2} به دلیل کولاک و لغزندگی شدید تا اطلاع ثانوی مسدود است.",
        2,
        5,
    ),
    (
        ROADS,
        NEGATIVE,
        "سرگردانی مسافران در گردنه‌های برفی {city}",
        "ده‌ها خودرو در گردنه‌های برفی {city} ساعت‌ها سرگردان ماندند و مسافران از کمبود "
        "ماشین‌آلات {agency} انتقاد کردند.",
        4,
        30,
    ),
    (
        ROADS,
        POSITIVE,
        "بازگشایی محور {city}–{city2} با تلاش راهداران",
        "با تلاش شبانه‌روزی راهداران {agency}، محور {city}–{city2} پس از ساعت‌ها بازگشایی شد.",
        10,
        15,
    ),
    (
        ROADS,
        NEUTRAL,
        "تردد در محورهای برفی {province} فقط با زنجیر چرخ",
        "به گفته {who}، تردد در محورهای برفی استان {province} فقط با زنجیر چرخ ممکن است.",
        15,
        45,
    ),
)


def _agencies() -> list[AgencyRef]:
    with (DIRECTORY_DATA / "isfahan-council.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        AgencyRef(
            row["name_fa"],
            None if row["kind"] == "ministry_centre" else demo.ISFAHAN,
            tuple(ISFAHAN_ALIASES.get(row["name_fa"], ())),
        )
        for row in rows
        # The broadcaster is an outlet more than a subject of the news.
        if row["role"] != "broadcaster"
    ]


def _at(days: int, hour: int, minute: int) -> datetime:
    day = demo.ANCHOR + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=TEHRAN)


def _outlet(slug: str) -> corpus.Outlet:
    return next(feed.outlet for feed in demo.DEMO_FEEDS if feed.slug == slug)


def _linked(corp: Corpus, spec: demo.LinkedRelease) -> list[Article]:
    """The office's brief on the ministry's site, then longer copies elsewhere."""
    agency = next(a for a in corp.agencies if a.name == spec.agency)
    start = _at(spec.days, 9, 30)
    base = corp.release(start, agency=agency, tone=POSITIVE, title=spec.title, lead=spec.lead)
    brief = replace(base, sentences=(spec.lead,), tags=())
    full = replace(base, sentences=(spec.lead, *spec.more), tags=())
    articles = corp.copies(brief, [_outlet("mrud")])
    summary = replace(_outlet("isna"), summary=1.0, rewrites=0.0)
    articles += corp.copies(replace(full, published=start + timedelta(minutes=40)), [summary])
    later = [_outlet("irna"), _outlet("imna")]
    articles += corp.copies(replace(full, published=start + timedelta(hours=2)), later)
    return articles


def _report(corp: Corpus) -> list[Article]:
    text = REPORT.read_text(encoding="utf-8")
    published = _at(REPORT_DAYS, 10, 30)
    centre = next(a for a in corp.agencies if a.province is None)
    original = corpus.report_article(
        text, title=REPORT_TITLE, outlet=_outlet("mrud"), published=published, agency=centre
    )
    # The outlets that copy it put their own byline where the ministry's site had its.
    paragraphs = list(original.paragraphs)
    body = paragraphs[0].split("؛", 1)[1].strip()
    copies = []
    # ایمنا carries the lead paragraph only, ایرنا the first half.
    for slug, byline, keep, hours in (
        ("imna", "به گزارش ایمنا،", 1, 3),
        ("irna", "اصفهان - ایرنا -", 6, 5),
    ):
        outlet = _outlet(slug)
        copies.append(
            replace(
                original,
                outlet=outlet,
                paragraphs=(f"{byline} {body}", *paragraphs[1:keep]),
                published=published + timedelta(hours=hours),
                url=f"https://{outlet.host}/demo/news/report-{published:%Y%m%d}",
            )
        )
    return [original, *copies]


def build(seed: int, releases: int) -> dict[str, list[Article]]:
    agencies = _agencies()
    corp = Corpus(agencies, [feed.outlet for feed in demo.DEMO_FEEDS], CAMPAIGNS, seed=seed)
    rng = random.Random(seed)
    end = _at(0, 23, 59)
    articles: list[Article] = []
    # Ordinary news over the days before the anchor day, in working hours: one
    # release every day at least, the others on random days.
    days = [-day for day in range(1, demo.DAYS + 1)]
    days += [-rng.randint(1, demo.DAYS) for _ in range(max(0, releases - demo.DAYS))]
    for day in days:
        moment = _at(day, rng.randint(7, 21), rng.randint(0, 59))
        articles += corp.copies(corp.release(moment))
    for spec in demo.LINKED_RELEASES:
        articles += _linked(corp, spec)
    articles += _report(corp)
    by_name = {agency.name: agency for agency in agencies}
    for name, tone, title, lead, hour, minute in SNOW:
        release = corp.release(
            _at(0, hour, minute), agency=by_name[name], tone=tone, title=title, lead=lead
        )
        articles += corp.copies(release)
    # Ordinary news through the anchor day: the poller finds it as the day goes on.
    for hour in (8, 9, 11, 12, 13, 14, 16, 18, 19, 21):
        articles += corp.copies(corp.release(_at(0, hour, rng.randint(0, 59))))
    feeds: dict[str, list[Article]] = {feed.slug: [] for feed in demo.DEMO_FEEDS}
    for article in articles:
        if article.published <= end:
            feeds[article.outlet.slug].append(article)
    for items in feeds.values():
        items.sort(key=lambda article: (article.published, article.url), reverse=True)
    return feeds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=1405)
    parser.add_argument("--releases", type=int, default=125)
    parser.add_argument("--out", type=Path, default=demo.FEEDS_DIR)
    args = parser.parse_args()
    feeds = build(args.seed, args.releases)
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for feed in demo.DEMO_FEEDS:
        items = feeds[feed.slug]
        write = corpus.atom if feed.atom else corpus.rss
        (args.out / f"{feed.slug}.xml").write_bytes(write(feed.outlet, items))
        total += len(items)
        print(f"{feed.slug:<18} {len(items):>4} items")
    print(f"{total} items in {len(feeds)} feeds, in {args.out}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
