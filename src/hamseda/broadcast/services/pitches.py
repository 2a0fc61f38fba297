"""Writes of pitches: an office writes, edits and submits its pitch; the
council's chair approves it, returns it with comments, or rejects it."""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.broadcast.models import EDITABLE_STATUSES, Pitch, PitchFile, PitchFormat, PitchStatus
from hamseda.broadcast.services.common import chairs_of, clean_text, office_people
from hamseda.campaigns.models import Campaign
from hamseda.core import jalali, policy
from hamseda.core.attachments import validate_attachment
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.core.notifications import notify
from hamseda.directory.models import Office, Person

PITCH_FIELDS = (
    "title",
    "summary",
    "why",
    "format",
    "interviewees",
    "place",
    "campaign",
)
MAX_FILES = 10


class Decision:
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"
    ALL = (APPROVE, RETURN, REJECT)


def _validate(values: dict[str, Any], office: Office) -> None:
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = _g("عنوان سوژه را بنویسید.")
    elif len(values["title"]) > 200:
        errors["title"] = _g("عنوان سوژه حداکثر ۲۰۰ نویسه است.")
    if not values["summary"]:
        errors["summary"] = _g("خلاصه سوژه را بنویسید.")
    if values["format"] not in PitchFormat.values:
        errors["format"] = _g("قالب پیشنهادی را انتخاب کنید.")
    if len(values["place"]) > 200:
        errors["place"] = _g("مکان حداکثر ۲۰۰ نویسه است.")
    campaign: Campaign | None = values["campaign"]
    if campaign is not None and campaign.province_id not in (None, office.province_id):
        errors["campaign"] = _g("این پویش از استان دیگری است.")
    if errors:
        raise ValidationError(errors)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    for name in ("title", "summary", "why", "interviewees", "place"):
        if name in values:
            values[name] = clean_text(values[name])
    return values


def _attach(actor: Person, pitch: Pitch, file: File[bytes], title: str = "") -> PitchFile:
    try:
        validate_attachment(file)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    if pitch.files.count() >= MAX_FILES:
        raise ValidationError({"file": _g("هر سوژه حداکثر ۱۰ پیوست دارد.")})
    name = os.path.basename(file.name or "file")
    title = clean_text(title)[:200] or os.path.splitext(name)[0][:200]
    document = PitchFile(pitch=pitch, title=title, uploaded_by=actor)
    document.file.save(name, file, save=False)
    document.save()
    audit_record(
        actor=actor,
        event="pitch_file_added",
        target=pitch,
        changes={"pitch_file": [None, f"{title} ({name})"]},
    )
    return document


def _notify_chairs(pitch: Pitch) -> None:
    notify(
        recipients=chairs_of(pitch.office.province_id),
        title=_g("سوژه تازه برای بررسی: %(title)s") % {"title": pitch.title},
        body=_g("%(office)s سوژه‌ای برای صدا و سیما پیشنهاد کرده است.")
        % {"office": pitch.office.name},
        url=pitch.get_absolute_url(),
        dedupe_key=f"pitch-{pitch.pk}-submitted-{pitch.submitted_at:%Y%m%d%H%M%S%f}",
    )


def _submit(actor: Person, pitch: Pitch) -> None:
    before = pitch.status
    pitch.status = PitchStatus.SUBMITTED
    pitch.submitted_at = timezone.now()
    pitch.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        event="pitch_submitted",
        target=pitch,
        changes={"status": [before, pitch.status]},
    )
    _notify_chairs(pitch)


@transaction.atomic
def pitch_create(
    *,
    actor: Person,
    office: Office,
    title: str,
    summary: str,
    format: str,
    why: str = "",
    interviewees: str = "",
    place: str = "",
    campaign: Campaign | None = None,
    files: list[File[bytes]] | None = None,
    submit: bool = False,
) -> Pitch:
    """A new pitch of ``office``: a draft, or submitted for review at once
    (``submit``), which tells the province's chair."""
    policy.require(actor, "broadcast.pitch", office)
    values = _clean(
        {
            "title": title,
            "summary": summary,
            "why": why,
            "format": format,
            "interviewees": interviewees,
            "place": place,
            "campaign": campaign,
        }
    )
    _validate(values, office)
    pitch = Pitch.objects.create(office=office, created_by=actor, **values)
    audit_record(
        actor=actor,
        event="pitch_created",
        target=pitch,
        changes=diff({}, snapshot(pitch, PITCH_FIELDS)),
    )
    for file in files or []:
        _attach(actor, pitch, file)
    if submit:
        _submit(actor, pitch)
    return pitch


