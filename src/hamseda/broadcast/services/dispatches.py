"""Writes of dispatches: the letter to the provincial broadcaster (numbered
per province and Jalali year), its email, the broadcaster's answers per
pitch, and the broadcaster's contact."""

from __future__ import annotations

import datetime as dt
import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.broadcast import letter
from hamseda.broadcast.models import (
    BroadcasterContact,
    Dispatch,
    DispatchItem,
    Outcome,
    Pitch,
    PitchStatus,
)
from hamseda.broadcast.services.common import clean_text, office_people
from hamseda.core import jalali, persian, policy
from hamseda.core.audit import audit_record, diff, snapshot
from hamseda.core.notifications import notify
from hamseda.core.policy import Scope
from hamseda.directory.models import Person, Province

MAX_PITCHES = 30
ANSWER_FIELDS = ("outcome", "aired_on", "programme", "link", "note")


def format_number(year: int, serial: int) -> str:
    """``1405/0012``: stored with Latin digits, shown with Persian ones."""
    return f"{year}/{serial:04d}"


def next_serial(province: Province, year: int) -> int:
    """The next serial of the province's letters in Jalali ``year``. Call with
    the province's row locked (``dispatch_create``): two chairs dispatching at
    once get consecutive numbers, and the unique constraint guards the rest."""
    last = Dispatch.objects.filter(province=province, year=year).aggregate(m=Max("serial"))["m"]
    return (last or 0) + 1


