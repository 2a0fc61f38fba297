"""The feed poller against a real local HTTP server: good feeds, conditional GET,
malformed XML, wrong encodings, scripts, empty feeds, server errors and retries,
timeouts, refused connections, repeated items, a batch the database refuses, the
lock and the beat's queueing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from hamseda.monitoring import fetch, tasks
from hamseda.monitoring.models import Article, ArticleVia, PollOutcome, Source, SourceKind
from hamseda.monitoring.models import SourcePoll as Poll
from hamseda.monitoring.services import polling
from hamseda.monitoring.tests import local_feeds
from hamseda.monitoring.tests.local_feeds import FeedServer, Reply, closed_port_url, feed_file, rss

pytestmark = pytest.mark.django_db
feed_server = local_feeds.feed_server


@pytest.fixture(autouse=True)
def fast_network(settings):
    # Short waits between attempts and a short read timeout keep the fault tests fast.
    settings.MONITORING_POLL_RETRY_WAITS = (0.01, 0.02)
    settings.MONITORING_FETCH_TIMEOUTS = (2.0, 0.5, 5.0)
    cache.clear()


def _source(url: str, **fields) -> Source:
    fields.setdefault("name", "خبرگزاری آزمایشی")
    fields.setdefault("kind", SourceKind.NEWS_AGENCY)
    return Source.objects.create(feed_url=url, **fields)


# --- good feeds and conditional GET ----------------------------------------------------


def test_good_rss_feed_stores_its_articles_and_a_healthy_record(feed_server: FeedServer):
    # given
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml"), etag='"v1"'))
    source = _source(url)

    # when
    poll = polling.poll_source(source)

    # then
    assert poll.outcome == PollOutcome.OK
    assert (poll.http_status, poll.attempts, poll.items_seen, poll.articles_added) == (
        200,
        1,
        3,
        3,
    )
    assert poll.problems == []
    titles = set(Article.objects.filter(source=source).values_list("title", flat=True))
    assert "آغاز عملیات اجرایی ۱۲۰۰ واحد مسکن در کاشان" in titles
    assert set(Article.objects.values_list("via", flat=True)) == {ArticleVia.FEED}
    source.refresh_from_db()
    assert source.etag == '"v1"'
    assert source.last_success_at == poll.started_at
    assert source.last_status == 200
    assert source.consecutive_failures == 0
    assert (source.items_seen, source.articles_added) == (3, 3)
    assert poll.finished_at is not None
    assert source.next_poll_at == poll.finished_at + timedelta(minutes=source.poll_minutes)
    (request,) = feed_server.hits("/rss")
    assert "Hamseda" in request.headers["User-Agent"]
    assert "If-None-Match" not in request.headers


def test_atom_feed_is_read_too(feed_server: FeedServer):
    url = feed_server.serve("/atom", Reply(body=feed_file("atom.xml")))

    poll = polling.poll_source(_source(url))

    assert (poll.outcome, poll.articles_added) == (PollOutcome.OK, 1)
    article = Article.objects.get()
    assert article.canonical_url == "https://pr.example.ir/fa/news/77"
    assert "<ul><li>طول خط: ۴۰ کیلومتر</li>" in article.summary_html


def test_second_poll_sends_the_etag_and_a_304_adds_nothing(feed_server: FeedServer):
    modified = "Tue, 10 Jun 2025 08:00:00 GMT"
    url = feed_server.serve(
        "/rss", Reply(body=feed_file("persian_rss.xml"), etag='"v1"', last_modified=modified)
    )
    source = _source(url)
    polling.poll_source(source)

    second = polling.poll_source(source)

    assert second.outcome == PollOutcome.NOT_MODIFIED
    assert (second.http_status, second.items_seen, second.articles_added) == (304, 0, 0)
    assert Article.objects.count() == 3
    request = feed_server.hits("/rss")[-1]
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == modified
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.last_success_at == second.started_at


def test_server_ignoring_the_etag_sends_the_same_body_and_nothing_is_stored_twice(
    feed_server: FeedServer,
):
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml")))
    source = _source(url)
    polling.poll_source(source)

    second = polling.poll_source(source)

    assert (second.outcome, second.items_seen, second.articles_added) == (PollOutcome.OK, 3, 0)
    assert Article.objects.count() == 3
    source.refresh_from_db()
    assert (source.items_seen, source.articles_added) == (6, 3)


def test_feed_repeating_old_items_adds_only_the_new_one(feed_server: FeedServer):
    first = ("بازگشایی محور هراز", "https://test.example.ir/n/1", "محور هراز بازگشایی شد.")
    second = ("افتتاح پل طبیعت", "https://test.example.ir/n/2", "پل طبیعت افتتاح شد.")
    third = ("آغاز طرح زمستانی", "https://test.example.ir/n/3", "طرح زمستانی راهداری آغاز شد.")
    url = feed_server.serve(
        "/rss", Reply(body=rss(first, second)), Reply(body=rss(third, first, second))
    )
    source = _source(url)
    polling.poll_source(source)

    poll = polling.poll_source(source)

    assert (poll.items_seen, poll.articles_added) == (3, 1)
    assert Article.objects.filter(title="افتتاح پل طبیعت").count() == 1
    assert Article.objects.count() == 3


def test_items_repeated_within_one_document_are_stored_once(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=feed_file("repeating.xml")))

    poll = polling.poll_source(_source(url))

    assert (poll.outcome, poll.articles_added) == (PollOutcome.PARTIAL, 2)
    assert "duplicate: 1 item(s) repeated in the document" in poll.problems
    assert Article.objects.filter(canonical_url="https://repeat.example.ir/news/5").count() == 1


def test_a_redirect_is_followed(feed_server: FeedServer):
    target = feed_server.serve("/new-rss", Reply(body=feed_file("atom.xml")))
    old = feed_server.serve(
        "/rss", Reply(status=301, headers={"Location": "/new-rss"}, content_type="text/plain")
    )

    poll = polling.poll_source(_source(old))

    assert (poll.outcome, poll.articles_added) == (PollOutcome.OK, 1)
    assert len(feed_server.hits("/new-rss")) == 1
    assert target.endswith("/new-rss")


# --- bad input ------------------------------------------------------------------------


def test_malformed_xml_keeps_the_readable_items_and_says_so(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=feed_file("malformed.xml")))
    source = _source(url)

    poll = polling.poll_source(source)

    assert poll.outcome == PollOutcome.PARTIAL
    assert any(p.startswith("bozo: ") for p in poll.problems)
    assert Article.objects.filter(title="خبر سالم اول").exists()
    source.refresh_from_db()
    assert source.consecutive_failures == 0


def test_a_response_that_is_no_feed_fails_with_the_reason_on_the_source(feed_server: FeedServer):
    url = feed_server.serve(
        "/rss",
        Reply(body=b"<html><body><h1>502 Bad Gateway</h1>", content_type="text/html"),
    )
    source = _source(url)

    poll = polling.poll_source(source)

    assert poll.outcome == PollOutcome.FAILED
    assert poll.error == "پاسخ سرور خوراک RSS/Atom خوانایی نبود."
    source.refresh_from_db()
    assert source.last_error == poll.error
    assert source.last_error_at == poll.started_at
    assert source.consecutive_failures == 1
    assert source.last_success_at is None


@pytest.mark.parametrize(
    ("name", "content_type", "problem"),
    [
        ("windows1256_declared_utf8.xml", "application/rss+xml; charset=utf-8", True),
        ("utf8_declared_windows1256.xml", "application/rss+xml", True),
        ("windows1256.xml", "application/rss+xml", False),
        ("windows1256.xml", "application/rss+xml; charset=ISO-8859-1", True),
    ],
)
def test_wrong_encodings_are_stored_as_readable_persian(
    feed_server: FeedServer, name: str, content_type: str, problem: bool
):
    url = feed_server.serve("/rss", Reply(body=feed_file(name), content_type=content_type))

    poll = polling.poll_source(_source(url))

    article = Article.objects.get()
    assert article.title == "افتتاح سالن ورزشی در شهرستان سقز"
    assert article.text == "سالن ورزشی شهرستان سقز با اعتبار 40 میلیارد ریال افتتاح شد."
    assert poll.outcome == (PollOutcome.PARTIAL if problem else PollOutcome.OK)
    assert any(p.startswith("encoding: ") for p in poll.problems) is problem


def test_scripts_never_reach_the_stored_summary(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=feed_file("script_item.xml")))

    polling.poll_source(_source(url))

    html = Article.objects.get().summary_html.lower()
    for banned in ("<script", "alert(", "onclick", "javascript:", "<iframe", "<style"):
        assert banned not in html
    assert "پیوند خوب" in Article.objects.get().summary_html


def test_empty_feed_is_a_healthy_poll_with_nothing_new(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=feed_file("empty.xml"), etag='"e"'))
    source = _source(url)

    poll = polling.poll_source(source)

    assert (poll.outcome, poll.items_seen, poll.articles_added) == (PollOutcome.OK, 0, 0)
    source.refresh_from_db()
    assert source.etag == '"e"'
    assert source.last_success_at == poll.started_at


def test_an_empty_body_is_a_failed_poll(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=b""))

    poll = polling.poll_source(_source(url))

    assert poll.outcome == PollOutcome.FAILED
    assert poll.error == "پاسخ سرور خالی بود."


def test_a_body_over_the_size_limit_is_cut_and_read_again_next_time(
    feed_server: FeedServer, settings
):
    settings.MONITORING_FETCH_MAX_BYTES = 600
    url = feed_server.serve("/rss", Reply(body=feed_file("persian_rss.xml"), etag='"big"'))
    source = _source(url)

    poll = polling.poll_source(source)

    assert poll.outcome == PollOutcome.PARTIAL
    assert "size: the response was cut at 600 bytes" in poll.problems
    source.refresh_from_db()
    assert source.etag == ""  # the rest was never read: no "304" next time


# --- faults ----------------------------------------------------------------------------


def test_500_then_200_succeeds_on_the_second_attempt(feed_server: FeedServer):
    url = feed_server.serve(
        "/rss",
        Reply(status=500, body=b"oops", content_type="text/plain"),
        Reply(body=feed_file("persian_rss.xml")),
    )
    source = _source(url)

    poll = polling.poll_source(source)

    assert (poll.outcome, poll.attempts, poll.http_status) == (PollOutcome.OK, 2, 200)
    assert poll.articles_added == 3
    assert len(feed_server.hits("/rss")) == 2


def test_a_server_always_failing_backs_off_further_each_time(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(status=503, body=b"down", content_type="text/plain"))
    source = _source(url, poll_minutes=30)

    delays = []
    for expected_failures in (1, 2, 3):
        poll = polling.poll_source(source)
        source.refresh_from_db()
        assert (poll.outcome, poll.attempts, poll.http_status) == (PollOutcome.FAILED, 3, 503)
        assert poll.error == "خطای سرور رسانه (پاسخ ۵۰۳)."
        assert source.consecutive_failures == expected_failures
        assert source.last_status == 503
        assert source.last_error == poll.error
        assert poll.finished_at is not None
        delays.append(source.next_poll_at - poll.finished_at)

    assert delays == [timedelta(minutes=30), timedelta(minutes=60), timedelta(minutes=120)]
    assert len(feed_server.hits("/rss")) == 9
    assert Article.objects.count() == 0


def test_backoff_is_capped_and_a_success_resets_the_streak(feed_server: FeedServer):
    assert polling.next_poll_delay(30, 20) == polling.MAX_BACKOFF
    assert polling.next_poll_delay(24 * 60, 5) == timedelta(hours=24)
    url = feed_server.serve(
        "/rss",
        Reply(status=404, body=b"gone", content_type="text/plain"),
        Reply(body=feed_file("atom.xml")),
    )
    source = _source(url)
    failed = polling.poll_source(source)
    assert (failed.outcome, failed.attempts) == (PollOutcome.FAILED, 1)  # 404: no retry
    source.refresh_from_db()
    assert source.consecutive_failures == 1

    polling.poll_source(source)

    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.last_error  # the last error stays on record, with its time


def test_a_server_slower_than_the_timeout_fails_the_poll(feed_server: FeedServer):
    url = feed_server.serve("/rss", Reply(body=feed_file("atom.xml"), delay=1.5))
    source = _source(url)

    poll = polling.poll_source(source)

    assert (poll.outcome, poll.attempts, poll.http_status) == (PollOutcome.FAILED, 3, None)
    assert poll.error == "سرور رسانه در زمان مقرر پاسخ نداد."
    source.refresh_from_db()
    assert source.consecutive_failures == 1
    assert Article.objects.count() == 0


def test_a_refused_connection_fails_the_poll_after_three_attempts():
    source = _source(closed_port_url())

    poll = polling.poll_source(source)

    assert (poll.outcome, poll.attempts, poll.http_status) == (PollOutcome.FAILED, 3, None)
    assert poll.error == "اتصال به سرور رسانه برقرار نشد."
    source.refresh_from_db()
    assert source.last_status is None
    assert source.last_error == poll.error


def test_a_batch_the_database_refuses_is_recorded_and_the_other_batches_are_stored(
    feed_server: FeedServer, monkeypatch
):
    # given a feed of five items read in batches of two, the fourth of which the
    # database refuses (a trigger on new stories, as a broken disk or constraint would)
    monkeypatch.setattr(polling, "BATCH_SIZE", 2)
    items = [
        (f"خبر شماره {n} درباره {topic}", f"https://test.example.ir/b/{n}", f"متن {topic}.")
        for n, topic in enumerate(["راه‌آهن", "بندر", "فرودگاه", "poison زهرآگین", "مسکن"], start=1)
    ]
    url = feed_server.serve("/rss", Reply(body=rss(*items), etag='"v7"'))
    source = _source(url)
    _refuse_stories_titled("poison")

    # when
    poll = polling.poll_source(source)

    # then batches 1 and 3 are stored, batch 2 is recorded, and the ETag is not kept
    assert poll.outcome == PollOutcome.PARTIAL
    assert (poll.items_seen, poll.articles_added) == (5, 3)
    assert any(p.startswith("ingest: batch 2 of 3 not stored") for p in poll.problems)
    source.refresh_from_db()
    assert source.etag == ""
    assert source.consecutive_failures == 0

    # when the fault is gone, the next poll reads the whole feed and stores the rest once
    _allow_stories()
    again = polling.poll_source(source)
    assert "If-None-Match" not in feed_server.hits("/rss")[-1].headers
    assert (again.outcome, again.articles_added) == (PollOutcome.OK, 2)
    assert Article.objects.count() == 5
    source.refresh_from_db()
    assert source.etag == '"v7"'


def _refuse_stories_titled(word: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION hamseda_test_refuse() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.title LIKE '%%{word}%%' THEN RAISE EXCEPTION 'refused'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                "CREATE TRIGGER hamseda_test_refuse BEFORE INSERT ON monitoring_story "
                "FOR EACH ROW EXECUTE FUNCTION hamseda_test_refuse()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER hamseda_test_refuse BEFORE INSERT ON monitoring_story "
                f"WHEN NEW.title LIKE '%{word}%' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )


def _allow_stories() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER hamseda_test_refuse"
            + (" ON monitoring_story" if connection.vendor == "postgresql" else "")
        )


def test_only_the_latest_polls_are_kept(feed_server: FeedServer, monkeypatch):
    monkeypatch.setattr(polling, "KEEP_POLLS", 3)
    url = feed_server.serve("/rss", Reply(body=feed_file("empty.xml")))
    source = _source(url)
    base = timezone.now()

    polls = [polling.poll_source(source, now=base + timedelta(minutes=n)) for n in range(5)]

    kept = list(Poll.objects.filter(source=source).values_list("pk", flat=True))
    assert kept == [p.pk for p in reversed(polls[2:])]


# --- fetch -------------------------------------------------------------------------------


def test_private_addresses_are_refused_unless_allowed(feed_server: FeedServer, settings):
    url = feed_server.serve("/rss", Reply(body=feed_file("atom.xml")))
    settings.MONITORING_FETCH_PRIVATE = False

    refused = fetch.fetch(url)
    by_name = fetch.fetch("http://localhost:1/rss")

    assert refused.error == "این نشانی به شبکه داخلی اشاره می‌کند و خوانده نمی‌شود."
    assert not refused.retryable
    assert by_name.error == refused.error
    assert feed_server.hits("/rss") == []
    settings.MONITORING_FETCH_PRIVATE = True
    assert fetch.fetch(url).ok


def test_too_many_redirects_is_not_retried(feed_server: FeedServer):
    url = feed_server.serve("/loop", Reply(status=302, headers={"Location": "/loop"}))

    result = fetch.fetch(url)

    assert result.error == "بیش از ۵ بار به نشانی دیگری فرستاده شد."
    assert not result.retryable
    assert len(feed_server.hits("/loop")) == fetch.MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    ("status", "retryable"), [(500, True), (502, True), (429, True), (408, True), (404, False)]
)
def test_statuses_are_classified(feed_server: FeedServer, status: int, retryable: bool):
    url = feed_server.serve("/s", Reply(status=status, body=b"x", content_type="text/plain"))

    result = fetch.fetch(url)

    assert (result.status, result.retryable, result.ok) == (status, retryable, False)


# --- the tasks ----------------------------------------------------------------------------


def test_due_sources_are_queued_once_and_polled(
    feed_server: FeedServer, django_capture_on_commit_callbacks
):
    # given
    now = timezone.now()
    url_a = feed_server.serve("/a", Reply(body=feed_file("atom.xml")))
    url_b = feed_server.serve("/b", Reply(body=feed_file("empty.xml")))
    never_polled = _source(url_a, name="الف")
    overdue = _source(url_b, name="ب")
    Source.objects.filter(pk=overdue.pk).update(next_poll_at=now - timedelta(minutes=1))
    later = _source(feed_server.serve("/c", Reply()), name="پ")
    Source.objects.filter(pk=later.pk).update(next_poll_at=now + timedelta(minutes=5))
    _source(feed_server.serve("/d", Reply()), name="ت", is_active=False)
    Source.objects.create(name="بریده‌ها", kind=SourceKind.CLIPPINGS)

    # when the beat's task runs (the polls run eagerly once the claim commits)
    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.poll_due_sources.delay().get()

    # then
    assert queued == 2
    assert [s.path for s in feed_server.requests] in (["/a", "/b"], ["/b", "/a"])
    assert Poll.objects.filter(source=never_polled).count() == 1
    assert Poll.objects.filter(source=overdue).count() == 1
    # and at once again, nothing is due
    assert polling.poll_due_sources() == 0


def test_a_claimed_source_is_not_queued_by_a_second_beat(feed_server: FeedServer):
    source = _source(feed_server.serve("/a", Reply(body=feed_file("atom.xml"))))
    stale = Source.objects.get(pk=source.pk)  # what a second beat read before the claim

    assert polling.poll_due_sources() == 1  # its task waits for the commit
    claimed = Source.objects.filter(pk=stale.pk, next_poll_at__isnull=True).update(
        next_poll_at=timezone.now()
    )

    assert claimed == 0
    assert polling.poll_due_sources() == 0


def test_a_source_being_polled_elsewhere_is_left_alone(feed_server: FeedServer):
    source = _source(feed_server.serve("/rss", Reply(body=feed_file("atom.xml"))))
    cache.add(tasks._lock_key(source.pk), "another-worker", timeout=60)

    assert tasks.poll_source.delay(source.pk).get() is None
    assert feed_server.requests == []

    cache.delete(tasks._lock_key(source.pk))
    assert tasks.poll_source.delay(source.pk).get() == PollOutcome.OK
    assert cache.get(tasks._lock_key(source.pk)) is None  # released


def test_the_task_skips_a_source_without_feed_or_gone():
    clippings = Source.objects.create(name="بریده‌ها", kind=SourceKind.CLIPPINGS)

    assert tasks.poll_source.delay(clippings.pk).get() is None
    assert tasks.poll_source.delay(10**9).get() is None
    with pytest.raises(ValueError, match="no feed"):
        polling.poll_source(clippings)
