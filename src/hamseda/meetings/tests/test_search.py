"""Persian search across minutes, report items and resolutions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from hamseda.core import jalali
from hamseda.meetings.models import (
    Decision,
    Meeting,
    MemberReport,
    Minutes,
    ReportItem,
    ReportItemKind,
    ReportStatus,
    Resolution,
)
from hamseda.meetings.search import council_search

pytestmark = pytest.mark.django_db


def _meeting(council, number=1):
    starts = dt.datetime(2025, 6, 7, 10, tzinfo=jalali.TEHRAN)
    return Meeting.objects.create(council=council, number=number, starts_at=starts, place="سالن")


@pytest.fixture
def record(world):
    meeting = _meeting(world.isfahan_council)
    resolution = Resolution.objects.create(
        meeting=meeting,
        number=1,
        decision=Decision.ASSIGNED,
        text="برنامه‌ریزی لازم برای سفرهای تابستانی انجام شود",
    )
    report = MemberReport.objects.create(
        meeting=meeting, office=world.member_office, status=ReportStatus.SUBMITTED
    )
    item = ReportItem.objects.create(
        report=report,
        kind=ReportItemKind.PROBLEM,
        text="استفاده کامل از شبکه‌های اجتماعی برای اطلاع‌رسانی",
    )
    minutes = Minutes.objects.create(
        meeting=meeting, body="ایده‌ها از طریق رئیس شورا به صدا و سیما ارسال شود"
    )
    fars = Resolution.objects.create(
        meeting=_meeting(world.fars_council),
        number=1,
        decision=Decision.NOTED,
        text="برنامه سفرهای تابستانی استان فارس",
    )
    return resolution, item, minutes, fars


@pytest.mark.parametrize(
    "query",
    ["سفرهای تابستانی", "سفرهاي تابستاني", "تابستانی سفر", "برنامهریزی", "برنامه ریزی"],
)
def test_resolutions_are_found_whatever_the_spelling(world, record, query):
    resolution = record[0]
    assert resolution in council_search(viewer=world.chair, query=query).resolutions


def test_report_items_and_minutes_are_found_with_joined_or_arabic_spelling(world, record):
    _resolution, item, minutes, _fars = record
    assert council_search(viewer=world.staff, query="شبکههای اجتماعی").items == [item]
    assert council_search(viewer=world.staff, query="صداوسيما").minutes == [minutes]


def test_search_never_shows_another_provinces_record(world, record):
    resolution, _item, _minutes, fars = record
    found = council_search(viewer=world.chair, query="سفرهای تابستانی").resolutions
    assert found == [resolution]
    assert council_search(viewer=world.fars_chair, query="سفرهای تابستانی").resolutions == [fars]
    ministry = council_search(viewer=world.ministry, query="سفرهای تابستانی").resolutions
    assert set(ministry) == {resolution, fars}


def test_text_key_follows_edits(world, record):
    resolution = record[0]
    resolution.text = "گزارش قرارگاه رسانه‌ای نهضت ملی مسکن"
    resolution.save(update_fields=["text"])
    assert council_search(viewer=world.chair, query="نهضت ملي").resolutions == [resolution]
    assert council_search(viewer=world.chair, query="تابستانی").resolutions == []


def test_search_page_and_its_htmx_partial(client, world, record):
    client.force_login(world.staff)
    page = client.get(reverse("meetings:search"), {"q": "تابستانی"}).content.decode()
    assert "سفرهای تابستانی" in page
    assert "استان فارس" not in page
    partial = client.get(
        reverse("meetings:search"), {"q": "تابستانی"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in partial
    assert 'id="search-results"' in partial


@pytest.mark.parametrize("extra", [2, 25])
def test_search_cost_does_not_grow_with_results(
    world, record, extra, django_assert_max_num_queries
):
    meeting = record[0].meeting
    for n in range(extra):
        Resolution.objects.create(
            meeting=meeting, number=10 + n, decision=Decision.NOTED, text=f"سفرهای تابستانی بند {n}"
        )
    with django_assert_max_num_queries(5):
        results = council_search(viewer=world.chair, query="تابستانی")
        rows = [
            (r.meeting.council.name, list(r.responsible_offices.all())) for r in results.resolutions
        ]
    assert len(rows) == extra + 1
