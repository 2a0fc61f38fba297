"""Campaigns and activities for tests. Campaigns are made through the service
(so they have their offices and audit trail); activities are rows of the
activities app's factory, in the states the progress and contribution figures
read, linked to campaigns, partners and key messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from hamseda.activities.models import Activity, ActivityKind, ActivityPartner, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.campaigns import services
from hamseda.campaigns.models import Campaign, CampaignKind, KeyMessage
from hamseda.core import jalali
from hamseda.core.tests.uploads import docx, exe, pdf, png  # noqa: F401  (re-exported)
from hamseda.directory.models import Office, Person

TODAY = jalali.today()


def day(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def make_campaign(world: Any, *, actor: Person | None = None, **fields: Any) -> Campaign:
    """A running Isfahan media HQ of the chair's office and the governorate."""
    values: dict[str, Any] = {
        "title": "قرارگاه رسانه‌ای نهضت ملی مسکن",
        "kind": CampaignKind.MEDIA_HQ,
        "start_date": day(-30),
        "end_date": day(60),
        "province": world.isfahan_council.province,
        "co_owners": [world.chair_office, world.partner_office],
        "participants": [world.member_office],
        "hashtags": ["#نهضت_ملی_مسکن"],
        "audiences": ["متقاضیان مسکن"],
    }
    values.update(fields)
    return services.campaign_create(actor=actor or world.chair, **values)


def make_activity(
    *,
    office: Office,
    campaigns: Iterable[Campaign] = (),
    on: dt.date | None = None,
    status: str = ActivityStatus.DONE,
    kind: str = ActivityKind.NEWS_RELEASE,
    partners: Iterable[Office] = (),
    messages: Iterable[KeyMessage] = (),
    title: str = "انتشار خبر پیشرفت طرح",
    merged_into: Activity | None = None,
) -> Activity:
    activity: Activity = ActivityFactory(
        title=title,
        kind=kind,
        status=status,
        start_date=on or TODAY,
        lead_office=office,
        merged_into=merged_into,
    )
    activity.campaigns.set(list(campaigns))
    activity.messages.set(list(messages))
    for partner in partners:
        ActivityPartner.objects.create(activity=activity, office=partner)
    return activity
