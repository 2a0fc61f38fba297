"""The articles and stories API: the pages' filters, the capped count, the same
policy for tone correction and release linking."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hamseda.activities.models import ActivityKind
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import jalali
from hamseda.directory.tests.factories import province
from hamseda.monitoring import feeds, selectors
from hamseda.monitoring.models import Article, Source, SourceKind, Tone

pytestmark = pytest.mark.django_db

_urls = itertools.count(1)

PRAISE = (
    "افزایش قطارهای فوق‌العاده راه‌آهن اصفهان",
    "اداره کل راه‌آهن منطقه اصفهان از افزایش قطارهای فوق‌العاده در ایام نوروز خبر داد. "
    "این اقدام با استقبال مسافران روبه‌رو شد.",
)
COMPLAINT = (
    "تأخیر چندساعته قطار اصفهان و اعتراض مسافران",
    "مسافران قطار اصفهان-مشهد از تأخیر پنج‌ساعته و بی‌توجهی اداره کل راه‌آهن منطقه اصفهان "
    "گلایه کردند و نسبت به وضعیت نامناسب واگن‌ها اعتراض داشتند.",
)
AIRPORTS = (
    "بازدید مدیرکل راه و شهرسازی از فرودگاه‌ها",
    "مدیرکل اداره کل راه و شهرسازی استان اصفهان از پروژه‌های فرودگاه‌های استان بازدید کرد.",
)


def _api(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(person)
    return client


def _publish(source: Source, title: str, text: str, *, hours_ago: float) -> Article:
    from hamseda.monitoring.services.ingest import ingest_items

    item = feeds.article_from_text(
        text, url=f"https://{source.host}/news/{next(_urls)}", title=title
    )
    published = timezone.now() - dt.timedelta(hours=hours_ago)
    [result] = ingest_items(
        source=source, items=[dataclasses.replace(item, published=published)], alerts=False
    )
    return Article.objects.get(pk=result.article_id)


@pytest.fixture
def news(world):
    imna = Source.objects.create(
        name="ایمنا",
        kind=SourceKind.PROVINCIAL,
        province=province("isfahan"),
        site_url="https://imna.ir/",
    )
    return {
        "praise": _publish(imna, *PRAISE, hours_ago=3),
        "complaint": _publish(imna, *COMPLAINT, hours_ago=2),
        "airports": _publish(imna, *AIRPORTS, hours_ago=1),
    }


def test_article_list_with_filters(world, news):
    client = _api(world.evaluator)
    body = client.get("/api/v1/monitoring/articles/").json()
    assert body["count"] == 3
    assert body["more"] is False
    assert [a["id"] for a in body["results"]] == [
        news["airports"].pk,
        news["complaint"].pk,
        news["praise"].pk,
    ]
    first = body["results"][0]
    assert first["source_name"] == "ایمنا"
    assert first["source_kind"] == SourceKind.PROVINCIAL
    assert first["mentions"][0]["agency"] == world.chair_office.agency.pk
    assert first["mentions"][0]["tone"] == Tone.NEUTRAL
    # words in any spelling, a tone, an agency, a Tehran day
    rail = world.member_office.agency.pk
    day = jalali.local_date(news["complaint"].published_at)
    found = client.get(
        "/api/v1/monitoring/articles/",
        {"q": "قطار", "agency": rail, "tone": Tone.NEGATIVE, "date_from": day.isoformat()},
    ).json()
    assert [a["id"] for a in found["results"]] == [news["complaint"].pk]
    before = jalali.local_date(news["praise"].published_at) - dt.timedelta(days=1)
    assert client.get("/api/v1/monitoring/articles/", {"date_to": before}).json()["count"] == 0


def test_article_list_rejects_malformed_filters(world):
    client = _api(world.staff)
    for params in ({"tone": "furious"}, {"agency": "x"}, {"date_from": "1404/01/01"}):
        response = client.get("/api/v1/monitoring/articles/", params)
        assert response.status_code == 400, params
        assert set(response.json()) == set(params)


def test_the_count_stops_at_the_cap(world, news, monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    body = _api(world.staff).get("/api/v1/monitoring/articles/", {"limit": 1}).json()
    assert body["count"] == 2
    assert body["more"] is True
    assert len(body["results"]) == 1


def test_article_detail_has_text_mentions_and_story(world, news):
    article = news["complaint"]
    body = _api(world.staff).get(f"/api/v1/monitoring/articles/{article.pk}/").json()
    assert body["title"] == COMPLAINT[0]
    assert "بی‌توجهی" in body["text"]
    assert body["story"] == article.story_id
    assert body["story_outlets"] == 1
    [mention] = body["mentions"]
    assert mention["tone"] == Tone.NEGATIVE
    assert "تأخیر" in mention["cues"]
    assert mention["corrected"] is False
    assert _api(world.staff).get("/api/v1/monitoring/articles/999999/").status_code == 404


def test_tone_correction_follows_the_policy(world, news):
    mention = news["airports"].mentions.get()
    url = f"/api/v1/monitoring/mentions/{mention.pk}/tone/"
    refused = _api(world.member_staff).post(url, {"tone": Tone.POSITIVE}, format="json")
    assert refused.status_code == 403
    response = _api(world.staff).post(url, {"tone": Tone.POSITIVE}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["tone"] == Tone.POSITIVE
    assert response.json()["corrected"] is True
    bad = _api(world.staff).post(url, {"tone": "furious"}, format="json")
    assert bad.status_code == 400
    unknown = _api(world.staff).post(url, {"tone": Tone.NEGATIVE, "why": "x"}, format="json")
    assert unknown.status_code == 400
    mention.refresh_from_db()
    assert mention.tone == Tone.POSITIVE


def test_story_list_detail_and_release_link(world, news):
    story = news["airports"].story
    release = ActivityFactory(
        lead_office=world.chair_office,
        kind=ActivityKind.NEWS_RELEASE,
        start_date=jalali.today() - dt.timedelta(days=1),
    )
    client = _api(world.staff)
    listed = client.get("/api/v1/monitoring/stories/", {"agency": world.chair_office.agency.pk})
    assert [s["id"] for s in listed.json()["results"]] == [story.pk]
    negative = client.get("/api/v1/monitoring/stories/", {"tone": Tone.NEGATIVE}).json()
    assert [s["id"] for s in negative["results"]] == [news["complaint"].story_id]
    detail = client.get(f"/api/v1/monitoring/stories/{story.pk}/").json()
    assert detail["outlet_count"] == 1
    assert detail["agencies"][0]["agency"] == world.chair_office.agency.pk
    assert detail["agencies"][0]["neutral"] == 1
    assert detail["articles"][0]["source_name"] == "ایمنا"
    url = f"/api/v1/monitoring/stories/{story.pk}/release/"
    # another office of the province may not link the roads office's release
    refused = _api(world.member_staff).post(url, {"activity": release.pk}, format="json")
    assert refused.status_code == 403
    # another province does not see it
    assert _api(world.fars_chair).post(
        url, {"activity": release.pk}, format="json"
    ).status_code == (404)
    linked = client.post(url, {"activity": release.pk}, format="json")
    assert linked.status_code == 200, linked.content
    assert linked.json()["activity"] == release.pk
    assert linked.json()["activity_auto"] is False
    unlinked = client.post(url, {"activity": None}, format="json")
    assert unlinked.json()["activity"] is None
    assert client.post(url, {}, format="json").status_code == 400
