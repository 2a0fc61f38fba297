"""The national-scale generator: campaigns for every generated council, with
their offices, messages, targets and last year's programme linked."""

from __future__ import annotations

import random
from io import StringIO

import pytest

from hamseda.campaigns.generate import generate_campaigns
from hamseda.campaigns.models import Campaign, CampaignKind, Season
from hamseda.directory.generate import generate_directory

pytestmark = pytest.mark.django_db


def test_each_province_gets_a_housing_hq_and_yearly_seasonal_programmes():
    rng = random.Random(7)
    out = StringIO()
    generate_directory(provinces=2, years=2, rng=rng, out=out)
    generate_campaigns(provinces=2, years=2, rng=rng, out=out)
    assert Campaign.objects.filter(kind=CampaignKind.MEDIA_HQ).count() == 2
    assert Campaign.objects.filter(season=Season.NOWRUZ).count() == 4
    latest = Campaign.objects.filter(season=Season.SUMMER).order_by("-season_year").first()
    assert latest.previous is not None
    assert latest.previous.season_year == latest.season_year - 1
    assert latest.co_owners.exists()
    assert latest.participants.count() >= latest.co_owners.count()
    assert latest.messages.exists()
    assert latest.targets.exists()
    assert latest.targets.exclude(baseline_value=None).exists()
    # bulk-loaded rows carry their search keys
    assert not Campaign.objects.filter(text_key="").exists()
    assert all(tag.startswith("#") for c in Campaign.objects.all() for tag in c.hashtags)
    assert "campaigns: 10 campaigns" in out.getvalue()
    # run again: nothing twice
    generate_campaigns(provinces=2, years=2, rng=rng, out=out)
    assert Campaign.objects.count() == 10
