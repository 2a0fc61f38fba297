"""The ingestion pipeline: parsed feed items in, articles stored once, out.

``ingest_items`` takes what ``feeds.parse_feed`` (or ``feeds.article_from_text``)
made of one source's items and, in one transaction per call:

1. drops what is already stored: the canonical URL anywhere, the content hash in
   this source, or an earlier item of the same call;
2. reads each new article (no database): agencies named in it (``matching``, over
   the search key, whatever the spelling), its tone toward each (``tone``),
   campaigns by their hashtags and keywords in their period, the story
   fingerprint (``stories``) and the full-text tokens (``search``);
3. puts each into the story of its most similar recent article, read back from
   ``StoryBand`` into an in-memory ``StoryIndex`` (a bounded number of rows: the
   bands of this call's articles, within ``STORY_WINDOW``), or starts a story;
4. writes articles, stories, bands, mentions and campaign links in bulk, refreshes
   the touched stories' coverage, links a new story to the office's news release
   it came from, and after commit raises alerts (``monitoring.alerts``).

A concurrent writer storing the same article first is not an error: the insert
falls back to one row at a time and the item comes back as already stored.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

import numpy as np
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.core import jalali
from hamseda.directory.models import Agency, AgencyAlias, Province
from hamseda.monitoring import matching, search, stories
from hamseda.monitoring.feeds import ParsedItem
from hamseda.monitoring.models import (
    Article,
    ArticleVia,
    Mention,
    Source,
    SourceKind,
    Story,
    StoryBand,
)
from hamseda.monitoring.tone import tones_of

# Articles further apart than this are never put in one story.
STORY_WINDOW = timedelta(days=7)
# A campaign's coverage starts a little before its period and runs on after it.
CAMPAIGN_LEAD = timedelta(days=7)
CAMPAIGN_TAIL = timedelta(days=14)
# A news release is linked to a story published this many days after it at most.
RELEASE_LAG_DAYS = 3
RELEASE_THRESHOLD = stories.THRESHOLD
# A date further in the future than this is the outlet's clock: read as "now".
FUTURE_SLACK = timedelta(hours=1)
# Parameters per IN (...) list: SQLite allows 32,766 in all; stay far below.
_CHUNK = 900


@dataclass(frozen=True)
class IngestResult:
    article_id: int
    created: bool
    agency_ids: tuple[int, ...]
    campaign_ids: tuple[int, ...]
    story_id: int | None
    tones: dict[int, str] = field(default_factory=dict)


@dataclass
class _Reading:
    """What the pipeline made of one new item before anything is written."""

    index: int
    item: ParsedItem
    published: datetime
    tokens: str
    fingerprint: stories.Fingerprint
    bands: list[int]
    agencies: list[tuple[int, int, str, float, tuple[str, ...]]]  # id, count, tone, score, cues
    campaigns: list[int]
    story_key: Any = None


# --- matchers ------------------------------------------------------------------------


@dataclass(frozen=True)
class _AgencyInfo:
    office_id: int | None
    province_id: int | None


class _Matchers:
    """Agency matchers per home province and the campaign matcher, rebuilt when the
    directory or the campaigns change (one cheap query per call tells)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._agency_version: tuple[Any, ...] | None = None
        self._agency_info: dict[int, _AgencyInfo] = {}
        self._agency_names: list[matching.AgencyNames] = []
        self._by_home: dict[str | None, matching.Matcher] = {}
        self._province_names: dict[int, str] = {}
        self._campaign_version: tuple[Any, ...] | None = None
        self._campaign_matcher: matching.Matcher | None = None
        self._campaigns: dict[int, tuple[date, date, int | None]] = {}

    def agencies(self) -> tuple[dict[int, _AgencyInfo], dict[int, str]]:
        version = (
            *Agency.objects.aggregate(n=Count("id"), last=Max("updated_at")).values(),
            *AgencyAlias.objects.aggregate(n=Count("id"), last=Max("id")).values(),
        )
        with self._lock:
            if version != self._agency_version:
                self._load_agencies()
                self._agency_version = version
            return self._agency_info, self._province_names

    def _load_agencies(self) -> None:
        provinces = dict(Province.objects.values_list("id", "name"))
        aliases: dict[int, list[str]] = defaultdict(list)
        for agency_id, name in AgencyAlias.objects.values_list("agency_id", "name"):
            aliases[agency_id].append(name)
        info: dict[int, _AgencyInfo] = {}
        names: list[matching.AgencyNames] = []
        rows = Agency.objects.filter(is_active=True).values_list(
            "id", "name", "short_name", "province_id", "office__id"
        )
        for agency_id, name, short_name, province_id, office_id in rows:
            info[agency_id] = _AgencyInfo(office_id=office_id, province_id=province_id)
            extra = [*aliases[agency_id], *([short_name] if short_name else [])]
            province = provinces.get(province_id) if province_id else None
            names.append(matching.AgencyNames(agency_id, name, tuple(extra), province))
        self._agency_info, self._agency_names = info, names
        self._province_names = provinces
        self._by_home = {}

    def for_home(self, province_id: int | None) -> matching.Matcher:
        home = self._province_names.get(province_id) if province_id else None
        with self._lock:
            matcher = self._by_home.get(home)
            if matcher is None:
                matcher = matching.Matcher.build(
                    matching.agency_patterns(self._agency_names, home_province=home)
                )
                self._by_home[home] = matcher
            return matcher

    def campaigns(self) -> tuple[matching.Matcher, dict[int, tuple[date, date, int | None]]]:
        from hamseda.campaigns.models import Campaign

        version = tuple(Campaign.objects.aggregate(n=Count("id"), last=Max("updated_at")).values())
        with self._lock:
            if version != self._campaign_version or self._campaign_matcher is None:
                patterns: list[tuple[str, Any]] = []
                periods: dict[int, tuple[date, date, int | None]] = {}
                rows = Campaign.objects.values_list(
                    "id", "hashtags", "keywords", "start_date", "end_date", "province_id"
                )
                for campaign_id, hashtags, keywords, start, end, province_id in rows:
                    periods[campaign_id] = (start, end, province_id)
                    for phrase in [*(hashtags or []), *(keywords or [])]:
                        text = str(phrase).lstrip("#").replace("_", " ").strip()
                        if text:
                            patterns.append((text, campaign_id))
                self._campaign_matcher = matching.Matcher.build(patterns)
                self._campaigns = periods
                self._campaign_version = version
            return self._campaign_matcher, self._campaigns


