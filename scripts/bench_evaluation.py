"""Recompute an evaluation cycle at national scale and set it against a raw
GROUP BY over the same rows (not a test).

    python scripts/bench_evaluation.py [--offices 8,16] [--repeat 3] [--years 5]
        [--monitoring-years 2] [--monitoring-releases 0.25] [--fresh]
        [--database-url postgres://postgres@127.0.0.1:5432/hamseda_bench_evaluation]

The data: ``hamseda generate``'s generators for 31 provinces over --years years
(meetings with attendance and reports, follow-ups, campaigns, activities), with
every council topped up to the largest --offices evaluated offices (chair and
members; the directory generator makes 7 to 10). Media monitoring's generator runs the real
ingestion pipeline (~200 articles/s), so it is given --monitoring-years years at
--monitoring-releases releases per agency per month (0: no news at all) instead
of five years at four. The data is kept between runs: a SQLite file in
--data-dir, or the PostgreSQL database of --database-url (created when missing);
--fresh starts again. Never point it at a database you care about. PostgreSQL
is analysed after generating, as autovacuum would; a SQLite file has no planner
statistics unless --analyze is given once (Django never runs ANALYZE), and some
providers' plans differ by far between the two.

The cycle: last Jalali year, 20 quantitative criteria cycling over every
registered provider with the three normalisations (min-max, rank, target) and 5
qualitative criteria, each office rated by two evaluators of other provinces
(inserted in bulk: ``rating_save`` re-ranks the whole cycle on every call).

For each --offices N, the first N evaluated offices of every province stay
active and the rest are deactivated (the providers still read every row of the
period), then ``cycle_recompute`` (values from every provider, then the ranking)
is timed --repeat times after one warm-up run, its statements counted in a
separate run (``CaptureQueriesContext``: reads, and writes of criterion values and Result rows
in batches), and one SQL statement aggregating the same tables by office over
the same period (activities and their partners, follow-ups and their offices,
attendance, member reports, mentions, stories, campaign participants and the
activities linked to campaigns) is timed the same way; it reads the same rows
at every N. The ratio is recompute / raw aggregate. Then each criterion's
provider is timed alone, and their sum with each provider counted once.
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
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--offices", default="8,16", help="evaluated offices per province")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--monitoring-years", type=int, default=2)
    parser.add_argument("--monitoring-releases", type=float, default=0.25)
    parser.add_argument("--seed", type=int, default=1404)
    parser.add_argument("--database-url", default="", help="PostgreSQL (created when missing)")
    parser.add_argument("--data-dir", default="/tmp/hamseda-bench-evaluation")
    parser.add_argument("--fresh", action="store_true", help="drop the data and generate again")
    parser.add_argument(
        "--analyze", action="store_true", help="run ANALYZE first (kept in a SQLite file)"
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
SIZES = [int(n) for n in ARGS.offices.split(",")]
TOP = max(SIZES)
os.environ["DJANGO_SETTINGS_MODULE"] = "hamseda.settings"
os.environ["HAMSEDA_DATA_DIR"] = ARGS.data_dir
os.environ.setdefault("HAMSEDA_SECRET_KEY", "bench-evaluation-only-" + "x" * 40)
os.environ["HAMSEDA_BROKER_URL"] = "filesystem://localhost//"
os.environ["HAMSEDA_DEBUG"] = "0"
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
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hamseda.activities.models import (  # noqa: E402
    Activity,
    ActivityKind,
    ActivityPartner,
    ActivityStatus,
)
from hamseda.campaigns.models import Campaign  # noqa: E402
from hamseda.core import indicators, jalali  # noqa: E402
from hamseda.core.policy import Role  # noqa: E402
from hamseda.core.registry import GENERATORS, ordered  # noqa: E402
from hamseda.directory.models import (  # noqa: E402
    Agency,
    AgencyKind,
    Council,
    CouncilMembership,
    MembershipRole,
    Office,
    Person,
)
from hamseda.evaluation.models import Criterion, CriterionKind, Cycle, Rating  # noqa: E402
from hamseda.evaluation.services import compute, cycles  # noqa: E402
from hamseda.followups.models import FollowUp, FollowUpStatus  # noqa: E402
from hamseda.meetings.models import (  # noqa: E402
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
    MemberReport,
)
from hamseda.monitoring.generate import generate_monitoring  # noqa: E402
from hamseda.monitoring.models import Mention, Story, Tone  # noqa: E402

# Agencies a council is topped up with, after the directory generator's.
EXTRA = [
    "سازمان ملی زمین و مسکن، شعبه استان {p}",
    "شرکت بازآفرینی شهری استان {p}",
    "پایانه‌های مسافربری استان {p}",
    "مرکز تحقیقات راه، مسکن و شهرسازی، پایگاه {p}",
    "اداره کل آموزش رانندگان حرفه‌ای استان {p}",
    "اداره کل نظارت بر ساخت‌وساز استان {p}",
    "شرکت ساخت و توسعه زیربناهای حمل و نقل، دفتر {p}",
    "اداره کل املاک دولتی راه و شهرسازی استان {p}",
    "اداره بازرسی فنی ناوگان استان {p}",
    "دفتر فنی و ایمنی راه‌های استان {p}",
]
NORMALISATIONS = ("minmax", "rank", "target")
# Targets of the "target" normalisation, by provider (the rest: 10).
TARGETS = {
    "activities.done": 100,
    "activities.news_releases": 50,
    "monitoring.coverage": 150,
    "monitoring.weighted_coverage": 250,
    "monitoring.negative_share": 20,
    "followups.median_days_to_close": 30,
    "monitoring.stories_per_release": 2,
}
RUBRIC = ["ضعیف", "نیازمند بهبود", "متوسط", "خوب", "عالی"]
EVALUATED = (MembershipRole.CHAIR, MembershipRole.MEMBER)


def _top_up(out: Any) -> None:
    """Add member offices until every council has ``TOP`` evaluated offices."""
    added = 0
    for council in Council.objects.select_related("province").order_by("pk"):
        have = council.memberships.filter(role__in=EVALUATED).count()
        position = council.memberships.count() + 1
        for template in EXTRA[: max(0, TOP - have)]:
            agency = Agency(
                name=template.format(p=council.province.name),
                kind=AgencyKind.SUBSIDIARY_COMPANY,
                province=council.province,
            )
            agency.save()
            office = Office(agency=agency, name=f"روابط عمومی {agency.name}")
            office.save()
            CouncilMembership.objects.create(
                council=council, office=office, role=MembershipRole.MEMBER, position=position
            )
            position += 1
            added += 1
    out.write(f"top-up: {added} member offices added\n")


def _generate() -> None:
    rng = random.Random(ARGS.seed)
    out = sys.stdout
    started = time.perf_counter()
    for hook in ordered(GENERATORS):
        with transaction.atomic():
            if hook.app == "hamseda.monitoring":
                if ARGS.monitoring_years > 0 and ARGS.monitoring_releases > 0:
                    generate_monitoring(
                        provinces=31,
                        years=ARGS.monitoring_years,
                        rng=rng,
                        out=out,
                        releases_per_month=ARGS.monitoring_releases,
                    )
                continue
            hook.run(provinces=31, years=ARGS.years, rng=rng, out=out)
            if hook.app == "hamseda.directory":
                _top_up(out)
        out.flush()
    if connection.vendor == "postgresql":
        _analyze()  # as autovacuum would have by now
    print(f"generated in {time.perf_counter() - started:.0f} s")


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _statistics() -> str:
    """Whether the planner has table statistics: PostgreSQL keeps them (autovacuum);
    SQLite only after an ANALYZE, which Django never runs."""
    if connection.vendor != "sqlite":
        return "kept by PostgreSQL"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        return "from ANALYZE" if cursor.fetchone() else "none (no ANALYZE ever run)"


def _offices_by_province() -> dict[int, list[int]]:
    rows = (
        CouncilMembership.objects.filter(role__in=EVALUATED)
        .values_list("council__province_id", "office_id")
        .order_by("office_id")
    )
    found: dict[int, list[int]] = {}
    for province_id, office_id in rows:
        found.setdefault(province_id, []).append(office_id)
    return found


def _evaluators() -> list[Person]:
    chairs = list(
        CouncilMembership.objects.filter(role=MembershipRole.CHAIR)
        .select_related("office")
        .order_by("council__province_id")[:3]
    )
    people = []
    for n, chair in enumerate(chairs):
        person = Person.objects.filter(username=f"bench-evaluator-{n}").first()
        if person is None:
            person = Person(
                username=f"bench-evaluator-{n}",
                first_name="ارزیاب",
                last_name=f"آزمون {n}",
                office=chair.office,
                role=Role.EVALUATOR,
            )
            person.set_unusable_password()
            person.save()
        people.append(person)
    return people


def _cycle(year: int) -> Cycle:
    """The cycle of ``year`` with 20 quantitative and 5 qualitative criteria,
    rated, scoring started; made once, through the services."""
    found = Cycle.objects.filter(year=year, quarter=0).first()
    if found is not None:
        return found
    ministry = Person.objects.filter(role=Role.MINISTRY_CENTRE).order_by("pk").first()
    cycle = cycles.cycle_create(actor=ministry, year=year, title="بنچمارک ارزیابی")
    for criterion in list(cycle.criteria.all()):
        cycles.criterion_remove(actor=ministry, criterion=criterion)
    providers = sorted(indicators.REGISTRY)
    for n in range(20):
        code = providers[n % len(providers)]
        method = NORMALISATIONS[n % len(NORMALISATIONS)]
        criterion = Criterion(
            cycle=cycle,
            code=f"Q{n + 1:02}",
            kind=CriterionKind.QUANTITATIVE,
            name=f"{code} ({method})",
            weight=Decimal(3),
            position=n + 1,
            provider=code,
            normalisation=method,
            target=float(TARGETS.get(code, 90 if indicators.REGISTRY[code].unit == "%" else 10))
            if method == "target"
            else None,
        )
        cycles.criterion_save(actor=ministry, criterion=criterion)
    qualitative = []
    for n in range(5):
        criterion = Criterion(
            cycle=cycle,
            code=f"L{n + 1}",
            kind=CriterionKind.QUALITATIVE,
            name=f"کیفی {n + 1}",
            weight=Decimal(8),
            position=21 + n,
            rubric=RUBRIC,
        )
        qualitative.append(cycles.criterion_save(actor=ministry, criterion=criterion))
    evaluators = _evaluators()
    province_of = {e.pk: e.office.agency.province_id for e in evaluators if e.office}
    rng = random.Random(year)
    ratings = []
    for province_id, office_ids in _offices_by_province().items():
        panel = [e for e in evaluators if province_of[e.pk] != province_id][:2]
        for office_id in office_ids:
            for criterion in qualitative:
                level = rng.randint(1, 5)
                for evaluator in panel:
                    shifted = min(5, max(1, level + rng.choice((-1, 0, 1))))
                    ratings.append(
                        Rating(
                            criterion=criterion,
                            office_id=office_id,
                            evaluator=evaluator,
                            level=shifted,
                        )
                    )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    print(f"cycle {year}: catalogue of 25 criteria, {len(ratings):,} ratings; scoring starts")
    return cycles.cycle_start_scoring(actor=ministry, cycle=cycle)


def _keep(n: int) -> int:
    """Leave the first ``n`` evaluated offices of each province active."""
    keep, drop = [], []
    for office_ids in _offices_by_province().values():
        keep += office_ids[:n]
        drop += office_ids[n:]
    Office.objects.filter(pk__in=keep).update(is_active=True)
    Office.objects.filter(pk__in=drop).update(is_active=False)
    return compute.evaluated_offices().count()


# --- the raw aggregate ---------------------------------------------------------------

COLUMNS = (
    "done news talks joint due on_time closed attended reported mentions weight "
    "negative stories participants campaign_links campaign_joint"
).split()


def _raw_sql(start: dt.date, end: dt.date) -> tuple[str, list[Any]]:
    """One statement: the per-office figures the providers work from, read from
    the same tables over the same period, as UNION ALL branches summed by office.
    The choices' values are quoted in: constants of the code, never user input."""
    ops = connection.ops
    low = dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN)
    days = [ops.adapt_datefield_value(start), ops.adapt_datefield_value(end)]
    moments = [ops.adapt_datetimefield_value(low), ops.adapt_datetimefield_value(high)]
    closed_day = (
        "date(f.closed_at, '+210 minutes')"  # Tehran, UTC+3:30 all year since 1401
        if connection.vendor == "sqlite"
        else "CAST(f.closed_at AT TIME ZONE 'Asia/Tehran' AS DATE)"
    )
    activity, partner = Activity._meta.db_table, ActivityPartner._meta.db_table
    followup, followup_office = FollowUp._meta.db_table, FollowUp.offices.through._meta.db_table
    meeting, campaign = Meeting._meta.db_table, Campaign._meta.db_table
    news = f"'{ActivityKind.NEWS_RELEASE.value}'"
    talks = f"'{ActivityKind.INTERVIEW.value}', '{ActivityKind.PRESS_CONFERENCE.value}'"
    fu_done = f"'{FollowUpStatus.DONE.value}'"
    done = (
        f"a.status = '{ActivityStatus.DONE.value}' AND a.merged_into_id IS NULL "
        "AND a.start_date BETWEEN %s AND %s"
    )
    held = (
        f"JOIN {meeting} m ON m.id = x.meeting_id WHERE m.status IN "
        f"('{MeetingStatus.HELD.value}', '{MeetingStatus.APPROVED.value}') "
        "AND m.starts_at >= %s AND m.starts_at < %s"
    )
    joint = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {partner} p2 WHERE p2.activity_id = a.id) "
        "THEN 1 ELSE 0 END"
    )
    kinds = {
        "done": "1",
        "news": f"CASE WHEN a.kind = {news} THEN 1 ELSE 0 END",
        "talks": f"CASE WHEN a.kind IN ({talks}) THEN 1 ELSE 0 END",
    }
    attended = f"'{AttendanceStatus.PRESENT.value}', '{AttendanceStatus.REPRESENTED.value}'"
    # (office column, {column: expression}, FROM ..., parameters)
    branches: list[tuple[str, dict[str, str], str, list[Any]]] = [
        ("a.lead_office_id", {**kinds, "joint": joint}, f"{activity} a WHERE {done}", days),
        (
            "p.office_id",
            {**kinds, "joint": "1"},
            f"{partner} p JOIN {activity} a ON a.id = p.activity_id WHERE {done}",
            days,
        ),
        (
            "fo.office_id",
            {
                "due": "1",
                "on_time": f"CASE WHEN f.status = {fu_done} AND {closed_day} <= f.due_date "
                "THEN 1 ELSE 0 END",
            },
            f"{followup_office} fo JOIN {followup} f ON f.id = fo.followup_id WHERE f.due_date "
            f"BETWEEN %s AND %s AND f.status <> '{FollowUpStatus.CANCELLED.value}'",
            days,
        ),
        (
            "fo.office_id",
            {"closed": "1"},
            f"{followup_office} fo JOIN {followup} f ON f.id = fo.followup_id "
            f"WHERE f.status = {fu_done} AND f.closed_at >= %s AND f.closed_at < %s",
            moments,
        ),
        (
            "x.office_id",
            {"attended": f"CASE WHEN x.status IN ({attended}) THEN 1 ELSE 0 END"},
            f"{Attendance._meta.db_table} x {held}",
            moments,
        ),
        (
            "x.office_id",
            {"reported": "CASE WHEN x.submitted_at <= m.starts_at THEN 1 ELSE 0 END"},
            f"{MemberReport._meta.db_table} x {held}",
            moments,
        ),
        (
            "n.office_id",
            {
                "mentions": "1",
                "weight": "n.weight",
                "negative": f"CASE WHEN n.tone = '{Tone.NEGATIVE.value}' THEN 1 ELSE 0 END",
            },
            f"{Mention._meta.db_table} n WHERE n.office_id IS NOT NULL "
            "AND n.published_at >= %s AND n.published_at < %s",
            moments,
        ),
        (
            "a.lead_office_id",
            {"stories": "1"},
            f"{Story._meta.db_table} s JOIN {activity} a ON a.id = s.activity_id "
            f"WHERE a.kind = {news} AND {done}",
            days,
        ),
        (
            "cp.office_id",
            {"participants": "1"},
            f"{Campaign.participants.through._meta.db_table} cp "
            f"JOIN {campaign} c ON c.id = cp.campaign_id WHERE c.end_date BETWEEN %s AND %s",
            days,
        ),
        # What campaigns.targets_met counts: the done activities linked to the
        # campaigns that ended in the period, inside each campaign's dates.
        (
            "a.lead_office_id",
            {"campaign_links": "1", "campaign_joint": joint},
            f"{Activity.campaigns.through._meta.db_table} l "
            f"JOIN {campaign} c ON c.id = l.campaign_id JOIN {activity} a ON a.id = l.activity_id "
            f"WHERE c.end_date BETWEEN %s AND %s AND a.status = '{ActivityStatus.DONE.value}' "
            "AND a.merged_into_id IS NULL AND a.start_date BETWEEN c.start_date AND c.end_date",
            days,
        ),
    ]
    parts, params = [], []
    for office, values, source, args in branches:
        columns = ", ".join(f"{values.get(name, '0')} AS {name}" for name in COLUMNS)
        parts.append(f"SELECT {office} AS office_id, {columns} FROM {source}")
        params += args
    sums = ", ".join(f"SUM({name}) AS {name}" for name in COLUMNS)
    union = "\nUNION ALL\n".join(parts)
    return f"SELECT office_id, {sums} FROM (\n{union}\n) t GROUP BY office_id", params


