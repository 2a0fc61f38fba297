"""Indicators media monitoring gives the evaluation engine (``core.indicators``).

Coverage is read from ``Mention`` (its office and date copied from the article),
one GROUP BY per indicator over the ``(office, published_at)`` index; stories per
release takes two queries, counting the news releases by the rules of
``activities.news_releases`` (``activities.indicators.done_activities``). An
office without any article in the period is absent, as
``core.indicators.compute`` promises. Each evidence listing is one query over
the same rows as its value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.activities.indicators import NEWS, done_activities, of_office, participations
from hamseda.activities.models import Activity, ActivityPartner
from hamseda.core import jalali
from hamseda.core.indicators import HIGHER, LOWER, Evidence, evidence_for, indicator
from hamseda.core.persian import format_number
from hamseda.monitoring.dashboards import Period
from hamseda.monitoring.models import Mention, Story, Tone


def _mentions(start: dt.date, end: dt.date, office_ids: Sequence[int] | None) -> QuerySet[Mention]:
    low, high = Period(start, end).bounds()
    mentions = Mention.objects.filter(
        office__isnull=False, published_at__gte=low, published_at__lt=high
    )
    if office_ids is not None:
        mentions = mentions.filter(office_id__in=office_ids)
    # Mention has no default ordering: the GROUP BY of values() stays by office.
    return mentions


def _articles(
    *,
    start: dt.date,
    end: dt.date,
    office_id: int,
    limit: int,
    note: Callable[[Mention], str] = lambda mention: "",
    counted: Callable[[Mention], bool] = lambda mention: True,
) -> list[Evidence]:
    """The articles behind one office's coverage, newest first: one query."""
    mentions = (
        _mentions(start, end, [office_id])
        .select_related("article__source")
        .order_by("-published_at", "-pk")[:limit]
    )
    return [
        Evidence(
            label=f"{mention.article.title} — {mention.article.source.name}",
            url=mention.article.get_absolute_url(),
            date=jalali.local_date(mention.published_at),
            counted=counted(mention),
            note=note(mention),
        )
        for mention in mentions
    ]


@indicator(
    "monitoring.coverage",
    name=_("بازتاب خبری"),
    unit=_("خبر"),
    direction=HIGHER,
    description=_("شمار خبرهای رسانه‌ها در دوره که از دستگاه نام برده‌اند"),
)
def coverage(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = _mentions(start, end, office_ids).values("office_id").annotate(n=Count("pk"))
    return {row["office_id"]: float(row["n"]) for row in rows}


@evidence_for("monitoring.coverage")
def coverage_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return _articles(start=start, end=end, office_id=office_id, limit=limit)


@indicator(
    "monitoring.weighted_coverage",
    name=_("بازتاب خبری وزنی"),
    unit=_("امتیاز"),
    direction=HIGHER,
    description=_(
        "جمع وزن رسانه‌هایی که در دوره از دستگاه نام برده‌اند (رسانه معمولی ۱، پرمخاطب‌تر بیشتر)"
    ),
)
def weighted_coverage(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = _mentions(start, end, office_ids).values("office_id").annotate(w=Sum("weight"))
    return {row["office_id"]: round(float(row["w"] or 0.0), 2) for row in rows}


def _weight_note(mention: Mention) -> str:
    weight = round(mention.weight, 2)
    shown = format_number(int(weight)) if weight.is_integer() else format_number(weight)
    return gettext("وزن %(weight)s") % {"weight": shown}


@evidence_for("monitoring.weighted_coverage")
def weighted_coverage_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return _articles(start=start, end=end, office_id=office_id, limit=limit, note=_weight_note)


@indicator(
    "monitoring.negative_share",
    name=_("سهم بازتاب منفی"),
    unit="%",
    direction=LOWER,
    description=_("درصد خبرهای دوره دربارهٔ دستگاه که لحنشان نسبت به آن منفی بوده است"),
    absent_is_zero=False,
)
def negative_share(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = (
        _mentions(start, end, office_ids)
        .values("office_id")
        .annotate(n=Count("pk"), negative=Count("pk", filter=Q(tone=Tone.NEGATIVE)))
    )
    return {row["office_id"]: round(100.0 * row["negative"] / row["n"], 1) for row in rows}


@evidence_for("monitoring.negative_share")
def negative_share_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """Every article of the period about the office; the negative ones count."""
    return _articles(
        start=start,
        end=end,
        office_id=office_id,
        limit=limit,
        note=lambda mention: gettext("لحن %(tone)s") % {"tone": Tone(mention.tone).label},
        counted=lambda mention: mention.tone == Tone.NEGATIVE,
    )


@indicator(
    "monitoring.stories_per_release",
    name=_("بازتاب هر خبر ارسالی"),
    unit=_("رویداد خبری به ازای هر خبر"),
    direction=HIGHER,
    description=_(
        "شمار رویدادهای خبری رسانه‌ها که به خبرهای ارسالی دستگاه پیوند خورده‌اند، "
        "تقسیم بر شمار خبرهای ارسالی انجام‌شده در دوره"
    ),
    absent_is_zero=False,
)
def stories_per_release(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    releases = done_activities(start=start, end=end, kinds=NEWS)
    of_offices: dict[int, list[int]] = defaultdict(list)
    for office_id, activity_id in participations(releases, office_ids):
        of_offices[office_id].append(activity_id)
    if not of_offices:
        return {}
    # A subquery rather than the ids: a country's year of releases is more ids
    # than SQLite binds in one statement.
    mine: QuerySet[Activity] = releases
    if office_ids is not None:
        mine = releases.filter(
            Q(lead_office_id__in=office_ids)
            | Exists(
                ActivityPartner.objects.filter(activity=OuterRef("pk"), office_id__in=office_ids)
            )
        )
    stories = dict(
        Story.objects.filter(activity_id__in=mine.values("pk"))
        .values_list("activity_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        office_id: round(sum(stories.get(pk, 0) for pk in ids) / len(ids), 2)
        for office_id, ids in of_offices.items()
    }


@evidence_for("monitoring.stories_per_release")
def stories_per_release_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """The office's news releases of the period, each with the press stories
    linked to it (their sum over the releases' number is the value). One query."""
    releases = (
        of_office(done_activities(start=start, end=end, kinds=NEWS), office_id)
        .annotate(story_count=Count("stories"))
        .order_by("-start_date", "-pk")[:limit]
    )
    return [
        Evidence(
            label=release.title,
            url=release.get_absolute_url(),
            date=release.start_date,
            note=gettext("%(n)s رویداد خبری") % {"n": format_number(release.story_count)},
        )
        for release in releases
    ]