_matchers = _Matchers()


# --- reading -------------------------------------------------------------------------


def _published(item: ParsedItem, now: datetime) -> datetime:
    if item.published is None or item.published > now + FUTURE_SLACK:
        return now
    return item.published


def _read(
    index: int,
    item: ParsedItem,
    *,
    now: datetime,
    agency_matcher: matching.Matcher,
    campaign_matcher: matching.Matcher,
    campaign_periods: dict[int, tuple[date, date, int | None]],
    agency_info: dict[int, _AgencyInfo],
    source_province: int | None,
    index_bands: stories.StoryIndex,
) -> _Reading:
    published = _published(item, now)
    full = f"{item.title}\n{item.text}" if item.text else item.title
    agencies: list[tuple[int, int, str, float, tuple[str, ...]]] = []
    provinces = {source_province}
    hits = [
        hit
        for hit in agency_matcher.find(full)
        if cast(tuple[str, int], hit.target)[1] in agency_info
    ]
    for hit, tone in zip(
        hits, tones_of(full, [[(h.first, h.first + 1)] for h in hits]), strict=True
    ):
        agency_id = cast(tuple[str, int], hit.target)[1]
        agencies.append((agency_id, hit.count, str(tone.tone), tone.score, tone.cues))
        provinces.add(agency_info[agency_id].province_id)
    day = jalali.local_date(published)
    campaigns: list[int] = []
    for hit in campaign_matcher.find(full):
        campaign_id = cast(int, hit.target)
        start, end, province_id = campaign_periods[campaign_id]
        if province_id is not None and province_id not in provinces:
            continue
        if start - CAMPAIGN_LEAD <= day <= end + CAMPAIGN_TAIL:
            campaigns.append(campaign_id)
    fp = stories.fingerprint(item.title, item.text)
    return _Reading(
        index=index,
        item=item,
        published=published,
        tokens=search.index_tokens(item.title, item.text),
        fingerprint=fp,
        bands=index_bands.bands(fp),
        agencies=agencies,
        campaigns=campaigns,
    )


