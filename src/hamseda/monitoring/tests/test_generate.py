"""The national-scale generator: generated news goes through the real pipeline and
fills every table polling fills; outlets without feeds; a second run adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from hamseda.campaigns.generate import generate_campaigns
from hamseda.directory.generate import generate_directory
from hamseda.directory.models import Province
from hamseda.monitoring import search
from hamseda.monitoring.generate import NATIONAL, generate_monitoring
from hamseda.monitoring.models import Article, Mention, Source, Story, StoryBand, Tone
from hamseda.monitoring.services.polling import due_sources

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    rng = random.Random(11)
    out = StringIO()
    generate_directory(provinces=2, years=1, rng=rng, out=out)
    generate_campaigns(provinces=2, years=1, rng=rng, out=out)
    generate_monitoring(provinces=2, years=1, rng=rng, out=out, releases_per_month=0.3)
    return out.getvalue()


def test_the_generator_fills_the_monitoring_tables_through_the_pipeline(generated):
    provinces = list(Province.objects.order_by("pk")[:2])
    # outlets: the national ones and two per province, none with a feed to poll
    assert Source.objects.count() == len(NATIONAL) + 2 * len(provinces)
    assert Source.objects.filter(province__in=provinces).count() == 4
    assert due_sources() == []
    # articles, stored as the pipeline stores them
    articles = Article.objects.all()
    assert 100 <= articles.count() <= 300
    assert not articles.filter(search_tokens="").exists()
    assert not articles.filter(signature=b"").exists()
    now = timezone.now()
    assert not articles.filter(published_at__gt=now).exists()
    assert not articles.filter(published_at__lt=now - timedelta(days=366)).exists()
    # stories of several outlets, and their index
    assert Story.objects.filter(outlet_count__gte=2).exists()
    assert StoryBand.objects.count() > articles.count()
    # mentions of the provinces' agencies, in every tone
    mentions = Mention.objects.all()
    assert set(mentions.values_list("province_id", flat=True)) == {p.pk for p in provinces}
    assert set(mentions.values_list("tone", flat=True)) == {t.value for t in Tone}
    assert mentions.values("agency").distinct().count() >= 15
    # campaigns found by their hashtags
    assert Article.campaigns.through.objects.exists()
    # what full-text search finds
    assert search.filter_text(articles, "راهداری").exists()
    assert "monitoring:" in generated


def test_a_second_run_generates_nothing_more(generated):
    # given
    counts = (Source.objects.count(), Article.objects.count(), Mention.objects.count())
    out = StringIO()

    # when
    generate_monitoring(
        provinces=2, years=1, rng=random.Random(12), out=out, releases_per_month=0.3
    )

    # then
    assert counts == (Source.objects.count(), Article.objects.count(), Mention.objects.count())
    assert "nothing to generate" in out.getvalue()