def _raw(sql: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


# --- measuring -----------------------------------------------------------------------


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Median wall time of ``--repeat`` runs after one warm-up, and its result."""
    result = run()
    times = []
    for _ in range(ARGS.repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _statements(run: Callable[[], Any]) -> tuple[int, int]:
    """(reads, writes) among the statements ``run`` sends."""
    with CaptureQueriesContext(connection) as captured:
        run()
    sql = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")
    sql = [s for s in sql if not s.startswith(control)]
    reads = sum(1 for s in sql if s.startswith("SELECT"))
    return reads, len(sql) - reads


def _providers(cycle: Cycle) -> list[tuple[str, str, float, int]]:
    start, end = cycle.bounds
    rows = []
    for criterion in cycle.criteria.filter(kind=CriterionKind.QUANTITATIVE):
        compute_one = indicators.REGISTRY[criterion.provider].compute

        def one(compute_one: Callable[..., Any] = compute_one) -> Any:
            return compute_one(start=start, end=end, office_ids=None)

        seconds, _result = _timed(one)
        with CaptureQueriesContext(connection) as captured:
            one()
        rows.append((criterion.code, criterion.provider, seconds, len(captured)))
    return rows


def _data_summary(cycle: Cycle) -> str:
    start, end = cycle.bounds
    low = dt.datetime.combine(start, dt.time.min, tzinfo=jalali.TEHRAN)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=jalali.TEHRAN)
    counts = {
        "activities": (Activity.objects, {"start_date__range": (start, end)}),
        "follow-ups": (FollowUp.objects, {"due_date__range": (start, end)}),
        "meetings": (Meeting.objects, {"starts_at__gte": low, "starts_at__lt": high}),
        "attendance": (Attendance.objects, {"meeting__starts_at__range": (low, high)}),
        "mentions": (Mention.objects, {"published_at__gte": low, "published_at__lt": high}),
        "campaigns": (Campaign.objects, {"end_date__range": (start, end)}),
    }
    return ", ".join(
        f"{name} {manager.count():,} ({manager.filter(**period).count():,} in the cycle)"
        for name, (manager, period) in counts.items()
    )


def _row(cycle: Cycle, n: int, sql: str, params: list[Any]) -> tuple[str, float]:
    offices = _keep(n)

    def recompute() -> Any:
        return compute.cycle_recompute(cycle=cycle)

    seconds, report = _timed(recompute)
    assert report.offices == offices, (report.offices, offices)
    values, _report = _timed(lambda: compute.cycle_compute_values(cycle=cycle))
    rank, _ranked = _timed(lambda: compute.cycle_rank(cycle=cycle))
    reads, writes = _statements(recompute)
    raw, _groups = _timed(lambda: _raw(sql, params))
    label = f"31 × {n} = {offices}"
    line = (
        f"{label:>16} {seconds:9.2f}s {values:7.2f}s {rank:6.2f}s {reads + writes:11} "
        f"{reads:6} {writes:7} {raw:12.2f}s {seconds / raw:5.1f}×"
    )
    return line, raw


def main() -> None:
    where = ARGS.database_url or str(Path(ARGS.data_dir, "hamseda.sqlite3"))
    print(f"database: {connection.vendor} {where}")
    call_command("migrate", verbosity=0)
    if not Council.objects.exists():
        _generate()
    year = jalali.to_jalali(jalali.today()).year - 1
    cycle = _cycle(year)
    if ARGS.analyze:
        _analyze()
    print(f"data (all years): {_data_summary(cycle)}")
    print(f"planner statistics: {_statistics()}")
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    start, end = cycle.bounds
    sql, params = _raw_sql(start, end)
    inactive = set(Office.objects.filter(is_active=False).values_list("pk", flat=True))
    quantitative = cycle.criteria.filter(kind=CriterionKind.QUANTITATIVE).count()
    qualitative = cycle.criteria.count() - quantitative
    print(
        f"\ncycle {year} ({start} .. {end}): {quantitative} quantitative criteria over "
        f"{len(indicators.REGISTRY)} providers, {qualitative} qualitative; "
        f"median of {ARGS.repeat} runs after a warm-up\n"
    )
    header = (
        f"{'offices':>16} {'recompute':>10} {'values':>8} {'rank':>7} {'statements':>11} "
        f"{'reads':>6} {'writes':>7} {'raw GROUP BY':>13} {'ratio':>6}"
    )
    print(header)
    print("-" * len(header))
    try:
        for n in SIZES:
            line, raw = _row(cycle, n, sql, params)
            print(line, flush=True)
        print(
            "(recompute = values + rank; statements counted in one more run of recompute; "
            "writes: criterion values, then deleting and inserting Result rows, in batches)"
        )
        print(f"\nproviders, each called alone at 31 × {SIZES[-1]} (office_ids=None):")
        once: dict[str, float] = {}
        for code, provider, seconds, queries in _providers(cycle):
            once.setdefault(provider, seconds)
            print(f"  {code}  {provider:<34} {seconds * 1000:8.1f} ms  {queries} queries")
        total = sum(once.values())
        print(
            f"the {len(once)} providers once each: {total:.2f} s, "
            f"{total / raw:.1f}× the raw GROUP BY"
        )
    finally:
        Office.objects.exclude(pk__in=inactive).update(is_active=True)
    print(f"\nload average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