# --- stories -------------------------------------------------------------------------


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _story_index(readings: list[_Reading]) -> stories.StoryIndex:
    """A ``StoryIndex`` holding the stored articles these readings may join: those
    sharing a band with one of them, published within ``STORY_WINDOW``."""
    index = stories.StoryIndex()
    all_bands = sorted({band for reading in readings for band in reading.bands})
    if not all_bands:
        return index
    earliest = min(reading.published for reading in readings) - STORY_WINDOW
    latest = max(reading.published for reading in readings) + STORY_WINDOW
    bands_of: dict[int, list[int]] = defaultdict(list)
    story_of: dict[int, int] = {}
    rows: list[tuple[int, int, int, Any]] = []
    field = StoryBand._meta.get_field("published_at")
    table = connection.ops.quote_name(StoryBand._meta.db_table)
    since = field.get_db_prep_value(earliest, connection)
    until = field.get_db_prep_value(latest, connection)
    # Raw SQL: building a 900-item IN list through the ORM cost more than the query.
    with connection.cursor() as cursor:
        for chunk in _chunks(all_bands):
            cursor.execute(
                f"SELECT band, story_id, article_id, published_at FROM {table} "
                f"WHERE band IN ({', '.join(['%s'] * len(chunk))}) "
                "AND published_at >= %s AND published_at <= %s",
                [*chunk, since, until],
            )
            rows.extend(cursor.fetchall())
    # Oldest first, so a bucket keeps its latest entries as the in-memory index does.
    rows.sort(key=lambda row: row[3])
    for band, story_id, article_id, _published_at in rows:
        bands_of[article_id].append(band)
        story_of[article_id] = story_id
    if not story_of:
        return index
    signatures: dict[int, tuple[bytes, int]] = {}
    for chunk in _chunks(list(story_of)):
        for article_id, signature, size in Article.objects.filter(id__in=chunk).values_list(
            "id", "signature", "signature_size"
        ):
            signatures[article_id] = (bytes(signature), size)
    for article_id, (signature, size) in signatures.items():
        if not signature:
            continue
        index.seed(
            article_id,
            ("story", story_of[article_id]),
            np.frombuffer(signature, dtype=np.uint32),
            size,
            bands_of[article_id],
        )
    return index


# --- writing -------------------------------------------------------------------------


def _article(reading: _Reading, source: Source, via: str, actor: Any) -> Article:
    item, fp = reading.item, reading.fingerprint
    return Article(
        source=source,
        url=item.url[:1000],
        canonical_url=item.canonical_url[:1000],
        guid=item.guid[:500],
        content_hash=item.content_hash,
        title=item.title[:500] or _("بی‌عنوان"),
        summary_html=item.summary_html,
        text=item.text,
        published_at=reading.published,
        via=via,
        added_by=actor,
        search_tokens=reading.tokens,
        signature=fp.signature.astype(np.uint32).tobytes(),
        signature_size=fp.shingles if fp.lead_shingles else 0,
    )


def _existing(source: Source, items: Sequence[ParsedItem]) -> tuple[dict[str, int], dict[str, int]]:
    urls = sorted({item.canonical_url for item in items if item.canonical_url})
    hashes = sorted({item.content_hash for item in items})
    by_url: dict[str, int] = {}
    by_hash: dict[str, int] = {}
    for chunk in _chunks(urls):
        by_url.update(
            Article.objects.filter(canonical_url__in=chunk).values_list("canonical_url", "id")
        )
    for chunk in _chunks(hashes):
        by_hash.update(
            Article.objects.filter(source=source, content_hash__in=chunk).values_list(
                "content_hash", "id"
            )
        )
    return by_url, by_hash


def _insert(articles: list[Article]) -> list[Article | None]:
    """Insert the articles; an article a concurrent writer stored first comes back as
    None. All at once when nothing conflicts, else one at a time."""
    try:
        with transaction.atomic():
            Article.objects.bulk_create(articles)
        return list(articles)
    except IntegrityError:
        pass
    stored: list[Article | None] = []
    for article in articles:
        article.pk = None
        try:
            with transaction.atomic():
                article.save(force_insert=True)
            stored.append(article)
        except IntegrityError:
            stored.append(None)
    return stored


