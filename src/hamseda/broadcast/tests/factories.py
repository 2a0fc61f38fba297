"""Pitches and dispatches for tests, made through the services (so they carry
their audit trail and notices)."""

from __future__ import annotations

from typing import Any

from hamseda.broadcast import services
from hamseda.broadcast.models import BroadcasterContact, Dispatch, Pitch, PitchFormat
from hamseda.core.tests.uploads import pdf, png  # noqa: F401  (re-exported)
from hamseda.directory.models import Person

BROADCASTER_EMAIL = "khabar@isfahan-sima.example"


def make_pitch(author: Person, *, submit: bool = False, **fields: Any) -> Pitch:
    assert author.office is not None
    values: dict[str, Any] = {
        "title": "قطار گردشگری اصفهان–کاشان",
        "summary": "خانواده‌ها با قطار آخر هفته به کاشان می‌روند.",
        "format": PitchFormat.REPORT,
        "why": "سفر ایمن و کم‌هزینه",
        "interviewees": "مدیرکل راه‌آهن",
        "place": "ایستگاه راه‌آهن اصفهان",
    }
    values.update(fields)
    return services.pitch_create(actor=author, office=author.office, submit=submit, **values)


def approved_pitch(world: Any, author: Person | None = None, **fields: Any) -> Pitch:
    pitch = make_pitch(author or world.member_staff, submit=True, **fields)
    return services.pitch_review(actor=world.chair, pitch=pitch, decision=services.Decision.APPROVE)


def isfahan_contact(world: Any) -> BroadcasterContact:
    return services.contact_save(
        actor=world.chair,
        province=world.isfahan_council.province,
        name="صدا و سیمای مرکز اصفهان",
        email=BROADCASTER_EMAIL,
        contact_person="معاونت سیما",
        programmes=["گزارش ویژه", "صبح بخیر اصفهان"],
    )


def make_dispatch(world: Any, pitches: list[Pitch] | None = None, **fields: Any) -> Dispatch:
    if not BroadcasterContact.objects.filter(province=world.isfahan_council.province).exists():
        isfahan_contact(world)
    values: dict[str, Any] = {"subject": "سوژه‌های پیشنهادی شورا"}
    values.update(fields)
    return services.dispatch_create(
        actor=world.chair, pitches=pitches or [approved_pitch(world)], **values
    )
