"""Reading a source's feed: fetch, parse, store, and keep the health record.

``poll_source`` is what the ``monitoring.poll_source`` task runs for one source:

1. ``fetch.fetch`` with the ETag and Last-Modified the server gave last time, up
   to ``MAX_ATTEMPTS`` times when the failure is retryable (timeouts, refused
   connections, 5xx), waiting ``MONITORING_POLL_RETRY_WAITS`` seconds between;
2. ``feeds.parse_feed``, which never raises and lists what it had to forgive;
3. ``ingest.ingest_items`` in batches of ``BATCH_SIZE`` items, each batch its own
   transaction: a worker killed mid-feed loses nothing it committed, and the next
   poll stores nothing twice because ingestion drops what is already stored. A
   batch that raises is rolled back, noted among the poll's problems, and the
   next batch goes on;
4. only when every batch is in are the new ETag and Last-Modified saved: after a
   crash or a failed batch the next poll reads the whole feed again instead of
   being told "304, nothing new";
5. one ``SourcePoll`` row (the last ``KEEP_POLLS`` are kept) and the health fields
   of the source. ``next_poll_at`` is ``poll_minutes`` ahead, or further after
   failures (doubling per consecutive failure, at most ``MAX_BACKOFF``).

``poll_due_sources`` (beat, every minute) queues one task per source that is due,
claiming each by moving its ``next_poll_at`` ``CLAIM`` ahead first, so a second
beat tick, or a second beat, does not queue it again while the first task waits
in the queue; the poll itself sets the real next time.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hamseda.monitoring import feeds
from hamseda.monitoring.fetch import FetchResult, fetch
from hamseda.monitoring.models import ArticleVia, PollOutcome, Source, SourcePoll
from hamseda.monitoring.services.ingest import IngestResult, ingest_items

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Seconds to wait before the 2nd and the 3rd attempt (MONITORING_POLL_RETRY_WAITS).
RETRY_WAITS = (0.5, 1.0)
BATCH_SIZE = 200
KEEP_POLLS = 200
MAX_BACKOFF = timedelta(hours=6)
# How far ``poll_due_sources`` moves a queued source's next poll; longer than a
# poll can take (3 attempts of at most a minute each, then the ingestion), and
# what a source waits for its next poll when the worker running it died.
CLAIM = timedelta(minutes=15)
# Sources queued per beat tick at most; the rest are due at the next tick.
MAX_QUEUED = 500


def retry_waits() -> tuple[float, ...]:
    waits = getattr(settings, "MONITORING_POLL_RETRY_WAITS", None)
    return tuple(float(w) for w in waits) if waits is not None else RETRY_WAITS


def next_poll_delay(poll_minutes: int, failures: int) -> timedelta:
    """When to read a source again: ``poll_minutes`` after a success; after the
    n-th failure in a row 2^(n-1) times that, at most ``MAX_BACKOFF`` (or
    ``poll_minutes``, when it is longer)."""
    interval = timedelta(minutes=max(poll_minutes, 1))
    if failures <= 0:
        return interval
    ceiling = max(MAX_BACKOFF, interval)
    # Capped before the power: 2**n of a long failure streak would overflow timedelta.
    return min(interval * (2 ** min(failures - 1, 16)), ceiling)


def _fetch_with_retries(source: Source) -> tuple[FetchResult, int]:
    waits = retry_waits()
    attempts = 0
    while True:
        attempts += 1
        result = fetch(source.feed_url, etag=source.etag, last_modified=source.last_modified)
        if not result.retryable or attempts >= MAX_ATTEMPTS:
            return result, attempts
        if waits:
            time.sleep(waits[min(attempts - 1, len(waits) - 1)])


@dataclass
class _Stored:
    added: int = 0
    failed_batches: int = 0
    batches: int = 0
    problems: list[str] = field(default_factory=list)


def _store(source: Source, items: list[feeds.ParsedItem]) -> _Stored:
    stored = _Stored()
    batches = [items[i : i + BATCH_SIZE] for i in range(0, len(items), BATCH_SIZE)]
    stored.batches = len(batches)
    for number, batch in enumerate(batches, start=1):
        results: list[IngestResult] | None = None
        try:
            with transaction.atomic():
                results = ingest_items(source=source, items=batch, via=ArticleVia.FEED)
        except Exception as exc:  # one bad batch must not stop the poll
            if results is not None:
                # Raised after the commit, by what ingestion queued on it (the
                # alerts): the articles are stored.
                log.exception("monitoring: after-commit work of source %s failed", source.pk)
                stored.problems.append(f"alerts: batch {number}: {type(exc).__name__}: {exc}"[:500])
            else:
                log.exception("monitoring: batch %s of source %s failed", number, source.pk)
                stored.failed_batches += 1
                stored.problems.append(
                    f"ingest: batch {number} of {len(batches)} not stored: "
                    f"{type(exc).__name__}: {exc}"[:500]
                )
                continue
        stored.added += sum(1 for result in results if result.created)
    return stored


def _unreadable(parsed: feeds.ParsedFeed) -> str:
    """Why a 200 response with no items is a failure ("" when it is just empty)."""
    if parsed.items:
        return ""
    if any(p.startswith("empty:") for p in parsed.problems):
        return _("پاسخ سرور خالی بود.")
    if any(p.startswith("bozo:") for p in parsed.problems):
        return _("پاسخ سرور خوراک RSS/Atom خوانایی نبود.")
    return ""


def poll_source(source: Source, *, now: datetime | None = None) -> SourcePoll:
    """Read ``source``'s feed once (see the module docstring) and return the poll
    recorded. Network failures, bad feeds and failing batches are recorded, not
    raised."""
    if not source.feed_url:
        raise ValueError(f"source {source.pk} has no feed to poll")
    started = now or timezone.now()
    clock = time.monotonic()
    result, attempts = _fetch_with_retries(source)
    poll = SourcePoll(
        source=source, started_at=started, attempts=attempts, http_status=result.status
    )
    problems: list[str] = []
    new_etag: str | None = None
    new_modified: str | None = None
    if result.not_modified:
        poll.outcome = PollOutcome.NOT_MODIFIED
    elif not result.ok:
        poll.outcome = PollOutcome.FAILED
        poll.error = result.error
    else:
        parsed = feeds.parse_feed(result.content, url=result.url, headers=result.headers)
        problems.extend(parsed.problems)
        if result.truncated:
            problems.append(f"size: the response was cut at {len(result.content)} bytes")
        poll.items_seen = len(parsed.items)
        if reason := _unreadable(parsed):
            poll.outcome = PollOutcome.FAILED
            poll.error = reason
        else:
            stored = _store(source, parsed.items)
            problems.extend(stored.problems)
            poll.articles_added = stored.added
            if stored.batches and stored.failed_batches == stored.batches:
                poll.outcome = PollOutcome.FAILED
                poll.error = _("خبرهای این خوراک ذخیره نشد؛ جزئیات در ایرادها آمده است.")
            else:
                poll.outcome = PollOutcome.PARTIAL if problems else PollOutcome.OK
            if not stored.failed_batches and not result.truncated:
                new_etag, new_modified = parsed.etag, parsed.modified
    poll.problems = problems
    poll.finished_at = started + timedelta(seconds=time.monotonic() - clock)
    _record(source, poll, etag=new_etag, modified=new_modified)
    return poll


@transaction.atomic
def _record(source: Source, poll: SourcePoll, *, etag: str | None, modified: str | None) -> None:
    poll.save()
    failed = poll.outcome == PollOutcome.FAILED
    # The streak is read from the database: "read now" and a scheduled poll may
    # both have run since this source object was loaded.
    failures = (
        Source.objects.filter(pk=source.pk).values_list("consecutive_failures", flat=True).first()
        or 0
    )
    failures = failures + 1 if failed else 0
    finished = poll.finished_at or poll.started_at
    changes: dict[str, object] = {
        "last_polled_at": poll.started_at,
        "last_status": poll.http_status,
        "consecutive_failures": failures,
        "items_seen": F("items_seen") + poll.items_seen,
        "articles_added": F("articles_added") + poll.articles_added,
        "next_poll_at": finished + next_poll_delay(source.poll_minutes, failures),
    }
    if failed:
        changes.update(last_error_at=poll.started_at, last_error=poll.error)
    else:
        changes["last_success_at"] = poll.started_at
    if etag is not None:
        changes.update(etag=etag[:300], last_modified=(modified or "")[:100])
    Source.objects.filter(pk=source.pk).update(**changes)
    source.refresh_from_db(fields=[*changes, "etag", "last_modified"])
    _prune(source)


def _prune(source: Source) -> None:
    old = list(
        SourcePoll.objects.filter(source=source)
        .order_by("-started_at", "-id")
        .values_list("id", flat=True)[KEEP_POLLS : KEEP_POLLS + 1000]
    )
    if old:
        SourcePoll.objects.filter(pk__in=old).delete()


def due_sources(now: datetime | None = None) -> list[Source]:
    """Active sources with a feed whose next poll is due (never polled first)."""
    now = now or timezone.now()
    return list(
        Source.objects.filter(is_active=True)
        .exclude(feed_url="")
        .filter(Q(next_poll_at__isnull=True) | Q(next_poll_at__lte=now))
        .order_by(F("next_poll_at").asc(nulls_first=True), "pk")[:MAX_QUEUED]
    )


def poll_due_sources(now: datetime | None = None) -> int:
    """Queue a ``monitoring.poll_source`` task for each due source; how many."""
    from hamseda.monitoring.tasks import poll_source as poll_task

    now = now or timezone.now()
    queued = 0
    for source in due_sources(now):
        # Compare-and-set on the value read: of two beats reading the same row,
        # one claims it.
        claim = Source.objects.filter(pk=source.pk)
        claim = (
            claim.filter(next_poll_at__isnull=True)
            if source.next_poll_at is None
            else claim.filter(next_poll_at=source.next_poll_at)
        )
        if not claim.update(next_poll_at=now + CLAIM):
            continue
        transaction.on_commit(partial(poll_task.delay, source.pk))
        queued += 1
    return queued


def source_poll_now(source: Source) -> None:
    """Queue a poll of ``source`` at once ("read now"), after the caller's commit."""
    from hamseda.monitoring.tasks import poll_source as poll_task

    source_id = source.pk
    transaction.on_commit(lambda: poll_task.delay(source_id))
