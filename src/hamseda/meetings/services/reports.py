"""Member reports before a meeting, and attendance at it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _g

from hamseda.core import persian, policy
from hamseda.core.audit import audit_record, diff
from hamseda.directory.models import CouncilMembership, Office, Person
from hamseda.meetings.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MemberReport,
    ReportItem,
    ReportItemKind,
    ReportStatus,
)
from hamseda.meetings.services.common import (
    REPORTING_ROLES,
    check_editable,
    clean_text,
    reporting_offices,
)

# --- member reports --------------------------------------------------------------------


def _figure(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(persian.en_digits(str(value)).replace("٫", ".").replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError(
            {"items": _g("مقدار «%(value)s» عدد نیست.") % {"value": value}}
        ) from None


def _clean_items(items: Sequence[Mapping[str, Any]]) -> list[ReportItem]:
    """The rows of a report as unsaved ``ReportItem`` (without ``report``);
    rows with no text are dropped: clearing a row's text removes it."""
    rows: list[ReportItem] = []
    positions: dict[str, int] = {}
    for raw in items:
        kind = raw.get("kind", "")
        text = clean_text(raw.get("text") or "")
        label = clean_text(raw.get("figure_label") or "")
        value = _figure(raw.get("figure_value"))
        if kind not in ReportItemKind.values:
            raise ValidationError({"items": _g("نوع بند گزارش معتبر نیست.")})
        if not text:
            if label or value is not None:
                raise ValidationError({"items": _g("برای هر شاخص، شرح اقدام را هم بنویسید.")})
            continue
        if kind != ReportItemKind.ACTION and (label or value is not None):
            raise ValidationError({"items": _g("شاخص و مقدار فقط برای اقدامات ثبت می‌شود.")})
        if (value is None) != (not label):
            raise ValidationError(
                {
                    "items": _g("شاخص «%(text)s» باید هم عنوان و هم مقدار داشته باشد.")
                    % {"text": text[:40]}
                }
            )
        positions[kind] = positions.get(kind, 0) + 1
        rows.append(
            ReportItem(
                kind=kind,
                text=text,
                figure_label=label,
                figure_value=value,
                position=positions[kind],
            )
        )
    return rows


def report_is_open(meeting: Meeting) -> bool:
    """Reports are written and changed until the meeting is held."""
    return meeting.status == MeetingStatus.PLANNED


@transaction.atomic
def report_save(
    *,
    actor: Person,
    meeting: Meeting,
    office: Office,
    summary: str,
    items: Sequence[Mapping[str, Any]],
    submit: bool,
) -> MemberReport:
    """Save an office's report for a meeting, replacing its items.

    ``items``: dicts with ``kind``, ``text``, ``figure_label``, ``figure_value``
    (a figure only on actions). ``submit`` sends it to the council; a submitted
    report stays submitted and can still be changed until the meeting is held.
    """
    policy.require(actor, "report.submit", office)
    if not CouncilMembership.objects.filter(
        council_id=meeting.council_id, office=office, role__in=REPORTING_ROLES
    ).exists():
        raise ValidationError(_g("این روابط عمومی عضو شورای این جلسه نیست."))
    if not report_is_open(meeting):
        raise ValidationError(
            _g("گزارش‌ها تا پیش از برگزاری جلسه ثبت می‌شوند؛ این جلسه %(status)s است.")
            % {"status": meeting.get_status_display()}
        )
    rows = _clean_items(items)
    summary = clean_text(summary or "")
    if submit and not summary and not rows:
        raise ValidationError({"summary": _g("گزارش خالی ارسال نمی‌شود؛ دست‌کم خلاصه را بنویسید.")})
    report, _created = MemberReport.objects.select_for_update().get_or_create(
        meeting=meeting, office=office
    )
    before = {
        "summary": report.summary,
        "status": report.get_status_display(),
        "items": report.items.count(),
    }
    report.summary = summary
    if submit:
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.submitted_by = actor
    report.full_clean()
    report.save()
    report.items.all().delete()
    for row in rows:
        row.report = report
        row.full_clean()
        row.fill_text_key()  # bulk_create skips save(), which keeps the search key
    ReportItem.objects.bulk_create(rows)
    after = {"summary": report.summary, "status": report.get_status_display(), "items": len(rows)}
    audit_record(
        actor=actor,
        event="report_submitted" if submit else "report_saved",
        target=report,
        changes=diff(before, after),
    )
    return report


# --- attendance ------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, actor: Person, meeting: Meeting, entries: Iterable[Mapping[str, Any]]
) -> list[Attendance]:
    """Record who came: ``entries`` are dicts with ``office``, ``status``
    (present / absent / represented) and, for a representative, ``attendee_name``
    and ``attendee_title``. Offices not in ``entries`` keep what they had."""
    policy.require(actor, "meeting.manage", meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_g("برای جلسهٔ لغوشده حضور و غیاب ثبت نمی‌شود."))
    check_editable(meeting)
    members = {office.pk: office for office in reporting_offices(meeting.council)}
    existing = {a.office_id: a for a in Attendance.objects.filter(meeting=meeting)}
    saved, changes = [], {}
    for entry in entries:
        office = entry["office"]
        if office.pk not in members:
            raise ValidationError(
                _g("«%(office)s» عضو شورای این جلسه نیست.") % {"office": office.name}
            )
        status = entry.get("status", "")
        name = clean_text(entry.get("attendee_name") or "")
        title = clean_text(entry.get("attendee_title") or "")
        if status not in AttendanceStatus.values:
            raise ValidationError(
                {"status": _g("وضعیت حضور «%(office)s» را انتخاب کنید.") % {"office": office.name}}
            )
        if status == AttendanceStatus.REPRESENTED and not name:
            raise ValidationError(
                {
                    "attendee_name": _g("نام نماینده «%(office)s» را بنویسید.")
                    % {"office": office.name}
                }
            )
        if status == AttendanceStatus.ABSENT:
            name, title = "", ""
        row = existing.get(office.pk) or Attendance(meeting=meeting, office=office)
        old = row.get_status_display() if row.pk else None
        row.status, row.attendee_name, row.attendee_title = status, name, title
        row.full_clean()
        row.save()
        saved.append(row)
        new = row.get_status_display() + (f" ({name})" if name else "")
        if old != new:
            changes[office.name] = [old, new]
    if changes:
        audit_record(actor=actor, event="attendance_recorded", target=meeting, changes=changes)
    return saved