@transaction.atomic
def pitch_edit(
    *, actor: Person, pitch: Pitch, files: list[File[bytes]] | None = None, **fields: Any
) -> Pitch:
    """Change a draft or a returned pitch (only the fields given)."""
    policy.require(actor, "broadcast.pitch", pitch)
    unknown = set(fields) - set(PITCH_FIELDS)
    if unknown:
        raise TypeError(f"pitch_edit: unknown fields {sorted(unknown)}")
    pitch = (
        Pitch.objects.select_for_update(of=("self",))
        .select_related("office__agency")
        .get(pk=pitch.pk)
    )
    if pitch.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _g("سوژه «%(status)s» را دیگر نمی‌توان ویرایش کرد.")
            % {"status": pitch.get_status_display()}
        )
    before = snapshot(pitch, PITCH_FIELDS)
    values = {name: getattr(pitch, name) for name in PITCH_FIELDS}
    values.update(_clean(fields))
    _validate(values, pitch.office)
    for name, value in values.items():
        setattr(pitch, name, value)
    pitch.save()
    changes = diff(before, snapshot(pitch, PITCH_FIELDS))
    if changes:
        audit_record(actor=actor, event="pitch_edited", target=pitch, changes=changes)
    for file in files or []:
        _attach(actor, pitch, file)
    return pitch


@transaction.atomic
def pitch_submit(*, actor: Person, pitch: Pitch) -> Pitch:
    """Send a draft or a returned pitch to the chair for review."""
    policy.require(actor, "broadcast.pitch", pitch)
    pitch = (
        Pitch.objects.select_for_update(of=("self",))
        .select_related("office__agency")
        .get(pk=pitch.pk)
    )
    if pitch.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _g("این سوژه «%(status)s» است و فرستادن دوباره ندارد.")
            % {"status": pitch.get_status_display()}
        )
    _submit(actor, pitch)
    return pitch


@transaction.atomic
def pitch_file_add(*, actor: Person, pitch: Pitch, file: File[bytes], title: str = "") -> PitchFile:
    policy.require(actor, "broadcast.pitch", pitch)
    if not pitch.is_editable:
        raise ValidationError({"file": _g("به سوژه‌ای که فرستاده شده پیوست افزوده نمی‌شود.")})
    return _attach(actor, pitch, file, title)


@transaction.atomic
def pitch_file_remove(*, actor: Person, document: PitchFile) -> None:
    pitch = document.pitch
    policy.require(actor, "broadcast.pitch", pitch)
    if not pitch.is_editable:
        raise ValidationError(_g("پیوست سوژه‌ای که فرستاده شده حذف نمی‌شود."))
    label = f"{document.title} ({os.path.basename(document.file.name or '')})"
    stored, storage = document.file.name, document.file.storage
    document.delete()
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
    audit_record(
        actor=actor, event="pitch_file_removed", target=pitch, changes={"pitch_file": [label, None]}
    )


_REVIEW = {
    Decision.APPROVE: (PitchStatus.APPROVED, "pitch_approved"),
    Decision.RETURN: (PitchStatus.RETURNED, "pitch_returned"),
    Decision.REJECT: (PitchStatus.REJECTED, "pitch_rejected"),
}


@transaction.atomic
def pitch_review(*, actor: Person, pitch: Pitch, decision: str, comment: str = "") -> Pitch:
    """The chair's decision on a submitted pitch. Returning or rejecting needs
    a comment (the office must know what to change, or why not); the office's
    people are told either way."""
    policy.require(actor, "broadcast.review", pitch)
    if decision not in Decision.ALL:
        raise ValidationError({"decision": _g("تصمیم را انتخاب کنید.")})
    comment = clean_text(comment)
    if decision != Decision.APPROVE and not comment:
        raise ValidationError(
            {"comment": _g("برای بازگرداندن یا رد سوژه، دلیل یا اصلاح لازم را بنویسید.")}
        )
    pitch = (
        Pitch.objects.select_for_update(of=("self",))
        .select_related("office__agency")
        .get(pk=pitch.pk)
    )
    if pitch.status != PitchStatus.SUBMITTED:
        raise ValidationError(
            _g("فقط سوژه‌های در انتظار بررسی را می‌توان بررسی کرد؛ این سوژه «%(status)s» است.")
            % {"status": pitch.get_status_display()}
        )
    status, event = _REVIEW[decision]
    before = snapshot(pitch, ("status", "review_comment"))
    pitch.status = status
    pitch.review_comment = comment
    pitch.reviewed_by = actor
    pitch.reviewed_at = timezone.now()
    pitch.approved_on = jalali.today() if status == PitchStatus.APPROVED else None
    pitch.save()
    audit_record(
        actor=actor,
        event=event,
        target=pitch,
        changes=diff(before, snapshot(pitch, ("status", "review_comment"))),
    )
    titles = {
        PitchStatus.APPROVED: _g("سوژه «%(title)s» تأیید شد"),
        PitchStatus.RETURNED: _g("سوژه «%(title)s» برای اصلاح بازگشت"),
        PitchStatus.REJECTED: _g("سوژه «%(title)s» رد شد"),
    }
    notify(
        recipients=office_people(pitch.office_id, exclude=actor),
        title=titles[status] % {"title": pitch.title},
        body=comment,
        url=pitch.get_absolute_url(),
        dedupe_key=f"pitch-{pitch.pk}-{status}-{pitch.reviewed_at:%Y%m%d%H%M%S%f}",
    )
    return pitch
