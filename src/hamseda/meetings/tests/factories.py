"""Factories of meeting records for tests (factory_boy). They write rows
directly, without the services: a test of a service calls the service."""

from __future__ import annotations

import datetime as dt

import factory
from django.db.models import Max
from django.utils import timezone

from hamseda.directory.models import Council
from hamseda.meetings.models import (
    AgendaItem,
    AgendaKind,
    Meeting,
    MeetingSchedule,
    MeetingStatus,
    MemberReport,
    ReportItem,
    ReportItemKind,
    ReportStatus,
)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    council = factory.LazyFunction(lambda: Council.objects.get(province__code="isfahan"))
    number = factory.LazyAttribute(
        lambda o: (
            (Meeting.objects.filter(council=o.council).aggregate(top=Max("number"))["top"] or 0) + 1
        )
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    duration_minutes = 90
    place = "سالن جلسات اداره کل راه و شهرسازی"
    status = MeetingStatus.PLANNED


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 10)
    kind = AgendaKind.TOPIC
    title = factory.Sequence(lambda n: f"موضوع آزمایشی {n}")


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSchedule

    council = factory.LazyFunction(lambda: Council.objects.get(province__code="isfahan"))
    weekday = 0
    week_of_month = 1
    every_months = 1
    start_time = dt.time(10, 0)
    place = "سالن جلسات"


class MemberReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberReport

    meeting = factory.SubFactory(MeetingFactory)
    office = None  # give it: the office must be a member of the meeting's council
    status = ReportStatus.SUBMITTED
    summary = "خلاصه عملکرد ماه گذشته"
    submitted_at = factory.LazyFunction(timezone.now)


class ReportItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportItem

    report = factory.SubFactory(MemberReportFactory)
    kind = ReportItemKind.PROBLEM
    text = factory.LazyAttributeSequence(
        lambda o, n: f"{ReportItemKind(o.kind).label} آزمایشی شماره {n}"
    )


def report_with_items(meeting: Meeting, office, **per_kind: int) -> MemberReport:
    """A submitted report of ``office`` with ``per_kind`` items of each kind:
    ``report_with_items(m, office, problem=2, suggestion=1)``."""
    report = MemberReportFactory(meeting=meeting, office=office)
    for kind, count in per_kind.items():
        for _ in range(count):
            ReportItemFactory(report=report, kind=kind)
    return report
