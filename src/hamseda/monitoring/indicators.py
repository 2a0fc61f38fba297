"""Indicators media monitoring gives the evaluation engine (``core.indicators``).

Coverage is read from ``Mention`` (its office and date copied from the article),
one GROUP BY per indicator over the ``(office, published_at)`` index; stories per
release takes two queries (``dashboards.release_yield``). An office without any
article in the period is absent, as ``core.indicators.compute`` promises.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from hamseda.core.indicators import HIGHER, LOWER, indicator
from hamseda.monitoring.dashboards import Period, release_yield
from hamseda.monitoring.models import Mention, Tone


def _mentions(start: dt.date, end: dt.date, office_ids: Sequence[int] | None) -> QuerySet[Mention]:
    low, high = Period(start, end).bounds()
    mentions = Mention.objects.filter(
        office__isnull=False, published_at__gte=low, published_at__lt=high
    )
    if office_ids is not None:
        mentions = mentions.filter(office_id__in=office_ids)
    # Mention has no default ordering: the GROUP BY of values() stays by office.
    return mentions


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


@indicator(
    "monitoring.negative_share",
    name=_("سهم بازتاب منفی"),
    unit="%",
    direction=LOWER,
    description=_("درصد خبرهای دوره دربارهٔ دستگاه که لحنشان نسبت به آن منفی بوده است"),
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


@indicator(
    "monitoring.stories_per_release",
    name=_("بازتاب هر خبر ارسالی"),
    unit=_("رویداد خبری به ازای هر خبر"),
    direction=HIGHER,
    description=_(
        "شمار رویدادهای خبری رسانه‌ها که به خبرهای ارسالی دستگاه پیوند خورده‌اند، "
        "تقسیم بر شمار خبرهای ارسالی انجام‌شده در دوره"
    ),
)
def stories_per_release(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    yields = release_yield(start=start, end=end, office_ids=office_ids)
    return {
        office_id: round(found.stories / found.releases, 2)
        for office_id, found in yields.items()
        if found.releases
    }
