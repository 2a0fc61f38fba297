"""Push generated news through the whole ingestion pipeline and time it (not a test).

    python scripts/bench_pipeline.py [--articles 20000] [--batch 2000]
        [--database-url postgres://postgres@127.0.0.1:5432/hamseda_bench_pipeline]
        [--profile 30]

A throwaway database is made for each run: a SQLite file in a new temporary
folder, or, with --database-url, that PostgreSQL database dropped and created
again (never name a database you care about). It is migrated and filled with the
generated directory of 31 provinces (``directory.generate``: ~390 agencies) and
their campaigns; 70 sources (8 national outlets, 2 per province) are added.

``monitoring.corpus`` then writes --articles articles over the last 30 days (not
timed), cut into feed documents as polling would get them: --batch consecutive
articles, one RSS document per outlet among them (2,000 over 70 outlets: ~30
items a document, a feed's page; a real poll brings fewer new items at a time,
and so pays ingestion's per-call work more often). What is timed, per document:
``feeds.parse_feed`` on the bytes, then ``services.ingest.ingest_items`` (its own
transaction; alerts raised after commit, as in production). No network.

Prints articles/s (one process, so per core), peak RSS, and where the time went:
parse, agency/campaign matching (``Matcher.find``), tone (``tone_of``), stories
(fingerprint, bands, assignment), search tokens, SQL (every statement, through
``connection.execute_wrapper``), alerts, and the rest of ingestion (Python around
them: building rows, dicts, the ORM). The stage timers wrap those functions for
the run; --profile N prints the top N functions of a cProfile run instead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=2000, help="articles per poll round")
    parser.add_argument("--database-url", default="", help="PostgreSQL (dropped and re-created)")
    parser.add_argument("--seed", type=int, default=1405)
    parser.add_argument("--profile", type=int, default=0, help="print the top N of cProfile")
    return parser.parse_args()


def _fresh_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"refusing to drop the database {name!r}")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')


ARGS = _args()
os.environ["DJANGO_SETTINGS_MODULE"] = "hamseda.settings"
os.environ["HAMSEDA_DATA_DIR"] = tempfile.mkdtemp(prefix="hamseda-bench-pipeline-")
os.environ.setdefault("HAMSEDA_SECRET_KEY", "bench-pipeline-only-" + "x" * 40)
# Notices' emails are queued; a filesystem queue in the throwaway folder, not Redis.
os.environ["HAMSEDA_BROKER_URL"] = "filesystem://localhost//"
if ARGS.database_url:
    _fresh_postgres(ARGS.database_url)
    os.environ["HAMSEDA_DATABASE_URL"] = ARGS.database_url
else:
    os.environ.pop("HAMSEDA_DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from hamseda.campaigns.generate import generate_campaigns  # noqa: E402
from hamseda.directory.generate import generate_directory  # noqa: E402
from hamseda.monitoring import alerts, corpus, matching, search, stories  # noqa: E402
from hamseda.monitoring.feeds import parse_feed  # noqa: E402
from hamseda.monitoring.generate import agency_refs, campaign_refs, sources_for  # noqa: E402
from hamseda.monitoring.models import Article, Mention, Story, StoryBand  # noqa: E402
from hamseda.monitoring.services import ingest  # noqa: E402

# --- stage timers ------------------------------------------------------------------

SECONDS: dict[str, float] = defaultdict(float)
CPU: dict[str, float] = defaultdict(float)
# Stages being timed now: a stage inside itself (assign calls bands) counts once,
# and SQL run by the alerts counts as alerts.
ACTIVE: dict[str, int] = defaultdict(int)


def _timed(stage: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if ACTIVE[stage]:
            return func(*args, **kwargs)
        ACTIVE[stage] += 1
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            SECONDS[stage] += time.perf_counter() - started
            CPU[stage] += time.process_time() - cpu
            ACTIVE[stage] -= 1

    return wrapper


def _install_timers() -> None:
    # ingest reads these as module attributes at each call, so wrapping them here
    # times what the pipeline runs, unchanged.
    matching.Matcher.find = _timed("match", matching.Matcher.find)  # type: ignore[method-assign]
    for name in ("tones_of", "tone_of"):  # whichever ingest imports
        if hasattr(ingest, name):
            setattr(ingest, name, _timed("tone", getattr(ingest, name)))
    stories.fingerprint = _timed("stories", stories.fingerprint)
    stories.StoryIndex.bands = _timed("stories", stories.StoryIndex.bands)  # type: ignore[method-assign]
    stories.StoryIndex.assign = _timed("stories", stories.StoryIndex.assign)  # type: ignore[method-assign]
    search.index_tokens = _timed("tokens", search.index_tokens)
    alerts.alerts_for_stories = _timed("alerts", alerts.alerts_for_stories)


def _sql_timer(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    if ACTIVE["alerts"]:
        return execute(sql, params, many, context)
    started, cpu = time.perf_counter(), time.process_time()
    try:
        return execute(sql, params, many, context)
    finally:
        SECONDS["sql"] += time.perf_counter() - started
        CPU["sql"] += time.process_time() - cpu


# --- data --------------------------------------------------------------------------


def _setup(seed: int) -> tuple[list[Any], corpus.Corpus]:
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    out = io.StringIO()
    generate_directory(provinces=31, years=1, rng=rng, out=out)
    generate_campaigns(provinces=31, years=1, rng=rng, out=out)
    sources = sources_for(list(_provinces()))
    outlets = [outlet for _source, outlet in sources]
    corp = corpus.Corpus(agency_refs(), outlets, campaign_refs(), seed=seed)
    return sources, corp


def _provinces() -> Any:
    from hamseda.directory.models import Province

    return Province.objects.order_by("pk")


def _documents(
    sources: list[Any], corp: corpus.Corpus, n: int, batch: int
) -> list[tuple[Any, bytes]]:
    by_slug = {outlet.slug: source for source, outlet in sources}
    outlets = {outlet.slug: outlet for _source, outlet in sources}
    now = timezone.now()
    articles = list(corp.stream(n, start=now - timedelta(days=30), end=now))
    documents: list[tuple[Any, bytes]] = []
    for start in range(0, len(articles), batch):
        per_outlet: dict[str, list[corpus.Article]] = defaultdict(list)
        for article in articles[start : start + batch]:
            per_outlet[article.outlet.slug].append(article)
        for slug, items in per_outlet.items():
            documents.append((by_slug[slug], corpus.rss(outlets[slug], items[::-1])))
    return documents


def main() -> None:
    vendor = connection.vendor
    print(f"database: {vendor} (fresh: {ARGS.database_url or 'a new SQLite file'})")
    started = time.perf_counter()
    sources, corp = _setup(ARGS.seed)
    print(
        f"set up (migrate, directory, campaigns, sources) in {time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    documents = _documents(sources, corp, ARGS.articles, ARGS.batch)
    megabytes = sum(len(body) for _source, body in documents) / 1e6
    print(
        f"generated {ARGS.articles:,} articles in {len(documents):,} feed documents "
        f"({megabytes:.1f} MB) in {time.perf_counter() - started:.1f} s (not timed)"
    )
    _install_timers()
    # CPU time, not the wall clock: on a busy machine the profile stays this
    # process's own work.
    profiler = cProfile.Profile(time.process_time) if ARGS.profile else None
    created = 0
    parse_s = ingest_s = parse_cpu = ingest_cpu = 0.0
    cpu_started = time.process_time()
    with connection.execute_wrapper(_sql_timer):
        if profiler:
            profiler.enable()
        for source, body in documents:
            t0, c0 = time.perf_counter(), time.process_time()
            parsed = parse_feed(body, url=source.feed_url or source.site_url)
            t1, c1 = time.perf_counter(), time.process_time()
            results = ingest.ingest_items(source=source, items=parsed.items)
            t2, c2 = time.perf_counter(), time.process_time()
            parse_s += t1 - t0
            ingest_s += t2 - t1
            parse_cpu += c1 - c0
            ingest_cpu += c2 - c1
            created += sum(result.created for result in results)
        if profiler:
            profiler.disable()
    cpu_s = time.process_time() - cpu_started
    total = parse_s + ingest_s
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{ARGS.articles:,} articles ({created:,} stored) in {total:.1f} s: "
        f"{ARGS.articles / total:,.0f} articles/s on one core; peak RSS {peak_mb:,.0f} MB"
    )
    # On a busy machine the wall clock also counts other processes' turns; CPU
    # time is this process's own work (the database server's is not in it).
    print(
        f"CPU time of this process {cpu_s:.1f} s: "
        f"{ARGS.articles / cpu_s:,.0f} articles per CPU-second"
    )
    walls = {"parse": parse_s, **SECONDS}
    walls["rest of ingest"] = ingest_s - sum(SECONDS.values())
    cpus = {"parse": parse_cpu, **CPU}
    cpus["rest of ingest"] = ingest_cpu - sum(CPU.values())
    print(f"  {'stage':<16} {'wall s':>8} {'CPU s':>8} {'CPU share':>9} {'CPU ms/article':>15}")
    for stage, seconds in sorted(cpus.items(), key=lambda kv: -kv[1]):
        share = seconds / cpu_s if cpu_s else 0
        per = seconds / ARGS.articles * 1e3
        print(f"  {stage:<16} {walls[stage]:8.2f} {seconds:8.2f} {share:9.1%} {per:15.3f}")
    print("  (sql: ingestion's statements; alerts: their whole run, queries included)")
    print(
        f"rows: {Article.objects.count():,} articles, {Story.objects.count():,} stories, "
        f"{Mention.objects.count():,} mentions, {StoryBand.objects.count():,} story bands"
    )
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(ARGS.profile)
        stats.sort_stats("cumulative").print_stats(ARGS.profile)
        print(stream.getvalue())
    if not ARGS.database_url:
        print(f"(database file left in {Path(os.environ['HAMSEDA_DATA_DIR'])})")


if __name__ == "__main__":
    main()
