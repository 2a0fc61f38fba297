"""Reads of meetings, scoped to the viewer by ``core.policy``.

A meeting of another province does not exist for the viewer (``Http404``),
except for the ministry centre (and administrators), whose reach is every
province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hamseda.core import policy
from hamseda.core.policy import Reach
from hamseda.directory.models import Council, Office, Person
from hamseda.followups.models import FollowUp
from hamseda.followups.selectors import followup_open_for_agenda
from hamseda.meetings.models import (
    AgendaItem,
    AgendaKind,
    Attendance,
    Meeting,
    MeetingSchedule,
    MeetingStatus,
    MemberReport,
    ReportItem,
    ReportItemKind,
    ReportStatus,
)
from hamseda.meetings.services.common import reporting_offices


def _not_found() -> Http404:
    return Http404("not found")


def _visible(viewer: Person, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return policy.scope_queryset(
        viewer, "meeting.view", queryset, province_field="council__province_id", office_field=None
    )


# --- meetings --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFilters:
    status: str = ""
    council_id: int | None = None


def meeting_list(*, viewer: Person, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    """The meetings the viewer may see, newest first, each with
    ``submitted_reports`` (how many offices have sent their report)."""
    filters = filters or MeetingFilters()
    meetings = _visible(viewer, Meeting.objects.select_related("council__province"))
    if filters.status:
        meetings = meetings.filter(status=filters.status)
    if filters.council_id:
        meetings = meetings.filter(council_id=filters.council_id)
    return meetings.annotate(
        submitted_reports=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED))
    ).order_by("-starts_at", "-pk")


def meeting_upcoming(*, viewer: Person, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    """Meetings not over yet (still running, or to come), soonest first."""
    # A meeting lasts at most 10 hours (services.meetings.MAX_DURATION).
    cutoff = timezone.now() - dt.timedelta(hours=10)
    return (
        meeting_list(viewer=viewer, filters=filters)
        .filter(starts_at__gte=cutoff)
        .exclude(status__in=[MeetingStatus.HELD, MeetingStatus.APPROVED])
        .order_by("starts_at", "pk")
    )


def meeting_past(*, viewer: Person, filters: MeetingFilters | None = None) -> QuerySet[Meeting]:
    cutoff = timezone.now() - dt.timedelta(hours=10)
    return meeting_list(viewer=viewer, filters=filters).filter(
        Q(starts_at__lt=cutoff) | Q(status__in=[MeetingStatus.HELD, MeetingStatus.APPROVED])
    )


def meeting_get_for(*, viewer: Person, meeting_id: int) -> Meeting:
    """One meeting with its council and province, or 404 if the viewer may not see it."""
    try:
        return _visible(viewer, Meeting.objects.select_related("council__province")).get(
            pk=meeting_id
        )
    except Meeting.DoesNotExist:
        raise _not_found() from None


def meeting_feed(*, viewer: Person, since: dt.datetime) -> QuerySet[Meeting]:
    """What the viewer's calendar feed lists: every meeting they may see from ``since`` on."""
    return (
        _visible(viewer, Meeting.objects.select_related("council__province"))
        .filter(starts_at__gte=since)
        .order_by("starts_at", "pk")
    )


def council_choices(*, viewer: Person, action: str = "meeting.view") -> QuerySet[Council]:
    """The councils whose meetings the viewer may ``action`` (filters, the create form)."""
    councils = Council.objects.select_related("province").order_by("province__sort_key")
    granted = policy.reach(viewer, action)
    if granted == Reach.ANY:
        return councils
    if granted == Reach.NONE or viewer.province_id is None:
        return councils.none()
    return councils.filter(province_id=viewer.province_id)


def council_offices(*, council: Council) -> list[Office]:
    """The offices that report to and attend the council's meetings, chair first."""
    return reporting_offices(council)


# --- agenda ----------------------------------------------------------------------------


@dataclass
class AgendaFollowUp:
    followup: FollowUp
    days_open: int
    offices: list[Office]
    is_referral: bool
    reply: str = ""
    replied_at: dt.datetime | None = None
    url: str = ""


@dataclass
class AgendaRow:
    item: AgendaItem
    is_first: bool
    is_last: bool
    followups: list[AgendaFollowUp] = field(default_factory=list)


def agenda_for(*, viewer: Person, meeting: Meeting) -> list[AgendaRow]:
    """The agenda in order. The follow-up review item carries the council's
    follow-ups open at the meeting's start, read now (not a copy): how long each
    has been open, who owns it, and the ministry's latest reply to a referral."""
    if not policy.can(viewer, "meeting.view", meeting):
        raise _not_found()
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("presenting_office")
        .order_by("position", "pk")
    )
    rows = [
        AgendaRow(item=item, is_first=index == 0, is_last=index == len(items) - 1)
        for index, item in enumerate(items)
    ]
    review = next((row for row in rows if row.item.kind == AgendaKind.FOLLOWUP_REVIEW), None)
    if review is not None and meeting.status != MeetingStatus.CANCELLED:
        review.followups = [
            _agenda_followup(followup)
            for followup in followup_open_for_agenda(
                council=meeting.council, before=meeting.starts_at
            )
        ]
    return rows


