"""Indicators the broadcast app gives the evaluation engine (``core.indicators``):
an office is credited for its pitches the chair approved, and for those the
broadcaster aired. One query per value, one per evidence listing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hamseda.broadcast.models import DispatchItem, Outcome, Pitch
from hamseda.core import jalali
from hamseda.core.indicators import HIGHER, Evidence, evidence_for, indicator


@indicator(
    "broadcast.pitches_approved",
    name=_("سوژه‌های تأییدشده برای صدا و سیما"),
    unit=_("سوژه"),
    direction=HIGHER,
    description=_("شمار ایده‌ها و سوژه‌های دستگاه که رئیس شورا در این دوره تأیید کرده است"),
)
def pitches_approved(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = Pitch.objects.filter(approved_on__gte=start, approved_on__lte=end)
    if office_ids is not None:
        rows = rows.filter(office_id__in=office_ids)
    counts = rows.values("office_id").annotate(n=Count("pk")).values_list("office_id", "n")
    return {office_id: float(n) for office_id, n in counts}


@evidence_for("broadcast.pitches_approved")
def pitches_approved_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    pitches = Pitch.objects.filter(
        office_id=office_id, approved_on__gte=start, approved_on__lte=end
    ).order_by("-approved_on", "-pk")[:limit]
    return [
        Evidence(
            label=pitch.title,
            url=pitch.get_absolute_url(),
            date=pitch.approved_on,
            note=pitch.get_format_display(),
        )
        for pitch in pitches
    ]


@indicator(
    "broadcast.pitches_aired",
    name=_("سوژه‌های پخش‌شده از صدا و سیما"),
    unit=_("سوژه"),
    direction=HIGHER,
    description=_(
        "شمار سوژه‌های دستگاه که از راه شورا به صدا و سیما رفته و در این دوره پخش شده است"
    ),
)
def pitches_aired(
    *, start: dt.date, end: dt.date, office_ids: Sequence[int] | None = None
) -> dict[int, float]:
    rows = DispatchItem.objects.filter(
        outcome=Outcome.AIRED, aired_on__gte=start, aired_on__lte=end
    )
    if office_ids is not None:
        rows = rows.filter(pitch__office_id__in=office_ids)
    counts = (
        rows.values("pitch__office_id").annotate(n=Count("pk")).values_list("pitch__office_id", "n")
    )
    return {office_id: float(n) for office_id, n in counts}


@evidence_for("broadcast.pitches_aired")
def pitches_aired_evidence(
    *, start: dt.date, end: dt.date, office_id: int, limit: int = 200
) -> list[Evidence]:
    """Every dispatched pitch of the office answered in the period: aired ones
    counted; accepted or declined ones shown as looked at."""
    items = (
        DispatchItem.objects.filter(pitch__office_id=office_id, dispatch__date__lte=end)
        .exclude(outcome=Outcome.PENDING)
        .select_related("pitch", "dispatch")
        .order_by("-dispatch__date", "position")
    )
    result = []
    for item in items:
        aired = item.outcome == Outcome.AIRED
        if aired and item.aired_on is not None and not start <= item.aired_on <= end:
            continue
        if not aired and (
            item.answered_at is None or not start <= jalali.local_date(item.answered_at) <= end
        ):
            continue
        note = (
            gettext("برنامه %(programme)s") % {"programme": item.programme}
            if aired
            else item.get_outcome_display()
        )
        result.append(
            Evidence(
                label=item.pitch.title,
                url=item.pitch.get_absolute_url(),
                date=item.aired_on if aired else item.dispatch.date,
                counted=aired,
                note=str(note),
            )
        )
        if len(result) >= limit:
            break
    return result
