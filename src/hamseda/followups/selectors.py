"""Reads of follow-ups, scoped to the viewer by ``core.policy``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from hamseda.directory.models import Council
from hamseda.followups.models import OPEN_STATUSES, FollowUp


def followup_open_for_agenda(*, council: Council, before: dt.datetime) -> list[FollowUp]:
    """The council's follow-ups still open when a meeting starts, oldest first,
    each with ``days_open`` set and its referral (with the ministry's latest
    reply) loaded: the automatic first item of every agenda."""
    followups: QuerySet[FollowUp] = (
        FollowUp.objects.filter(council=council, status__in=OPEN_STATUSES, created_at__lt=before)
        .select_related("resolution__meeting", "referral", "council")
        .prefetch_related(Prefetch("offices"))
        .order_by("created_at", "pk")
    )
    result = list(followups)
    for followup in result:
        followup.days_open = (before.date() - followup.created_at.date()).days  # type: ignore[attr-defined]
    return result
