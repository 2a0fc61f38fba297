"""The demo campaigns: written through the services, idempotent, and the 1405
seasonal programmes carry 1404's figures as their baselines."""

from __future__ import annotations

import pytest

from hamseda.campaigns import demo
from hamseda.campaigns.models import Campaign, CampaignKind, Season, TargetMetric
from hamseda.campaigns.seasons import NOWRUZ, SUMMER
from hamseda.core.models import AuditEvent
from hamseda.directory.demo import load_directory_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    load_directory_demo()
    return demo.load_campaigns_demo()


def test_the_demo_loads_the_four_campaigns_of_isfahan_and_last_years_programmes(loaded):
    assert loaded == []
    titles = set(Campaign.objects.values_list("title", flat=True))
    assert {
        demo.HOUSING_HQ,
        demo.NOWRUZ_1405,
        demo.SUMMER_1405,
        demo.ENGINEERING_CULTURE,
        demo.NOWRUZ_1404,
        demo.SUMMER_1404,
    } == titles
    assert NOWRUZ.title_for(1405) == demo.NOWRUZ_1405
    assert SUMMER.title_for(1405) == demo.SUMMER_1405
    hq = Campaign.objects.get(title=demo.HOUSING_HQ)
    assert hq.kind == CampaignKind.MEDIA_HQ
    owners = {o.agency.name for o in hq.co_owners.select_related("agency")}
    assert owners == {"اداره کل راه و شهرسازی استان اصفهان", "استانداری اصفهان"}
    assert hq.messages.count() == 5
    assert hq.targets.count() == 6
    culture = Campaign.objects.get(title=demo.ENGINEERING_CULTURE)
    assert "سازمان نظام مهندسی ساختمان استان اصفهان" in {
        o.agency.name for o in culture.co_owners.select_related("agency")
    }
    # everything went through the services: the history is there
    assert AuditEvent.objects.filter(event="campaign_created").count() == 6


def test_nowruz_1405_starts_from_1404_with_its_figures_as_baseline(loaded):
    nowruz = Campaign.objects.get(season=Season.NOWRUZ, season_year=1405)
    assert nowruz.previous.title == demo.NOWRUZ_1404
    informed = nowruz.targets.get(metric=TargetMetric.MANUAL)
    assert informed.baseline_value == demo.TRAVELLERS_INFORMED[demo.NOWRUZ_1404]
    assert informed.manual_value == demo.TRAVELLERS_INFORMED[demo.NOWRUZ_1405]
    # last year's participants came along
    assert nowruz.participants.count() == nowruz.previous.participants.count() >= 6


def test_loading_again_changes_nothing(loaded):
    count = Campaign.objects.count()
    events = AuditEvent.objects.count()
    assert demo.load_campaigns_demo() == []
    assert Campaign.objects.count() == count
    assert AuditEvent.objects.count() == events
