"""Time the article list's full-text search on a large table (not a test).

    python scripts/bench_search.py [--articles 1000000] [--queries 200]
        [--database-url postgres://postgres@127.0.0.1:5432/hamseda_bench_monitoring]
    python scripts/bench_search.py --sqlite [--articles 100000]

The database is kept between runs (so a million articles are made once): the
PostgreSQL database named by --database-url is created when missing; with
--sqlite the file is /tmp/hamseda-bench-search/hamseda.sqlite3 (HAMSEDA_DATA_DIR
moves it). Never point it at a database you care about.

Filling: migrated, the generated directory of 31 provinces
(``directory.generate``) and the generator's outlets (``monitoring.generate``);
then, while it holds fewer than --articles articles, ``monitoring.corpus`` news
over the last two years is written in --workers processes and loaded in bulk:
PostgreSQL with COPY (the GIN index dropped first and built again after), SQLite
with executemany (the FTS5 triggers dropped, the index rebuilt after). Each
article gets ``search.index_tokens`` of its title and text, its content hash, and
one mention of the agency its release was about, with the release's tone (not
read by ``tone``: this bench is about search). Stories, bands and signatures are
left empty: the list query does not read them. The time to build is printed.

Measuring: --queries realistic queries (agency names and their press forms,
topic words, cities, two-word mixes, with Arabic ي/ك and spaced or joined
half-spaces) run as the list page runs them: ``selectors.article_list`` wrapped
in ``Capped`` and paginated, the first page of 25 rows read with its prefetches.
Each query runs with the text alone, with an agency, with the last 30 days, and
with both. Prints p50/p95/p99 in ms per variant and how many queries found rows.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hamseda_bench_monitoring"
CHUNK = 10_000  # articles per worker task
PERIOD_DAYS = 730


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--sqlite", action="store_true", help="SQLite FTS5 instead")
    parser.add_argument("--workers", type=int, default=2, help="processes writing the text")
    parser.add_argument("--seed", type=int, default=1405)
    parser.add_argument("--explain", action="store_true", help="print one query plan")
    return parser.parse_args()


def _ensure_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        found = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            db.execute(f'CREATE DATABASE "{name}"')


ARGS = _args()
os.environ["DJANGO_SETTINGS_MODULE"] = "hamseda.settings"
os.environ.setdefault("HAMSEDA_SECRET_KEY", "bench-search-only-" + "x" * 40)
if ARGS.sqlite:
    if not os.environ.get("HAMSEDA_DATA_DIR"):
        os.environ["HAMSEDA_DATA_DIR"] = str(Path(tempfile.gettempdir()) / "hamseda-bench-search")
    Path(os.environ["HAMSEDA_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.pop("HAMSEDA_DATABASE_URL", None)
else:
    os.environ.setdefault("HAMSEDA_DATA_DIR", tempfile.mkdtemp(prefix="hamseda-bench-search-"))
    _ensure_postgres(ARGS.database_url)
    os.environ["HAMSEDA_DATABASE_URL"] = ARGS.database_url

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from hamseda.core import persian  # noqa: E402
from hamseda.core.policy import Role  # noqa: E402
from hamseda.directory.generate import generate_directory  # noqa: E402
from hamseda.directory.models import Agency, Office, Person, Province  # noqa: E402
from hamseda.monitoring import corpus, search, selectors  # noqa: E402
from hamseda.monitoring.corpus_phrases import CITIES  # noqa: E402
from hamseda.monitoring.feeds import content_hash  # noqa: E402
from hamseda.monitoring.generate import agency_refs, sources_for  # noqa: E402
from hamseda.monitoring.matching import agency_patterns  # noqa: E402
from hamseda.monitoring.models import Article, Mention  # noqa: E402

FULLTEXT = importlib.import_module("hamseda.monitoring.migrations.0002_fulltext")

# --- making rows (in worker processes: no database there) ---------------------------

_WORK: dict[str, Any] = {}


def _init_worker(agencies: list[corpus.AgencyRef], outlets: list[corpus.Outlet]) -> None:
    _WORK["agencies"], _WORK["outlets"] = agencies, outlets


def _rows(task: tuple[int, int, int, datetime, datetime]) -> list[tuple[Any, ...]]:
    """(first id, count, seed, start, end) -> (id, title, text, html, tokens, hash,
    url, published, outlet slug, agency id, tone) for ``count`` articles."""
    first_id, count, seed, start, end = task
    corp = corpus.Corpus(_WORK["agencies"], _WORK["outlets"], seed=seed)
    rows = []
    for offset, article in enumerate(corp.stream(count, start=start, end=end)):
        article_id = first_id + offset
        title = persian.normalize(article.title)
        text = article.text
        rows.append(
            (
                article_id,
                title,
                text,
                article.html,
                search.index_tokens(title, text),
                content_hash(title, text),
                # One address per article whatever the chunk: the id in it.
                f"https://{article.outlet.host}/demo/news/b{article_id}",
                article.published,
                article.outlet.slug,
                article.release.agency.id,
                article.release.tone,
            )
        )
    return rows


# --- loading -------------------------------------------------------------------------

ARTICLE_COLUMNS = [f.column for f in Article._meta.concrete_fields]
MENTION_COLUMNS = [f.column for f in Mention._meta.concrete_fields]


def _article_values(row: tuple[Any, ...], source_id: int, now: datetime) -> dict[str, Any]:
    article_id, title, text, html, tokens, digest, url, published, *_rest = row
    return {
        "id": article_id,
        "created_at": now,
        "updated_at": now,
        "source_id": source_id,
        "story_id": None,
        "url": url,
        "canonical_url": url,
        "guid": url,
        "content_hash": digest,
        "title": title[:500],
        "summary_html": html,
        "text": text,
        "published_at": published,
        "via": "feed",
        "added_by_id": None,
        "search_tokens": tokens,
        "signature": b"",
        "signature_size": 0,
    }


def _mention_values(
    row: tuple[Any, ...], mention_id: int, info: dict[int, tuple[int | None, int | None]]
) -> dict[str, Any]:
    article_id, *_middle, published, _slug, agency_id, tone = row
    office_id, province_id = info[agency_id]
    return {
        "id": mention_id,
        "article_id": article_id,
        "agency_id": agency_id,
        "office_id": office_id,
        "province_id": province_id,
        "story_id": None,
        "published_at": published,
        "weight": 1.0,
        "count": 1,
        "tone": tone,
        "tone_score": 0.0,
        "cues": "[]",
        "tone_by_id": None,
    }


class Loader:
    """Bulk insert of generated rows: COPY on PostgreSQL, executemany on SQLite,
    the full-text index set aside meanwhile."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def __enter__(self) -> Loader:
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(FULLTEXT.POSTGRES_DROP[0])  # the index, not the column
            else:
                for statement in FULLTEXT.SQLITE_DROP[:3]:  # the triggers, not the table
                    cursor.execute(statement)
        return self

    def __exit__(self, *exc: object) -> None:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(FULLTEXT.POSTGRES_INDEX)
                cursor.execute("ANALYZE")
                for model in (Article, Mention):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
            else:
                for statement in FULLTEXT.SQLITE_TRIGGERS:
                    cursor.execute(statement)
                cursor.execute(
                    "INSERT INTO monitoring_article_fts(monitoring_article_fts) VALUES ('rebuild')"
                )
                cursor.execute("ANALYZE")
        print(f"  full-text index built in {time.perf_counter() - started:.1f} s", flush=True)

    def write(self, table: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
        if self.postgres:
            raw = connection.connection
            with raw.cursor() as cursor:
                names = ", ".join(columns)
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([row[c] for c in columns])
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        values = [[_sqlite_value(row[c]) for c in columns] for row in rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return value


def fill(target: int, workers: int, seed: int) -> None:
    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(province__isnull=False).exists():
        generate_directory(provinces=31, years=1, rng=random.Random(seed), out=sys.stdout)
    provinces = list(Province.objects.order_by("pk"))
    pairs = sources_for(provinces)
    source_of = {outlet.slug: source.pk for source, outlet in pairs}
    have = Article.objects.count()
    if have >= target:
        print(f"{have:,} articles already there")
        return
    agencies = agency_refs(provinces)
    offices = dict(Office.objects.values_list("agency_id", "pk"))
    info = {
        agency_id: (offices.get(agency_id), province_id)
        for agency_id, province_id in Agency.objects.values_list("pk", "province_id")
    }
    first_id = (Article.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    mention_id = (Mention.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    end = datetime.now(UTC)
    start = end - timedelta(days=PERIOD_DAYS)
    missing = target - have
    # Each task a slice of the period, so the table fills in about time order.
    tasks = []
    slices = -(-missing // CHUNK)
    for index in range(slices):
        count = min(CHUNK, missing - index * CHUNK)
        lo = start + (end - start) * index / slices
        hi = start + (end - start) * (index + 1) / slices
        tasks.append((first_id + index * CHUNK, count, seed * 100_000 + have + index, lo, hi))
    print(f"filling {missing:,} articles with {workers} worker(s) ...", flush=True)
    started = time.perf_counter()
    now = datetime.now(UTC)
    made = 0
    # An outlet carrying two releases word for word (a short summary of two alike
    # releases) is one article: the store keeps (source, content hash) unique.
    seen = set(Article.objects.values_list("source_id", "content_hash").iterator())
    with (
        multiprocessing.get_context("fork").Pool(
            workers, initializer=_init_worker, initargs=(agencies, [o for _s, o in pairs])
        ) as pool,
        Loader() as loader,
    ):
        for chunk in pool.imap(_rows, tasks):
            rows = []
            for row in chunk:
                key = (source_of[row[8]], row[5])
                if key not in seen:
                    seen.add(key)
                    rows.append(row)
            with transaction.atomic():
                loader.write(
                    Article._meta.db_table,
                    ARTICLE_COLUMNS,
                    [_article_values(row, source_of[row[8]], now) for row in rows],
                )
                loader.write(
                    Mention._meta.db_table,
                    MENTION_COLUMNS,
                    [_mention_values(row, mention_id + i, info) for i, row in enumerate(rows)],
                )
            mention_id += len(rows)
            made += len(chunk)
            if made % (CHUNK * 10) == 0 or made == missing:
                rate = made / (time.perf_counter() - started)
                print(f"  {made:,} / {missing:,} articles ({rate:,.0f}/s)", flush=True)
    print(f"built {missing:,} articles in {time.perf_counter() - started:.0f} s", flush=True)


# --- queries -----------------------------------------------------------------------

TOPICS = [
    "نهضت ملی مسکن",
    "تاخیر قطار",
    "تأخیر پرواز",
    "فرودگاه",
    "روکش آسفالت",
    "بارش برف",
    "شهر جدید",
    "پروازهای فوق العاده",
    "قطار فوق‌العاده",
    "راه آهن",
    "راه‌آهن",
    "راهآهن",
    "گلایه ساکنان",
    "واژگونی اتوبوس",
    "طرح زمستانی",
    "هشدار هواشناسی",
    "مقاوم سازی",
    "مقاوم‌سازی",
    "بهره برداری",
    "نیمه‌کاره",
    "نیمه کاره",
    "تقاطع غیرهمسطح",
    "مسکن ملی",
    "ایستگاه راه‌آهن",
    "ساختمان ایمن",
    "کمبود بلیت",
    "آزادسازی زمین",
    "مدیرکل",
    "کیلومتر",
    "هکتار",
]


def _spellings(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        text = text.replace("ی", "ي").replace("ک", "ك")
    elif roll < 0.35:
        text = text.replace(persian.ZWNJ, " ")
    elif roll < 0.45:
        text = text.replace(persian.ZWNJ, "")
    return text


def queries(n: int, rng: random.Random) -> list[str]:
    agencies = list(Agency.objects.select_related("province").filter(province__isnull=False))
    found: list[str] = []
    while len(found) < n:
        kind = rng.random()
        if kind < 0.35:
            agency = rng.choice(agencies)
            forms = [
                form
                for form, _t in agency_patterns(
                    [(agency.pk, agency.name, [], agency.province.name)]
                )
            ]
            query = rng.choice(forms)
        elif kind < 0.7:
            query = rng.choice(TOPICS)
        elif kind < 0.85:
            province = rng.choice(list(CITIES))
            query = rng.choice(CITIES[province])
        else:
            cities = rng.choice(list(CITIES.values()))
            query = f"{rng.choice(TOPICS)} {rng.choice(cities)}"
        found.append(_spellings(query, rng))
    return found


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(count: int, seed: int, explain: bool) -> None:
    rng = random.Random(seed)
    # A person of the ministry centre: every article is in reach.
    viewer = Person.objects.filter(role=Role.MINISTRY_CENTRE, is_active=True).first()
    if viewer is None:
        sys.exit("no person of the ministry centre: run the directory generator first")
    agency_ids = list(Agency.objects.filter(province__isnull=False).values_list("pk", flat=True))
    texts = queries(count, rng)
    last_month = datetime.now(UTC).date() - timedelta(days=30)
    variants = {
        "text": lambda q: selectors.ArticleFilters(q=q),
        "text + agency": lambda q: selectors.ArticleFilters(q=q, agency_id=rng.choice(agency_ids)),
        "text + 30 days": lambda q: selectors.ArticleFilters(q=q, date_from=last_month),
        "text + agency + 30 days": lambda q: selectors.ArticleFilters(
            q=q, agency_id=rng.choice(agency_ids), date_from=last_month
        ),
    }
    if explain:
        qs = selectors.article_list(viewer=viewer, filters=variants["text"](texts[0]))
        print(qs[:25].explain(**({"analyze": True} if connection.vendor == "postgresql" else {})))

    def page(filters: selectors.ArticleFilters) -> int:
        found = selectors.Capped(selectors.article_list(viewer=viewer, filters=filters))
        rows = list(Paginator(found, 25).get_page(1).object_list)
        return len(rows)

    for text in texts[:20]:  # warm the caches
        page(variants["text"](text))
    print(f"{len(texts)} queries, first page of 25 with the capped count, ms:")
    print(f"  {'variant':<24} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}  found rows")
    slowest: list[tuple[float, str, str]] = []
    for name, make in variants.items():
        times: list[float] = []
        hits = 0
        for text in texts:
            filters = make(text)
            started = time.perf_counter()
            hits += page(filters) > 0
            times.append((time.perf_counter() - started) * 1000)
            slowest.append((times[-1], name, text))
        print(
            f"  {name:<24} {_percentile(times, 50):7.1f} {_percentile(times, 95):7.1f} "
            f"{_percentile(times, 99):7.1f} {max(times):7.1f}  {hits}/{len(texts)} "
            f"(mean {statistics.mean(times):.1f})",
            flush=True,
        )
    print("  slowest:")
    for ms, name, text in sorted(slowest, reverse=True)[:5]:
        print(f"    {ms:7.1f} ms  {name:<24} {text}")


def main() -> None:
    where = "SQLite FTS5" if ARGS.sqlite else f"PostgreSQL {ARGS.database_url}"
    print(f"database: {where}")
    started = time.perf_counter()
    fill(ARGS.articles, ARGS.workers, ARGS.seed)
    print(f"ready in {time.perf_counter() - started:.0f} s: {Article.objects.count():,} articles")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"database size {cursor.fetchone()[0]}")
    else:
        size = Path(connection.settings_dict["NAME"]).stat().st_size / 1e9
        print(f"database file {size:.2f} GB")
    measure(ARGS.queries, ARGS.seed, ARGS.explain)


if __name__ == "__main__":
    main()
