"""Seasonal programmes: a year's Nowruz or summer programme starts from the
template, or from last year's with last year's achieved figures as baselines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hamseda.activities.models import ActivityKind, ActivityStatus
from hamseda.campaigns import seasons, selectors, services
from hamseda.campaigns.models import Campaign, CampaignKind, Season, TargetMetric
from hamseda.campaigns.tests.factories import make_activity
from hamseda.core import jalali
from hamseda.core.audit import change_lines
from hamseda.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _start(world, year: int, season: str = Season.NOWRUZ, **kwargs) -> Campaign:
    kwargs.setdefault("actor", world.chair)
    kwargs.setdefault("province", world.isfahan_council.province)
    return seasons.season_start(season=season, year=year, **kwargs)


def test_the_first_nowruz_programme_comes_from_the_template(world):
    campaign = _start(world, 1404, co_owners=[world.chair_office, world.partner_office])
    assert campaign.title == "ستاد سفرهای نوروزی ۱۴۰۴"
    assert campaign.kind == CampaignKind.SEASONAL
    assert (campaign.season, campaign.season_year) == (Season.NOWRUZ, 1404)
    # 25 Esfand 1403 to 15 Farvardin 1404
    assert campaign.start_date == jalali.from_jalali(1403, 12, 25)
    assert campaign.end_date == jalali.from_jalali(1404, 1, 15)
    assert campaign.start_date == dt.date(2025, 3, 15)
    assert "#سفر_ایمن" in campaign.hashtags
    assert "#نوروز_۱۴۰۴" in campaign.hashtags
    assert campaign.messages.count() == len(seasons.NOWRUZ.messages)
    metrics = list(campaign.targets.order_by("position").values_list("metric", "activity_kind"))
    assert (TargetMetric.KIND, ActivityKind.NEWS_RELEASE) in metrics
    assert (TargetMetric.KIND, ActivityKind.INTERVIEW) in metrics
    assert (TargetMetric.JOINT, "") in metrics
    assert (TargetMetric.MANUAL, "") in metrics
    assert not campaign.targets.exclude(baseline_value=None).exists()
    assert campaign.previous is None
    assert AuditEvent.objects.filter(event="campaign_season_started").count() == 1


def test_summer_runs_from_tir_to_the_end_of_shahrivar(world):
    campaign = _start(world, 1405, Season.SUMMER, co_owners=[world.chair_office])
    assert campaign.start_date == jalali.from_jalali(1405, 4, 1)
    assert campaign.end_date == jalali.from_jalali(1405, 6, 31)
    assert campaign.title == "سفرهای تابستانی ۱۴۰۵"


def test_without_last_years_programme_co_owners_are_needed(world):
    with pytest.raises(ValidationError) as error:
        _start(world, 1405)
    assert "co_owners" in error.value.message_dict


def test_next_years_programme_copies_last_year_with_its_achieved_figures_as_baseline(world):
    # given Nowruz 1404 with a participant, an extra message and achieved figures
    last = _start(world, 1404, co_owners=[world.chair_office, world.partner_office])
    services.participant_add(actor=world.chair, campaign=last, office=world.member_office)
    services.message_add(actor=world.chair, campaign=last, text="با قطار سفر کنید")
    inside = last.start_date + dt.timedelta(days=3)
    for _ in range(4):
        make_activity(office=world.member_office, campaigns=[last], on=inside)
    # a joint interview counts as an interview and as joint work
    make_activity(
        office=world.chair_office,
        campaigns=[last],
        on=inside,
        kind=ActivityKind.INTERVIEW,
        partners=[world.partner_office],
    )
    # what does not count: planned, outside the period
    make_activity(
        office=world.member_office, campaigns=[last], on=inside, status=ActivityStatus.PLANNED
    )
    make_activity(
        office=world.member_office, campaigns=[last], on=last.end_date + dt.timedelta(days=1)
    )
    manual = last.targets.get(metric=TargetMetric.MANUAL)
    services.target_record(actor=world.chair, target=manual, value=1_200_000)

    # when 1405 is started without naming co-owners
    campaign = _start(world, 1405)

    # then it carries last year's offices, messages and hashtags (year moved on)
    assert campaign.previous == last
    assert set(campaign.co_owners.all()) == {world.chair_office, world.partner_office}
    assert world.member_office in campaign.participants.all()
    assert "با قطار سفر کنید" in campaign.messages.values_list("text", flat=True)
    assert "#نوروز_۱۴۰۵" in campaign.hashtags
    assert "#نوروز_۱۴۰۴" not in campaign.hashtags
    # and each target's baseline is what last year achieved
    baselines = {(t.metric, t.activity_kind): t.baseline_value for t in campaign.targets.all()}
    assert baselines[(TargetMetric.KIND, ActivityKind.NEWS_RELEASE)] == 4
    assert baselines[(TargetMetric.KIND, ActivityKind.INTERVIEW)] == 1
    assert baselines[(TargetMetric.KIND, ActivityKind.PRESS_CONFERENCE)] == 0
    assert baselines[(TargetMetric.JOINT, "")] == 1
    assert baselines[(TargetMetric.MANUAL, "")] == 1_200_000
    # the new year's own figures start from nothing
    assert not campaign.targets.exclude(manual_value=None).exists()
    progress = selectors.campaign_progress(campaign)
    news = next(p for p in progress if p.target.activity_kind == ActivityKind.NEWS_RELEASE)
    assert (news.value, news.baseline, news.change) == (0, 4, -4)
    event = AuditEvent.objects.get(event="campaign_season_started", target_id=str(campaign.pk))
    assert {line.field: line.after for line in change_lines(event)}["برنامه سال قبل"] == last.title


def test_a_second_programme_of_the_same_season_and_year_is_refused(world):
    _start(world, 1405, co_owners=[world.chair_office])
    with pytest.raises(ValidationError) as error:
        _start(world, 1405, co_owners=[world.chair_office])
    assert "۱۴۰۵" in error.value.message_dict["year"][0]
    # another province may have its own
    _start(
        world,
        1405,
        actor=world.fars_chair,
        province=world.fars_council.province,
        co_owners=[world.fars_office],
    )
    assert Campaign.objects.filter(season=Season.NOWRUZ, season_year=1405).count() == 2


def test_an_unknown_season_or_an_odd_year_is_a_field_error(world):
    with pytest.raises(ValidationError) as error:
        _start(world, 1405, season="", co_owners=[world.chair_office])
    assert "season" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _start(world, 1705, co_owners=[world.chair_office])
    assert "year" in error.value.message_dict


def test_another_provinces_chair_may_not_start_isfahans_programme(world):
    with pytest.raises(PermissionDenied):
        _start(world, 1405, actor=world.fars_chair, co_owners=[world.chair_office])


def test_baselines_are_refreshed_from_activities_recorded_late(world):
    last = _start(world, 1404, co_owners=[world.chair_office])
    campaign = _start(world, 1405)
    news = campaign.targets.get(activity_kind=ActivityKind.NEWS_RELEASE)
    assert news.baseline_value == 0
    # given last year's news releases recorded after the new programme started
    for _ in range(3):
        make_activity(
            office=world.chair_office,
            campaigns=[last],
            on=last.start_date + dt.timedelta(days=1),
        )
    # when
    seasons.season_baselines_refresh(actor=world.chair, campaign=campaign)
    # then
    news.refresh_from_db()
    assert news.baseline_value == 3
    assert AuditEvent.objects.filter(event="campaign_baselines_refreshed").count() == 1


def test_next_year_suggests_the_year_after_the_latest_programme(world):
    province = world.isfahan_council.province
    _start(world, 1404, co_owners=[world.chair_office])
    assert seasons.next_year(season=Season.NOWRUZ, province=province) == 1405
