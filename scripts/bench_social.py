"""Time the social and broadcast reads on national-scale generated data (not a test).

    python scripts/bench_social.py [--repeat 5] [--years 5] [--provinces 31] [--fresh]
        [--database-url postgres://postgres@127.0.0.1:5432/hamseda_bench_social]
        [--explain]

The data: ``hamseda generate``'s directory, campaigns, broadcast and social
generators for --provinces provinces over --years years (the other apps'
generators are left out: nothing measured here reads their tables, and media
monitoring's runs the real ingestion pipeline). It is made once and kept between
runs: the PostgreSQL database of --database-url (created when missing; the
default), or with ``--database-url ''`` a SQLite file in --data-dir; --fresh
starts again. Never point it at a database you care about. PostgreSQL is
analysed after generating, as autovacuum would.

Measured, each as the median of --repeat runs after one warm-up, with the
statements it sends counted in one more run:

1. every ``social.*`` and ``broadcast.*`` indicator provider over the last full
   Jalali year, for all offices of every council (``office_ids`` as the
   evaluation passes them) and with ``office_ids=None``;
2. ``social.coverage.coverage_matrix`` as the ministry centre (all provinces,
   then one province) and as a council chair;
3. the coverage page (/social/coverage/) and the posts list (/social/) served
   in-process through Django's full middleware stack by the test Client, as the
   ministry centre user (all provinces; one province) and as a chair.

Anything slower than 1 s (a provider) or 300 ms (a page) is flagged; with
--explain its slowest statement is shown with EXPLAIN ANALYZE (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hamseda_bench_social"
APPS = ("hamseda.directory", "hamseda.campaigns", "hamseda.broadcast", "hamseda.social")
PROVIDER_LIMIT = 1.0  # seconds
PAGE_LIMIT = 0.3


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--provinces", type=int, default=31)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1404)
    parser.add_argument(
        "--database-url", default=DEFAULT_URL, help="PostgreSQL (created when missing)"
    )
    parser.add_argument("--data-dir", default="/tmp/hamseda-bench-social")
    parser.add_argument("--fresh", action="store_true", help="drop the data and generate again")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE the slowest statement of a slow read",
    )
    return parser.parse_args()


def _postgres(url: str, fresh: bool) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"refusing to use the database {name!r}")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        if fresh:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            db.execute(f'CREATE DATABASE "{name}"')


ARGS = _args()
os.environ["DJANGO_SETTINGS_MODULE"] = "hamseda.settings"
os.environ["HAMSEDA_DATA_DIR"] = ARGS.data_dir
os.environ.setdefault("HAMSEDA_SECRET_KEY", "bench-social-only-" + "x" * 40)
os.environ["HAMSEDA_BROKER_URL"] = "filesystem://localhost//"
os.environ["HAMSEDA_DEBUG"] = "0"
os.environ["HAMSEDA_ALLOWED_HOSTS"] = "testserver"
Path(ARGS.data_dir).mkdir(parents=True, exist_ok=True)
if ARGS.database_url:
    _postgres(ARGS.database_url, ARGS.fresh)
    os.environ["HAMSEDA_DATABASE_URL"] = ARGS.database_url
else:
    os.environ.pop("HAMSEDA_DATABASE_URL", None)
    if ARGS.fresh:
        Path(ARGS.data_dir, "hamseda.sqlite3").unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hamseda.broadcast.models import Dispatch, DispatchItem, Pitch  # noqa: E402
from hamseda.core import indicators, jalali  # noqa: E402
from hamseda.core.policy import Role  # noqa: E402
from hamseda.core.registry import GENERATORS, ordered  # noqa: E402
from hamseda.directory.models import Council, CouncilMembership, Person  # noqa: E402
from hamseda.social import coverage  # noqa: E402
from hamseda.social.models import (  # noqa: E402
    Delivery,
    JointInvite,
    JointPost,
    Post,
    SocialAccount,
)

SLOW: list[tuple[str, Callable[[], Any]]] = []


def _generate() -> None:
    rng = random.Random(ARGS.seed)
    started = time.perf_counter()
    for hook in ordered(GENERATORS):
        if hook.app not in APPS:
            continue
        began = time.perf_counter()
        with transaction.atomic():
            hook.run(provinces=ARGS.provinces, years=ARGS.years, rng=rng, out=sys.stdout)
        print(f"  ({hook.app}: {time.perf_counter() - began:.1f} s)", flush=True)
    print(f"generated in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _timed(run: Callable[[], Any]) -> tuple[float, int, Any]:
    """Median wall time of --repeat runs after one warm-up, the statements of one
    more run, and the result."""
    result = run()
    times = []
    for _ in range(ARGS.repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        run()
    return statistics.median(times), len(captured), result


def _flag(label: str, seconds: float, limit: float, run: Callable[[], Any]) -> str:
    if seconds <= limit:
        return ""
    SLOW.append((label, run))
    return "  << SLOW"


def _explain(label: str, run: Callable[[], Any]) -> None:
    """EXPLAIN ANALYZE the slowest statement ``run`` sends."""
    with CaptureQueriesContext(connection) as captured:
        run()
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
    print(f"\n--- {label}: slowest statement ({slowest['time']} s)\n{slowest['sql'][:1500]}")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (line,) in cursor.fetchall():
            print("  " + line)


def _data() -> None:
    period = Delivery.objects.count()
    print(
        f"data: {Council.objects.count()} councils, "
        f"{CouncilMembership.objects.count()} council offices; "
        f"{SocialAccount.objects.count():,} channels, {Post.objects.count():,} posts, "
        f"{period:,} deliveries, {JointPost.objects.count():,} joint posts, "
        f"{JointInvite.objects.count():,} invitations; {Pitch.objects.count():,} pitches, "
        f"{Dispatch.objects.count():,} dispatches, {DispatchItem.objects.count():,} items"
    )


def _providers(start: dt.date, end: dt.date, office_ids: list[int]) -> None:
    codes = sorted(c for c in indicators.REGISTRY if c.startswith(("social.", "broadcast.")))
    print(
        f"\nproviders over {start} .. {end} (Jalali {jalali.to_jalali(start).year}); "
        f"{len(office_ids)} offices; median of {ARGS.repeat}"
    )
    print(
        f"  {'provider':<34} {'offices':>8} {'ms':>9} {'queries':>8}   {'None':>9} {'queries':>8}"
    )
    for code in codes:
        compute = indicators.REGISTRY[code].compute

        def listed(compute: Callable[..., Any] = compute) -> Any:
            return compute(start=start, end=end, office_ids=office_ids)

        def every(compute: Callable[..., Any] = compute) -> Any:
            return compute(start=start, end=end, office_ids=None)

        seconds, queries, values = _timed(listed)
        all_seconds, all_queries, _values = _timed(every)
        flag = _flag(f"provider {code}", max(seconds, all_seconds), PROVIDER_LIMIT, listed)
        print(
            f"  {code:<34} {len(values):>8} {seconds * 1000:9.1f} {queries:>8}   "
            f"{all_seconds * 1000:9.1f} {all_queries:>8}{flag}",
            flush=True,
        )


def _matrix(ministry: Person, chair: Person) -> None:
    province = chair.office.agency.province if chair.office else None
    print("\ncoverage_matrix (last 30 days)")
    cases = [
        ("ministry, all provinces", ministry, None),
        ("ministry, one province", ministry, province),
        ("chair (own province)", chair, None),
    ]
    for label, viewer, where in cases:

        def run(viewer: Person = viewer, where: Any = where) -> Any:
            return coverage.coverage_matrix(viewer=viewer, province=where)

        seconds, queries, matrix = _timed(run)
        flag = _flag(f"coverage_matrix, {label}", seconds, PROVIDER_LIMIT, run)
        print(
            f"  {label:<28} {len(matrix.rows):>5} rows {seconds * 1000:9.1f} ms "
            f"{queries:>4} queries  share {matrix.share}%{flag}",
            flush=True,
        )


def _pages(ministry: Person, chair: Person) -> None:
    province_id = chair.office.agency.province_id if chair.office else None
    pages = [
        ("coverage, ministry, all", ministry, "/social/coverage/"),
        ("coverage, ministry, one province", ministry, f"/social/coverage/?province={province_id}"),
        ("coverage, chair", chair, "/social/coverage/"),
        ("posts list, ministry", ministry, "/social/"),
        ("posts list, chair", chair, "/social/"),
        ("posts list, chair, page 50", chair, "/social/?page=50"),
        ("posts list, chair, search", chair, "/social/?q=نهضت+ملی+مسکن"),
    ]
    print("\npages (test Client, in-process)")
    for label, user, url in pages:
        client = Client()
        client.force_login(user)

        def get(client: Client = client, url: str = url) -> Any:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        seconds, queries, response = _timed(get)
        flag = _flag(f"page {label}", seconds, PAGE_LIMIT, get)
        print(
            f"  {label:<34} {seconds * 1000:8.1f} ms {queries:>4} queries "
            f"{len(response.content) // 1024:>6} KB{flag}",
            flush=True,
        )


def main() -> None:
    where = ARGS.database_url or str(Path(ARGS.data_dir, "hamseda.sqlite3"))
    print(f"database: {connection.vendor} {where}")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Council.objects.exists():
        _generate()
    _data()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    ministry = Person.objects.filter(role=Role.MINISTRY_CENTRE).order_by("pk").first()
    chair = (
        Person.objects.filter(role=Role.COUNCIL_CHAIR)
        .select_related("office__agency__province")
        .order_by("pk")
        .first()
    )
    assert ministry is not None, "no generated ministry centre"
    assert chair is not None, "no generated chair"
    year = jalali.to_jalali(jalali.today()).year - 1
    start, end = jalali.jalali_year_bounds(year)
    office_ids = sorted(set(CouncilMembership.objects.values_list("office_id", flat=True)))
    _providers(start, end, office_ids)
    _matrix(ministry, chair)
    _pages(ministry, chair)
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if SLOW:
        print(f"\nslow: {', '.join(label for label, _run in SLOW)}")
        if ARGS.explain:
            for label, run in SLOW:
                _explain(label, run)


if __name__ == "__main__":
    main()
