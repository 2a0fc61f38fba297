"""Indicators the activities app gives the evaluation engine (``core.indicators``).

Only activities that were done count, by their start date, and never one merged
into another (it lives on in the activity it joined). A joint activity counts
for its lead office and for every partner: joining up is not penalised. One
query per indicator, whatever the number of offices; one per evidence listing.

``done_activities`` and ``of_office`` are the rules both the values and their
evidence read, so the two never disagree; ``monitoring.stories_per_release``
counts the news releases with them too.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.core.indicators import HIGHER, Evidence, evidence_for, indicator

NEWS = (ActivityKind.NEWS_RELEASE,)
INTERVIEWS = (ActivityKind.INTERVIEW, ActivityKind.PRESS_CONFERENCE)


def done_activities(
    *, start: dt.date, end: dt.date, kinds: Collection[str] = (), joint_only: bool = False
) -> QuerySet[Activity]:
    """Activities done in ``start``..``end`` (by start date) that an indicator counts."""
    activities = Activity.objects.filter(
        status=ActivityStatus.DONE,
        merged_into__isnull=True,
        start_date__gte=start,
        start_date__lte=end,
    )
    if kinds:
        activities = activities.filter(kind__in=kinds)
    if joint_only:
        activities = activities.filter(
            Exists(ActivityPartner.objects.filter(activity=OuterRef("pk")))
        )
    return activities


def participations(
    activities: QuerySet[Activity], office_ids: Sequence[int] | None
) -> list[tuple[int, int]]:
    """``(office id, activity id)`` of every lead office and partner of
    ``activities``, each pair once: one query (a union of the two relations)."""
    leads = activities
    partner_rows = ActivityPartner.objects.filter(activity__in=activities.values("pk"))
    if office_ids is not None:
        leads = leads.filter(lead_office_id__in=office_ids)
        partner_rows = partner_rows.filter(office_id__in=office_ids)
    # A plain UNION drops duplicates: an office is never counted twice for one
    # activity, as ``of_office`` lists it once.
    rows = (
        leads.order_by()
        .values_list("lead_office_id", "pk")
        .union(partner_rows.order_by().values_list("office_id", "activity_id"))
    )
    return [(office_id, activity_id) for office_id, activity_id in rows]


def of_office(activities: QuerySet[Activity], office_id: int) -> QuerySet[Activity]:
    """Those of ``activities`` that ``office_id`` led or joined."""
    return activities.filter(
        Q(lead_office_id=office_id)
        | Exists(ActivityPartner.objects.filter(activity=OuterRef("pk"), office_id=office_id))
    )


def count_per_office(
    *,
    start: dt.date,
    end: dt.date,
    office_ids: Sequence[int] | None,
    kinds: Collection[str] = (),
    joint_only: bool = False,
) -> dict[int, float]:
    """Done activities per participating office (lead or partner)."""
    activities = done_activities(start=start, end=end, kinds=kinds, joint_only=joint_only)
    counts: dict[int, float] = defaultdict(float)
    for office_id, _activity_id in participations(activities, office_ids):
        counts[office_id] += 1
    return dict(counts)


def listing(
    *,
    start: dt.date,
    end: dt.date,
    office_id: int,
    limit: int,
    kinds: Collection[str] = (),
    joint_only: bool = False,
) -> list[Evidence]:
    """The activities ``count_per_office`` counted for one office, newest first:
    one query."""
    activities = of_office(
        done_activities(start=start, end=end, kinds=kinds, joint_only=joint_only), office_id
    ).order_by("-start_date", "-pk")[:limit]
    return [
        Evidence(
            label=activity.title,
            url=activity.get_absolute_url(),
            date=activity.start_date,
            note=gettext("مجری") if activity.lead_office_id == office_id else gettext("همکار"),
        )
        for activity in activities
    ]


@indicator(
    "activities.news_releases",
    name=_("خبرهای تولید و منتشرشده"),
    unit=_("خبر"),
    direction=HIGHER,
    description=_("خبرها و اطلاعیه‌های انجام‌شده در دوره؛ خبر مشترک برای همه همکاران"),
)
def news_releases(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    return count_per_office(start=start, end=end, office_ids=office_ids, kinds=NEWS)


@evidence_for("activities.news_releases")
def news_releases_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return listing(start=start, end=end, office_id=office_id, limit=limit, kinds=NEWS)


@indicator(
    "activities.interviews_press",
    name=_("مصاحبه‌ها و نشست‌های خبری"),
    unit=_("مورد"),
    direction=HIGHER,
    description=_("مصاحبه‌ها و نشست‌های خبری انجام‌شده در دوره"),
)
def interviews_press(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    return count_per_office(start=start, end=end, office_ids=office_ids, kinds=INTERVIEWS)


@evidence_for("activities.interviews_press")
def interviews_press_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return listing(start=start, end=end, office_id=office_id, limit=limit, kinds=INTERVIEWS)


@indicator(
    "activities.joint",
    name=_("فعالیت‌های مشترک با دستگاه‌های دیگر"),
    unit=_("فعالیت"),
    direction=HIGHER,
    description=_("فعالیت‌های انجام‌شده‌ای که دست‌کم دو دستگاه در آن شریک بوده‌اند"),
)
def joint(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    return count_per_office(start=start, end=end, office_ids=office_ids, joint_only=True)


@evidence_for("activities.joint")
def joint_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return listing(start=start, end=end, office_id=office_id, limit=limit, joint_only=True)


@indicator(
    "activities.done",
    name=_("همه فعالیت‌های انجام‌شده"),
    unit=_("فعالیت"),
    direction=HIGHER,
    description=_("همه فعالیت‌های روابط عمومی انجام‌شده در دوره، از هر نوع"),
)
def done(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    return count_per_office(start=start, end=end, office_ids=office_ids)


@evidence_for("activities.done")
def done_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    return listing(start=start, end=end, office_id=office_id, limit=limit)
