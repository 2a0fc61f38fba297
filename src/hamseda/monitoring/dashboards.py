"""Coverage figures of media monitoring: for one office, one campaign, a province
(or the whole country), over a period of Tehran days.

Office and province figures are read from ``Mention``: one row per article ×
agency, with the office, province, story, date, outlet weight and tone copied
onto it at ingestion. The series (per day and tone) is one GROUP BY over the
rows of the period, and the totals are its sums; the ranking of offices groups
the same rows without a join and reads the few names after. Only an office's
outlets join its rows to their articles. A campaign's figures start from
``Article.campaigns``. Each function runs a fixed number of queries whatever the
number of articles: ``office_coverage`` seven at most, ``campaign_coverage``
seven, ``province_coverage`` six.

Measured on PostgreSQL with 1M articles and 1.3M mentions over a year (2 cores):
an office of 78k mentions a year 0.12 s for 30 days, 0.6 s for the year; a
province 0.07 s / 0.54 s; the whole country 0.43 s / 2 s (two sequential scans:
``Mention`` has no index that starts with ``published_at``).

"Articles" counts mention rows: an article names an agency once at most
(``monitoring_mention_unique``), so for one office it is the number of articles
that speak of its agency. "Weight" sums the outlets' weights (``Source.weight``,
1 for an ordinary outlet): the weighted coverage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404

from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali, policy
from hamseda.directory.models import Agency, Office, Person
from hamseda.monitoring.models import Alert, Article, Mention, Story, Tone

# A daily series up to two months; past that a point is a week (Saturday to
# Friday), so a year is 53 bars rather than 365.
DAILY_MAX_DAYS = 62
# The longest period a page or the API answers for: three years of days.
MAX_PERIOD_DAYS = 3 * 366
TOP = 10
# The national ranking of every office is cut here; a province has far fewer.
RANKING_LIMIT = 100


# --- the period ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Tehran days ``start``..``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weekly(self) -> bool:
        return self.days > DAILY_MAX_DAYS

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """Tehran midnight of ``start`` and of the day after ``end``."""
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=jalali.TEHRAN),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN),
        )

    @classmethod
    def last_days(cls, days: int, today: dt.date | None = None) -> Period:
        today = today or jalali.today()
        return cls(today - dt.timedelta(days=days - 1), today)

    @classmethod
    def this_month(cls, today: dt.date | None = None) -> Period:
        """The Jalali month so far."""
        today = today or jalali.today()
        j = jalali.to_jalali(today)
        first, _last = jalali.jalali_month_bounds(j.year, j.month)
        return cls(first, today)

    @classmethod
    def this_year(cls, today: dt.date | None = None) -> Period:
        """The Jalali year so far (from 1 Farvardin)."""
        today = today or jalali.today()
        first, _last = jalali.jalali_year_bounds(jalali.to_jalali(today).year)
        return cls(first, today)

    @classmethod
    def of_campaign(cls, campaign: Campaign, today: dt.date | None = None) -> Period:
        """The campaign's days up to today (its whole period once it has ended)."""
        today = today or jalali.today()
        end = max(campaign.start_date, min(campaign.end_date, today))
        return cls(campaign.start_date, end)


# --- what the figures are made of ---------------------------------------------------------


@dataclass(frozen=True)
class ToneSplit:
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def negative_share(self) -> float | None:
        """Negative mentions ÷ all mentions, 0..1; None when there are none."""
        return self.negative / self.total if self.total else None

    @property
    def negative_percent(self) -> float | None:
        share = self.negative_share
        return None if share is None else round(100 * share, 1)


@dataclass(frozen=True)
class Totals:
    articles: int = 0
    stories: int = 0
    weight: float = 0.0
    tone: ToneSplit = field(default_factory=ToneSplit)

    @property
    def negative_share(self) -> float | None:
        return self.tone.negative_share

    @property
    def negative_percent(self) -> float | None:
        return self.tone.negative_percent


@dataclass(frozen=True)
class Point:
    """One day, or one week (``start``..``end`` clipped to the period), of a series."""

    start: dt.date
    end: dt.date
    articles: int = 0
    weight: float = 0.0
    tone: ToneSplit = field(default_factory=ToneSplit)


@dataclass(frozen=True)
class OutletRow:
    source_id: int
    name: str
    articles: int
    weight: float


@dataclass(frozen=True)
class StoryRow:
    story_id: int
    title: str
    articles: int  # articles of the story counted in these figures
    weight: float
    outlets: int  # outlets that carried the story, all articles counted
    first_published_at: dt.datetime | None


