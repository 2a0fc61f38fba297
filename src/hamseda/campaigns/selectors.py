"""Reads of campaigns, scoped to the viewer by ``core.policy``, and the figures
of the workspace: progress against targets, each office's contribution and how
often each key message was used.

What counts towards a campaign (``counted_links``): its activities that are
done, not merged into another, and start inside the campaign's period. The
progress of many campaigns is computed together (``campaigns_progress``) in
three queries whatever their number, for the indicator and the season start.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.campaigns.models import Campaign, CampaignFile, KeyMessage, Target, TargetMetric
from hamseda.core import jalali, persian, policy
from hamseda.directory.models import Office, Person

CampaignLink = Activity.campaigns.through


class When(models.TextChoices):
    """Where a campaign's period lies from today (a list filter, never stored)."""

    RUNNING = "running", _("در حال اجرا")
    UPCOMING = "upcoming", _("آینده")
    PAST = "past", _("پایان‌یافته")


# --- lists and one campaign ------------------------------------------------------------


def _scoped(viewer: Person) -> QuerySet[Campaign]:
    return policy.scope_queryset(
        viewer,
        "campaign.view",
        Campaign.objects.all(),
        province_field="province_id",
        office_field=None,
    )


def _offices() -> Prefetch[Any]:
    return Prefetch("co_owners", queryset=Office.objects.order_by("sort_key"))


@dataclass(frozen=True)
class CampaignFilters:
    kind: str = ""
    # A province's campaigns; national campaigns (no province) too unless
    # ``national`` is False.
    province_id: int | None = None
    national: bool = True
    when: str = ""  # a ``When`` value
    query: str = ""
    office_id: int | None = None  # co-owner or participant
    season: str = ""


def when_of(campaign: Campaign, today: dt.date | None = None) -> str:
    today = today or jalali.today()
    if campaign.start_date > today:
        return When.UPCOMING.value
    if campaign.end_date < today:
        return When.PAST.value
    return When.RUNNING.value


def campaign_list(
    *, viewer: Person, filters: CampaignFilters | None = None, today: dt.date | None = None
) -> QuerySet[Campaign]:
    """The campaigns ``viewer`` may see, filtered, latest start first, with
    province and co-owners loaded (two queries for a page)."""
    filters = filters or CampaignFilters()
    today = today or jalali.today()
    campaigns = _scoped(viewer)
    if filters.kind:
        campaigns = campaigns.filter(kind=filters.kind)
    if filters.season:
        campaigns = campaigns.filter(season=filters.season)
    if filters.province_id is not None:
        here = Q(province_id=filters.province_id)
        campaigns = campaigns.filter(here | Q(province__isnull=True) if filters.national else here)
    if filters.when == When.RUNNING:
        campaigns = campaigns.filter(start_date__lte=today, end_date__gte=today)
    elif filters.when == When.UPCOMING:
        campaigns = campaigns.filter(start_date__gt=today)
    elif filters.when == When.PAST:
        campaigns = campaigns.filter(end_date__lt=today)
    if filters.office_id is not None:
        campaigns = campaigns.filter(
            Q(co_owners=filters.office_id) | Q(participants=filters.office_id)
        ).distinct()
    for term in persian.query_terms(filters.query):
        campaigns = campaigns.filter(text_key__contains=term)
    return (
        campaigns.select_related("province")
        .prefetch_related(_offices())
        .order_by("-start_date", "pk")
    )


def campaign_get_for(*, viewer: Person, campaign_id: int) -> Campaign:
    """One campaign with what its workspace shows; Http404 when there is none
    the viewer may see."""
    campaign = (
        _scoped(viewer)
        .select_related("province", "previous", "created_by")
        .prefetch_related(
            Prefetch(
                "co_owners", queryset=Office.objects.select_related("agency").order_by("sort_key")
            ),
            Prefetch(
                "participants",
                queryset=Office.objects.select_related("agency").order_by("sort_key"),
            ),
            Prefetch("targets", queryset=Target.objects.order_by("position", "pk")),
            Prefetch(
                "files",
                queryset=CampaignFile.objects.select_related("uploaded_by").order_by(
                    "-created_at", "-pk"
                ),
            ),
        )
        .filter(pk=campaign_id)
        .first()
    )
    if campaign is None:
        raise Http404("no such campaign")
    return campaign


def file_get_for(*, viewer: Person, file_id: int) -> CampaignFile:
    """A campaign file, if ``viewer`` may see its campaign; Http404 otherwise."""
    document = (
        CampaignFile.objects.filter(pk=file_id, campaign__in=_scoped(viewer))
        .select_related("campaign")
        .first()
    )
    if document is None:
        raise Http404("no such file")
    return document


