"""Realistic Persian news about agencies, the same for the same seed: the material of
the demo feeds (``scripts/make_demo_feeds.py``), the national-scale generator
(``monitoring.generate``) and the benchmarks (``scripts/bench_pipeline.py``,
``scripts/bench_search.py``). Pure: no database, no network.

A ``Release`` is what an agency's PR office (or, for bad news, the first outlet)
wrote: a title, a lead naming the agency, 2-6 sentences of its beat (roads,
railways, airports, weather, housing, new towns ...; ``corpus_phrases``) in one
tone, and sometimes a campaign's hashtags. ``Corpus.copies`` has outlets
republish it as each would: its own byline («به گزارش ایسنا،», «اصفهان - ایرنا -»,
«به گزارش روابط عمومی ...»), a tail («انتهای پیام», «کد خبر: ...»), a label on the
title, words swapped, a sentence dropped or two swapped, the lead only (an RSS
summary), Arabic ي/ك, half-spaces written as spaces or dropped. So the pipeline's
matcher, story clustering, tone and alerts all have real work to do, and a
benchmark's search queries have real words to find.

``rss`` and ``atom`` write the articles of one outlet as a feed document.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from zoneinfo import ZoneInfo

from hamseda.core.persian import ZWNJ, compact_key, fa_digits, normalize
from hamseda.monitoring.corpus_phrases import (
    BEATS,
    CITIES,
    GENERIC_LINES,
    MONTHS,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    SYNONYMS,
    TITLE_LABELS,
    Beat,
)
from hamseda.monitoring.feeds import (
    ParsedItem,
    canonical_url,
    content_hash,
    plain_text,
    sanitize_html,
)
from hamseda.monitoring.matching import agency_patterns

__all__ = [
    "AgencyRef",
    "Article",
    "CampaignRef",
    "Corpus",
    "Outlet",
    "Release",
    "atom",
    "beat_of",
    "parsed_item",
    "report_article",
    "rss",
]

TEHRAN = ZoneInfo("Asia/Tehran")
# How many outlets carry one release (1: an article no one else republished).
COPIES = (1, 2, 3, 4, 5, 6)
COPY_WEIGHTS = (0.3, 0.2, 0.17, 0.13, 0.11, 0.09)
TONE_WEIGHTS = {POSITIVE: 0.45, NEUTRAL: 0.35, NEGATIVE: 0.2}
# A synonym replaces whole words only: «گفت» but not the «گفت» of «به گفته».
_SYNONYMS = [
    (re.compile(rf"(?<![\w{ZWNJ}]){re.escape(word)}(?![\w{ZWNJ}])"), other)
    for word, other in SYNONYMS.items()
]


@dataclass(frozen=True)
class AgencyRef:
    """An agency as the corpus needs it; ``province`` is the province's name (None
    for a national agency)."""

    name: str
    province: str | None = None
    aliases: tuple[str, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class CampaignRef:
    """A campaign whose ``tags`` (hashtags, keywords) releases of ``beats`` (all when
    empty) may carry while it runs, in ``province`` (any when None)."""

    title: str
    tags: tuple[str, ...]
    beats: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    province: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Outlet:
    """How an outlet rewrites what it republishes. Byline templates know {city},
    {province} and {agency}; tails know {code}."""

    slug: str
    name: str
    host: str
    bylines: tuple[str, ...]
    tails: tuple[str, ...] = ()
    province: str | None = None  # carries only this province's news (None: all)
    agency_site: bool = False  # publishes releases first and as written, no bad news
    arabic: float = 0.0  # chance a copy has Arabic ي/ك
    spaced: float = 0.0  # chance its half-spaces are spaces
    joined: float = 0.0  # chance its half-spaces are dropped
    summary: float = 0.1  # chance it carries the lead only
    labels: float = 0.1  # chance of «فیلم/ »-like label on the title
    rewrites: float = 0.3  # chance of each edit: a sentence dropped, two swapped, words
    hashtags: bool = False  # keeps the release's hashtag line
    reach: float = 1.0  # how likely it is to pick a release up
    agencies: tuple[str, ...] = ()  # carries only these agencies' news (empty: any)


@dataclass(frozen=True)
class Release:
    number: int
    agency: AgencyRef
    beat: str
    tone: str
    title: str
    sentences: tuple[str, ...]
    tags: tuple[str, ...]
    campaign: CampaignRef | None
    published: datetime
    city: str
    province: str


@dataclass(frozen=True)
class Article:
    release: Release
    outlet: Outlet
    title: str
    paragraphs: tuple[str, ...]
    published: datetime
    url: str

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def html(self) -> str:
        return "".join(f"<p>{escape(p, quote=False)}</p>" for p in self.paragraphs)


# --- agencies --------------------------------------------------------------------


def beat_of(name: str) -> Beat:
    """The beat an agency's name puts it on (``general`` when none fits)."""
    key = compact_key(name)
    for beat in BEATS:
        if any(compact_key(word) in key for word in beat.keywords):
            return beat
    return BEATS[-1]