@dataclass(frozen=True)
class OfficeRow:
    """An agency's coverage in a ranking or a campaign; ``office_id`` is None
    for an agency without a PR office."""

    agency_id: int
    office_id: int | None
    name: str
    articles: int
    weight: float
    tone: ToneSplit

    @property
    def negative_share(self) -> float | None:
        return self.tone.negative_share

    @property
    def negative_percent(self) -> float | None:
        return self.tone.negative_percent


@dataclass(frozen=True)
class ReleaseYield:
    """News releases an office did in a period, and the stories of the press
    linked to them (``Story.activity``)."""

    releases: int = 0
    stories: int = 0

    @property
    def ratio(self) -> float | None:
        return self.stories / self.releases if self.releases else None


@dataclass(frozen=True)
class Coverage:
    period: Period
    totals: Totals
    series: list[Point]
    outlets: list[OutletRow] = field(default_factory=list)
    stories: list[StoryRow] = field(default_factory=list)
    offices: list[OfficeRow] = field(default_factory=list)
    releases: ReleaseYield | None = None

    @property
    def granularity(self) -> str:
        return "week" if self.period.weekly else "day"


# --- shared query parts -----------------------------------------------------------------


def _tone_counts() -> dict[str, Any]:
    """Aggregates counting the positive, neutral and negative rows."""
    return {
        tone: Count("pk", filter=Q(tone=tone))
        for tone in (Tone.POSITIVE, Tone.NEUTRAL, Tone.NEGATIVE)
    }


def _split(row: Any) -> ToneSplit:
    # ``row`` is a values() row (a TypedDict for the type checker).
    return ToneSplit(
        positive=int(row.get(Tone.POSITIVE) or 0),
        neutral=int(row.get(Tone.NEUTRAL) or 0),
        negative=int(row.get(Tone.NEGATIVE) or 0),
    )


def _in_period(period: Period, path: str = "published_at") -> Q:
    low, high = period.bounds()
    return Q(**{f"{path}__gte": low, f"{path}__lt": high})


def _day(path: str = "published_at") -> TruncDate:
    return TruncDate(path, tzinfo=jalali.TEHRAN)


def _week_start(day: dt.date) -> dt.date:
    # date.weekday() is 0 on Monday; the Iranian week starts on Saturday (5).
    return day - dt.timedelta(days=(day.weekday() + 2) % 7)


def _as_date(value: dt.date) -> dt.date:
    # TruncDate gives a date; a datetime would be a backend's slip: take its Tehran day.
    return jalali.local_date(value)


def build_series(
    period: Period,
    articles: dict[dt.date, tuple[int, float]],
    tones: dict[dt.date, ToneSplit] | None = None,
) -> list[Point]:
    """Every day (or week) of the period, zero where nothing was published."""
    tones = tones or {}
    points: list[Point] = []
    day = period.start
    while day <= period.end:
        end = day
        if period.weekly:
            end = min(_week_start(day) + dt.timedelta(days=6), period.end)
        count, weight, positive, neutral, negative = 0, 0.0, 0, 0, 0
        current = day
        while current <= end:
            n, w = articles.get(current, (0, 0.0))
            count += n
            weight += w
            split = tones.get(current)
            if split is not None:
                positive += split.positive
                neutral += split.neutral
                negative += split.negative
            current += dt.timedelta(days=1)
        points.append(
            Point(
                start=day,
                end=end,
                articles=count,
                weight=weight,
                tone=ToneSplit(positive, neutral, negative),
            )
        )
        day = end + dt.timedelta(days=1)
    return points


def _mention_series(mentions: QuerySet[Mention], period: Period) -> list[Point]:
    """Articles, weight and tone per day of ``mentions``: one query."""
    articles: dict[dt.date, tuple[int, float]] = defaultdict(lambda: (0, 0.0))
    tones: dict[dt.date, ToneSplit] = {}
    rows = (
        mentions.annotate(day=_day())
        .values("day", "tone")
        .annotate(n=Count("pk"), w=Sum("weight"))
        .order_by()
    )
    for row in rows:
        day = _as_date(row["day"])
        n, w = articles[day]
        articles[day] = (n + row["n"], w + float(row["w"] or 0.0))
        before = tones.get(day, ToneSplit())
        add = int(row["n"])
        tones[day] = ToneSplit(
            positive=before.positive + (add if row["tone"] == Tone.POSITIVE else 0),
            neutral=before.neutral + (add if row["tone"] == Tone.NEUTRAL else 0),
            negative=before.negative + (add if row["tone"] == Tone.NEGATIVE else 0),
        )
    return build_series(period, dict(articles), tones)


