"""Demo of media monitoring: eight outlets (national news agencies, Isfahan's own
media and the ministry's news site) whose RSS/Atom feeds the demo site serves
itself (``views.demo``, files in ``data/demo_feeds`` written by
``scripts/make_demo_feeds.py``), so the demo's worker polls real feeds over HTTP,
conditional GET included, with no network.

Dates. The committed files are dated relative to a fixed day, ``ANCHOR`` (items
over the 60 days up to it). ``feed_document`` moves every date by whole days so
that ``ANCHOR`` becomes today (Tehran), whenever the demo runs, and leaves out the
items whose moved time is still ahead: those appear during the day, and the
poller finds new articles between its polls. The loader reads the files through
the same function, so the first page the demo shows matches the feeds.

The loader creates the sources and stores the feeds' items once through
``services.ingest.ingest_items`` (the demo is not empty before the first poll;
a second load stores nothing: ingestion drops what is stored). Items go in in
time order across the outlets, as polling would see them, so the first outlet
to carry a release starts its story. ``LINKED_RELEASES`` are news releases of
the activities demo that the feeds republish. Their activities have a title
only, and ingestion compares a release's text with the first article of a new
story: only a one-sentence article can resemble a one-line title enough. So the
ministry's site carries the office's one-line brief first (ingestion links the
story it starts), a summary follows and the longer copies join through it. A
story of such a release that ingestion did not link (the copies did not join)
is linked by hand through ``services.stories.story_link_activity``, as the
office's PR officer would.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from itertools import groupby
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import timezone

from hamseda.core import jalali
from hamseda.core.registry import demo_loader
from hamseda.directory.models import Person, Province
from hamseda.monitoring.corpus import Outlet
from hamseda.monitoring.feeds import ParsedItem, parse_feed
from hamseda.monitoring.models import Source, SourceKind, Story

FEEDS_DIR = Path(__file__).resolve().parent / "data" / "demo_feeds"
# The day the committed feed files are dated relative to (see the module docstring).
ANCHOR = date(2026, 1, 1)
DAYS = 60
DEFAULT_BASE_URL = "http://127.0.0.1:8000"

# The agencies of the ministry of roads and urban development in Isfahan: the
# ministry's news site carries their releases only.
MINISTRY_AGENCIES = (
    "اداره کل راه و شهرسازی استان اصفهان",
    "اداره کل راهداری و حمل و نقل جاده‌ای استان اصفهان",
    "اداره کل راه‌آهن منطقه اصفهان",
    "اداره کل فرودگاه‌های استان اصفهان",
    "اداره کل هواشناسی استان اصفهان",
    "شرکت عمران شهر جدید بهارستان",
    "شرکت عمران شهر جدید مجلسی",
    "شرکت عمران شهر جدید فولادشهر",
    "مجری طرح‌های زیربنایی حمل و نقل استان اصفهان",
    "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی",
)


@dataclass(frozen=True)
class DemoFeed:
    outlet: Outlet
    kind: str
    weight: float
    province: str | None  # Province.code; None for a national outlet
    atom: bool = False

    @property
    def slug(self) -> str:
        return self.outlet.slug

    @property
    def content_type(self) -> str:
        kind = "atom" if self.atom else "rss"
        return f"application/{kind}+xml; charset=utf-8"


ISFAHAN = "اصفهان"
DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed(
        Outlet(
            "irna",
            "ایرنا",
            "www.irna.ir",
            ("{city} - ایرنا -", "به گزارش خبرنگار ایرنا از {city}،", "به گزارش ایرنا،"),
            ("انتهای پیام",),
            spaced=0.1,
            summary=0.1,
            labels=0.15,
            reach=3.0,
        ),
        SourceKind.NEWS_AGENCY,
        3.0,
        None,
    ),
    DemoFeed(
        Outlet(
            "isna",
            "ایسنا",
            "www.isna.ir",
            ("به گزارش ایسنا،", "{province} - ایسنا -"),
            ("انتهای پیام/",),
            joined=0.3,
            summary=0.35,
            reach=2.5,
        ),
        SourceKind.NEWS_AGENCY,
        2.5,
        None,
    ),
    DemoFeed(
        Outlet(
            "mehr",
            "خبرگزاری مهر",
            "www.mehrnews.com",
            ("به گزارش خبرنگار مهر،", "به گزارش خبرگزاری مهر از {city}،"),
            ("کد خبر: {code}",),
            arabic=0.5,
            labels=0.2,
            reach=2.0,
        ),
        SourceKind.NEWS_AGENCY,
        2.0,
        None,
        atom=True,
    ),
    DemoFeed(
        Outlet(
            "tasnim",
            "خبرگزاری تسنیم",
            "www.tasnimnews.com",
            ("به گزارش خبرگزاری تسنیم از {city}،",),
            ("انتهای پیام/",),
            spaced=0.3,
            labels=0.3,
            reach=1.5,
        ),
        SourceKind.NEWS_AGENCY,
        2.0,
        None,
    ),
    DemoFeed(
        Outlet(
            "imna",
            "ایمنا",
            "www.imna.ir",
            ("به گزارش خبرنگار ایمنا،", "به گزارش ایمنا،"),
            ("کد خبر: {code}",),
            province=ISFAHAN,
            hashtags=True,
            reach=2.0,
        ),
        SourceKind.PROVINCIAL,
        1.5,
        "isfahan",
    ),
    DemoFeed(
        Outlet(
            "esfahan-emrooz",
            "روزنامه اصفهان امروز",
            "www.esfahanemrooz.ir",
            ("", "به گزارش اصفهان امروز،"),
            province=ISFAHAN,
            joined=0.5,
            rewrites=0.5,
            reach=1.0,
        ),
        SourceKind.PROVINCIAL,
        1.0,
        "isfahan",
    ),
    DemoFeed(
        Outlet(
            "iribnews-isfahan",
            "خبرگزاری صدا و سیما، مرکز اصفهان",
            "isfahan.iribnews.ir",
            ("به گزارش خبرگزاری صدا و سیما از {city}،",),
            ("انتهای پیام/",),
            province=ISFAHAN,
            summary=0.2,
            reach=1.5,
        ),
        SourceKind.BROADCASTER,
        2.0,
        "isfahan",
    ),
    DemoFeed(
        Outlet(
            "mrud",
            "پایگاه خبری وزارت راه و شهرسازی",
            "news.mrud.ir",
            (
                "به گزارش پایگاه خبری وزارت راه و شهرسازی از {province}،",
                "به گزارش روابط عمومی {agency}،",
            ),
            agency_site=True,
            hashtags=True,
            summary=0.0,
            rewrites=0.0,
            labels=0.0,
            agencies=MINISTRY_AGENCIES,
        ),
        SourceKind.AGENCY_SITE,
        1.0,
        None,
        atom=True,
    ),
)
_BY_SLUG = {feed.slug: feed for feed in DEMO_FEEDS}


@dataclass(frozen=True)
class LinkedRelease:
    """A news release of the activities demo (``activities.demo.PLANS``: office,
    title, ``days`` from today) that the demo feeds republish: the office's site
    carries ``lead`` alone first, other outlets add ``more``."""

    agency: str
    title: str
    days: int
    lead: str
    more: tuple[str, ...]


LINKED_RELEASES: tuple[LinkedRelease, ...] = (
    LinkedRelease(
        "شرکت عمران شهر جدید بهارستان",
        "پیشرفت ۷۰ درصدی واحدهای مسکن ملی بهارستان",
        -30,
        "مدیرعامل شرکت عمران شهر جدید بهارستان از پیشرفت ۷۰ درصدی واحدهای مسکن ملی "
        "بهارستان خبر داد.",
        (
            "وی افزود: ساخت ۴۸۰۰ واحد نهضت ملی مسکن در این شهر با سرعت ادامه دارد و "
            "نخستین واحدها تا پایان سال تحویل می‌شود.",
            "به گفته وی، شبکه آب، برق و گاز این واحدها همزمان با ساخت اجرا می‌شود.",
        ),
    ),
    LinkedRelease(
        "اداره کل هواشناسی استان اصفهان",
        "پیش‌بینی نخستین بارش برف پاییزی در ارتفاعات",
        -10,
        "مدیرکل هواشناسی استان اصفهان از نخستین بارش برف پاییزی در ارتفاعات غرب استان خبر داد.",
        (
            "وی گفت: این سامانه بارشی از فردا شب وارد استان می‌شود و تا پایان هفته در "
            "ارتفاعات فریدونشهر، چادگان و سمیرم برف می‌بارد.",
            "وی از رانندگان خواست با زنجیر چرخ و تجهیزات زمستانی سفر کنند.",
        ),
    ),
)


# --- the feeds as served ---------------------------------------------------------


@dataclass(frozen=True)
class DemoDocument:
    body: bytes
    content_type: str
    last_modified: datetime | None  # the newest item's time


_ITEM_RE = re.compile(r"<(item|entry)>.*?</\1>\n?", re.DOTALL)
_DATE_RE = re.compile(r"<(pubDate|published|updated)>([^<]+)</\1>")
_FEED_UPDATED_RE = re.compile(r"<updated>[^<]+</updated>")


def _moved(tag: str, value: str, shift: timedelta) -> datetime:
    if tag == "pubDate":
        return parsedate_to_datetime(value.strip()) + shift
    return datetime.fromisoformat(value.strip()) + shift


def _written(tag: str, when: datetime) -> str:
    return format_datetime(when) if tag == "pubDate" else when.isoformat()


def feed_document(name: str, *, now: datetime | None = None) -> DemoDocument | None:
    """The demo feed ``name`` as served at ``now`` (None for an unknown name): dates
    moved so that ``ANCHOR`` is today, items still ahead of ``now`` left out."""
    feed = _BY_SLUG.get(name)
    if feed is None:
        return None
    now = now or timezone.now()
    shift = timedelta(days=(jalali.local_date(now) - ANCHOR).days)
    newest: datetime | None = None

    def item(match: re.Match[str]) -> str:
        nonlocal newest
        published: datetime | None = None

        def moved(date_match: re.Match[str]) -> str:
            nonlocal published
            tag = date_match.group(1)
            when = _moved(tag, date_match.group(2), shift)
            if tag != "updated" or published is None:
                published = when
            return f"<{tag}>{_written(tag, when)}</{tag}>"

        block = _DATE_RE.sub(moved, match.group(0))
        if published is not None and published > now:
            return ""
        if published is not None and (newest is None or published > newest):
            newest = published
        return block

    text = _ITEM_RE.sub(item, (FEEDS_DIR / f"{name}.xml").read_text(encoding="utf-8"))
    if feed.atom and newest is not None:
        # The feed's own <updated> comes before the entries: the first one.
        text = _FEED_UPDATED_RE.sub(f"<updated>{newest.isoformat()}</updated>", text, count=1)
    return DemoDocument(text.encode(), feed.content_type, newest)


def document_etag(document: DemoDocument) -> str:
    return '"' + hashlib.sha256(document.body).hexdigest()[:32] + '"'


def feed_path(name: str) -> str:
    return reverse("monitoring:demo_feed", args=[name])


def point_demo_feeds(base_url: str) -> int:
    """Point the demo sources at the demo feeds served from ``base_url`` (the
    address ``hamseda demo`` listens on); returns how many changed."""
    changed = 0
    base = base_url.rstrip("/")
    for feed in DEMO_FEEDS:
        path = feed_path(feed.slug)
        changed += (
            Source.objects.filter(feed_url__endswith=path)
            .exclude(feed_url=base + path)
            .update(feed_url=base + path)
        )
    return changed


# --- the loader --------------------------------------------------------------------


def demo_sources() -> dict[str, Source]:
    """The demo's sources, made once (found again by their feed's path)."""
    provinces = {p.code: p for p in Province.objects.filter(code__in={"isfahan"})}
    sources: dict[str, Source] = {}
    for feed in DEMO_FEEDS:
        path = feed_path(feed.slug)
        source = Source.objects.filter(feed_url__endswith=path).first()
        if source is None:
            source = Source(
                name=feed.outlet.name,
                kind=feed.kind,
                feed_url=DEFAULT_BASE_URL + path,
                site_url=f"https://{feed.outlet.host}/",
                weight=feed.weight,
                province=provinces[feed.province] if feed.province else None,
                poll_minutes=30,
            )
            source.full_clean()
            source.save()
        sources[feed.slug] = source
    return sources


def _items(sources: dict[str, Source], now: datetime) -> list[tuple[datetime, str, ParsedItem]]:
    found: list[tuple[datetime, str, ParsedItem]] = []
    for feed in DEMO_FEEDS:
        document = feed_document(feed.slug, now=now)
        assert document is not None
        parsed = parse_feed(
            document.body,
            url=sources[feed.slug].feed_url,
            headers={"content-type": document.content_type},
        )
        found.extend((item.published or now, feed.slug, item) for item in parsed.items)
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return found


def _link_by_hand() -> int:
    """Link the stories of ``LINKED_RELEASES`` that ingestion did not link to their
    release (when the activities demo has it), as the office's PR officer would."""
    from hamseda.activities.models import Activity, ActivityKind
    from hamseda.monitoring.services.stories import story_link_activity

    linked = 0
    for spec in LINKED_RELEASES:
        activity = (
            Activity.objects.filter(
                kind=ActivityKind.NEWS_RELEASE,
                lead_office__agency__name=spec.agency,
                title=spec.title,
            )
            .select_related("lead_office")
            .first()
        )
        if activity is None:
            continue
        actor = (
            Person.objects.filter(office=activity.lead_office, is_active=True)
            .order_by("pk")
            .first()
            or Person.objects.filter(username="admin").first()
        )
        if actor is None:
            continue
        for story in Story.objects.filter(
            activity__isnull=True, articles__title=spec.title
        ).distinct():
            story_link_activity(actor=actor, story=story, activity=activity)
            linked += 1
    return linked


@demo_loader("hamseda.monitoring")
def load_monitoring_demo() -> list[dict[str, Any]]:
    from hamseda.monitoring.services.ingest import ingest_items

    sources = demo_sources()
    now = timezone.now()
    # Runs of consecutive items of one outlet, in time order (see the docstring).
    for slug, run in groupby(_items(sources, now), key=lambda entry: entry[1]):
        ingest_items(source=sources[slug], items=[item for _when, _slug, item in run])
    _link_by_hand()
    return []  # no demo users of its own