def _who(agency: AgencyRef, beat: Beat) -> str:
    """The agency's head as the press names them: «مدیرکل راه‌آهن منطقه اصفهان»."""
    words = agency.name.split()
    if words[:2] == ["اداره", "کل"]:
        return "مدیرکل " + " ".join(words[2:])
    return f"{beat.head} {agency.name}".strip()


def _forms(agency: AgencyRef) -> list[str]:
    """Names the press uses for the agency that the matcher knows: the name, its
    aliases and the shortened forms ``matching.agency_patterns`` derives."""
    forms = [
        form
        for form, _target in agency_patterns(
            [(0, agency.name, list(agency.aliases), agency.province)]
        )
    ]
    # The full name counts twice: most copies write it out.
    return [agency.name, *forms]


def _town(agency: AgencyRef, city: str) -> str:
    marker = "شهر جدید "
    return agency.name.split(marker, 1)[1] if marker in agency.name else city


def _airport(province: str) -> str:
    if province == "اصفهان":
        return "فرودگاه بین‌المللی شهید بهشتی"
    return f"فرودگاه {CITIES.get(province, (province,))[0]}"


# --- the corpus ------------------------------------------------------------------


@dataclass
class Corpus:
    """Releases and their copies for ``agencies``, republished by ``outlets``.

    Deterministic: the same arguments and calls give the same articles. ``home`` is
    the province national agencies' news is set in."""

    agencies: Sequence[AgencyRef]
    outlets: Sequence[Outlet]
    campaigns: Sequence[CampaignRef] = ()
    seed: int = 1404
    home: str = "اصفهان"
    tone_weights: dict[str, float] = field(default_factory=lambda: dict(TONE_WEIGHTS))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self._numbers = itertools.count(1)
        self._serials = itertools.count(1)
        self._forms: dict[str, list[str]] = {}

    # releases

    def release(
        self,
        published: datetime,
        *,
        agency: AgencyRef | None = None,
        tone: str | None = None,
        title: str = "",
        lead: str = "",
    ) -> Release:
        """A new release of ``agency`` (random when None) in ``tone`` (random when
        None). ``title`` and ``lead`` replace the beat's (placeholders allowed)."""
        rng = self.rng
        # Feeds carry whole seconds.
        published = published.replace(microsecond=0)
        agency = agency or rng.choice(self.agencies)
        if tone is None:
            tone = rng.choices(list(self.tone_weights), list(self.tone_weights.values()))[0]
        beat = beat_of(agency.name)
        province = agency.province or self.home
        cities = CITIES.get(province, (province,))
        city, city2 = rng.sample(cities, 2) if len(cities) > 1 else (cities[0], cities[0])
        hour = rng.randint(6, 18)
        values = {
            "who": _who(agency, beat),
            "city": city,
            "city2": city2,
            "town": _town(agency, city),
            "province": province,
            "airport": _airport(province),
            "few": fa_digits(rng.randint(2, 12)),
            "num": fa_digits(rng.randint(20, 900)),
            "big": fa_digits(rng.randint(1_000, 90_000)),
            "pct": fa_digits(rng.randint(10, 95)),
            "month": rng.choice(MONTHS),
            "hour": fa_digits(hour),
            "hour2": fa_digits(hour + rng.randint(2, 5)),
        }
        shape_title, shape_lead = rng.choice(beat.shapes[tone])
        own = list(beat.lines[tone])
        generic = list(GENERIC_LINES[tone])
        body = rng.sample(own, min(len(own), rng.randint(1, 3)))
        body += rng.sample(generic, rng.randint(1, 2))
        rng.shuffle(body)
        sentences = [self._fill(lead or shape_lead, values, agency)]
        sentences += [self._fill(line, values, agency) for line in body]
        campaign, tags = self._campaign_tags(beat, province, published)
        return Release(
            number=next(self._numbers),
            agency=agency,
            beat=beat.key,
            tone=tone,
            title=self._fill(title or shape_title, values, agency),
            sentences=tuple(sentences),
            tags=tags,
            campaign=campaign,
            published=published,
            city=city,
            province=province,
        )

    def _fill(self, template: str, values: dict[str, str], agency: AgencyRef) -> str:
        text = template
        while "{agency}" in text:
            text = text.replace("{agency}", self._agency_form(agency), 1)
        return normalize(text.format(**values))

    def _agency_form(self, agency: AgencyRef) -> str:
        forms = self._forms.get(agency.name)
        if forms is None:
            forms = self._forms[agency.name] = _forms(agency)
        return self.rng.choice(forms)

    def _campaign_tags(
        self, beat: Beat, province: str, published: datetime
    ) -> tuple[CampaignRef | None, tuple[str, ...]]:
        day = published.astimezone(TEHRAN).date()
        running = [
            c
            for c in self.campaigns
            if (not c.beats or beat.key in c.beats)
            and (c.province is None or c.province == province)
            and (c.start is None or c.start <= day)
            and (c.end is None or day <= c.end)
            and c.tags
        ]
        if not running or self.rng.random() >= 0.5:
            return None, ()
        campaign = self.rng.choice(running)
        tags = self.rng.sample(campaign.tags, min(len(campaign.tags), self.rng.randint(1, 2)))
        return campaign, tuple(tags)

    # copies

    def eligible(self, release: Release) -> list[Outlet]:
        """The outlets that may carry ``release``: national ones and those of its
        province; an agency site only for its own agencies' good and neutral news."""
        return [
            outlet
            for outlet in self.outlets
            if (outlet.province is None or outlet.province == release.province)
            and (not outlet.agencies or release.agency.name in outlet.agencies)
            and not (outlet.agency_site and release.tone == NEGATIVE)
        ]

    def copies(self, release: Release, outlets: Sequence[Outlet] | None = None) -> list[Article]:
        """The articles of ``release``: one per outlet of ``outlets``, or of a random
        number (1-6) of the eligible ones, an agency site first."""
        rng = self.rng
        if outlets is None:
            pool = self.eligible(release)
            sites = [o for o in pool if o.agency_site]
            others = [o for o in pool if not o.agency_site]
            count = min(len(pool), rng.choices(COPIES, COPY_WEIGHTS)[0])
            chosen: list[Outlet] = []
            if sites and release.tone != NEGATIVE and rng.random() < 0.6:
                chosen.append(rng.choice(sites))
            weights = [o.reach for o in others]
            while len(chosen) < count and others:
                pick = rng.choices(range(len(others)), weights)[0]
                chosen.append(others.pop(pick))
                weights.pop(pick)
            outlets = chosen
        articles = []
        delay = timedelta()
        for outlet in outlets:
            articles.append(self._copy(release, outlet, release.published + delay))
            # The next outlet picks it up minutes to a day later.
            delay += timedelta(minutes=rng.randint(8, 60) * rng.choice((1, 1, 2, 6, 12)))
        return articles

    def _copy(self, release: Release, outlet: Outlet, published: datetime) -> Article:
        rng = self.rng
        lead, *body = release.sentences
        edit = outlet.rewrites
        if len(body) > 2 and rng.random() < edit:
            del body[rng.randrange(len(body))]
        if len(body) > 1 and rng.random() < edit:
            i = rng.randrange(len(body) - 1)
            body[i], body[i + 1] = body[i + 1], body[i]
        if rng.random() < outlet.summary:
            body = body[:1]
        sentences = [lead, *body]
        text_parts = []
        for sentence in sentences:
            for pattern, other in _SYNONYMS:
                if rng.random() < edit / 3:
                    sentence = pattern.sub(other, sentence, count=1)
            text_parts.append(sentence)
        byline = rng.choice(outlet.bylines).format(
            city=release.city, province=release.province, agency=release.agency.name
        )
        if byline:
            joiner = " " if byline.endswith(("،", "؛", "-", ":")) else "، "
            text_parts[0] = f"{byline}{joiner}{text_parts[0]}"
        paragraphs: list[str] = []
        i = 0
        while i < len(text_parts):
            size = 1 if rng.random() < 0.6 else 2
            paragraphs.append(" ".join(text_parts[i : i + size]))
            i += size
        if release.tags and (outlet.hashtags or outlet.agency_site):
            paragraphs.append(" ".join(release.tags))
        if outlet.tails and rng.random() < 0.7:
            code = fa_digits(rng.randint(100_000, 9_999_999))
            paragraphs.append(rng.choice(outlet.tails).format(code=code))
        title = release.title
        if rng.random() < outlet.labels:
            title = rng.choice(TITLE_LABELS) + title
        title, paragraphs = self._spelling(outlet, title, paragraphs)
        # The seed in the address: two corpora (two generator runs) never share one.
        url = f"https://{outlet.host}/demo/news/{self.seed}-{next(self._serials)}"
        return Article(release, outlet, title, tuple(paragraphs), published, url)

    def _spelling(self, outlet: Outlet, title: str, paragraphs: list[str]) -> tuple[str, list[str]]:
        rng = self.rng
        texts = [title, *paragraphs]
        if rng.random() < outlet.arabic:
            texts = [t.replace("ی", "ي").replace("ک", "ك") for t in texts]
        roll = rng.random()
        if roll < outlet.joined:
            texts = [t.replace(ZWNJ, "") for t in texts]
        elif roll < outlet.joined + outlet.spaced:
            texts = [t.replace(ZWNJ, " ") for t in texts]
        return texts[0], texts[1:]

    def stream(
        self, n: int, *, start: datetime, end: datetime, per_slice: int = 500
    ) -> Iterator[Article]:
        """``n`` articles published between ``start`` and ``end``, about in time
        order: the period is cut into slices of about ``per_slice`` articles, each
        filled with releases at random moments and their copies, sorted. Memory
        stays bounded at any ``n``; a copy later than ``end`` is dated ``end``."""
        slices = max(1, math.ceil(n / per_slice))
        width = (end - start) / slices
        made = 0
        for index in range(slices):
            quota = round(n * (index + 1) / slices) - made
            lo = start + width * index
            batch: list[Article] = []
            while len(batch) < quota:
                moment = lo + width * self.rng.random()
                batch.extend(self.copies(self.release(moment)))
            batch.sort(key=lambda article: article.published)
            for article in batch[:quota]:
                yield article if article.published <= end else replace(article, published=end)
            made += quota


