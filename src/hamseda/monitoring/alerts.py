"""Alerts to an agency's PR office about what the press says of it.

- *negative story*: a story in which an article speaks of the agency in a
  negative tone; once per story and agency, however many negative articles the
  story gathers later.
- *spike*: more articles about the agency today (Tehran day) than
  ``SPIKE_MIN`` and than ``SPIKE_FACTOR`` × its daily average over the previous
  ``SPIKE_BASELINE_DAYS`` days; once per agency and day.

Ingestion calls ``alerts_for_stories`` after each batch commits. The ``Alert``
row's unique ``dedupe_key`` makes a second run (or a concurrent one) create
nothing twice, and the notices carry the same key, which ``core.notifications``
stores and mails once per person. An alert is a record of the press, written by
no one: it is not audited, as notices are not.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from hamseda.core import jalali
from hamseda.core.notifications import notify
from hamseda.core.persian import fa_digits, format_number
from hamseda.directory.models import Agency, Person
from hamseda.monitoring.dashboards import Period
from hamseda.monitoring.models import Alert, AlertKind, Mention, Story, Tone

SPIKE_MIN = 5
SPIKE_FACTOR = 3.0
SPIKE_BASELINE_DAYS = 28


def _spike_min() -> int:
    return int(getattr(settings, "MONITORING_SPIKE_MIN", SPIKE_MIN))


def _spike_factor() -> float:
    return float(getattr(settings, "MONITORING_SPIKE_FACTOR", SPIKE_FACTOR))


@dataclass(frozen=True)
class _Draft:
    alert: Alert
    title: str
    url: str


def negative_key(story_id: int, agency_id: int) -> str:
    return f"neg:{story_id}:{agency_id}"


def spike_key(agency_id: int, day: dt.date) -> str:
    return f"spike:{agency_id}:{day.isoformat()}"


def alerts_for_stories(story_ids: Iterable[int], *, today: dt.date | None = None) -> int:
    """Raise the alerts the articles of these stories call for, and notify the
    active people of each agency's PR office (in-app and by email, once the
    transaction commits). Returns how many alerts are new.

    A bounded number of queries, whatever the number of mentions: nine at most
    to find and store the alerts, and two per new alert for its notices."""
    ids = sorted({int(pk) for pk in story_ids})
    if not ids:
        return 0
    today = today or jalali.today()
    with transaction.atomic():
        drafts = _negative_drafts(ids) + _spike_drafts(ids, today)
        if not drafts:
            return 0
        existing = set(
            Alert.objects.filter(
                dedupe_key__in=[draft.alert.dedupe_key for draft in drafts]
            ).values_list("dedupe_key", flat=True)
        )
        fresh = [draft for draft in drafts if draft.alert.dedupe_key not in existing]
        if not fresh:
            return 0
        # ignore_conflicts: a concurrent run that stored the same key first wins;
        # its notices carry the same key too, so nobody is told twice.
        Alert.objects.bulk_create([draft.alert for draft in fresh], ignore_conflicts=True)
        people: dict[int, list[Person]] = defaultdict(list)
        office_ids = {draft.alert.office_id for draft in fresh if draft.alert.office_id is not None}
        for person in Person.objects.filter(office_id__in=office_ids, is_active=True):
            assert person.office_id is not None
            people[person.office_id].append(person)
        for draft in fresh:
            assert draft.alert.office_id is not None
            notify(
                recipients=people[draft.alert.office_id],
                title=draft.title,
                body=draft.alert.detail,
                url=draft.url,
                dedupe_key=draft.alert.dedupe_key,
            )
    return len(fresh)


def _agencies(agency_ids: Iterable[int]) -> dict[int, Agency]:
    """Agencies that have a PR office, with it: nobody else is told."""
    return {
        agency.pk: agency
        for agency in Agency.objects.filter(pk__in=set(agency_ids), office__isnull=False)
        .select_related("office")
        .only("pk", "name", "province_id", "office__id")
    }


def _negative_drafts(story_ids: list[int]) -> list[_Draft]:
    pairs = set(
        Mention.objects.filter(story_id__in=story_ids, tone=Tone.NEGATIVE)
        .values_list("story_id", "agency_id")
        .order_by()
        .distinct()
    )
    if not pairs:
        return []
    agencies = _agencies(agency for _story, agency in pairs)
    stories = {
        story.pk: story
        for story in Story.objects.filter(pk__in={story for story, _agency in pairs}).only(
            "pk", "title", "article_count", "outlet_count"
        )
    }
    drafts = []
    for story_id, agency_id in sorted(pairs):
        agency = agencies.get(agency_id)
        story = stories.get(story_id)
        if agency is None or story is None:
            continue
        detail = _("«%(story)s»؛ تاکنون %(articles)s خبر در %(outlets)s رسانه.") % {
            "story": story.title,
            "articles": fa_digits(story.article_count),
            "outlets": fa_digits(story.outlet_count),
        }
        drafts.append(
            _Draft(
                alert=Alert(
                    kind=AlertKind.NEGATIVE_STORY,
                    agency_id=agency_id,
                    office_id=agency.office.pk,
                    story_id=story_id,
                    detail=detail,
                    dedupe_key=negative_key(story_id, agency_id),
                ),
                title=_("خبر منفی درباره %(agency)s") % {"agency": agency.name},
                url=story.get_absolute_url(),
            )
        )
    return drafts


def _spike_drafts(story_ids: list[int], today: dt.date) -> list[_Draft]:
    agency_ids = list(
        Mention.objects.filter(story_id__in=story_ids, agency__office__isnull=False)
        .values_list("agency_id", flat=True)
        .order_by()
        .distinct()
    )
    if not agency_ids:
        return []
    low, high = Period(today, today).bounds()
    minimum = _spike_min()
    counts = {
        agency_id: n
        for agency_id, n in Mention.objects.filter(
            agency_id__in=agency_ids, published_at__gte=low, published_at__lt=high
        )
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
        if n >= minimum
    }
    if not counts:
        return []
    # The previous days, today excluded: a spike must not raise its own baseline.
    base_low, _today = Period(today - dt.timedelta(days=SPIKE_BASELINE_DAYS), today).bounds()
    baseline = dict(
        Mention.objects.filter(
            agency_id__in=list(counts), published_at__gte=base_low, published_at__lt=low
        )
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    factor = _spike_factor()
    spiking = {}
    for agency_id, n in counts.items():
        average = baseline.get(agency_id, 0) / SPIKE_BASELINE_DAYS
        if n >= max(minimum, factor * average):
            spiking[agency_id] = (n, average)
    if not spiking:
        return []
    agencies = _agencies(spiking)
    drafts = []
    for agency_id, (n, average) in sorted(spiking.items()):
        agency = agencies.get(agency_id)
        if agency is None:
            continue
        office_id = agency.office.pk
        detail = _(
            "امروز %(today)s خبر دربارهٔ این دستگاه منتشر شده است؛ میانگین روزانهٔ "
            "%(days)s روز گذشته %(average)s خبر بوده است."
        ) % {
            "today": fa_digits(n),
            "days": fa_digits(SPIKE_BASELINE_DAYS),
            "average": format_number(round(average, 1), 1),
        }
        drafts.append(
            _Draft(
                alert=Alert(
                    kind=AlertKind.SPIKE,
                    agency_id=agency_id,
                    office_id=office_id,
                    day=today,
                    detail=detail,
                    dedupe_key=spike_key(agency_id, today),
                ),
                title=_("جهش بازتاب خبری %(agency)s") % {"agency": agency.name},
                url=reverse("monitoring:office_dashboard", args=[office_id]),
            )
        )
    return drafts