def _insert_bands(rows: list[tuple[int, int, int, datetime]]) -> None:
    """Insert band rows, skipping a (band, story) pair already there. ~33 rows per
    article: the ORM's per-object work in ``bulk_create`` cost more than all the
    reading of the text, so the rows go to the database driver as they are."""
    if not rows:
        return
    table = connection.ops.quote_name(StoryBand._meta.db_table)
    field = StoryBand._meta.get_field("published_at")
    prepared: dict[datetime, Any] = {}
    values = []
    for band, story, article, published in rows:
        when = prepared.get(published)
        if when is None:
            when = prepared[published] = field.get_db_prep_value(published, connection)
        values.append((band, story, article, when))
    sql = (
        f"INSERT INTO {table} (band, story_id, article_id, published_at) "
        "VALUES (%s, %s, %s, %s) ON CONFLICT (band, story_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        for chunk in _chunks(values, 5000):
            cursor.executemany(sql, chunk)


def _refresh_stories(story_ids: Iterable[int]) -> None:
    """Recount the stories' articles, outlets and weighted coverage."""
    ids = sorted(set(story_ids))
    per_story: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        rows = (
            Article.objects.filter(story_id__in=chunk)
            .values("story_id", "source_id", "source__weight")
            .annotate(n=Count("id"), first=Min("published_at"), last=Max("published_at"))
        )
        for row in rows:
            entry = per_story.setdefault(
                row["story_id"], {"n": 0, "outlets": {}, "first": row["first"], "last": row["last"]}
            )
            entry["n"] += row["n"]
            entry["outlets"][row["source_id"]] = row["source__weight"]
            entry["first"] = min(entry["first"], row["first"])
            entry["last"] = max(entry["last"], row["last"])
    field = Story._meta.get_field("first_published_at")
    now = field.get_db_prep_value(timezone.now(), connection)
    values = []
    for story_id, entry in per_story.items():
        cover = stories.coverage(entry["outlets"], entry["outlets"])
        values.append(
            (
                entry["n"],
                cover.outlets,
                round(cover.weight, 3),
                field.get_db_prep_value(entry["first"], connection),
                field.get_db_prep_value(entry["last"], connection),
                now,
                story_id,
            )
        )
    table = connection.ops.quote_name(Story._meta.db_table)
    # One statement per story through the driver: bulk_update's CASE WHEN over
    # hundreds of stories was the slowest step of a batch.
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET article_count = %s, outlet_count = %s, weight = %s, "
            "first_published_at = %s, last_published_at = %s, updated_at = %s WHERE id = %s",
            values,
        )


def _link_releases(new_stories: dict[int, _Reading]) -> None:
    """Link each new story to the news release (activity) of a mentioned agency's
    office it was written from: a release of that office dated up to
    ``RELEASE_LAG_DAYS`` before the story, whose text the story's first article
    resembles as a republication would."""
    from hamseda.activities.models import Activity, ActivityKind

    agency_info, _names = _matchers.agencies()
    offices_of: dict[int, set[int]] = {}
    for story_id, reading in new_stories.items():
        offices = {
            office
            for agency_id, *_rest in reading.agencies
            if (office := agency_info[agency_id].office_id) is not None
        }
        if offices:
            offices_of[story_id] = offices
    if not offices_of:
        return
    days = [jalali.local_date(new_stories[story_id].published) for story_id in offices_of]
    all_offices = set().union(*offices_of.values())
    releases = list(
        Activity.objects.filter(
            kind=ActivityKind.NEWS_RELEASE,
            merged_into__isnull=True,
            lead_office_id__in=all_offices,
            start_date__gte=min(days) - timedelta(days=RELEASE_LAG_DAYS),
            start_date__lte=max(days),
        ).values_list("id", "lead_office_id", "start_date", "title", "description")
    )
    if not releases:
        return
    scorer = stories.StoryIndex()
    fingerprints = {
        release_id: stories.fingerprint(title, description)
        for release_id, _office, _day, title, description in releases
    }
    links: list[Story] = []
    for story_id, offices in offices_of.items():
        reading = new_stories[story_id]
        day = jalali.local_date(reading.published)
        best, best_score = None, RELEASE_THRESHOLD
        for release_id, office_id, start, _title, _description in releases:
            if office_id not in offices or not (
                day - timedelta(days=RELEASE_LAG_DAYS) <= start <= day
            ):
                continue
            release_fp = fingerprints[release_id]
            if not release_fp.shingles:
                continue
            size = release_fp.shingles if release_fp.lead_shingles else 0
            score = scorer.similarity(reading.fingerprint, release_fp.signature, size)
            if score >= best_score:
                best, best_score = release_id, score
        if best is not None:
            links.append(Story(pk=story_id, activity_id=best, activity_auto=True))
    Story.objects.bulk_update(links, ["activity", "activity_auto"])