def season_previous(campaign: Campaign) -> Campaign | None:
    """The programme of the same season the year before, in the same province."""
    if not campaign.season or campaign.season_year is None:
        return None
    if campaign.previous_id is not None:
        return campaign.previous
    same_province = (
        Q(province__isnull=True)
        if campaign.province_id is None
        else Q(province_id=campaign.province_id)
    )
    return Campaign.objects.filter(
        same_province, season=campaign.season, season_year=campaign.season_year - 1
    ).first()


# --- progress against targets ----------------------------------------------------------


@dataclass(frozen=True)
class TargetProgress:
    target: Target
    # Achieved so far; None for a MANUAL target nobody has recorded yet.
    value: int | None
    percent: float  # of the target value; may pass 100
    met: bool
    baseline: int | None
    change: int | None  # value - baseline
    change_percent: float | None  # relative to a non-zero baseline

    @property
    def bar(self) -> int:
        """The progress bar's width, 0-100 (a whole number: it goes into CSS)."""
        return round(max(0.0, min(self.percent, 100.0)))

    @property
    def counts(self) -> str:
        """What the target counts, in Persian."""
        if self.target.metric == TargetMetric.KIND and self.target.activity_kind:
            kind = ActivityKind(self.target.activity_kind).label
            return str(_("فعالیت‌های «%(kind)s»")) % {"kind": kind}
        return str(TargetMetric(self.target.metric).label)

    @property
    def change_size(self) -> int | None:
        return abs(self.change) if self.change is not None else None

    @property
    def change_percent_size(self) -> float | None:
        return abs(self.change_percent) if self.change_percent is not None else None


@dataclass
class _Achieved:
    """What a campaign's counted activities add up to."""

    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    joint: int = 0
    offices: set[int] = field(default_factory=set)


def counted_links(campaign_ids: Iterable[int]) -> QuerySet[Any]:
    """Links (campaign, activity) that count towards progress: the activity is
    done, not merged away, and starts inside the campaign's period."""
    return CampaignLink.objects.filter(
        campaign_id__in=list(campaign_ids),
        activity__status=ActivityStatus.DONE,
        activity__merged_into__isnull=True,
        activity__start_date__gte=F("campaign__start_date"),
        activity__start_date__lte=F("campaign__end_date"),
    )


def _achieved(campaign_ids: list[int], metrics: set[str]) -> dict[int, _Achieved]:
    """Per campaign, in at most three queries: counts per kind (the total is
    their sum), joint activities, and the distinct offices (lead or partner)."""
    result: dict[int, _Achieved] = defaultdict(_Achieved)
    if not campaign_ids:
        return result
    links = counted_links(campaign_ids)
    if metrics & {TargetMetric.ACTIVITIES, TargetMetric.KIND}:
        rows = (
            links.values("campaign_id", "activity__kind")
            .annotate(n=Count("activity_id", distinct=True))
            .order_by()
        )
        for row in rows:
            achieved = result[row["campaign_id"]]
            achieved.by_kind[row["activity__kind"]] = row["n"]
            achieved.total += row["n"]
    if TargetMetric.JOINT in metrics:
        has_partner = Exists(ActivityPartner.objects.filter(activity_id=OuterRef("activity_id")))
        rows = (
            links.filter(has_partner)
            .values("campaign_id")
            .annotate(n=Count("activity_id", distinct=True))
            .order_by()
        )
        for row in rows:
            result[row["campaign_id"]].joint = row["n"]
    if TargetMetric.OFFICES in metrics:
        leads = links.values_list("campaign_id", "activity__lead_office_id").order_by()
        partners = (
            counted_links(campaign_ids)
            .filter(activity__partnerships__isnull=False)
            .values_list("campaign_id", "activity__partnerships__office_id")
            .order_by()
        )
        for campaign_id, office_id in leads.union(partners):
            result[campaign_id].offices.add(office_id)
    return result


def _value(target: Target, achieved: _Achieved) -> int | None:
    if target.metric == TargetMetric.MANUAL:
        return target.manual_value
    if target.metric == TargetMetric.KIND:
        return achieved.by_kind.get(target.activity_kind, 0)
    if target.metric == TargetMetric.JOINT:
        return achieved.joint
    if target.metric == TargetMetric.OFFICES:
        return len(achieved.offices)
    return achieved.total


def _progress(target: Target, achieved: _Achieved) -> TargetProgress:
    value = _value(target, achieved)
    count = value or 0
    percent = 100.0 * count / target.target_value if target.target_value else 0.0
    baseline = target.baseline_value
    change = None if baseline is None or value is None else value - baseline
    change_percent = (
        round(100.0 * change / baseline, 1) if change is not None and baseline else None
    )
    return TargetProgress(
        target=target,
        value=value,
        percent=round(percent, 1),
        met=value is not None and value >= target.target_value,
        baseline=baseline,
        change=change,
        change_percent=change_percent,
    )