@transaction.atomic
def contact_save(
    *,
    actor: Person,
    province: Province,
    name: str,
    email: str,
    contact_person: str = "",
    phone: str = "",
    programmes: Sequence[str] | None = None,
) -> BroadcasterContact:
    """Create or change the province's broadcaster contact."""
    policy.require(actor, "broadcast.dispatch", Scope(province_id=province.pk, office_id=None))
    name, contact_person = clean_text(name), clean_text(contact_person)
    email = (email or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _g("نام مرکز صدا و سیما را بنویسید.")
    try:
        EmailValidator()(email)
    except ValidationError:
        errors["email"] = _g("رایانامه درست نیست.")
    if errors:
        raise ValidationError(errors)
    seen: set[str] = set()
    names: list[str] = []
    for programme in programmes or []:
        text = clean_text(programme)
        key = persian.search_key(text)
        if text and key not in seen:
            seen.add(key)
            names.append(text[:200])
    contact = BroadcasterContact.objects.filter(province=province).first()
    fields = ("name", "email", "contact_person", "phone", "programmes")
    before = snapshot(contact, fields) if contact else {}
    if contact is None:
        contact = BroadcasterContact(province=province)
    contact.name, contact.email, contact.contact_person = name, email, contact_person
    contact.phone, contact.programmes = clean_text(phone)[:40], names
    contact.save()
    changes = diff(before, snapshot(contact, fields))
    if changes:
        audit_record(
            actor=actor, event="broadcaster_contact_saved", target=contact, changes=changes
        )
    return contact


@transaction.atomic
def dispatch_create(
    *,
    actor: Person,
    pitches: Sequence[Pitch],
    subject: str,
    intro: str = "",
    date: dt.date | None = None,
) -> Dispatch:
    """Group approved pitches of one province into a numbered letter to its
    broadcaster, render the letter's PDF and tell the proposing offices."""
    if not pitches:
        raise ValidationError({"pitches": _g("دست‌کم یک سوژه تأییدشده را انتخاب کنید.")})
    if len(pitches) > MAX_PITCHES:
        raise ValidationError({"pitches": _g("هر نامه حداکثر ۳۰ سوژه دارد.")})
    ids = list(dict.fromkeys(p.pk for p in pitches))
    rows = {
        p.pk: p
        for p in Pitch.objects.select_for_update(of=("self",))
        .select_related("office__agency__province")
        .filter(pk__in=ids)
    }
    chosen = [rows[pk] for pk in ids if pk in rows]
    provinces = {p.office.agency.province_id for p in chosen}
    if len(provinces) != 1 or None in provinces:
        raise ValidationError({"pitches": _g("سوژه‌های یک نامه باید از یک استان باشند.")})
    province = chosen[0].office.agency.province
    assert province is not None
    policy.require(actor, "broadcast.dispatch", Scope(province_id=province.pk, office_id=None))
    not_ready = [p.title for p in chosen if p.status != PitchStatus.APPROVED]
    if not_ready:
        raise ValidationError(
            {
                "pitches": _g("این سوژه‌ها تأییدشده و ارسال‌نشده نیستند: %(titles)s")
                % {"titles": "، ".join(not_ready)}
            }
        )
    subject, intro = clean_text(subject), clean_text(intro)
    if not subject:
        raise ValidationError({"subject": _g("موضوع نامه را بنویسید.")})
    if len(subject) > 250:
        raise ValidationError({"subject": _g("موضوع نامه حداکثر ۲۵۰ نویسه است.")})
    contact = BroadcasterContact.objects.filter(province=province).first()
    if contact is None:
        raise ValidationError(
            _g("ابتدا مشخصات صدا و سیمای استان (نام مرکز و رایانامه) را ثبت کنید.")
        )
    date = date or jalali.today()
    year = jalali.to_jalali(date).year
    # The province's row is the lock for its numbering (see next_serial).
    Province.objects.select_for_update().filter(pk=province.pk).values_list("pk").get()
    serial = next_serial(province, year)
    dispatch = Dispatch.objects.create(
        province=province,
        year=year,
        serial=serial,
        number=format_number(year, serial),
        date=date,
        subject=subject,
        intro=intro,
        recipient=contact.name,
        recipient_person=contact.contact_person,
        email_to=contact.email,
        signer=actor,
        created_by=actor,
    )
    for position, pitch in enumerate(chosen, start=1):
        DispatchItem.objects.create(dispatch=dispatch, pitch=pitch, position=position)
        pitch.status = PitchStatus.DISPATCHED
        pitch.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            event="pitch_dispatched",
            target=pitch,
            changes={
                "status": [PitchStatus.APPROVED.value, PitchStatus.DISPATCHED.value],
                "dispatch": [None, dispatch.number_fa],
            },
        )
    pdf = letter.letter_pdf(dispatch)
    dispatch.pdf.save(letter.letter_ascii_filename(dispatch), ContentFile(pdf), save=True)
    audit_record(
        actor=actor,
        event="dispatch_created",
        target=dispatch,
        changes={
            "number": [None, dispatch.number_fa],
            "subject": [None, subject],
            "pitches": [None, [p.title for p in chosen]],
        },
    )
    for pitch in chosen:
        notify(
            recipients=office_people(pitch.office_id, exclude=actor),
            title=_g("سوژه «%(title)s» به صدا و سیما فرستاده شد") % {"title": pitch.title},
            body=_g("با نامه شماره %(number)s") % {"number": dispatch.number_fa},
            url=pitch.get_absolute_url(),
            dedupe_key=f"pitch-{pitch.pk}-dispatched",
        )
    return dispatch


def dispatch_pdf(dispatch: Dispatch) -> bytes:
    """The stored letter, or (if its file is gone) the letter rendered again."""
    if dispatch.pdf:
        try:
            with dispatch.pdf.open("rb") as handle:
                return bytes(handle.read())
        except FileNotFoundError:
            pass
    return letter.letter_pdf(dispatch)


def dispatch_send(*, actor: Person, dispatch: Dispatch, to: str = "") -> Dispatch:
    """Email the letter (PDF) and the pitches' files to the broadcaster. The
    mail goes first, outside the transaction; only a mail the server took is
    recorded. Sending again (a lost mail) is allowed and recorded again."""
    policy.require(actor, "broadcast.dispatch", dispatch)
    to = (to or dispatch.email_to or "").strip()
    try:
        EmailValidator()(to)
    except ValidationError:
        raise ValidationError({"to": _g("رایانامه گیرنده درست نیست.")}) from None
    message = letter.letter_email(dispatch, to=to, pdf=dispatch_pdf(dispatch))
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        raise ValidationError(
            _g(
                "رایانامه فرستاده نشد (%(error)s). نشانی گیرنده و تنظیمات سرور رایانامه را "
                "بررسی کنید و دوباره بفرستید."
            )
            % {"error": error.__class__.__name__}
        ) from None
    with transaction.atomic():
        before = snapshot(dispatch, ("email_to", "emailed_at"))
        dispatch.email_to = to
        dispatch.emailed_at = timezone.now()
        dispatch.message_id = str(message.extra_headers.get("Message-ID", ""))[:250]
        dispatch.save(update_fields=["email_to", "emailed_at", "message_id", "updated_at"])
        audit_record(
            actor=actor,
            event="dispatch_emailed",
            target=dispatch,
            changes=diff(before, snapshot(dispatch, ("email_to", "emailed_at"))),
        )
    return dispatch


