"""Indicators the campaigns app gives the evaluation engine (``core.indicators``).

A campaign counts for each of its co-owners and participants (co-owners are
participants too). At most seven queries, whatever the number of campaigns
and offices; the evidence of one office takes at most five. ``_ended`` and
``RELATIONS`` are the rules both the value and its evidence read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.campaigns import selectors
from hamseda.campaigns.models import Campaign
from hamseda.core.indicators import HIGHER, Evidence, evidence_for, indicator
from hamseda.core.persian import format_number

# The offices a campaign counts for: its co-owners and its participants.
RELATIONS = (Campaign.co_owners.through, Campaign.participants.through)


def _ended(start: dt.date, end: dt.date) -> QuerySet[Campaign]:
    """Campaigns that ended in the period, their targets prefetched."""
    return Campaign.objects.filter(end_date__gte=start, end_date__lte=end).prefetch_related(
        "targets"
    )


@indicator(
    "campaigns.targets_met",
    name=_("تحقق اهداف کمی پویش‌ها"),
    unit="%",
    direction=HIGHER,
    description=_(
        "از اهداف کمی پویش‌ها و قرارگاه‌هایی که در این دوره پایان یافته‌اند و دستگاه "
        "گرداننده یا مشارکت‌کننده آن‌ها بوده، درصدی که محقق شده است"
    ),
    absent_is_zero=False,
)
def targets_met(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    campaigns = list(_ended(start, end))
    if not campaigns:
        return {}
    ids = [c.pk for c in campaigns]
    offices_of: dict[int, set[int]] = defaultdict(set)
    for relation in RELATIONS:
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


@evidence_for("campaigns.targets_met")
def targets_met_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """Every target of the campaigns the office ran or joined that ended in the
    period, counted when met; newest campaign first, targets in their order."""
    taking_part = Q()
    for relation in RELATIONS:
        taking_part |= Q(
            Exists(relation.objects.filter(campaign_id=OuterRef("pk"), office_id=office_id))
        )
    campaigns = list(_ended(start, end).filter(taking_part).order_by("-end_date", "-pk"))
    progress = selectors.campaigns_progress(campaigns)
    result = []
    for campaign in campaigns:
        for row in progress[campaign.pk]:
            if row.value is None:
                note = gettext("رقمی ثبت نشده؛ هدف %(target)s") % {
                    "target": format_number(row.target.target_value)
                }
            else:
                note = gettext("%(value)s از %(target)s") % {
                    "value": format_number(row.value),
                    "target": format_number(row.target.target_value),
                }
            result.append(
                Evidence(
                    label=f"{campaign.title} — {row.target.label}",
                    url=campaign.get_absolute_url(),
                    date=campaign.end_date,
                    counted=row.met,
                    note=note,
                )
            )
    return result[:limit]