def campaigns_progress(campaigns: Sequence[Campaign]) -> dict[int, list[TargetProgress]]:
    """Progress of every target of ``campaigns``, by campaign id, targets in
    their order. Uses prefetched targets when loaded (one query otherwise),
    plus at most three queries for the achieved figures of them all."""
    targets: dict[int, list[Target]] = {}
    unloaded = [
        c.pk for c in campaigns if "targets" not in getattr(c, "_prefetched_objects_cache", {})
    ]
    loaded: dict[int, list[Target]] = defaultdict(list)
    if unloaded:
        for target in Target.objects.filter(campaign_id__in=unloaded).order_by("position", "pk"):
            loaded[target.campaign_id].append(target)
    for campaign in campaigns:
        if campaign.pk in unloaded:
            targets[campaign.pk] = loaded[campaign.pk]
        else:
            targets[campaign.pk] = sorted(campaign.targets.all(), key=lambda t: (t.position, t.pk))
    metrics = {t.metric for items in targets.values() for t in items}
    counted = [
        pk for pk, items in targets.items() if any(t.metric != TargetMetric.MANUAL for t in items)
    ]
    achieved = _achieved(counted, metrics)
    return {
        pk: [_progress(target, achieved[pk]) for target in items] for pk, items in targets.items()
    }


def campaign_progress(campaign: Campaign) -> list[TargetProgress]:
    """Progress of each of the campaign's targets (at most four queries)."""
    return campaigns_progress([campaign])[campaign.pk]


# --- contribution per office -------------------------------------------------------------


@dataclass
class OfficeContribution:
    office: Office
    done: int = 0
    planned: int = 0
    joint: int = 0
    is_co_owner: bool = False
    is_participant: bool = False


def office_contribution(campaign: Campaign) -> list[OfficeContribution]:
    """Each office with activities in the campaign (lead or partner: a joint
    activity counts for every office in it), and each participant even with
    none: done and planned activities inside the campaign's period, and how
    many of them were joint. Most done first. Two queries when the campaign's
    offices are prefetched (``campaign_get_for``), four otherwise."""
    activities = Activity.objects.filter(
        campaigns=campaign,
        merged_into__isnull=True,
        status__in=(ActivityStatus.DONE, ActivityStatus.PLANNED),
        start_date__gte=campaign.start_date,
        start_date__lte=campaign.end_date,
    )
    # office id -> [done, planned, joint]
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    has_partner = Exists(ActivityPartner.objects.filter(activity_id=OuterRef("pk")))
    lead_rows = (
        activities.values("lead_office_id", "status")
        .annotate(
            n=Count("pk", distinct=True), joint=Count("pk", filter=has_partner, distinct=True)
        )
        .order_by()
    )
    for row in lead_rows:
        tally = counts[row["lead_office_id"]]
        tally[0 if row["status"] == ActivityStatus.DONE else 1] += row["n"]
        tally[2] += row["joint"]
    partner_rows = (
        ActivityPartner.objects.filter(activity__in=activities.values("pk"))
        .exclude(office_id=F("activity__lead_office_id"))
        .values("office_id", "activity__status")
        .annotate(n=Count("activity_id", distinct=True))
        .order_by()
    )
    for partner_row in partner_rows:
        tally = counts[partner_row["office_id"]]
        done = partner_row["activity__status"] == ActivityStatus.DONE
        tally[0 if done else 1] += partner_row["n"]
        # Every activity an office partners in is joint by definition.
        tally[2] += partner_row["n"]
    # Prefetched by campaign_get_for: no query then.
    co_owners = {o.pk: o for o in campaign.co_owners.all()}
    participants = {o.pk: o for o in campaign.participants.all()}
    offices: dict[int, Office] = {**participants, **co_owners}
    missing = [pk for pk in counts if pk not in offices]
    if missing:
        offices.update(Office.objects.in_bulk(missing))
    result = [
        OfficeContribution(
            office=office,
            done=counts[pk][0] if pk in counts else 0,
            planned=counts[pk][1] if pk in counts else 0,
            joint=counts[pk][2] if pk in counts else 0,
            is_co_owner=pk in co_owners,
            is_participant=pk in participants,
        )
        for pk, office in offices.items()
    ]
    result.sort(key=lambda r: (-r.done, -r.planned, r.office.sort_key))
    return result


# --- key messages --------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageUsage:
    message: KeyMessage
    uses: int  # activities that carried the message (not merged away, not cancelled)


def message_usage(campaign: Campaign) -> list[MessageUsage]:
    """The campaign's key messages in order, each with how many activities used
    it. One query."""
    messages = (
        KeyMessage.objects.filter(campaign=campaign)
        .annotate(
            used=Count(
                "uses",
                filter=Q(
                    uses__merged_into__isnull=True,
                    uses__status__in=(ActivityStatus.DONE, ActivityStatus.PLANNED),
                ),
                distinct=True,
            )
        )
        .order_by("position", "pk")
    )
    return [MessageUsage(message=m, uses=m.used) for m in messages]