def _answer_state(item: DispatchItem) -> dict[str, Any]:
    # Audited on the pitch, whose fields do not include ``outcome``: store its
    # Persian label so the pitch's history reads well.
    state = snapshot(item, ANSWER_FIELDS)
    state["outcome"] = str(Outcome(item.outcome).label)
    return state


@transaction.atomic
def answer_record(
    *,
    actor: Person,
    item: DispatchItem,
    outcome: str,
    aired_on: dt.date | None = None,
    programme: str = "",
    link: str = "",
    note: str = "",
) -> DispatchItem:
    """The broadcaster's answer to one pitch: accepted, aired (date and
    programme needed, link optional), declined; or back to pending. The
    proposing office is told."""
    item = (
        DispatchItem.objects.select_for_update(of=("self",))
        .select_related("dispatch", "pitch")
        .get(pk=item.pk)
    )
    policy.require(actor, "broadcast.dispatch", item.dispatch)
    programme, note, link = clean_text(programme), clean_text(note), (link or "").strip()
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _g("پاسخ صدا و سیما را انتخاب کنید.")
    if outcome == Outcome.AIRED:
        if aired_on is None:
            errors["aired_on"] = _g("تاریخ پخش را وارد کنید.")
        elif aired_on > jalali.today():
            errors["aired_on"] = _g("تاریخ پخش نمی‌تواند در آینده باشد.")
        elif aired_on < item.dispatch.date:
            errors["aired_on"] = _g("تاریخ پخش پیش از تاریخ نامه است.")
        if not programme:
            errors["programme"] = _g("نام برنامه‌ای که سوژه در آن پخش شد را بنویسید.")
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            errors["link"] = _g("پیوند باید نشانی کامل وب باشد (با http یا https).")
    if len(programme) > 200:
        errors["programme"] = _g("نام برنامه حداکثر ۲۰۰ نویسه است.")
    if errors:
        raise ValidationError(errors)
    if outcome != Outcome.AIRED:
        aired_on = None
    if outcome == Outcome.DECLINED:
        programme = ""
    elif outcome == Outcome.PENDING:
        programme, link = "", ""
    before = _answer_state(item)
    item.outcome, item.aired_on, item.programme, item.link, item.note = (
        outcome,
        aired_on,
        programme,
        link,
        note,
    )
    item.answered_at = timezone.now() if outcome != Outcome.PENDING else None
    item.answered_by = actor if outcome != Outcome.PENDING else None
    item.save()
    changes = diff(before, _answer_state(item))
    if changes:
        audit_record(actor=actor, event="pitch_answered", target=item.pitch, changes=changes)
        if outcome != Outcome.PENDING:
            pitch = item.pitch
            titles = {
                Outcome.ACCEPTED: _g("صدا و سیما سوژه «%(title)s» را پذیرفت"),
                Outcome.AIRED: _g("سوژه «%(title)s» از صدا و سیما پخش شد"),
                Outcome.DECLINED: _g("صدا و سیما سوژه «%(title)s» را نپذیرفت"),
            }
            body = note
            if outcome == Outcome.AIRED and aired_on is not None:
                body = _g("برنامه %(programme)s، %(date)s") % {
                    "programme": programme,
                    "date": jalali.format_date(aired_on, "long"),
                }
            notify(
                recipients=office_people(pitch.office_id, exclude=actor),
                title=titles[Outcome(outcome)] % {"title": pitch.title},
                body=body,
                url=pitch.get_absolute_url(),
                dedupe_key=f"pitch-{pitch.pk}-answer-{outcome}-{aired_on or ''}",
            )
    return item