def _result_of_existing(article_ids: Iterable[int]) -> dict[int, IngestResult]:
    ids = sorted(set(article_ids))
    agencies: dict[int, dict[int, str]] = defaultdict(dict)
    campaigns: dict[int, list[int]] = defaultdict(list)
    story: dict[int, int | None] = {}
    for chunk in _chunks(ids):
        for article_id, agency_id, tone in Mention.objects.filter(article_id__in=chunk).values_list(
            "article_id", "agency_id", "tone"
        ):
            agencies[article_id][agency_id] = tone
        for article_id, campaign_id in Article.campaigns.through.objects.filter(
            article_id__in=chunk
        ).values_list("article_id", "campaign_id"):
            campaigns[article_id].append(campaign_id)
        story.update(Article.objects.filter(id__in=chunk).values_list("id", "story_id"))
    return {
        article_id: IngestResult(
            article_id=article_id,
            created=False,
            agency_ids=tuple(agencies[article_id]),
            campaign_ids=tuple(sorted(campaigns[article_id])),
            story_id=story.get(article_id),
            tones=dict(agencies[article_id]),
        )
        for article_id in ids
    }


def ingest_items(
    *,
    source: Source,
    items: Sequence[ParsedItem],
    via: str = ArticleVia.FEED,
    actor: Any = None,
    alerts: bool = True,
) -> list[IngestResult]:
    """Store ``items`` of ``source`` (see the module docstring); one result per
    item, in order. Items already stored come back with ``created=False``."""
    now = timezone.now()
    with transaction.atomic():
        by_url, by_hash = _existing(source, items)
        agency_info, _names = _matchers.agencies()
        agency_matcher = _matchers.for_home(source.province_id)
        campaign_matcher, campaign_periods = _matchers.campaigns()
        band_maker = stories.StoryIndex()

        known: dict[int, int] = {}  # item index -> stored article id
        first_of: dict[tuple[str, str], int] = {}  # identity in this call -> item index
        repeats: dict[int, int] = {}  # item index -> index of its first copy here
        readings: list[_Reading] = []
        for position, item in enumerate(items):
            already = (by_url.get(item.canonical_url) if item.canonical_url else None) or (
                by_hash.get(item.content_hash)
            )
            if already is not None:
                known[position] = already
                continue
            identities = [("hash", item.content_hash)]
            if item.canonical_url:
                identities.append(("url", item.canonical_url))
            earlier = next((first_of[i] for i in identities if i in first_of), None)
            if earlier is not None:
                repeats[position] = earlier
                continue
            for identity in identities:
                first_of[identity] = position
            readings.append(
                _read(
                    position,
                    item,
                    now=now,
                    agency_matcher=agency_matcher,
                    campaign_matcher=campaign_matcher,
                    campaign_periods=campaign_periods,
                    agency_info=agency_info,
                    source_province=source.province_id,
                    index_bands=band_maker,
                )
            )

        # Stories: the earliest article of a new story starts it.
        readings.sort(key=lambda reading: (reading.published, reading.index))
        index = _story_index(readings) if readings else stories.StoryIndex()
        for reading in readings:
            key, _similarity = index.assign(
                ("new", reading.index), reading.fingerprint, bands=reading.bands
            )
            reading.story_key = key
        new_story_keys = [
            reading.story_key for reading in readings if reading.story_key == ("new", reading.index)
        ]
        created_stories: dict[Any, Story] = {}
        if new_story_keys:
            by_key = {("new", reading.index): reading for reading in readings}
            fresh = [
                Story(
                    title=by_key[key].item.title[:500] or _("بی‌عنوان"),
                    first_published_at=by_key[key].published,
                    last_published_at=by_key[key].published,
                    province_id=source.province_id,
                )
                for key in new_story_keys
            ]
            Story.objects.bulk_create(fresh)
            created_stories = dict(zip(new_story_keys, fresh, strict=True))

        def story_id_of(reading: _Reading) -> int:
            key = reading.story_key
            if key in created_stories:
                return int(created_stories[key].pk)
            return int(key[1])

        articles = [_article(reading, source, via, actor) for reading in readings]
        for reading, article in zip(readings, articles, strict=True):
            article.story_id = story_id_of(reading)
        stored = _insert(articles)

        results: dict[int, IngestResult] = {}
        bands: list[tuple[int, int, int, datetime]] = []
        mentions: list[Mention] = []
        campaign_links: list[Any] = []
        through = Article.campaigns.through
        touched: set[int] = set()
        lost: list[int] = []  # stored by a concurrent writer meanwhile
        for reading, saved in zip(readings, stored, strict=True):
            if saved is None:
                lost.append(reading.index)
                continue
            article = saved
            story_id = int(article.story_id) if article.story_id else None
            assert story_id is not None
            touched.add(story_id)
            bands.extend(
                (band, story_id, int(article.pk), reading.published) for band in reading.bands
            )
            tones: dict[int, str] = {}
            for agency_id, count, tone, score, cues in reading.agencies:
                info = agency_info[agency_id]
                tones[agency_id] = tone
                mentions.append(
                    Mention(
                        article=article,
                        agency_id=agency_id,
                        office_id=info.office_id,
                        province_id=info.province_id,
                        story_id=story_id,
                        published_at=reading.published,
                        weight=source.weight,
                        count=min(count, 32767),
                        tone=tone,
                        tone_score=round(score, 4),
                        cues=list(cues),
                    )
                )
            campaign_ids = tuple(sorted(set(reading.campaigns)))
            campaign_links.extend(
                through(article_id=article.pk, campaign_id=campaign_id)
                for campaign_id in campaign_ids
            )
            results[reading.index] = IngestResult(
                article_id=int(article.pk),
                created=True,
                agency_ids=tuple(tones),
                campaign_ids=campaign_ids,
                story_id=story_id,
                tones=tones,
            )
        _insert_bands(bands)
        Mention.objects.bulk_create(mentions)
        through.objects.bulk_create(campaign_links)
        # A new story whose first article a concurrent writer took has no article.
        orphans = [story.pk for key, story in created_stories.items() if key[1] in set(lost)]
        if orphans:
            Story.objects.filter(pk__in=orphans, articles__isnull=True).delete()
            touched.difference_update(orphans)
        _refresh_stories(touched)
        new_for_release = {
            int(story.pk): next(r for r in readings if ("new", r.index) == key)
            for key, story in created_stories.items()
            if story.pk not in orphans
        }
        _link_releases(new_for_release)

        if lost:
            by_url, by_hash = _existing(source, [items[i] for i in lost])
            for position in lost:
                item = items[position]
                found = (by_url.get(item.canonical_url) if item.canonical_url else None) or (
                    by_hash.get(item.content_hash)
                )
                if found is not None:
                    known[position] = found
        old = _result_of_existing(known.values())
        for position, article_id in known.items():
            results[position] = old[article_id]
        for position, earlier in repeats.items():
            first = results.get(earlier)
            if first is not None:
                results[position] = IngestResult(
                    article_id=first.article_id,
                    created=False,
                    agency_ids=first.agency_ids,
                    campaign_ids=first.campaign_ids,
                    story_id=first.story_id,
                    tones=dict(first.tones),
                )

        if alerts and touched:
            story_ids = sorted(touched)
            transaction.on_commit(lambda: _raise_alerts(story_ids))
    return [results[position] for position in range(len(items)) if position in results]


def _raise_alerts(story_ids: list[int]) -> None:
    from hamseda.monitoring.alerts import alerts_for_stories

    alerts_for_stories(story_ids)


def clippings_source(province: Province | None) -> Source:
    """The source of a province's manual clippings (``None``: national), made once."""
    found = Source.objects.filter(kind=SourceKind.CLIPPINGS, province=province, feed_url="").first()
    if found is not None:
        return found
    name = (
        _("بریده‌های دستی — %(province)s") % {"province": province.name}
        if province is not None
        else _("بریده‌های دستی — سراسری")
    )
    return Source.objects.create(name=name, kind=SourceKind.CLIPPINGS, province=province)