def parsed_item(article: Article) -> ParsedItem:
    """``article`` as ``feeds.parse_feed`` would read it from a feed: what the
    generator stores without writing and parsing a document."""
    summary_html = normalize(sanitize_html(article.html))
    title = normalize(article.title)
    text = plain_text(summary_html)
    return ParsedItem(
        url=article.url,
        canonical_url=canonical_url(article.url),
        title=title,
        summary_html=summary_html,
        text=text,
        published=article.published.astimezone(UTC),
        guid=article.url,
        content_hash=content_hash(title, text),
    )


def report_article(
    text: str, *, title: str, outlet: Outlet, published: datetime, agency: AgencyRef
) -> Article:
    """A given text (the reference report) as an article of ``outlet``: one
    paragraph per line."""
    paragraphs = tuple(line.strip() for line in text.splitlines() if line.strip())
    release = Release(
        number=0,
        agency=agency,
        beat=beat_of(agency.name).key,
        tone=NEUTRAL,
        title=title,
        sentences=paragraphs,
        tags=(),
        campaign=None,
        published=published,
        city="",
        province=agency.province or "",
    )
    url = f"https://{outlet.host}/demo/news/report-{published:%Y%m%d}"
    return Article(release, outlet, title, paragraphs, published, url)


# --- feed documents --------------------------------------------------------------


