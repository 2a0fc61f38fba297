"""Indicators of meetings and follow-ups, computed in bulk for the evaluation engine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hamseda.core import indicators, jalali
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.meetings.models import (
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    MemberReport,
    ReportStatus,
    Resolution,
)

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 3, 21), dt.date(2026, 3, 20))  # Jalali 1404


def _meeting(council, number, day, status=MeetingStatus.HELD):
    starts = dt.datetime.combine(day, dt.time(10), tzinfo=jalali.TEHRAN)
    return Meeting.objects.create(
        council=council, number=number, starts_at=starts, place="سالن", status=status
    )


@pytest.fixture
def year_of_meetings(world):
    council = world.isfahan_council
    first = _meeting(council, 1, dt.date(2025, 5, 3))
    second = _meeting(council, 2, dt.date(2025, 6, 7))
    _meeting(council, 3, dt.date(2025, 7, 5), status=MeetingStatus.CANCELLED)
    _meeting(council, 4, dt.date(2024, 7, 5))  # before the period
    for meeting in (first, second):
        Attendance.objects.create(
            meeting=meeting, office=world.chair_office, status=AttendanceStatus.PRESENT
        )
    Attendance.objects.create(
        meeting=first, office=world.member_office, status=AttendanceStatus.REPRESENTED
    )
    Attendance.objects.create(
        meeting=second, office=world.member_office, status=AttendanceStatus.ABSENT
    )
    MemberReport.objects.create(
        meeting=first,
        office=world.member_office,
        status=ReportStatus.SUBMITTED,
        submitted_at=first.starts_at - dt.timedelta(days=1),
    )
    MemberReport.objects.create(
        meeting=second,
        office=world.member_office,
        status=ReportStatus.SUBMITTED,
        submitted_at=second.starts_at + dt.timedelta(hours=1),
    )
    return first, second


def test_every_provider_is_registered():
    assert {
        "meetings.attendance_rate",
        "meetings.reports_on_time",
        "followups.closed_on_time",
        "followups.median_days_to_close",
    } <= set(indicators.REGISTRY)


def test_attendance_rate_counts_held_meetings_of_the_offices_council(world, year_of_meetings):
    values = indicators.compute("meetings.attendance_rate", start=YEAR[0], end=YEAR[1])
    assert values[world.chair_office.pk] == 100.0
    assert values[world.member_office.pk] == 50.0  # represented once, absent once
    assert values[world.partner_office.pk] == 0.0  # expected at both, attended none
    assert world.fars_office.pk not in values  # Fars held no meeting


def test_reports_on_time_needs_submission_before_the_meeting(world, year_of_meetings):
    values = indicators.compute(
        "meetings.reports_on_time", start=YEAR[0], end=YEAR[1], office_ids=[world.member_office.pk]
    )
    assert values == {world.member_office.pk: 50.0}


def test_follow_up_indicators_per_responsible_office(world, year_of_meetings):
    first, _second = year_of_meetings

    def followup(number, due, closed_after_days, offices):
        resolution = Resolution.objects.create(
            meeting=first, number=number, text="مصوبه", decision=Decision.ASSIGNED, due_date=due
        )
        item = FollowUp.objects.create(resolution=resolution, council=first.council, due_date=due)
        item.offices.set(offices)
        if closed_after_days is not None:
            item.status = FollowUpStatus.DONE
            item.closed_at = item.created_at + dt.timedelta(days=closed_after_days)
            item.save()
        return item

    today = timezone.localdate()
    followup(1, today + dt.timedelta(days=30), 10, [world.member_office])
    followup(2, today + dt.timedelta(days=5), 20, [world.member_office, world.chair_office])
    followup(3, today + dt.timedelta(days=40), None, [world.chair_office])
    period = (today, today + dt.timedelta(days=60))

    closed = indicators.compute("followups.closed_on_time", start=period[0], end=period[1])
    assert closed[world.member_office.pk] == 50.0
    assert closed[world.chair_office.pk] == 0.0

    median = indicators.compute("followups.median_days_to_close", start=period[0], end=period[1])
    assert median[world.member_office.pk] == 15.0
    assert median[world.chair_office.pk] == 20.0


def test_indicators_cost_a_fixed_number_of_queries(
    world, year_of_meetings, django_assert_max_num_queries
):
    for code in indicators.REGISTRY:
        if code.startswith(("meetings.", "followups.")):
            with django_assert_max_num_queries(3):
                indicators.compute(code, start=YEAR[0], end=YEAR[1])


# --- evidence --------------------------------------------------------------------------


def _evidence(code, office):
    return indicators.evidence(code, start=YEAR[0], end=YEAR[1], office_id=office.pk)


def _agrees(code, office, evidence):
    value = indicators.compute(code, start=YEAR[0], end=YEAR[1], office_ids=[office.pk])
    counted = sum(e.counted for e in evidence)
    assert value == {office.pk: pytest.approx(100 * counted / len(evidence))}


def test_attendance_evidence_lists_each_held_meeting_the_office_was_expected_at(
    world, year_of_meetings
):
    first, second = year_of_meetings

    # when
    railway = _evidence("meetings.attendance_rate", world.member_office)
    governorate = _evidence("meetings.attendance_rate", world.partner_office)

    # then: newest first; the cancelled meeting and the one of last year are not there
    assert [(e.url, e.counted, e.note) for e in railway] == [
        (second.get_absolute_url(), False, "غایب"),
        (first.get_absolute_url(), True, "با نماینده"),
    ]
    assert [e.date for e in railway] == [dt.date(2025, 6, 7), dt.date(2025, 5, 3)]
    assert railway[1].label == f"{first} — ۱۴۰۴/۰۲/۱۳"
    assert [(e.counted, e.note) for e in governorate] == [(False, "حضور ثبت نشده")] * 2
    _agrees("meetings.attendance_rate", world.member_office, railway)
    _agrees("meetings.attendance_rate", world.partner_office, governorate)


def test_reports_evidence_tells_on_time_late_and_missing_reports(world, year_of_meetings):
    first, second = year_of_meetings

    # when
    railway = _evidence("meetings.reports_on_time", world.member_office)
    roads = _evidence("meetings.reports_on_time", world.chair_office)

    # then
    assert [(e.url, e.counted, e.note) for e in railway] == [
        (second.get_absolute_url(), False, "با تأخیر"),
        (first.get_absolute_url(), True, "پیش از جلسه فرستاده شد"),
    ]
    assert [(e.counted, e.note) for e in roads] == [(False, "فرستاده نشد")] * 2
    _agrees("meetings.reports_on_time", world.member_office, railway)
    _agrees("meetings.reports_on_time", world.chair_office, roads)


def test_attending_another_councils_meeting_counts_for_neither_value_nor_evidence(
    world, year_of_meetings
):
    # given: Fars held a meeting its chair office missed, and that office sat in
    # on an Isfahan meeting as a guest
    first, _second = year_of_meetings
    fars_meeting = _meeting(world.fars_council, 1, dt.date(2025, 8, 2))
    Attendance.objects.create(
        meeting=fars_meeting, office=world.fars_office, status=AttendanceStatus.ABSENT
    )
    Attendance.objects.create(
        meeting=first, office=world.fars_office, status=AttendanceStatus.PRESENT
    )

    # when
    evidence = _evidence("meetings.attendance_rate", world.fars_office)

    # then
    assert [(e.url, e.counted) for e in evidence] == [(fars_meeting.get_absolute_url(), False)]
    _agrees("meetings.attendance_rate", world.fars_office, evidence)


def test_rates_of_an_office_whose_council_held_no_meeting_are_unknown():
    assert not indicators.REGISTRY["meetings.attendance_rate"].absent_is_zero
    assert not indicators.REGISTRY["meetings.reports_on_time"].absent_is_zero


def test_evidence_costs_one_query_and_stops_at_the_limit(
    world, year_of_meetings, django_assert_max_num_queries
):
    for number in range(5, 15):
        _meeting(world.isfahan_council, number, dt.date(2025, 9, 1) + dt.timedelta(days=number))
    for code in ("meetings.attendance_rate", "meetings.reports_on_time"):
        with django_assert_max_num_queries(1):
            evidence = indicators.evidence(
                code, start=YEAR[0], end=YEAR[1], office_id=world.member_office.pk, limit=5
            )
        assert len(evidence) == 5
