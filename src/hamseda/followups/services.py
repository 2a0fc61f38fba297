"""Writes of follow-ups. ``followup_sync_for_resolution`` is called by the
meetings app whenever a resolution is written; the rest serve the follow-up
pages, the ministry inbox and the API."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from hamseda.core.audit import audit_record, register_events
from hamseda.followups.models import FollowUp, FollowUpStatus, FollowUpUpdate, Referral
from hamseda.meetings.models import Decision, Resolution

register_events(
    {
        "followup_opened": _("پیگیری آغاز شد"),
        "followup_synced": _("پیگیری با مصوبه هماهنگ شد"),
        "followup_cancelled": _("پیگیری لغو شد"),
    },
    fields={"offices": _("مسئول پیگیری")},
)

TRACKED = (Decision.ASSIGNED, Decision.REFERRED)


@transaction.atomic
def followup_sync_for_resolution(*, resolution: Resolution, actor: Any) -> FollowUp | None:
    """Keep the follow-up of a resolution in step with its decision.

    Assigned or referred: a follow-up exists, with the resolution's offices and
    due date (a referral also gets its ``Referral`` for the ministry inbox).
    Resolved in the meeting or noted: an open follow-up, if any, is cancelled
    (not deleted: its history stays). The caller (``meetings.services``) has
    already checked the actor's permission on the meeting.
    """
    followup = FollowUp.objects.filter(resolution=resolution).first()
    offices = list(resolution.responsible_offices.all())
    if resolution.decision not in TRACKED:
        if followup is not None and followup.status in (
            FollowUpStatus.OPEN,
            FollowUpStatus.IN_PROGRESS,
        ):
            before = followup.status
            followup.status = FollowUpStatus.CANCELLED
            followup.save(update_fields=["status", "updated_at"])
            FollowUpUpdate.objects.create(
                followup=followup,
                author=actor,
                text=str(_("تصمیم مصوبه تغییر کرد و پیگیری لازم نیست.")),
                status_from=before,
                status_to=FollowUpStatus.CANCELLED,
            )
            audit_record(actor=actor, event="followup_cancelled", target=followup)
        return followup
    is_referral = resolution.decision == Decision.REFERRED
    created = followup is None
    if followup is None:
        followup = FollowUp(resolution=resolution, council=resolution.meeting.council)
    elif followup.status == FollowUpStatus.CANCELLED:
        followup.status = FollowUpStatus.OPEN
    followup.is_referral = is_referral
    followup.due_date = resolution.due_date
    followup.save()
    followup.offices.set(offices)
    if is_referral:
        Referral.objects.get_or_create(followup=followup)
    audit_record(
        actor=actor,
        event="followup_opened" if created else "followup_synced",
        target=followup,
        changes={
            "offices": [None, [office.name for office in offices]],
            "due_date": [None, followup.due_date.isoformat() if followup.due_date else None],
        },
    )
    return followup