def _totals(series: Sequence[Point], stories: int) -> Totals:
    """The period's totals are the sums of its series (read by one query already);
    only the number of distinct stories needs a query of its own."""
    return Totals(
        articles=sum(p.articles for p in series),
        stories=stories,
        weight=sum(p.weight for p in series),
        tone=ToneSplit(
            positive=sum(p.tone.positive for p in series),
            neutral=sum(p.tone.neutral for p in series),
            negative=sum(p.tone.negative for p in series),
        ),
    )


def _distinct_stories(mentions: QuerySet[Mention]) -> int:
    return int(mentions.aggregate(n=Count("story", distinct=True))["n"] or 0)


def _mention_outlets(mentions: QuerySet[Mention], top: int) -> list[OutletRow]:
    rows = (
        mentions.values("article__source_id", "article__source__name")
        .annotate(n=Count("pk"), w=Sum("weight"))
        .order_by("-n", "-w", "article__source__name")[:top]
    )
    return [
        OutletRow(
            source_id=row["article__source_id"],
            name=row["article__source__name"],
            articles=row["n"],
            weight=float(row["w"] or 0.0),
        )
        for row in rows
    ]


def _mention_stories(mentions: QuerySet[Mention], top: int) -> list[StoryRow]:
    """The ``top`` stories of ``mentions`` by weight: grouped on the mentions
    alone, then the few stories read by id (joined before grouping, PostgreSQL
    hashed the whole story table for an office's year)."""
    rows = list(
        mentions.filter(story__isnull=False)
        .values("story_id")
        .annotate(n=Count("pk"), w=Sum("weight"))
        .order_by("-w", "-n", "-story_id")[:top]
    )
    stories = Story.objects.only("title", "outlet_count", "first_published_at").in_bulk(
        [row["story_id"] for row in rows]
    )
    return [
        StoryRow(
            story_id=row["story_id"],
            title=stories[row["story_id"]].title,
            articles=row["n"],
            weight=float(row["w"] or 0.0),
            outlets=stories[row["story_id"]].outlet_count,
            first_published_at=stories[row["story_id"]].first_published_at,
        )
        for row in rows
        if row["story_id"] in stories
    ]


def _office_rows(mentions: QuerySet[Mention], limit: int) -> list[OfficeRow]:
    """Agencies ranked by weighted coverage: one GROUP BY over the mentions alone
    (no join: over a country's year of mentions a join doubled the time), and one
    query for the names of the ``limit`` agencies kept."""
    rows = list(
        mentions.values("agency_id", "office_id")
        .annotate(n=Count("pk"), w=Sum("weight"), **_tone_counts())
        .order_by("-w", "-n", "agency_id")[:limit]
    )
    names = dict(
        Agency.objects.filter(pk__in=[row["agency_id"] for row in rows]).values_list("pk", "name")
    )
    return [
        OfficeRow(
            agency_id=row["agency_id"],
            office_id=row["office_id"],
            name=names.get(row["agency_id"], ""),
            articles=row["n"],
            weight=float(row["w"] or 0.0),
            tone=_split(row),
        )
        for row in rows
    ]


# --- one office ----------------------------------------------------------------------------


