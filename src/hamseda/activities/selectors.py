"""Reads of activities, scoped to the viewer by ``core.policy``.

Lists, the calendar, exports and the API all start from ``activity_list``, so
they can never disagree about what a viewer sees or what a filter means.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from hamseda.activities.models import Activity, ActivityAttachment, ActivityPartner
from hamseda.campaigns.models import Campaign
from hamseda.core import persian, policy
from hamseda.directory.models import Office, Person


@dataclass(frozen=True)
class ActivityFilters:
    office_id: int | None = None  # lead or partner
    campaign_id: int | None = None
    kind: str = ""
    status: str = ""
    # The activity's period overlaps [date_from, date_to].
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str = ""
    province_id: int | None = None  # offered to viewers who see several provinces
    joint: bool | None = None

    def is_empty(self) -> bool:
        return self == ActivityFilters()


def _scoped(viewer: Person) -> QuerySet[Activity]:
    # An activity's province is its lead office's: whoever sees the province
    # sees their own office's activities too, and a filter on the province
    # alone lets the database use the (province, start_date) index.
    province_wide = policy.reach(viewer, "activity.view") >= policy.Reach.PROVINCE
    return policy.scope_queryset(
        viewer,
        "activity.view",
        Activity.objects.filter(merged_into__isnull=True),
        province_field="province_id",
        office_field=None if province_wide else "lead_office_id",
    )


def partners_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "partners", queryset=Office.objects.select_related("agency").order_by("sort_key")
    )


def activity_list(*, viewer: Person, filters: ActivityFilters | None = None) -> QuerySet[Activity]:
    """The activities ``viewer`` may see (merged-away ones excluded), filtered,
    newest first, with the lead office, its agency and the partners loaded."""
    filters = filters or ActivityFilters()
    activities = _scoped(viewer)
    if filters.office_id is not None:
        partner = ActivityPartner.objects.filter(
            activity=OuterRef("pk"), office_id=filters.office_id
        )
        activities = activities.filter(Q(lead_office_id=filters.office_id) | Exists(partner))
    if filters.campaign_id is not None:
        activities = activities.filter(campaigns__id=filters.campaign_id)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.date_from is not None:
        activities = activities.filter(end_date__gte=filters.date_from)
    if filters.date_to is not None:
        activities = activities.filter(start_date__lte=filters.date_to)
    if filters.province_id is not None:
        activities = activities.filter(province_id=filters.province_id)
    if filters.joint is not None:
        joint = Exists(ActivityPartner.objects.filter(activity=OuterRef("pk")))
        activities = activities.filter(joint) if filters.joint else activities.exclude(joint)
    for term in persian.query_terms(filters.query):
        activities = activities.filter(text_key__contains=term)
    return (
        activities.select_related("lead_office__agency", "province")
        .prefetch_related(partners_prefetch())
        .order_by("-start_date", "-pk")
    )


def activity_get_for(*, viewer: Person, activity_id: int) -> Activity:
    """One activity with everything its page shows; 404 when the viewer may not
    see it (a record of another province is not admitted to exist). An activity
    merged into another is still found: its page says where it went."""
    activity = (
        Activity.objects.select_related(
            "lead_office__agency", "province", "created_by", "merged_into"
        )
        .prefetch_related(
            partners_prefetch(),
            Prefetch(
                "partnerships",
                queryset=ActivityPartner.objects.select_related("office", "joined_by"),
            ),
            Prefetch("campaigns", queryset=Campaign.objects.prefetch_related("messages")),
            "messages",
            Prefetch("attachments", queryset=ActivityAttachment.objects.order_by("created_at")),
        )
        .filter(pk=activity_id)
        .first()
    )
    if activity is None or not policy.can(viewer, "activity.view", activity):
        raise Http404("no such activity")
    return activity


def attachment_get_for(*, viewer: Person, attachment_id: int) -> ActivityAttachment:
    attachment = (
        ActivityAttachment.objects.select_related("activity").filter(pk=attachment_id).first()
    )
    if attachment is None or not policy.can(viewer, "activity.view", attachment.activity):
        raise Http404("no such attachment")
    return attachment


def campaigns_open_for(
    *, office: Office | None, on: dt.date, include: tuple[int, ...] = ()
) -> QuerySet[Campaign]:
    """Campaigns an activity of ``office`` may join: national ones and those of
    the office's province running around ``on`` (a month either side), plus
    ``include`` (those an edited activity already has). Key messages loaded."""
    province_id = office.agency.province_id if office is not None else None
    window = dt.timedelta(days=31)
    running = Q(start_date__lte=on + window, end_date__gte=on - window) & (
        Q(province__isnull=True) | Q(province_id=province_id)
    )
    return (
        Campaign.objects.filter(running | Q(pk__in=include))
        .prefetch_related("messages")
        .order_by("-start_date", "pk")
    )
