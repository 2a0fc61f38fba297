"""National-scale follow-ups for benchmarks (``hamseda generate``): one for every
assigned or referred resolution the meetings generator made, in the states a
real council shows after a few years (mostly done, some late, some overdue)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from hamseda.core.registry import generator
from hamseda.followups.models import FollowUp, FollowUpStatus, Referral
from hamseda.meetings.models import Decision, Resolution


@generator("hamseda.followups")
def generate_followups(*, provinces: int, years: int, rng: random.Random, out: Any) -> None:
    now = timezone.now()
    resolutions = list(
        Resolution.objects.filter(
            decision__in=(Decision.ASSIGNED, Decision.REFERRED), followup__isnull=True
        )
        .select_related("meeting")
        .prefetch_related("responsible_offices")
    )
    followups = []
    for resolution in resolutions:
        opened = resolution.meeting.starts_at + dt.timedelta(hours=3)
        due = resolution.due_date or (opened + dt.timedelta(days=45)).date()
        followup = FollowUp(
            resolution=resolution,
            council_id=resolution.meeting.council_id,
            is_referral=resolution.decision == Decision.REFERRED,
            due_date=due,
        )
        age = (now - opened).days
        roll = rng.random()
        if age > 20 and roll < 0.75:
            followup.status = FollowUpStatus.DONE
            followup.closed_at = min(now, opened + dt.timedelta(days=rng.randint(5, 80)))
            followup.close_note = "اقدام لازم انجام و نتیجه به دبیرخانه شورا گزارش شد."
        elif age > 20 and roll < 0.8:
            followup.status = FollowUpStatus.CANCELLED
        elif roll < 0.9:
            followup.status = FollowUpStatus.IN_PROGRESS
        followups.append(followup)
    FollowUp.objects.bulk_create(followups, batch_size=2000)
    # created_at is auto_now_add: set it to when the meeting made the resolution.
    for followup in followups:
        followup.created_at = followup.resolution.meeting.starts_at + dt.timedelta(hours=3)
    FollowUp.objects.bulk_update(followups, ["created_at"], batch_size=2000)
    through = FollowUp.offices.through
    through.objects.bulk_create(
        [
            through(followup_id=f.pk, office_id=o.pk)
            for f in followups
            for o in f.resolution.responsible_offices.all()
        ],
        batch_size=5000,
    )
    referrals = [
        Referral(
            followup=f,
            department="معاونت ارتباطات و اطلاع‌رسانی",
            reply="موضوع در دستور کار معاونت قرار گرفت و نتیجه اعلام خواهد شد."
            if f.status == FollowUpStatus.DONE or rng.random() < 0.4
            else "",
            replied_at=now if f.status == FollowUpStatus.DONE else None,
        )
        for f in followups
        if f.is_referral
    ]
    Referral.objects.bulk_create(referrals, batch_size=2000)
    out.write(
        f"followups: {len(followups)} follow-ups, {len(referrals)} referred to the ministry\n"
    )
