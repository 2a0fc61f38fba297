"""Writes of follow-ups. ``followup_sync_for_resolution`` is called by the
meetings app whenever a resolution is written; the rest serve the follow-up
pages, the ministry inbox, the reminder job and the API.

Every service asks the policy first, validates, writes, records an audit event
and queues its notifications in one transaction: a refused or failed write
leaves no history row, no audit row and sends nothing.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_record, register_events
from hamseda.core.notifications import notify
from hamseda.core.persian import fa_digits
from hamseda.core.policy import Role
from hamseda.directory.models import Office, Person
from hamseda.followups.attachments import validate_attachment
from hamseda.followups.models import (
    OPEN_STATUSES,
    FollowUp,
    FollowUpStatus,
    FollowUpUpdate,
    Referral,
    ReminderKind,
    ReminderLog,
)
from hamseda.meetings.models import Decision, Resolution

register_events(
    {
        "followup_opened": _("پیگیری آغاز شد"),
        "followup_synced": _("پیگیری با مصوبه هماهنگ شد"),
        "followup_cancelled": _("پیگیری لغو شد"),
        "followup_progress_added": _("گزارش پیشرفت پیگیری ثبت شد"),
        "followup_closed": _("پیگیری بسته شد"),
        "followup_reopened": _("پیگیری دوباره باز شد"),
        "followup_reassigned": _("مسئول یا مهلت پیگیری تغییر کرد"),
        "followup_escalated": _("پیگیری عقب‌افتاده به رئیس شورا گزارش شد"),
        "referral_assigned": _("ارجاع به واحد و کارشناس وزارتخانه سپرده شد"),
        "referral_replied": _("وزارتخانه به ارجاع پاسخ داد"),
    },
    fields={
        "offices": _("مسئول پیگیری"),
        "attachment": _("پیوست"),
        "reason": _("دلیل"),
    },
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


# --- helpers ---------------------------------------------------------------------


def _text(value: str) -> str:
    return persian.normalize(value or "").strip()


def _title(followup: FollowUp) -> str:
    text = " ".join(str(followup.resolution.text).split())
    return text if len(text) <= 70 else f"{text[:69]}…"


def _check_attachment(attachment: File[bytes] | None) -> None:
    if attachment is None:
        return
    try:
        validate_attachment(attachment)
    except ValidationError as error:
        raise ValidationError({"attachment": error.messages}) from None


def _lock_status(followup: FollowUp) -> str:
    """The follow-up's status as stored, with its row locked until the end of the
    transaction: two people closing, reopening or updating one follow-up at once
    act one after the other, each on the other's result (on PostgreSQL; SQLite
    serialises every write transaction anyway)."""
    status: str = (
        FollowUp.objects.select_for_update().filter(pk=followup.pk).values_list("status", flat=True)
    ).get()
    followup.status = status
    return status


def _status_change(before: str, after: str) -> list[Any]:
    """A status change as the history shows it: in Persian words."""
    return [str(FollowUpStatus(before).label), str(FollowUpStatus(after).label)]


def _is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def _office_people(offices: Iterable[Office]) -> list[Person]:
    ids = [office.pk for office in offices]
    return list(Person.objects.filter(office_id__in=ids, is_active=True))


def _council_leads(followup: FollowUp) -> list[Person]:
    """The council's chair and secretary: every active chair or secretary of the
    province, and the person the council names as its secretary."""
    leads = Person.objects.filter(
        role__in=[Role.COUNCIL_CHAIR, Role.COUNCIL_SECRETARY],
        is_active=True,
        office__agency__province_id=followup.council.province_id,
    )
    people = list(leads)
    secretary = followup.council.secretary
    if secretary is not None and secretary.is_active and secretary not in people:
        people.append(secretary)
    return people


def _province_chairs(province_id: int) -> list[Person]:
    return list(
        Person.objects.filter(
            role=Role.COUNCIL_CHAIR, is_active=True, office__agency__province_id=province_id
        )
    )


def _add_update(
    followup: FollowUp,
    *,
    actor: Person | None,
    text: str,
    status_from: str = "",
    status_to: str = "",
    attachment: File[bytes] | None = None,
) -> FollowUpUpdate:
    update = FollowUpUpdate(
        followup=followup,
        author=actor,
        text=text,
        status_from=status_from,
        status_to=status_to,
    )
    if attachment is not None:
        # The stored name keeps only the base name: the storage makes it unique.
        update.attachment.save(os.path.basename(attachment.name or "file"), attachment, save=False)
    update.save()
    return update


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
    text = _text(text)
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
    _check_attachment(attachment)
    before = _lock_status(followup)
    if not _is_open(before):
        raise ValidationError(
            _g("این پیگیری بسته شده است؛ برای ثبت پیشرفت، نخست آن را دوباره باز کنید.")
        )
    after = status or before
    update = _add_update(
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
        changes["status"] = _status_change(before, after)
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
    note = _text(note)
    if not note and attachment is None:
        raise ValidationError(
            {
                "note": _g(
                    "برای بستن پیگیری، توضیح انجام کار را بنویسید یا مدرک انجام آن را پیوست کنید."
                )
            }
        )
    _check_attachment(attachment)
    before = _lock_status(followup)
    if not _is_open(before):
        raise ValidationError(_g("این پیگیری پیش‌تر بسته یا لغو شده است."))
    _add_update(
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
            "status": _status_change(before, FollowUpStatus.DONE),
            **({"close_note": ["", note]} if note else {}),
        },
    )
    return followup


@transaction.atomic
def followup_reopen(*, actor: Person, followup: FollowUp, reason: str = "") -> FollowUp:
    """Open a done or cancelled follow-up again (the council found the work not
    done, or the cancelled item is needed after all)."""
    policy.require(actor, "followup.manage", followup)
    reason = _text(reason)
    before = _lock_status(followup)
    if _is_open(before):
        raise ValidationError(_g("این پیگیری هم‌اکنون باز است."))
    _add_update(
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
            "status": _status_change(before, FollowUpStatus.OPEN),
            **({"reason": [None, reason]} if reason else {}),
        },
    )
    return followup


# --- manage: cancel, reassign ------------------------------------------------------


@transaction.atomic
def followup_cancel(*, actor: Person, followup: FollowUp, reason: str) -> FollowUp:
    policy.require(actor, "followup.manage", followup)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": _g("دلیل لغو پیگیری را بنویسید.")})
    before = _lock_status(followup)
    if not _is_open(before):
        raise ValidationError(_g("فقط پیگیری باز را می‌توان لغو کرد."))
    _add_update(
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
            "status": _status_change(before, FollowUpStatus.CANCELLED),
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
    status = _lock_status(followup)
    if not _is_open(status):
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
    update = _add_update(
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
            recipients=_office_people(added),
            title=_g("پیگیری تازه برای روابط عمومی شما: %(title)s") % {"title": _title(followup)},
            body=_g("مهلت انجام: %(due)s") % {"due": jalali.format_date(due_date, "long")},
            url=followup.get_absolute_url(),
            dedupe_key=f"followup-{followup.pk}-assigned-{update.pk}",
        )
    return followup


# --- ministry inbox ----------------------------------------------------------------


@transaction.atomic
def referral_assign(
    *,
    actor: Person,
    referral: Referral,
    department: str,
    assignee: Person | None = None,
) -> Referral:
    """Give a referred item to a department of the ministry and one of its staff."""
    policy.require(actor, "referral.answer", referral)
    department = _text(department)
    errors: dict[str, str] = {}
    if len(department) > 200:
        errors["department"] = _g("نام واحد حداکثر ۲۰۰ نویسه است.")
    if assignee is not None and (
        not assignee.is_active or assignee.effective_role not in (Role.MINISTRY_CENTRE, Role.ADMIN)
    ):
        errors["assignee"] = _g("کارشناس مسئول باید از کارکنان فعال مرکز ارتباطات وزارت باشد.")
    if errors:
        raise ValidationError(errors)
    before = {"department": referral.department, "assignee": referral.assignee}
    referral.department = department
    referral.assignee = assignee
    referral.save(update_fields=["department", "assignee", "updated_at"])
    event = audit_record(
        actor=actor,
        event="referral_assigned",
        target=referral.followup,
        changes={
            "department": [before["department"], department],
            "assignee": [
                str(before["assignee"]) if before["assignee"] else None,
                str(assignee) if assignee else None,
            ],
        },
    )
    if assignee is not None and assignee != before["assignee"] and assignee.pk != actor.pk:
        notify(
            recipients=[assignee],
            title=_g("ارجاع استان به شما سپرده شد: %(title)s")
            % {"title": _title(referral.followup)},
            url=reverse("followups:referral_detail", args=[referral.pk]),
            dedupe_key=f"referral-{referral.pk}-assigned-{event.pk}",
        )
    return referral


@transaction.atomic
def referral_reply(*, actor: Person, referral: Referral, reply: str) -> Referral:
    """The ministry's answer to a referred item. It is written on the follow-up's
    history (the council reads it there and on its next agenda, through
    ``selectors.followup_open_for_agenda``) and sent to the council's chair and
    secretary and to the responsible offices. A second reply replaces the
    first on the referral; both stay in the history."""
    policy.require(actor, "referral.answer", referral)
    reply = _text(reply)
    if not reply:
        raise ValidationError({"reply": _g("متن پاسخ وزارتخانه را بنویسید.")})
    followup = referral.followup
    before = referral.reply
    referral.reply = reply
    referral.replied_at = timezone.now()
    referral.replied_by = actor
    referral.save(update_fields=["reply", "replied_at", "replied_by", "updated_at"])
    update = _add_update(
        followup, actor=actor, text=_g("پاسخ وزارتخانه: %(reply)s") % {"reply": reply}
    )
    audit_record(
        actor=actor, event="referral_replied", target=followup, changes={"reply": [before, reply]}
    )
    recipients = {
        p.pk: p for p in [*_council_leads(followup), *_office_people(followup.offices.all())]
    }
    notify(
        recipients=recipients.values(),
        title=_g("پاسخ وزارتخانه به مصوبه ارجاعی: %(title)s") % {"title": _title(followup)},
        body=reply,
        url=followup.get_absolute_url(),
        dedupe_key=f"referral-{referral.pk}-reply-{update.pk}",
    )
    return referral


# --- reminders ---------------------------------------------------------------------


def _days_before() -> int:
    return int(getattr(settings, "FOLLOWUP_REMINDER_DAYS_BEFORE", 3))


def _escalate_after() -> int:
    return int(getattr(settings, "FOLLOWUP_ESCALATE_AFTER_DAYS", 7))


def _claim(followup: FollowUp, kind: str, key: dt.date) -> bool:
    """Insert the reminder's log row; False when it is there already. The
    unique constraint (followup, kind, sent_on) decides between two runs of the
    job: on PostgreSQL a second run's insert waits for the first one's
    transaction and then fails, so only one of them notifies."""
    try:
        with transaction.atomic():
            ReminderLog.objects.create(followup=followup, kind=kind, sent_on=key)
    except IntegrityError:
        return False
    return True


def _recipients(followup: FollowUp) -> list[Person]:
    # ``offices__people`` is prefetched (active people only) by reminders_send.
    return [person for office in followup.offices.all() for person in office.people.all()]


def reminders_send(*, today: dt.date) -> dict[str, int]:
    """Send the day's follow-up reminders; safe to run twice or concurrently.

    - *due soon*: once, within ``FOLLOWUP_REMINDER_DAYS_BEFORE`` days of the due
      date (period key: the due date);
    - *overdue*: on the first overdue day, then once a week while overdue (period
      key: the first day of that overdue week, counted from the due date);
    - *escalation*: once, to every active council chair of the province, after
      ``FOLLOWUP_ESCALATE_AFTER_DAYS`` overdue days (key: the due date; sets
      ``escalated_at``).

    The office reminders go to the active people of the responsible offices.
    Each follow-up is handled in its own transaction: its log row, notices and
    ``escalated_at`` commit together, and a failure leaves the others sent.
    Returns how many reminders of each kind were sent by this run.
    """
    days_before = _days_before()
    escalate_after = _escalate_after()
    counts = {"due_soon": 0, "overdue": 0, "escalation": 0, "notifications": 0}
    candidates = (
        FollowUp.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + dt.timedelta(days=days_before),
        )
        .select_related("resolution", "council")
        .prefetch_related(
            Prefetch(
                "offices__people",
                queryset=Person.objects.filter(is_active=True),
            )
        )
        .order_by("due_date", "pk")
    )
    for followup in candidates:
        due = followup.due_date
        assert due is not None
        with transaction.atomic():
            counts["notifications"] += _remind(followup, due, today, escalate_after, counts)
    return counts


def _remind(
    followup: FollowUp, due: dt.date, today: dt.date, escalate_after: int, counts: dict[str, int]
) -> int:
    sent = 0
    title = _title(followup)
    url = followup.get_absolute_url()
    due_text = jalali.format_date(due, "long")
    if due >= today:
        if _claim(followup, ReminderKind.DUE_SOON, due):
            days = (due - today).days
            when = _g("امروز") if days == 0 else _g("%(days)s روز دیگر") % {"days": fa_digits(days)}
            sent += notify(
                recipients=_recipients(followup),
                title=_g("یادآوری مهلت پیگیری: %(title)s") % {"title": title},
                body=_g("مهلت انجام این مصوبه %(due)s (%(when)s) است.")
                % {"due": due_text, "when": when},
                url=url,
                dedupe_key=f"followup-{followup.pk}-{ReminderKind.DUE_SOON}-{due.isoformat()}",
            )
            counts["due_soon"] += 1
        return sent
    overdue_days = (today - due).days
    first_day = due + dt.timedelta(days=1)
    key = first_day + dt.timedelta(days=7 * ((overdue_days - 1) // 7))
    if _claim(followup, ReminderKind.OVERDUE, key):
        if key == first_day:
            subject = _g("مهلت پیگیری گذشت: %(title)s")
        else:
            subject = _g("پیگیری عقب‌افتاده: %(title)s")
        sent += notify(
            recipients=_recipients(followup),
            title=subject % {"title": title},
            body=_g("مهلت انجام %(due)s بود و %(days)s روز از آن گذشته است.")
            % {"due": due_text, "days": fa_digits(overdue_days)},
            url=url,
            dedupe_key=f"followup-{followup.pk}-{ReminderKind.OVERDUE}-{key.isoformat()}",
        )
        counts["overdue"] += 1
    if (
        overdue_days >= escalate_after
        and followup.escalated_at is None
        and _claim(followup, ReminderKind.ESCALATION, due)
    ):
        followup.escalated_at = timezone.now()
        FollowUp.objects.filter(pk=followup.pk).update(escalated_at=followup.escalated_at)
        offices = "، ".join(office.name for office in followup.offices.all())
        sent += notify(
            recipients=_province_chairs(followup.council.province_id),
            title=_g("گزارش پیگیری عقب‌افتاده به رئیس شورا: %(title)s") % {"title": title},
            body=_g("مسئول: %(offices)s. مهلت %(due)s بود و %(days)s روز از آن گذشته است.")
            % {"offices": offices or "—", "due": due_text, "days": fa_digits(overdue_days)},
            url=url,
            dedupe_key=f"followup-{followup.pk}-{ReminderKind.ESCALATION}-{due.isoformat()}",
        )
        audit_record(
            actor=None,
            event="followup_escalated",
            target=followup,
            changes={"escalated_at": [None, followup.escalated_at.isoformat()]},
        )
        counts["escalation"] += 1
    return sent
