"""The dispatch letter: a Persian PDF that says its number, date, recipient and
pitches (read back with pdftotext), emailed with the pitches' files to a real
local SMTP server."""

from __future__ import annotations

import re
import shutil
import subprocess
from email.header import decode_header, make_header

import pytest
from django.core.exceptions import ValidationError

from hamseda.broadcast import services
from hamseda.broadcast.tests.factories import (
    BROADCASTER_EMAIL,
    approved_pitch,
    make_dispatch,
    pdf,
    png,
)
from hamseda.core import jalali
from hamseda.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def plain(text: str) -> str:
    """Text as pdftotext gives it back: no half-spaces or bidi marks, the lam-alef
    ligature read back as "ال", one space between words."""
    text = re.sub("[\u200c\u200e\u200f\u202a-\u202e]", "", text).replace("لا", "ال")
    return re.sub(r"\s+", " ", text)


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return plain(result.stdout.decode())


def test_the_letter_names_its_number_date_recipient_and_every_pitch(world):
    # given two approved pitches of two offices
    rail = approved_pitch(world, title="قطار گردشگری کاشان", interviewees="مدیرکل راه‌آهن")
    roads = approved_pitch(world, world.staff, title="بزرگراه شرق اصفهان", format="live")
    # when the chair makes the letter
    dispatch = make_dispatch(world, [rail, roads], subject="سوژه‌های امیدآفرین شورا")
    # then the PDF reads, in Persian
    text = pdf_text(services.dispatch_pdf(dispatch))
    assert plain(dispatch.number_fa) in text
    assert plain(jalali.format_date(dispatch.date)) in text
    assert plain("صدا و سیمای مرکز اصفهان") in text
    assert plain("سوژه‌های امیدآفرین شورا") in text
    for words in ("قطار گردشگری کاشان", "بزرگراه شرق اصفهان", "برنامه زنده", "مدیرکل راه‌آهن"):
        assert plain(words) in text
    assert plain(world.member_office.name) in text
    assert plain(world.chair.display_name) in text


def test_the_letter_and_the_files_reach_the_broadcasters_mailbox(world, smtp_server):
    # given a letter whose pitch has a PDF and a photo
    pitch = approved_pitch(world, files=[pdf("plan.pdf"), png("site.png")])
    dispatch = make_dispatch(world, [pitch])
    # when the chair sends it
    services.dispatch_send(actor=world.chair, dispatch=dispatch)
    # then the local SMTP server received one message for the broadcaster
    assert smtp_server.recipients == [[BROADCASTER_EMAIL]]
    message = smtp_server.messages[0]
    assert dispatch.number_fa in str(make_header(decode_header(message["Subject"])))
    parts = {part.get_filename(): part for part in message.walk() if part.get_filename()}
    letter_name = f"نامه {dispatch.number_fa.replace('/', '-')}.pdf"
    assert set(parts) == {letter_name, "1 - plan.pdf", "1 - site.png"}
    letter = parts[letter_name].get_payload(decode=True)
    assert plain(pitch.title) in pdf_text(letter)
    assert parts["1 - site.png"].get_content_type() == "image/png"
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    assert pitch.title in body.get_payload(decode=True).decode()
    # and the sending is recorded
    dispatch.refresh_from_db()
    assert dispatch.emailed_at is not None
    assert dispatch.email_to == BROADCASTER_EMAIL
    assert dispatch.message_id == message["Message-ID"]
    assert AuditEvent.objects.filter(event="dispatch_emailed").count() == 1


def test_a_mail_server_that_is_down_records_nothing_and_says_what_to_do(world, settings):
    dispatch = make_dispatch(world)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(ValidationError) as error:
        services.dispatch_send(actor=world.chair, dispatch=dispatch)
    assert "دوباره بفرستید" in error.value.messages[0]
    dispatch.refresh_from_db()
    assert dispatch.emailed_at is None


def test_a_wrong_address_is_refused_before_sending(world, smtp_server):
    dispatch = make_dispatch(world)
    with pytest.raises(ValidationError) as error:
        services.dispatch_send(actor=world.chair, dispatch=dispatch, to="not-an-address")
    assert "to" in error.value.message_dict
    assert smtp_server.messages == []
