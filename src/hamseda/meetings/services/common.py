"""What the meeting services share: audit event labels, field lists, the
offices that take part in a council's meetings, and the checks every write makes."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from hamseda.core import persian
from hamseda.core.audit import register_events
from hamseda.directory.models import Council, CouncilMembership, MembershipRole, Office
from hamseda.meetings.models import (
    AgendaKind,
    Meeting,
    MeetingStatus,
)

log = logging.getLogger(__name__)

register_events(
    {
        "schedule_created": _("برنامه تکرار جلسات ثبت شد"),
        "schedule_activated": _("برنامه تکرار جلسات فعال شد"),
        "schedule_deactivated": _("برنامه تکرار جلسات متوقف شد"),
        "meeting_created": _("جلسه برنامه‌ریزی شد"),
        "meeting_updated": _("مشخصات جلسه ویرایش شد"),
        "meeting_rescheduled": _("زمان جلسه تغییر کرد"),
        "meeting_cancelled": _("جلسه لغو شد"),
        "meeting_held": _("جلسه برگزارشده ثبت شد"),
        "meeting_invited": _("دعوت‌نامه‌ها فرستاده شد"),
        "agenda_item_added": _("بند به دستور جلسه افزوده شد"),
        "agenda_item_updated": _("بند دستور جلسه ویرایش شد"),
        "agenda_item_removed": _("بند از دستور جلسه حذف شد"),
        "agenda_reordered": _("ترتیب دستور جلسه تغییر کرد"),
        "report_saved": _("پیش‌نویس گزارش ذخیره شد"),
        "report_submitted": _("گزارش برای جلسه ارسال شد"),
        "attendance_recorded": _("حضور و غیاب ثبت شد"),
    },
    fields={
        "agenda_item": _("بند دستور جلسه"),
        # Agenda changes are recorded on the meeting, which has no such fields.
        "presenting_office": _("ارائه‌دهنده"),
        "minutes_allotted": _("زمان (دقیقه)"),
        "agenda": _("ترتیب دستور جلسه"),
        "items": _("تعداد بندهای گزارش"),
        "recipients": _("تعداد گیرندگان"),
    },
)

# Offices that report to, attend and are invited to a council's meetings: the
# chair's office reports like every member; the broadcaster is a guest, not a member.
REPORTING_ROLES = (MembershipRole.CHAIR, MembershipRole.MEMBER, MembershipRole.PARTNER)

MEETING_FIELDS = ("title", "starts_at", "duration_minutes", "place")
SCHEDULE_FIELDS = (
    "council",
    "weekday",
    "week_of_month",
    "every_months",
    "start_time",
    "duration_minutes",
    "place",
    "is_active",
)
AGENDA_FIELDS = ("title", "description", "presenting_office", "minutes_allotted")

MIN_DURATION, MAX_DURATION = 15, 600
PLAN_AHEAD_DAYS = 60

AUTOMATIC_AGENDA = (
    (AgendaKind.FOLLOWUP_REVIEW, _("پیگیری مصوبات جلسات قبل"), 20),
    (AgendaKind.REPORTS, _("گزارش روابط عمومی‌ها"), 30),
)


def clean_text(value: Any) -> Any:
    return persian.normalize(value).strip() if isinstance(value, str) else value


def reporting_offices(council: Council) -> list[Office]:
    """The offices of ``council`` that report, attend and are invited, in the
    council's order (chair first)."""
    memberships = (
        CouncilMembership.objects.filter(council=council, role__in=REPORTING_ROLES)
        .select_related("office__agency")
        .order_by("position", "office__sort_key")
    )
    return [m.office for m in memberships.filter(office__is_active=True)]


def check_duration(minutes: int | None) -> None:
    if minutes is None or not MIN_DURATION <= minutes <= MAX_DURATION:
        raise ValidationError(
            {
                "duration_minutes": _g("مدت جلسه باید بین %(low)s تا %(high)s دقیقه باشد.")
                % {"low": persian.fa_digits(MIN_DURATION), "high": persian.fa_digits(MAX_DURATION)}
            }
        )


def check_not_past(starts_at: dt.datetime) -> None:
    if starts_at < timezone.now():
        raise ValidationError(
            {"starts_at": _g("زمان جلسه گذشته است؛ زمانی در آینده انتخاب کنید.")}, code="past"
        )


def check_editable(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.APPROVED):
        raise ValidationError(
            _g("این جلسه %(status)s است و دیگر تغییر نمی‌کند.")
            % {"status": meeting.get_status_display()}
        )
