"""What the broadcast services share: audit event labels, text cleaning, and
who hears about a pitch (its office's people, the province's chair)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.audit import register_events
from hamseda.core.policy import Role
from hamseda.directory.models import Person

register_events(
    {
        "pitch_created": _("سوژه ثبت شد"),
        "pitch_edited": _("سوژه ویرایش شد"),
        "pitch_submitted": _("سوژه برای بررسی فرستاده شد"),
        "pitch_approved": _("سوژه تأیید شد"),
        "pitch_returned": _("سوژه برای اصلاح بازگشت"),
        "pitch_rejected": _("سوژه رد شد"),
        "pitch_file_added": _("پیوست به سوژه افزوده شد"),
        "pitch_file_removed": _("پیوست سوژه حذف شد"),
        "pitch_dispatched": _("سوژه به صدا و سیما فرستاده شد"),
        "pitch_answered": _("پاسخ صدا و سیما ثبت شد"),
        "dispatch_created": _("نامه ارسال سوژه‌ها تنظیم شد"),
        "dispatch_emailed": _("نامه با رایانامه فرستاده شد"),
        "broadcaster_contact_saved": _("مشخصات مخاطب صدا و سیما ذخیره شد"),
    },
    fields={
        "pitch_file": _("پیوست"),
        "dispatch": _("نامه"),
        "pitches": _("سوژه‌ها"),
        "outcome": _("پاسخ صدا و سیما"),
        "aired_on": _("تاریخ پخش"),
        "programme": _("برنامه"),
        "link": _("پیوند"),
    },
)


def clean_text(value: str | None) -> str:
    return persian.normalize(value or "").strip()


def office_people(office_id: int, *, exclude: Any = None) -> QuerySet[Person]:
    people = Person.objects.filter(office_id=office_id, is_active=True)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return people


def chairs_of(province_id: int | None) -> QuerySet[Person]:
    """The chair(s) of the province's council: who reviews its pitches."""
    if province_id is None:
        return Person.objects.none()
    return Person.objects.filter(
        role=Role.COUNCIL_CHAIR, is_active=True, office__agency__province_id=province_id
    )
