"""The band index in the database: writing it, the warning before a save
(``find_overlaps``) and the chair's overlap report (``council_overlaps``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from hamseda.activities import overlap, similarity
from hamseda.activities.models import (
    ActivityBand,
    ActivityPartner,
    ActivityStatus,
    OverlapDismissal,
)
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.campaigns.models import Campaign, CampaignKind
from hamseda.directory.models import AgencyAlias, AgencyKind
from hamseda.directory.tests.factories import AgencyFactory, OfficeFactory

TODAY = date(2025, 7, 10)
VISIT = "بازدید خبرنگاران از پروژه نهضت ملی مسکن بهارستان"
VISIT_DESCRIPTION = "بازدید اصحاب رسانه استان از پیشرفت واحدهای نهضت ملی مسکن در شهر جدید بهارستان"
REWORDED = "بازدید اصحاب رسانه از طرح نهضت ملی مسکن در شهر جدید بهارستان"
OTHER_WORK = [
    "اطلاعیه هشدار هواشناسی درباره وزش باد شدید",
    "کارگاه آموزشی خبرنویسی برای روابط عمومی‌ها",
    "جدول حرکت قطارهای تابستانی ایستگاه اصفهان",
    "نمایشگاه عکس پروژه‌های راهداری",
]


def _planned(office, title=VISIT, description=VISIT_DESCRIPTION, start=TODAY, **fields):
    activity = ActivityFactory(
        lead_office=office, title=title, description=description, start_date=start, **fields
    )
    overlap.index_activity(activity)
    return activity


def _find(world, title=REWORDED, start=TODAY, end=None, **kwargs):
    kwargs.setdefault("exclude_office_ids", [world.chair_office.pk])
    return overlap.find_overlaps(
        title=title,
        description="",
        start_date=start,
        end_date=end or start,
        province_id=world.chair_office.agency.province_id,
        today=TODAY,
        **kwargs,
    )


# --- index -------------------------------------------------------------------------


def test_index_activity_writes_one_row_per_band_and_rewrites_on_edit(world):
    # given
    activity = _planned(world.member_office)
    first = set(ActivityBand.objects.filter(activity=activity).values_list("band", "hash"))
    # when
    activity.title = "نشست خبری ستاد سفرهای تابستانی"
    activity.save()
    overlap.index_activity(activity)
    # then
    second = set(ActivityBand.objects.filter(activity=activity).values_list("band", "hash"))
    assert len(first) == len(second) == similarity.BANDS
    assert first != second


def test_index_bulk_writes_the_same_rows_as_index_activity(world):
    # given
    activities = [
        ActivityFactory(lead_office=world.member_office, title=title, description=VISIT)
        for title in [VISIT, *OTHER_WORK]
    ] + [ActivityFactory(lead_office=world.fars_office, title=VISIT)]
    # when
    written = overlap.index_bulk(activities)
    bulk = set(ActivityBand.objects.values_list("activity_id", "band", "hash"))
    for activity in activities:
        overlap.index_activity(activity)
    # then
    assert written == len(activities) * similarity.BANDS
    assert bulk == set(ActivityBand.objects.values_list("activity_id", "band", "hash"))
    # and a re-run replaces instead of adding
    assert overlap.index_bulk(activities) == written
    assert ActivityBand.objects.count() == written


def test_reindex_command_rebuilds_every_activity(world):
    # given
    ActivityFactory.create_batch(3, lead_office=world.member_office, title=VISIT)
    # when
    call_command("activities_reindex", verbosity=0)
    # then
    assert ActivityBand.objects.count() == 3 * similarity.BANDS


# --- find_overlaps -----------------------------------------------------------------


def test_reworded_activity_of_another_office_is_found(world):
    # given
    planned = _planned(world.member_office)
    for title in OTHER_WORK:
        _planned(world.partner_office, title=title, description="")
    # when
    matches = _find(world, end=TODAY + timedelta(days=1))
    # then
    assert [m.activity for m in matches] == [planned]
    match = matches[0]
    assert similarity.THRESHOLD <= match.score <= 1
    assert "تاریخ‌های هم‌پوشان" in match.reasons
    assert match.activity.lead_office.agency.name  # loaded with the match


def test_match_loads_lead_office_agency_and_partners_without_more_queries(
    world, django_assert_num_queries
):
    # given
    planned = _planned(world.member_office)
    ActivityPartner.objects.create(activity=planned, office=world.partner_office)
    (match,) = _find(world)
    # then
    with django_assert_num_queries(0):
        assert match.activity.lead_office.agency.province_id
        assert [o.pk for o in match.activity.partners.all()] == [world.partner_office.pk]


def test_an_office_is_not_warned_about_its_own_activity(world):
    _planned(world.member_office)
    assert _find(world, exclude_office_ids=[world.member_office.pk]) == []


def test_an_office_is_not_warned_about_a_joint_activity_it_is_in(world):
    # given
    planned = _planned(world.member_office)
    ActivityPartner.objects.create(activity=planned, office=world.chair_office)
    # then
    assert _find(world, exclude_office_ids=[world.chair_office.pk]) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ActivityStatus.CANCELLED},
        # done and over more than a month before today: no longer live work
        {"status": ActivityStatus.DONE, "start": TODAY - timedelta(days=45)},
    ],
)
def test_cancelled_and_old_activities_are_ignored(world, fields):
    start = fields.pop("start", TODAY)
    _planned(world.member_office, start=start, **fields)
    assert _find(world, start=start) == []


def test_merged_activity_is_ignored(world):
    # given
    kept = _planned(world.partner_office, title="گزارش تصویری ستاد سفرهای تابستانی")
    _planned(world.member_office, merged_into=kept)
    # then
    assert _find(world) == []


def test_activity_of_another_province_is_ignored(world):
    _planned(world.fars_office)
    assert _find(world) == []


def test_activity_with_far_dates_is_ignored(world):
    # given a visit planned two months later
    _planned(world.member_office, start=TODAY + timedelta(days=60))
    # then
    assert _find(world) == []
    assert _find(world, start=TODAY + timedelta(days=58))  # but found near its own date


def test_activity_being_edited_is_excluded(world):
    planned = _planned(world.member_office)
    assert _find(world, exclude_activity_ids=[planned.pk]) == []


def test_shared_campaign_is_a_reason(world):
    # given
    campaign = Campaign.objects.create(
        title="قرارگاه رسانه‌ای نهضت ملی مسکن",
        kind=CampaignKind.MEDIA_HQ,
        province=world.chair_office.agency.province,
        start_date=TODAY,
        end_date=TODAY + timedelta(days=90),
    )
    planned = _planned(world.member_office)
    planned.campaigns.add(campaign)
    # when
    (match,) = _find(world, campaign_ids=[campaign.pk])
    # then
    assert "همان پویش" in match.reasons


def test_agency_alias_is_read_as_the_agency(world):
    # given a new-town company known in the press by a short name
    agency = AgencyFactory(
        name="شرکت عمران شهر جدید بهارستان",
        kind=AgencyKind.SUBSIDIARY_COMPANY,
        province=world.chair_office.agency.province,
    )
    AgencyAlias(agency=agency, name="عمران بهارستان").save()
    office = OfficeFactory(agency=agency)
    _planned(office, title="نشست خبری مدیرعامل شرکت عمران شهر جدید بهارستان", description="")
    # when
    matches = _find(world, title="نشست خبری مدیرعامل عمران بهارستان")
    # then
    assert len(matches) == 1


@pytest.mark.parametrize("stored", [5, 60])
def test_find_overlaps_takes_a_bounded_number_of_queries(
    world, django_assert_max_num_queries, stored
):
    # given many similar activities of other offices, some joint
    for i in range(stored):
        activity = _planned(
            world.member_office if i % 2 else world.partner_office,
            title=f"{VISIT} نوبت {i}",
        )
        if i % 3 == 0:
            ActivityPartner.objects.create(activity=activity, office=world.fars_office)
    # then: alias table, band lookup, candidates, campaigns, partners
    with django_assert_max_num_queries(5):
        matches = _find(world, limit=5)
    assert len(matches) == 5


# --- council_overlaps --------------------------------------------------------------


def _report(world, **kwargs):
    return overlap.council_overlaps(
        province_id=world.chair_office.agency.province_id,
        since=TODAY - timedelta(days=30),
        until=TODAY + timedelta(days=30),
        **kwargs,
    )


def test_council_report_lists_parallel_work_of_two_offices(world):
    # given
    rail = _planned(world.member_office)
    governorate = _planned(world.partner_office, title=REWORDED, description="")
    for title in OTHER_WORK:
        _planned(world.chair_office, title=title, description="")
    # when
    report = _report(world)
    # then
    assert [(a, b) for a, b, _score, _reasons in report] == [(rail, governorate)]
    _a, _b, score, reasons = report[0]
    assert score >= overlap.THRESHOLD
    assert reasons


def test_council_report_skips_dismissed_joint_and_same_office_pairs(world):
    # given a dismissed pair
    first = _planned(world.member_office)
    second = _planned(world.partner_office, title=REWORDED, description="")
    OverlapDismissal.objects.create(first=first, second=second)
    # a joint pair: the chair office is already a partner of the railway's activity
    joint = _planned(world.member_office, title="تور رسانه‌ای راه‌آهن اصفهان شیراز", description="")
    ActivityPartner.objects.create(activity=joint, office=world.chair_office)
    _planned(world.chair_office, title="سفر خبرنگاران به پروژه راه‌آهن اصفهان شیراز", description="")
    # two of one office
    _planned(world.partner_office, title="نشست خبری ستاد سفرهای تابستانی", description="")
    _planned(world.partner_office, title="کنفرانس خبری ستاد سفرهای تابستانی استان", description="")
    # then
    assert _report(world) == []


def test_council_report_keeps_to_its_province_and_period(world):
    # given
    _planned(world.member_office, start=TODAY - timedelta(days=90))
    _planned(world.partner_office, title=REWORDED, start=TODAY - timedelta(days=90))
    _planned(world.fars_office)
    _planned(world.partner_office, title=REWORDED, description="", start=TODAY + timedelta(days=60))
    # then
    assert _report(world) == []


def test_council_report_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    # given
    for i in range(12):
        office = [world.member_office, world.partner_office, world.chair_office][i % 3]
        _planned(office, title=f"{VISIT} {i}")
    # then: bands, activities, partners, campaigns, dismissals, alias table
    with django_assert_max_num_queries(6):
        report = _report(world)
    assert report
