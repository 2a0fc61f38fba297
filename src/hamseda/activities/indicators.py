"""Indicators the activities app gives the evaluation engine (``core.indicators``).

Only activities that were done count, by their start date, and never one merged
into another (it lives on in the activity it joined). A joint activity counts
for its lead office and for every partner: joining up is not penalised. One
query per indicator, whatever the number of offices.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.core.indicators import HIGHER, indicator


def _done(start: dt.date, end: dt.date) -> Q:
    return Q(
        status=ActivityStatus.DONE,
        merged_into__isnull=True,
        start_date__gte=start,
        start_date__lte=end,
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
    condition = _done(start, end)
    if kinds:
        condition &= Q(kind__in=kinds)
    counts: dict[int, float] = defaultdict(float)
    # Lead offices and partners in one query: a union of the two relations.
    leads = Activity.objects.filter(condition)
    partner_rows = ActivityPartner.objects.filter(
        activity__in=Activity.objects.filter(condition).values("pk")
    )
    if office_ids is not None:
        leads = leads.filter(lead_office_id__in=office_ids)
        partner_rows = partner_rows.filter(office_id__in=office_ids)
    if joint_only:
        leads = leads.filter(Exists(ActivityPartner.objects.filter(activity=OuterRef("pk"))))
    rows = (
        leads.order_by()
        .values_list("lead_office_id", "pk")
        .union(partner_rows.order_by().values_list("office_id", "activity_id"), all=True)
    )
    for office_id, _activity_id in rows:
        counts[office_id] += 1
    return dict(counts)


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
    return count_per_office(
        start=start, end=end, office_ids=office_ids, kinds=[ActivityKind.NEWS_RELEASE]
    )


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
    return count_per_office(
        start=start,
        end=end,
        office_ids=office_ids,
        kinds=[ActivityKind.INTERVIEW, ActivityKind.PRESS_CONFERENCE],
    )


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
