"""The monitoring demo: its outlets and their news loaded once through the real
pipeline, a story linked to an office's release, and the demo feeds served by the
site itself, dated today, with conditional GET, to the real poller."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hamseda.activities.demo import load_activities_demo
from hamseda.campaigns.demo import ENGINEERING_CULTURE, HOUSING_HQ, load_campaigns_demo
from hamseda.core import jalali
from hamseda.core.models import AuditEvent
from hamseda.directory.demo import load_directory_demo
from hamseda.monitoring import demo
from hamseda.monitoring.feeds import parse_feed
from hamseda.monitoring.models import (
    Article,
    Mention,
    PollOutcome,
    Source,
    SourceKind,
    Story,
    Tone,
)
from hamseda.monitoring.services.polling import poll_source

pytestmark = pytest.mark.django_db

CHAIR = "اداره کل راه و شهرسازی استان اصفهان"
CENTRE = "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی"
GOVERNORATE = "استانداری اصفهان"


def served_items() -> int:
    """How many items the demo feeds serve now (what the loader stores)."""
    count = 0
    for feed in demo.DEMO_FEEDS:
        document = demo.feed_document(feed.slug)
        assert document is not None
        count += len(parse_feed(document.body, url="http://demo/" + feed.slug).items)
    return count


@pytest.fixture
def loaded(db):
    load_directory_demo()
    load_campaigns_demo()
    load_activities_demo()
    return demo.load_monitoring_demo()


def test_the_demo_loads_eight_outlets_and_their_news(loaded):
    assert loaded == []
    sources = Source.objects.all()
    assert sources.count() == len(demo.DEMO_FEEDS) == 8
    kinds = {source.kind for source in sources}
    assert {SourceKind.NEWS_AGENCY, SourceKind.PROVINCIAL, SourceKind.AGENCY_SITE} <= kinds
    local = {source.name for source in sources.filter(province__code="isfahan")}
    assert local == {"ایمنا", "روزنامه اصفهان امروز", "خبرگزاری صدا و سیما، مرکز اصفهان"}
    assert all(
        source.feed_url == demo.DEFAULT_BASE_URL + demo.feed_path(feed.slug)
        for source, feed in zip(sources.order_by("pk"), demo.DEMO_FEEDS, strict=True)
    )
    # every item the feeds serve now is stored once, with its search tokens
    assert Article.objects.count() == served_items() >= 300
    assert not Article.objects.filter(search_tokens="").exists()
    # republished: stories of several outlets
    assert Story.objects.filter(outlet_count__gte=3).count() >= 20
    # every agency of the council is in the news, bad news too
    named = set(Mention.objects.values_list("agency__name", flat=True))
    assert len(named) >= 13
    assert Mention.objects.filter(tone=Tone.NEGATIVE).count() >= 30
    # the campaigns' hashtags are found
    campaigns = set(Article.campaigns.through.objects.values_list("campaign__title", flat=True))
    assert {HOUSING_HQ, ENGINEERING_CULTURE} <= campaigns
    # news every day up to now, none ahead of now
    now = timezone.now()
    newest = Article.objects.order_by("-published_at").first()
    assert now - timedelta(days=1) <= newest.published_at <= now
    days = {jalali.local_date(d) for d in Article.objects.values_list("published_at", flat=True)}
    assert {jalali.today() - timedelta(days=n) for n in range(1, demo.DAYS + 1)} <= days


def test_ingestion_links_the_story_of_an_office_brief_to_its_news_release(loaded):
    linked = Story.objects.filter(activity__isnull=False, activity_auto=True).select_related(
        "activity"
    )
    titles = {story.activity.title for story in linked}
    assert titles & {spec.title for spec in demo.LINKED_RELEASES}
    story = linked.get(activity__title=demo.LINKED_RELEASES[0].title)
    # the office's brief and the longer copies of other outlets are one story
    assert story.outlet_count >= 3
    assert story.activity.lead_office.agency.name == demo.LINKED_RELEASES[0].agency


def test_stories_stored_before_their_release_are_linked_by_hand_on_the_next_load(db):
    # given: the news is in before the activities demo has the offices' releases
    load_directory_demo()
    load_campaigns_demo()
    demo.load_monitoring_demo()
    assert not Story.objects.filter(activity__isnull=False).exists()
    load_activities_demo()

    # when
    demo.load_monitoring_demo()

    # then: linked as the office's PR officer would, through the service
    linked = Story.objects.filter(activity__isnull=False).select_related("activity")
    assert {story.activity.title for story in linked} == {
        spec.title for spec in demo.LINKED_RELEASES
    }
    assert not any(story.activity_auto for story in linked)
    events = AuditEvent.objects.filter(event="story_release_linked")
    assert events.count() == linked.count()
    assert {event.actor.username for event in events} == {"isf-baharestan", "isf-weather"}


def test_the_reference_report_is_stored_with_the_agencies_it_names(loaded):
    report = Article.objects.get(
        source__kind=SourceKind.AGENCY_SITE, title__contains="شورای هماهنگی ارتباطات"
    )
    assert "قرارگاه رسانهای نهضت ملی مسکن" in report.text
    named = set(report.mentions.values_list("agency__name", flat=True))
    assert {CHAIR, CENTRE, GOVERNORATE} <= named
    # two outlets copied it: one story of three outlets
    assert report.story.outlet_count == 3


def test_loading_again_adds_nothing(loaded):
    counts = (
        Source.objects.count(),
        Article.objects.count(),
        Story.objects.count(),
        Mention.objects.count(),
        AuditEvent.objects.count(),
    )
    assert demo.load_monitoring_demo() == []
    assert counts == (
        Source.objects.count(),
        Article.objects.count(),
        Story.objects.count(),
        Mention.objects.count(),
        AuditEvent.objects.count(),
    )


def test_point_demo_feeds_moves_the_sources_to_the_port_served(db):
    # given
    demo.demo_sources()

    # when
    changed = demo.point_demo_feeds("http://127.0.0.1:8765/")

    # then
    assert changed == 8
    assert set(Source.objects.values_list("feed_url", flat=True)) == {
        f"http://127.0.0.1:8765/monitoring/demo-feeds/{feed.slug}.xml" for feed in demo.DEMO_FEEDS
    }
    assert demo.point_demo_feeds("http://127.0.0.1:8765") == 0


# --- the feeds as served -------------------------------------------------------------


def test_a_demo_feed_is_public_rss_that_parse_feed_reads(client):
    # when
    response = client.get(reverse("monitoring:demo_feed", args=["irna"]))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    parsed = parse_feed(response.content, url="http://testserver/irna", headers=response.headers)
    assert parsed.problems == []
    assert len(parsed.items) >= 40
    assert parsed.etag == response["ETag"]
    now = timezone.now()
    assert all(item.published <= now for item in parsed.items)
    assert jalali.local_date(
        max(item.published for item in parsed.items)
    ) >= jalali.today() - timedelta(days=1)
    assert min(item.published for item in parsed.items) >= now - timedelta(days=demo.DAYS + 1)


def test_the_atom_feed_is_served_as_atom(client):
    response = client.get(reverse("monitoring:demo_feed", args=["mrud"]))
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert parse_feed(response.content, url="http://testserver/mrud").items


def test_a_poll_bearing_the_etag_it_was_given_gets_304_until_the_feed_changes(client):
    # given
    url = reverse("monitoring:demo_feed", args=["isna"])
    first = client.get(url)

    # when
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    other = client.get(url, headers={"If-None-Match": '"something-else"'})

    # then
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert since.status_code == 304
    assert other.status_code == 200
    assert other.content == first.content


def test_an_unknown_feed_is_not_found(client):
    assert client.get("/monitoring/demo-feeds/nothing.xml").status_code == 404
    assert client.post(reverse("monitoring:demo_feed", args=["irna"])).status_code == 405


def test_dates_move_to_today_and_items_still_ahead_wait_for_their_time():
    # given: two moments of one Tehran day
    day = jalali.today() - timedelta(days=3)
    early = datetime.combine(day, time(0, 5), tzinfo=jalali.TEHRAN)
    late = datetime.combine(day, time(23, 59), tzinfo=jalali.TEHRAN)

    # when
    at_dawn = demo.feed_document("irna", now=early)
    at_night = demo.feed_document("irna", now=late)

    # then
    dawn_items = parse_feed(at_dawn.body, url="http://demo/irna").items
    night_items = parse_feed(at_night.body, url="http://demo/irna").items
    assert len(night_items) > len(dawn_items)
    assert all(item.published <= early for item in dawn_items)
    assert jalali.local_date(max(i.published for i in night_items)) == day
    assert jalali.local_date(min(i.published for i in night_items)) >= day - timedelta(
        days=demo.DAYS
    )
    assert at_dawn.last_modified <= early
    assert demo.document_etag(at_dawn) != demo.document_etag(at_night)
    # the same moment gives the same bytes
    assert demo.feed_document("irna", now=early).body == at_dawn.body


def test_the_poller_reads_a_demo_feed_from_the_site_then_is_told_nothing_changed(
    django_db_serialized_rollback, transactional_db, live_server
):
    # (serialized rollback: the provinces of the data migration are back afterwards,
    # for the tests that follow)
    # given: the demo's sources, pointed at the site as ``hamseda demo`` does
    demo.demo_sources()
    demo.point_demo_feeds(live_server.url)
    source = Source.objects.get(feed_url__endswith="/mehr.xml")

    # when
    first = poll_source(source)
    source.refresh_from_db()
    second = poll_source(source)

    # then
    assert first.outcome == PollOutcome.OK, first.problems
    assert first.http_status == 200
    assert first.articles_added == first.items_seen >= 40
    assert source.etag
    assert second.outcome == PollOutcome.NOT_MODIFIED
    assert second.http_status == 304
    assert Article.objects.filter(source=source).count() == first.articles_added