def _agenda_followup(followup: FollowUp) -> AgendaFollowUp:
    reply, replied_at = "", None
    if followup.is_referral:
        # Loaded by select_related; a missing Referral row raises
        # RelatedObjectDoesNotExist, an AttributeError, hence getattr's default.
        referral = getattr(followup, "referral", None)
        if referral is not None:
            reply, replied_at = referral.reply, referral.replied_at
    return AgendaFollowUp(
        url=followup.get_absolute_url(),
        followup=followup,
        days_open=getattr(followup, "days_open", 0),
        offices=list(followup.offices.all()),
        is_referral=followup.is_referral,
        reply=reply,
        replied_at=replied_at,
    )


# --- member reports --------------------------------------------------------------------


@dataclass
class ReportStatusRow:
    office: Office
    report: MemberReport | None
    item_count: int

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.status == ReportStatus.SUBMITTED


def report_status(
    *, viewer: Person, meeting: Meeting, offices: list[Office] | None = None
) -> list[ReportStatusRow]:
    """One row per reporting office: its report (or None) and how many items it has.
    ``offices``: the council's reporting offices, when the caller has them already."""
    if not policy.can(viewer, "meeting.view", meeting):
        raise _not_found()
    reports = {
        report.office_id: report
        for report in MemberReport.objects.filter(meeting=meeting)
        .select_related("submitted_by")
        .annotate(item_count=Count("items"))
    }
    return [
        ReportStatusRow(
            office=office,
            report=reports.get(office.pk),
            item_count=getattr(reports.get(office.pk), "item_count", 0),
        )
        for office in (offices if offices is not None else council_offices(council=meeting.council))
    ]


def report_get_for(*, viewer: Person, meeting: Meeting, office: Office) -> MemberReport | None:
    """The office's report for the meeting with its items, if the viewer may read
    it: a submitted report is read by everyone who sees the meeting; a draft only
    by the office itself and those who run the meeting."""
    if not policy.can(viewer, "meeting.view", meeting):
        raise _not_found()
    report = (
        MemberReport.objects.filter(meeting=meeting, office=office)
        .select_related("office__agency", "submitted_by", "meeting__council")
        .prefetch_related("items")
        .first()
    )
    if report is None:
        return None
    if report.status != ReportStatus.SUBMITTED and not (
        policy.can(viewer, "report.submit", office) or policy.can(viewer, "meeting.manage", meeting)
    ):
        return None
    return report


def office_of_meeting(*, viewer: Person, meeting: Meeting, office_id: int) -> Office:
    """A reporting office of the meeting's council, or 404."""
    for office in council_offices(council=meeting.council):
        if office.pk == office_id:
            return office
    raise _not_found()


@dataclass
class BriefingEntry:
    office: Office
    item: ReportItem


@dataclass
class BriefingSection:
    kind: str
    label: str
    entries: list[BriefingEntry]


@dataclass
class Briefing:
    reports: list[MemberReport]
    sections: list[BriefingSection]
    missing: list[Office]


def briefing_for(*, viewer: Person, meeting: Meeting) -> Briefing:
    """The chair's briefing: every submitted report side by side, and their items
    grouped by kind across offices (all problems together, all suggestions
    together), each with its office. Two queries, whatever the number of reports."""
    if not policy.can(viewer, "meeting.view", meeting):
        raise _not_found()
    reports = list(
        MemberReport.objects.filter(meeting=meeting, status=ReportStatus.SUBMITTED)
        .select_related("office__agency")
        .prefetch_related(
            Prefetch("items", queryset=ReportItem.objects.order_by("kind", "position", "pk"))
        )
        .order_by("office__sort_key")
    )
    by_kind: dict[str, list[BriefingEntry]] = {kind: [] for kind in ReportItemKind.values}
    for report in reports:
        for item in report.items.all():
            by_kind[item.kind].append(BriefingEntry(office=report.office, item=item))
    submitted = {report.office_id for report in reports}
    return Briefing(
        reports=reports,
        sections=[
            BriefingSection(kind=kind, label=str(label), entries=by_kind[kind])
            for kind, label in ReportItemKind.choices
        ],
        missing=[
            office
            for office in council_offices(council=meeting.council)
            if office.pk not in submitted
        ],
    )


# --- attendance ------------------------------------------------------------------------


@dataclass
class AttendanceRow:
    office: Office
    attendance: Attendance | None


def attendance_for(
    *, viewer: Person, meeting: Meeting, offices: list[Office] | None = None
) -> list[AttendanceRow]:
    if not policy.can(viewer, "meeting.view", meeting):
        raise _not_found()
    recorded = {a.office_id: a for a in Attendance.objects.filter(meeting=meeting)}
    return [
        AttendanceRow(office=office, attendance=recorded.get(office.pk))
        for office in (offices if offices is not None else council_offices(council=meeting.council))
    ]


# --- schedules -------------------------------------------------------------------------


def schedule_list(*, viewer: Person) -> QuerySet[MeetingSchedule]:
    return (
        _visible(viewer, MeetingSchedule.objects.select_related("council__province"))
        .annotate(meeting_count=Count("meetings"))
        .order_by("council__province__sort_key", "pk")
    )


def schedule_get_for(*, viewer: Person, schedule_id: int) -> MeetingSchedule:
    try:
        return _visible(viewer, MeetingSchedule.objects.select_related("council__province")).get(
            pk=schedule_id
        )
    except MeetingSchedule.DoesNotExist:
        raise _not_found() from None