def _xml(text: str) -> str:
    return escape(text, quote=False)


def rss(outlet: Outlet, articles: Iterable[Article], *, description: str = "") -> bytes:
    """An RSS 2.0 document of ``articles`` (newest first as given), dates in Tehran
    time, each item's HTML in its description."""
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0">',
        "<channel>",
        f"<title>{_xml(outlet.name)}</title>",
        f"<link>https://{outlet.host}/</link>",
        f"<description>{_xml(description or outlet.name)}</description>",
        "<language>fa</language>",
    ]
    for article in articles:
        lines += [
            "<item>",
            f"<title>{_xml(article.title)}</title>",
            f"<link>{_xml(article.url)}</link>",
            f'<guid isPermaLink="true">{_xml(article.url)}</guid>',
            f"<pubDate>{format_datetime(article.published.astimezone(TEHRAN))}</pubDate>",
            f"<description>{_xml(article.html)}</description>",
            "</item>",
        ]
    lines += ["</channel>", "</rss>", ""]
    return "\n".join(lines).encode()


def atom(outlet: Outlet, articles: Iterable[Article]) -> bytes:
    """An Atom 1.0 document of ``articles``; ``updated`` is the newest entry's."""
    entries: list[str] = []
    newest: datetime | None = None
    for article in articles:
        stamp = article.published.astimezone(TEHRAN).isoformat()
        newest = max(newest, article.published) if newest else article.published
        entries += [
            "<entry>",
            f"<title>{_xml(article.title)}</title>",
            f'<link rel="alternate" href="{escape(article.url)}"/>',
            f"<id>{_xml(article.url)}</id>",
            f"<published>{stamp}</published>",
            f"<updated>{stamp}</updated>",
            f'<content type="html">{_xml(article.html)}</content>',
            "</entry>",
        ]
    updated = (newest or datetime(2000, 1, 1, tzinfo=TEHRAN)).astimezone(TEHRAN).isoformat()
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa">',
        f"<title>{_xml(outlet.name)}</title>",
        f'<link rel="alternate" href="https://{outlet.host}/"/>',
        f"<id>https://{outlet.host}/</id>",
        f"<updated>{updated}</updated>",
        *entries,
        "</feed>",
        "",
    ]
    return "\n".join(lines).encode()
