"""Follow-ups: kept in step with their resolution, progress and evidence,
close and reopen, cancel and reassign."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, policy
from hamseda.core.audit import audit_record
from hamseda.core.notifications import notify
from hamseda.directory.models import Office, Person
from hamseda.followups.models import (
    OPEN_STATUSES,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    Referral,
)
from hamseda.followups.services.common import (
    TRACKED,
    add_update,
    check_attachment,
    clean_text,
    followup_title,
    is_open,
    lock_status,
    office_people,
    status_change,
)
from hamseda.meetings.models import Decision, Resolution


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


# --- progress, close, reopen -------------------------------------------------------


@transaction.atomic
def followup_update_add(
    *,
    actor: Person,
    followup: FollowUp,
    text: str,
    status: str | None = None,
    attachment: File[bytes] | None = None,
) -> FollowUpUpdate:
    """Record progress on a follow-up (a note, optionally evidence and a move
    between "open" and "in progress"). Closing has its own service, which
    demands a note or evidence."""
    policy.require(actor, "followup.update", followup)
    text = clean_text(text)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _g("شرح اقدام یا پیشرفت کار را بنویسید.")
    if status is not None and status not in OPEN_STATUSES:
        errors["status"] = _g(
            "وضعیت را «باز» یا «در حال انجام» انتخاب کنید؛ برای بستن یا لغو پیگیری "
            "دکمه‌های خودشان را به کار ببرید."
        )
    if errors:
        raise ValidationError(errors)
    check_attachment(attachment)
    before = lock_status(followup)
    if not is_open(before):
        raise ValidationError(
            _g("این پیگیری بسته شده است؛ برای ثبت پیشرفت، نخست آن را دوباره باز کنید.")
        )
    after = status or before
    update = add_update(
        followup,
        actor=actor,
        text=text,
        status_from=before if after != before else "",
        status_to=after if after != before else "",
        attachment=attachment,
    )
    changes: dict[str, list[Any]] = {}
    if after != before:
        followup.status = after
        followup.save(update_fields=["status", "updated_at"])
        changes["status"] = status_change(before, after)
    if update.attachment:
        changes["attachment"] = [None, os.path.basename(update.attachment.name or "")]
    audit_record(actor=actor, event="followup_progress_added", target=followup, changes=changes)
    return update


@transaction.atomic
def followup_close(
    *,
    actor: Person,
    followup: FollowUp,
    note: str = "",
    attachment: File[bytes] | None = None,
) -> FollowUp:
    """Mark a follow-up done. The council must be able to see *how* it was done:
    a closing note, or evidence attached, or both."""
    policy.require(actor, "followup.update", followup)
    note = clean_text(note)
    if not note and attachment is None:
        raise ValidationError(
            {
                "note": _g(
                    "برای بستن پیگیری، توضیح انجام کار را بنویسید یا مدرک انجام آن را پیوست کنید."
                )
            }
        )
    check_attachment(attachment)
    before = lock_status(followup)
    if not is_open(before):
        raise ValidationError(_g("این پیگیری پیش‌تر بسته یا لغو شده است."))
    add_update(
        followup,
        actor=actor,
        text=note or _g("پیگیری با ارائه مدرک انجام کار بسته شد."),
        status_from=before,
        status_to=FollowUpStatus.DONE,
        attachment=attachment,
    )
    followup.status = FollowUpStatus.DONE
    followup.closed_at = timezone.now()
    followup.close_note = note
    followup.save(update_fields=["status", "closed_at", "close_note", "updated_at"])
    audit_record(
        actor=actor,
        event="followup_closed",
        target=followup,
        changes={
            "status": status_change(before, FollowUpStatus.DONE),
            **({"close_note": ["", note]} if note else {}),
        },
    )
    return followup


@transaction.atomic
def followup_reopen(*, actor: Person, followup: FollowUp, reason: str = "") -> FollowUp:
    """Open a done or cancelled follow-up again (the council found the work not
    done, or the cancelled item is needed after all)."""
    policy.require(actor, "followup.manage", followup)
    reason = clean_text(reason)
    before = lock_status(followup)
    if is_open(before):
        raise ValidationError(_g("این پیگیری هم‌اکنون باز است."))
    add_update(
        followup,
        actor=actor,
        text=reason or _g("پیگیری دوباره باز شد."),
        status_from=before,
        status_to=FollowUpStatus.OPEN,
    )
    followup.status = FollowUpStatus.OPEN
    followup.closed_at = None
    followup.close_note = ""
    followup.save(update_fields=["status", "closed_at", "close_note", "updated_at"])
    audit_record(
        actor=actor,
        event="followup_reopened",
        target=followup,
        changes={
            "status": status_change(before, FollowUpStatus.OPEN),
            **({"reason": [None, reason]} if reason else {}),
        },
    )
    return followup


# --- manage: cancel, reassign ------------------------------------------------------


@transaction.atomic
def followup_cancel(*, actor: Person, followup: FollowUp, reason: str) -> FollowUp:
    policy.require(actor, "followup.manage", followup)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _g("دلیل لغو پیگیری را بنویسید.")})
    before = lock_status(followup)
    if not is_open(before):
        raise ValidationError(_g("فقط پیگیری باز را می‌توان لغو کرد."))
    add_update(
        followup,
        actor=actor,
        text=reason,
        status_from=before,
        status_to=FollowUpStatus.CANCELLED,
    )
    followup.status = FollowUpStatus.CANCELLED
    followup.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        event="followup_cancelled",
        target=followup,
        changes={
            "status": status_change(before, FollowUpStatus.CANCELLED),
            "reason": [None, reason],
        },
    )
    return followup


@transaction.atomic
def followup_reassign(
    *,
    actor: Person,
    followup: FollowUp,
    offices: Iterable[Office],
    due_date: dt.date | None,
) -> FollowUp:
    """Change who follows the item up and by when. The offices newly made
    responsible are told. A new due date starts the reminders (and the one
    escalation to the chair) afresh. A later edit of the resolution in the
    meetings app re-syncs the offices and due date from the resolution."""
    policy.require(actor, "followup.manage", followup)
    wanted = list(dict.fromkeys(offices))
    errors: dict[str, str] = {}
    if not wanted:
        errors["offices"] = _g("دست‌کم یک روابط عمومی مسئول را انتخاب کنید.")
    else:
        foreign = [
            office.name
            for office in Office.objects.filter(pk__in=[o.pk for o in wanted]).select_related(
                "agency"
            )
            if office.agency.province_id != followup.council.province_id
        ]
        if foreign:
            errors["offices"] = _g("این روابط عمومی‌ها در استان این شورا نیستند: %(names)s") % {
                "names": "، ".join(foreign)
            }
    if due_date is None:
        errors["due_date"] = _g("مهلت انجام را تعیین کنید.")
    elif due_date != followup.due_date and due_date < jalali.today():
        errors["due_date"] = _g("مهلت تازه نمی‌تواند پیش از امروز باشد.")
    if errors:
        raise ValidationError(errors)
    status = lock_status(followup)
    if not is_open(status):
        raise ValidationError(_g("این پیگیری بسته است؛ نخست آن را دوباره باز کنید."))
    old_offices = list(followup.offices.all())
    old_due = followup.due_date
    added = [office for office in wanted if office not in old_offices]
    followup.offices.set(wanted)
    followup.due_date = due_date
    fields = ["due_date", "updated_at"]
    if due_date != old_due:
        followup.escalated_at = None
        fields.append("escalated_at")
    followup.save(update_fields=fields)
    # policy_scope() must see the new offices, not a stale prefetch.
    if hasattr(followup, "_prefetched_objects_cache"):
        followup._prefetched_objects_cache.pop("offices", None)
    update = add_update(
        followup,
        actor=actor,
        text=_g("مسئول پیگیری: %(offices)s؛ مهلت: %(due)s")
        % {
            "offices": "، ".join(office.name for office in wanted),
            "due": jalali.format_date(due_date, "long"),
        },
    )
    audit_record(
        actor=actor,
        event="followup_reassigned",
        target=followup,
        changes={
            "offices": [
                sorted(office.name for office in old_offices),
                sorted(office.name for office in wanted),
            ],
            "due_date": [
                old_due.isoformat() if old_due else None,
                due_date.isoformat() if due_date else None,
            ],
        },
    )
    if added:
        notify(
            recipients=office_people(added),
            title=_g("پیگیری تازه برای روابط عمومی شما: %(title)s")
            % {"title": followup_title(followup)},
            body=_g("مهلت انجام: %(due)s") % {"due": jalali.format_date(due_date, "long")},
            url=followup.get_absolute_url(),
            dedupe_key=f"followup-{followup.pk}-assigned-{update.pk}",
        )
    return followup
