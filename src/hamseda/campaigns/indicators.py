"""Indicators the campaigns app gives the evaluation engine (``core.indicators``).

A campaign counts for each of its co-owners and participants (co-owners are
participants too). At most seven queries, whatever the number of campaigns
and offices.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from hamseda.campaigns import selectors
from hamseda.campaigns.models import Campaign
from hamseda.core.indicators import HIGHER, indicator


@indicator(
    "campaigns.targets_met",
    name=_("تحقق اهداف کمی پویش‌ها"),
    unit="%",
    direction=HIGHER,
    description=_(
        "از اهداف کمی پویش‌ها و قرارگاه‌هایی که در این دوره پایان یافته‌اند و دستگاه "
        "گرداننده یا مشارکت‌کننده آن‌ها بوده، درصدی که محقق شده است"
    ),
)
def targets_met(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    campaigns = list(
        Campaign.objects.filter(end_date__gte=start, end_date__lte=end).prefetch_related("targets")
    )
    if not campaigns:
        return {}
    ids = [c.pk for c in campaigns]
    offices_of: dict[int, set[int]] = defaultdict(set)
    for relation in (Campaign.co_owners.through, Campaign.participants.through):
        links = relation.objects.filter(campaign_id__in=ids)
        if office_ids is not None:
            links = links.filter(office_id__in=office_ids)
        for campaign_id, office_id in links.values_list("campaign_id", "office_id"):
            offices_of[campaign_id].add(office_id)
    progress = selectors.campaigns_progress([c for c in campaigns if offices_of[c.pk]])
    total: dict[int, int] = defaultdict(int)
    met: dict[int, int] = defaultdict(int)
    for campaign_id, rows in progress.items():
        if not rows:
            continue
        reached = sum(1 for row in rows if row.met)
        for office_id in offices_of[campaign_id]:
            total[office_id] += len(rows)
            met[office_id] += reached
    return {office: round(100.0 * met[office] / n, 1) for office, n in total.items()}
