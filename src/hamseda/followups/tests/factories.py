"""Follow-ups for tests, made the way the meetings app makes them: a meeting and
a resolution written with the ORM, then ``followup_sync_for_resolution``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from hamseda.core.tests.uploads import docx, exe, pdf, png  # noqa: F401  (re-exported)
from hamseda.directory.models import Council, Office, Person
from hamseda.followups.models import FollowUp
from hamseda.followups.services import followup_sync_for_resolution
from hamseda.meetings.models import Decision, Meeting, Resolution


def make_meeting(council: Council, *, starts_at: dt.datetime | None = None) -> Meeting:
    number = Meeting.objects.filter(council=council).count() + 1
    return Meeting.objects.create(
        council=council,
        number=number,
        starts_at=starts_at or timezone.now() - dt.timedelta(days=30),
        place="سالن جلسات",
    )


def make_followup(
    council: Council,
    offices: Iterable[Office],
    *,
    actor: Person,
    due_date: dt.date | None = None,
    referred: bool = False,
    text: str = "تهیه گزارش تصویری پیشرفت پروژه‌های نهضت ملی مسکن",
    meeting: Meeting | None = None,
) -> FollowUp:
    meeting = meeting or make_meeting(council)
    number = Resolution.objects.filter(meeting=meeting).count() + 1
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=number,
        text=text,
        decision=Decision.REFERRED if referred else Decision.ASSIGNED,
        due_date=due_date,
    )
    resolution.responsible_offices.set(list(offices))
    followup = followup_sync_for_resolution(resolution=resolution, actor=actor)
    assert followup is not None
    return followup


# --- files ---------------------------------------------------------------------------