def release_yield(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None
) -> dict[int, ReleaseYield]:
    """Per office: news releases done in ``start``..``end`` (lead or partner, never
    one merged into another, as ``activities.news_releases`` counts them) and the
    press stories linked to those releases. Two queries; offices without a
    release are absent."""
    done = Activity.objects.filter(
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        merged_into__isnull=True,
        start_date__gte=start,
        start_date__lte=end,
    )
    leads = done
    partners = ActivityPartner.objects.filter(activity__in=done.values("pk"))
    if office_ids is not None:
        leads = leads.filter(lead_office_id__in=office_ids)
        partners = partners.filter(office_id__in=office_ids)
    rows = (
        leads.order_by()
        .values_list("lead_office_id", "pk")
        .union(partners.order_by().values_list("office_id", "activity_id"), all=True)
    )
    releases: dict[int, set[int]] = defaultdict(set)
    for office_id, activity_id in rows:
        releases[office_id].add(activity_id)
    if not releases:
        return {}
    # A subquery rather than the ids: a country's year of releases is more ids
    # than SQLite binds in one statement.
    mine = done
    if office_ids is not None:
        mine = done.filter(
            Q(lead_office_id__in=office_ids) | Q(partnerships__office_id__in=office_ids)
        )
    stories = dict(
        Story.objects.filter(activity_id__in=mine.values("pk"))
        .values_list("activity_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        office_id: ReleaseYield(releases=len(ids), stories=sum(stories.get(pk, 0) for pk in ids))
        for office_id, ids in releases.items()
    }


def office_mentions(office_id: int, period: Period) -> QuerySet[Mention]:
    return Mention.objects.filter(_in_period(period), office_id=office_id)


def office_coverage(*, office: Office, period: Period, top: int = TOP) -> Coverage:
    """The press coverage of ``office``'s agency in ``period``: seven queries at most."""
    mentions = office_mentions(office.pk, period)
    yields = release_yield(start=period.start, end=period.end, office_ids=[office.pk])
    series = _mention_series(mentions, period)
    return Coverage(
        period=period,
        totals=_totals(series, _distinct_stories(mentions)),
        series=series,
        outlets=_mention_outlets(mentions, top),
        stories=_mention_stories(mentions, top),
        releases=yields.get(office.pk, ReleaseYield()),
    )


def office_totals(*, office_id: int, period: Period) -> Totals:
    """The number cards alone (the home-page panel): one query."""
    row = office_mentions(office_id, period).aggregate(
        articles=Count("pk"),
        stories=Count("story", distinct=True),
        weight=Sum("weight"),
        **_tone_counts(),
    )
    return Totals(
        articles=int(row["articles"] or 0),
        stories=int(row["stories"] or 0),
        weight=float(row["weight"] or 0.0),
        tone=_split(row),
    )


# --- a province, or the whole country -----------------------------------------------------


def province_mentions(province_id: int | None, period: Period) -> QuerySet[Mention]:
    """Mentions of the offices of a province (every mention when None). The
    offices are named by id so the ``(office, published_at)`` index is used:
    ``Mention`` has no index on its province."""
    mentions = Mention.objects.filter(_in_period(period))
    if province_id is not None:
        offices = Office.objects.filter(agency__province_id=province_id).values("pk")
        mentions = mentions.filter(office_id__in=offices)
    return mentions


def _press_stories(period: Period, top: int) -> tuple[int, list[StoryRow]]:
    """The stories of the country's press that began in the period: how many, and
    the ``top`` of them by weighted coverage. Read from ``Story`` (its counts are
    kept by ingestion) rather than from a country's year of mentions."""
    stories = Story.objects.filter(_in_period(period, "first_published_at"))
    rows = stories.order_by("-weight", "-article_count", "-id").values(
        "pk", "title", "article_count", "weight", "outlet_count", "first_published_at"
    )[:top]
    return stories.count(), [
        StoryRow(
            story_id=row["pk"],
            title=row["title"],
            articles=row["article_count"],
            weight=float(row["weight"]),
            outlets=row["outlet_count"],
            first_published_at=row["first_published_at"],
        )
        for row in rows
    ]


def province_coverage(
    *, province_id: int | None, period: Period, top: int = TOP, limit: int = RANKING_LIMIT
) -> Coverage:
    """The offices of a province (of the country when None) ranked by weighted
    coverage, with the province's totals, series and stories: six queries at most.

    For the whole country the stories are those of the press (``Story``), counted
    whole; for a province, those naming its offices, counted by those articles."""
    mentions = province_mentions(province_id, period)
    series = _mention_series(mentions, period)
    if province_id is None:
        count, stories = _press_stories(period, top)
    else:
        count, stories = _distinct_stories(mentions), _mention_stories(mentions, top)
    return Coverage(
        period=period,
        totals=_totals(series, count),
        series=series,
        stories=stories,
        offices=_office_rows(mentions.filter(office__isnull=False), limit),
    )


# --- one campaign ----------------------------------------------------------------------------


def campaign_articles(campaign_id: int, period: Period) -> QuerySet[Any]:
    """Rows of ``Article.campaigns`` (article × campaign) of the period."""
    through = Article.campaigns.through
    return through.objects.filter(
        _in_period(period, "article__published_at"), campaign_id=campaign_id
    )


def campaign_coverage(*, campaign: Campaign, period: Period, top: int = TOP) -> Coverage:
    """Articles matched to ``campaign`` in ``period``: how many, by outlet, by
    office mentioned and in what tone, per day: seven queries."""
    links = campaign_articles(campaign.pk, period)
    row = links.aggregate(
        articles=Count("pk"),
        stories=Count("article__story", distinct=True),
        weight=Sum("article__source__weight"),
    )
    daily: dict[dt.date, tuple[int, float]] = {}
    for day_row in (
        links.annotate(day=_day("article__published_at"))
        .values("day")
        .annotate(n=Count("pk"), w=Sum("article__source__weight"))
        .order_by()
    ):
        daily[_as_date(day_row["day"])] = (day_row["n"], float(day_row["w"] or 0.0))
    mentions = Mention.objects.filter(_in_period(period), article__in=links.values("article_id"))
    tones: dict[dt.date, ToneSplit] = {}
    total_tone = ToneSplit()
    for tone_row in (
        mentions.annotate(day=_day()).values("day").annotate(**_tone_counts()).order_by()
    ):
        split = _split(tone_row)
        tones[_as_date(tone_row["day"])] = split
        total_tone = ToneSplit(
            total_tone.positive + split.positive,
            total_tone.neutral + split.neutral,
            total_tone.negative + split.negative,
        )
    outlets = [
        OutletRow(
            source_id=r["article__source_id"],
            name=r["article__source__name"],
            articles=r["n"],
            weight=float(r["w"] or 0.0),
        )
        for r in links.values("article__source_id", "article__source__name")
        .annotate(n=Count("pk"), w=Sum("article__source__weight"))
        .order_by("-n", "-w", "article__source__name")[:top]
    ]
    stories = [
        StoryRow(
            story_id=r["article__story_id"],
            title=r["article__story__title"],
            articles=r["n"],
            weight=float(r["w"] or 0.0),
            outlets=r["article__story__outlet_count"],
            first_published_at=r["article__story__first_published_at"],
        )
        for r in links.filter(article__story__isnull=False)
        .values(
            "article__story_id",
            "article__story__title",
            "article__story__outlet_count",
            "article__story__first_published_at",
        )
        .annotate(n=Count("pk"), w=Sum("article__source__weight"))
        .order_by("-n", "-w", "-article__story_id")[:top]
    ]
    return Coverage(
        period=period,
        totals=Totals(
            articles=int(row["articles"] or 0),
            stories=int(row["stories"] or 0),
            weight=float(row["weight"] or 0.0),
            tone=total_tone,
        ),
        series=build_series(period, daily, tones),
        outlets=outlets,
        stories=stories,
        offices=_office_rows(mentions, RANKING_LIMIT),
    )


# --- the pages' objects and the alerts ----------------------------------------------------


def require_view(viewer: Person) -> None:
    policy.require(viewer, "monitoring.view", policy.Scope(province_id=None, office_id=None))


def office_get_for(*, viewer: Person, office_id: int) -> Office:
    """An office whose coverage ``viewer`` may read (the press is public: every
    signed-in user); Http404 when there is none."""
    require_view(viewer)
    office = Office.objects.select_related("agency__province").filter(pk=office_id).first()
    if office is None:
        raise Http404("no such office")
    return office


def campaign_get_for(*, viewer: Person, campaign_id: int) -> Campaign:
    require_view(viewer)
    campaign = (
        Campaign.objects.select_related("province")
        .prefetch_related("co_owners")
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None or not policy.can(viewer, "campaign.view", campaign):
        raise Http404("no such campaign")
    return campaign


def alert_list(
    *,
    viewer: Person,
    province_id: int | None = None,
    office_id: int | None = None,
    kind: str = "",
) -> QuerySet[Alert]:
    """The alerts ``viewer`` may read, newest first: their own office's; a council's
    chair and secretary also their province's; the ministry centre every one.

    That is exactly the reach of "monitoring.link" (an office acts on the press
    about itself, the council on its province's): the same rule is read from it
    rather than written a second time. Everyone sees their own office's alerts,
    whatever that action grants their role (an evaluator too)."""
    if policy.reach(viewer, "monitoring.view") == policy.Reach.NONE:
        return Alert.objects.none()
    alerts = policy.scope_queryset(
        viewer,
        "monitoring.link",
        Alert.objects.all(),
        province_field="agency__province_id",
        office_field="office_id",
    )
    if viewer.office_id is not None:
        alerts = alerts | Alert.objects.filter(office_id=viewer.office_id)
    if province_id is not None:
        alerts = alerts.filter(agency__province_id=province_id)
    if office_id is not None:
        alerts = alerts.filter(office_id=office_id)
    if kind:
        alerts = alerts.filter(kind=kind)
    return alerts.select_related("agency", "office", "story").order_by("-created_at", "-id")
