"""Reads of media monitoring: articles and stories, scoped to the viewer by
``core.policy`` ("monitoring.view").

The list page, its Excel export and the API all start from ``article_list``, so
they never disagree about what a filter means.

Built to stay fast on a million articles (PostgreSQL, a page of 25 under 100 ms):
a filter by agency or office joins the mentions (an article names an agency
once, so nothing needs ``DISTINCT``) and the page walks their (agency, date)
index; tone, campaign and province filters are ``EXISTS`` subqueries; lists
count at most ``COUNT_CAP`` rows, and a list that short is paged by its ids
(``Capped``): the exact total of a broad search is worth less than its time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, overload

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from hamseda.activities.models import Activity, ActivityKind
from hamseda.core import jalali, policy
from hamseda.directory.models import Agency, Person, Province
from hamseda.monitoring import search
from hamseda.monitoring.models import Article, Mention, Source, Story, Tone

# A list counts its rows up to here; past it the page says "more than 1,000".
COUNT_CAP = 1000
# A story is linked to a release sent at most this many days before its first article.
RELEASE_DAYS_BEFORE = 5
# Stories found by words: through the newest matching articles, at most this many.
STORY_SEARCH_ARTICLES = 500


@dataclass(frozen=True)
class ArticleFilters:
    """What the article and story lists filter by. ``tone`` keeps articles (or
    stories) with a mention of that tone, of ``agency_id`` when one is given;
    ``date_from``/``date_to`` are Tehran days, both included; ``province_id``
    is an outlet of the province or a mention of one of its agencies."""

    q: str = ""
    agency_id: int | None = None
    office_id: int | None = None
    campaign_id: int | None = None
    source_id: int | None = None
    source_kind: str = ""
    tone: str = ""
    province_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    story_id: int | None = None

    def is_empty(self) -> bool:
        return self == ArticleFilters()


# How each list is ordered, newest first (``Capped`` sorts a short list itself).
NEWEST: dict[type[Any], tuple[str, str]] = {
    Article: ("published_at", "id"),
    Story: ("last_published_at", "id"),
}


class Capped:
    """A queryset seen by a paginator (``core.listing.page_of``, DRF's) that
    counts at most ``cap`` rows: ``count()`` is ``min(rows, cap)`` and ``more``
    says whether there were more. Pages past the cap are not offered; narrowing
    the filters reaches older rows.

    The count also decides how a page is read, because the database cannot tell
    beforehand how many rows a filter keeps (PostgreSQL guesses 0.5% for any
    prefix query ``word:*``, whether it matches half the table or nothing).
    Walking the date index and testing each row finds a page of a common word
    in a few rows, but reads the whole table for a rare one. So the count reads
    the matching rows' ids and dates, unordered (the full-text or mention index
    answers), up to the cap; when that is all of them, a page is those ids
    sorted here and read by primary key. Only a list longer than the cap is
    paged by the database's ``ORDER BY ... LIMIT``, where the walk is short."""

    def __init__(self, queryset: QuerySet[Any], cap: int | None = None) -> None:
        self.queryset = queryset
        self.cap = COUNT_CAP if cap is None else cap
        self._count: int | None = None
        self._ids: list[Any] | None = None

    def count(self) -> int:
        if self._count is None:
            newest = NEWEST.get(self.queryset.model)
            rows = self.queryset.order_by().prefetch_related(None)
            if newest is None:
                self._count = rows.values("pk")[: self.cap + 1].count()
            else:
                date, pk = newest
                found = list(rows.values_list(pk, date)[: self.cap + 1])
                self._count = len(found)
                if len(found) <= self.cap:
                    found.sort(key=lambda row: (row[1], row[0]), reverse=True)
                    self._ids = [row[0] for row in found]
        return min(self._count, self.cap)

    @property
    def more(self) -> bool:
        self.count()
        return self._count is not None and self._count > self.cap

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, key: int) -> Any: ...

    @overload
    def __getitem__(self, key: slice) -> Any: ...

    def __getitem__(self, key: int | slice) -> Any:
        self.count()
        if self._ids is None:
            return self.queryset[key]
        if isinstance(key, int):
            return self[key : key + 1][0]
        ids = self._ids[key]
        rows = {row.pk: row for row in self.queryset.order_by().filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def __iter__(self) -> Iterator[Any]:
        return iter(self[: self.cap])


def day_start(day: dt.date) -> dt.datetime:
    """Midnight of a Tehran day, as an aware datetime."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=jalali.TEHRAN)


def _scoped_articles(viewer: Person) -> QuerySet[Article]:
    return policy.scope_queryset(
        viewer,
        "monitoring.view",
        Article.objects.all(),
        province_field="source__province_id",
        office_field=None,
    )


def _mention_filter(filters: ArticleFilters, *, on: str) -> Q | None:
    """One ``EXISTS`` over the mentions for the agency, office and tone filters
    together (``on``: "article" or "story"): "negative about this agency" is
    one mention, not a negative one and another of the agency."""
    conditions: dict[str, Any] = {}
    if filters.agency_id is not None:
        conditions["agency_id"] = filters.agency_id
    if filters.office_id is not None:
        conditions["office_id"] = filters.office_id
    if filters.tone:
        conditions["tone"] = filters.tone
    if not conditions:
        return None
    return Q(Exists(Mention.objects.filter(**{on: OuterRef("pk")}, **conditions)))


def _in_period(
    queryset: QuerySet[Any], filters: ArticleFilters, *, start: str, end: str
) -> QuerySet[Any]:
    if filters.date_from is not None:
        queryset = queryset.filter(**{f"{end}__gte": day_start(filters.date_from)})
    if filters.date_to is not None:
        next_day = day_start(filters.date_to + dt.timedelta(days=1))
        queryset = queryset.filter(**{f"{start}__lt": next_day})
    return queryset


def mentions_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "mentions",
        queryset=Mention.objects.select_related("agency").order_by("-count", "agency__sort_key"),
    )


def article_list(*, viewer: Person, filters: ArticleFilters | None = None) -> QuerySet[Article]:
    """The articles ``viewer`` may see, filtered, newest first, with the outlet,
    the story, the agencies named (and their tone) and the campaigns loaded.
    The heavy columns (search tokens, signature, summary) are left out."""
    filters = filters or ArticleFilters()
    articles = _scoped_articles(viewer)
    if filters.q:
        articles = search.filter_text(articles, filters.q)
    order: tuple[str, ...] = ("-published_at", "-id")
    joined = filters.agency_id is not None or filters.office_id is not None
    if joined:
        # An article names an agency (and so its office) once: a join adds no
        # duplicate, and the page walks the mention index (agency, date) instead
        # of testing every article of every agency.
        # Everything on the mention goes in one filter() call: each call on a
        # many-valued relation would join the mentions again.
        conditions: dict[str, Any] = {
            f"mentions__{name}": value
            for name, value in (
                ("agency_id", filters.agency_id),
                ("office_id", filters.office_id),
                ("tone", filters.tone),
            )
            if value
        }
        if filters.date_from is not None:
            conditions["mentions__published_at__gte"] = day_start(filters.date_from)
        if filters.date_to is not None:
            next_day = day_start(filters.date_to + dt.timedelta(days=1))
            conditions["mentions__published_at__lt"] = next_day
        articles = articles.filter(**conditions)
        order = ("-mentions__published_at", "-id")
    elif filters.tone:
        articles = articles.filter(_mention_filter(filters, on="article"))
    if filters.campaign_id is not None:
        tagged = Article.campaigns.through.objects.filter(
            article=OuterRef("pk"), campaign_id=filters.campaign_id
        )
        articles = articles.filter(Exists(tagged))
    if filters.source_id is not None:
        articles = articles.filter(source_id=filters.source_id)
    if filters.source_kind:
        articles = articles.filter(source__kind=filters.source_kind)
    if filters.province_id is not None:
        local = Mention.objects.filter(article=OuterRef("pk"), province_id=filters.province_id)
        articles = articles.filter(Q(source__province_id=filters.province_id) | Exists(local))
    if filters.story_id is not None:
        articles = articles.filter(story_id=filters.story_id)
    if not joined:
        articles = _in_period(articles, filters, start="published_at", end="published_at")
    return (
        articles.select_related("source__province", "story")
        .prefetch_related(mentions_prefetch(), "campaigns")
        .defer("search_tokens", "signature", "summary_html")
        .order_by(*order)
    )


def article_get(*, viewer: Person, article_id: int) -> Article:
    """One article with everything its page shows; 404 when there is none or the
    viewer may not see it."""
    article = (
        Article.objects.select_related("source__province", "story", "added_by")
        .prefetch_related(
            Prefetch(
                "mentions",
                queryset=Mention.objects.select_related("agency", "office", "tone_by").order_by(
                    "-count", "agency__sort_key"
                ),
            ),
            "campaigns",
        )
        .defer("search_tokens", "signature")
        .filter(pk=article_id)
        .first()
    )
    if article is None or not policy.can(viewer, "monitoring.view", article):
        raise Http404("no such article")
    return article


def mention_get(*, viewer: Person, mention_id: int) -> Mention:
    """One mention with its article and agency; 404 when the viewer may not see
    its article."""
    mention = (
        Mention.objects.select_related("agency", "article__source").filter(pk=mention_id).first()
    )
    if mention is None or not policy.can(viewer, "monitoring.view", mention.article):
        raise Http404("no such mention")
    return mention


def _story_ids_matching(query: str) -> list[int]:
    """The stories of the articles matching ``query``, the latest first; through
    at most ``STORY_SEARCH_ARTICLES`` articles, the newest.

    ``search.filter_text`` names the article table in raw SQL, which a subquery
    would alias away: the stories are read first. Unordered first (the
    full-text index answers at once, however rare the words); only when there
    are more matches than that is the newest part asked for in date order,
    which for so common words is a short walk down the date index."""
    matching = search.filter_text(Article.objects.filter(story__isnull=False), query)
    rows = list(matching.values_list("story_id", "published_at")[: STORY_SEARCH_ARTICLES + 1])
    if len(rows) > STORY_SEARCH_ARTICLES:
        newest = matching.order_by("-published_at", "-id")
        rows = list(newest.values_list("story_id", "published_at")[:STORY_SEARCH_ARTICLES])
    rows.sort(key=lambda row: row[1], reverse=True)
    return list(dict.fromkeys(story_id for story_id, _published in rows if story_id is not None))


def story_list(*, viewer: Person, filters: ArticleFilters | None = None) -> QuerySet[Story]:
    """The stories ``viewer`` may see, latest first. Words match the story's
    articles (its title is its first article's); ``tone`` keeps stories with a
    mention of that tone; dates keep stories whose period touches the range."""
    filters = filters or ArticleFilters()
    stories = policy.scope_queryset(
        viewer,
        "monitoring.view",
        Story.objects.all(),
        province_field="province_id",
        office_field=None,
    )
    if filters.q:
        stories = stories.filter(pk__in=_story_ids_matching(filters.q))
    mentioned = _mention_filter(filters, on="story")
    if mentioned is not None:
        stories = stories.filter(mentioned)
    if filters.campaign_id is not None:
        tagged = Article.objects.filter(story=OuterRef("pk"), campaigns__id=filters.campaign_id)
        stories = stories.filter(Exists(tagged))
    if filters.source_id is not None:
        stories = stories.filter(
            Exists(Article.objects.filter(story=OuterRef("pk"), source_id=filters.source_id))
        )
    if filters.source_kind:
        stories = stories.filter(
            Exists(Article.objects.filter(story=OuterRef("pk"), source__kind=filters.source_kind))
        )
    if filters.province_id is not None:
        local = Mention.objects.filter(story=OuterRef("pk"), province_id=filters.province_id)
        stories = stories.filter(Q(province_id=filters.province_id) | Exists(local))
    if filters.story_id is not None:
        stories = stories.filter(pk=filters.story_id)
    stories = _in_period(stories, filters, start="first_published_at", end="last_published_at")
    return stories.select_related("province", "activity").order_by("-last_published_at", "-id")


@dataclass
class AgencyTone:
    """How the articles of a story spoke of one agency."""

    agency: Agency
    positive: int = 0
    neutral: int = 0
    negative: int = 0
    mentions: int = 0

    @property
    def tone(self) -> str:
        """The story's tone toward the agency: negative when any outlet was (that
        is what a PR office must answer), else the commoner of the other two."""
        if self.negative:
            return Tone.NEGATIVE.value
        return Tone.POSITIVE.value if self.positive > self.neutral else Tone.NEUTRAL.value

    @property
    def tone_label(self) -> str:
        return str(Tone(self.tone).label)


@dataclass
class OutletArticles:
    """The articles of one outlet in a story, earliest first."""

    source: Source
    articles: list[Article] = field(default_factory=list)


def story_get(*, viewer: Person, story_id: int) -> Story:
    """One story with its articles (earliest first; outlet, agencies and tones
    loaded), the linked release and its office; 404 when the viewer may not see it."""
    articles = (
        Article.objects.select_related("source")
        .prefetch_related(mentions_prefetch())
        .defer("search_tokens", "signature", "summary_html")
        .order_by("published_at", "id")
    )
    story = (
        Story.objects.select_related("province", "activity__lead_office")
        .prefetch_related(Prefetch("articles", queryset=articles))
        .filter(pk=story_id)
        .first()
    )
    if story is None or not policy.can(viewer, "monitoring.view", story):
        raise Http404("no such story")
    return story


def story_outlets(story: Story) -> list[OutletArticles]:
    """A story's articles grouped by outlet, the first to publish first (from
    ``story_get``'s prefetch)."""
    groups: dict[int, OutletArticles] = {}
    for article in story.articles.all():
        group = groups.get(article.source_id)
        if group is None:
            group = groups[article.source_id] = OutletArticles(source=article.source)
        group.articles.append(article)
    return list(groups.values())


def story_agencies(story: Story) -> list[AgencyTone]:
    """The agencies a story speaks of, the most mentioned first, with how many of
    its articles were positive, neutral or negative about each."""
    tones: dict[int, AgencyTone] = {}
    for article in story.articles.all():
        for mention in article.mentions.all():
            entry = tones.get(mention.agency_id)
            if entry is None:
                entry = tones[mention.agency_id] = AgencyTone(agency=mention.agency)
            setattr(entry, mention.tone, getattr(entry, mention.tone) + 1)
            entry.mentions += 1
    return sorted(tones.values(), key=lambda t: (-t.mentions, t.agency.sort_key))


def story_agency_summaries(story_ids: list[int]) -> dict[int, list[AgencyTone]]:
    """For a page of stories, the agencies each names with their tone counts, in
    one grouped query over the mentions (not every article of every story)."""
    rows = list(
        Mention.objects.filter(story_id__in=story_ids)
        .values("story_id", "agency_id", "tone")
        .annotate(n=Count("id"))
        .order_by()
    )
    agencies = Agency.objects.filter(pk__in={row["agency_id"] for row in rows}).only(
        "id", "name", "short_name", "sort_key"
    )
    by_id = {agency.pk: agency for agency in agencies}
    summaries: dict[int, dict[int, AgencyTone]] = {}
    for row in rows:
        by_agency = summaries.setdefault(row["story_id"], {})
        entry = by_agency.get(row["agency_id"])
        if entry is None:
            entry = by_agency[row["agency_id"]] = AgencyTone(agency=by_id[row["agency_id"]])
        setattr(entry, row["tone"], getattr(entry, row["tone"]) + row["n"])
        entry.mentions += row["n"]
    return {
        story_id: sorted(by_agency.values(), key=lambda t: (-t.mentions, t.agency.sort_key))
        for story_id, by_agency in summaries.items()
    }


def story_for_article(article: Article, *, limit: int = 20) -> list[Article]:
    """The other articles of ``article``'s story, for its page: outlet and date."""
    if article.story_id is None:
        return []
    return list(
        Article.objects.filter(story_id=article.story_id)
        .exclude(pk=article.pk)
        .select_related("source")
        .only("id", "title", "url", "published_at", "source__name", "source__weight")
        .order_by("published_at", "id")[:limit]
    )


def release_candidates(*, viewer: Person, story: Story) -> list[Activity]:
    """The news releases ``viewer`` may link ``story`` to: releases (not merged
    away) of the offices of the agencies the story names, dated from a few days
    before its first article to that day, plus the release linked now."""
    first_day = jalali.local_date(story.first_published_at)
    office_ids = list(
        Mention.objects.filter(story=story, office__isnull=False)
        .values_list("office_id", flat=True)
        .distinct()
    )
    offered = Q(
        kind=ActivityKind.NEWS_RELEASE,
        merged_into__isnull=True,
        lead_office_id__in=office_ids,
        start_date__gte=first_day - dt.timedelta(days=RELEASE_DAYS_BEFORE),
        start_date__lte=first_day,
    )
    if story.activity_id is not None:
        offered |= Q(pk=story.activity_id)
    activities = (
        Activity.objects.filter(offered)
        .select_related("lead_office__agency")
        .prefetch_related("partners")
        .order_by("-start_date", "-pk")[:50]
    )
    return [a for a in activities if policy.can(viewer, "monitoring.link", a)]


def agencies_for_filter(
    *, province_id: int | None, selected: int | None = None
) -> QuerySet[Agency]:
    """The agencies a filter offers: national ones and those of ``province_id``,
    plus the selected one (so a filter of another province survives)."""
    offered = Q(province__isnull=True)
    if province_id is not None:
        offered |= Q(province_id=province_id)
    if selected is not None:
        offered |= Q(pk=selected)
    return Agency.objects.filter(offered, is_active=True).order_by("sort_key")


def sources_for_filter(*, province_id: int | None, selected: int | None = None) -> QuerySet[Source]:
    """The outlets a filter offers: national ones and those of ``province_id``."""
    offered = Q(province__isnull=True)
    if province_id is not None:
        offered |= Q(province_id=province_id)
    if selected is not None:
        offered |= Q(pk=selected)
    return Source.objects.filter(offered).order_by("name")


def provinces_for_filter() -> QuerySet[Province]:
    return Province.objects.order_by("sort_key")
