"""The dispatch letter: a numbered, Jalali-dated Persian letter to the
provincial broadcaster listing the pitches (a PDF by ``core.pdf``), and the
email that carries it with the pitches' files."""

from __future__ import annotations

import mimetypes
import os
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from hamseda.broadcast.models import Dispatch, DispatchItem
from hamseda.core import jalali
from hamseda.core.pdf import render_pdf
from hamseda.directory.models import Council


@dataclass(frozen=True)
class Letter:
    dispatch: Dispatch
    items: list[DispatchItem]
    council_name: str
    signer_name: str
    signer_title: str


def letter_of(dispatch: Dispatch) -> Letter:
    items = list(
        DispatchItem.objects.filter(dispatch=dispatch)
        .select_related("pitch__office", "pitch__campaign")
        .prefetch_related("pitch__files")
        .order_by("position")
    )
    council = Council.objects.filter(province_id=dispatch.province_id).first()
    council_name = council.name if council else _("شورای هماهنگی روابط عمومی‌ها")
    signer = dispatch.signer
    return Letter(
        dispatch=dispatch,
        items=items,
        council_name=council_name,
        signer_name=signer.display_name if signer else "",
        signer_title=(signer.job_title if signer and signer.job_title else "")
        or _("رئیس شورای هماهنگی روابط عمومی‌ها"),
    )


def letter_pdf(dispatch: Dispatch) -> bytes:
    """The letter as an A4 right-to-left PDF."""
    return render_pdf("broadcast/pdf/letter.html", {"letter": letter_of(dispatch)})


def letter_filename(dispatch: Dispatch) -> str:
    """«نامه ۱۴۰۵-۰۰۱۲.pdf»: the number with Persian digits, no slash."""
    return _("نامه %(number)s.pdf") % {"number": dispatch.number_fa.replace("/", "-")}


def letter_ascii_filename(dispatch: Dispatch) -> str:
    return f"dispatch-{dispatch.number.replace('/', '-')}.pdf"


def _email_body(letter: Letter) -> str:
    dispatch = letter.dispatch
    lines = [
        _("با سلام و احترام،"),
        "",
        _("نامه شماره %(number)s مورخ %(date)s با موضوع «%(subject)s» به پیوست تقدیم می‌شود.")
        % {
            "number": dispatch.number_fa,
            "date": jalali.format_date(dispatch.date),
            "subject": dispatch.subject,
        },
        "",
        _("سوژه‌های پیشنهادی:"),
    ]
    for item in letter.items:
        lines.append(f"{item.position}. {item.pitch.title} — {item.pitch.office.name}")
    lines += ["", letter.signer_name, letter.signer_title, letter.council_name]
    return "\n".join(line for line in lines if line is not None)


def letter_email(dispatch: Dispatch, *, to: str, pdf: bytes) -> EmailMessage:
    """The email to the broadcaster: the letter's PDF first, then every file of
    every pitch (named «ردیف - عنوان پیوست.ext» so they can be told apart)."""
    letter = letter_of(dispatch)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1] or "hamseda.local"
    message_id = make_msgid(domain=domain)
    signer = dispatch.signer
    message = EmailMessage(
        subject=_("%(subject)s — نامه شماره %(number)s")
        % {"subject": dispatch.subject, "number": dispatch.number_fa},
        body=_email_body(letter),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[signer.email] if signer and signer.email else None,
        headers={"Message-ID": message_id},
    )
    message.attach(letter_filename(dispatch), pdf, "application/pdf")
    for item in letter.items:
        for document in item.pitch.files.all():
            try:
                with document.file.open("rb") as handle:
                    content = handle.read()
            except FileNotFoundError:
                continue
            extension = os.path.splitext(document.file.name or "")[1]
            name = f"{item.position} - {document.title}{extension}"
            message.attach(name, content, _content_type(extension))
    return message


def _content_type(extension: str) -> str:
    return mimetypes.types_map.get(extension.lower(), "application/octet-stream")
