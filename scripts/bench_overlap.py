"""Time the parallel-work lookup (``activities.overlap.find_overlaps``) on a large
index (not a test).

    python scripts/bench_overlap.py [--activities 100000] [--queries 600] [--explain]
    (add HAMSEDA_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/DB to measure
    PostgreSQL, on a database of its own: ``createdb -h 127.0.0.1 -U postgres
    hamseda_bench``; without it the database is SQLite in HAMSEDA_DATA_DIR, by
    default /tmp/hamseda-bench-overlap, never the dev database)

The database is migrated; if it holds fewer than --activities activities, synthetic
ones (Persian titles and descriptions of provincial PR work across the 31
provinces; offices are created per province if missing) are added with
bulk_create and indexed with ``overlap.index_bulk``. Then ``find_overlaps`` is
timed for --queries texts: half reworded copies of stored activities (synonyms,
half-spaces, Arabic letters, a date shifted by up to 3 days), asked for by another
office of the same province, and half new texts. Prints p50/p95/p99 in ms, the
number of activities and band rows, and how many reworded copies found their
original.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamseda.settings")
# The SQLite database lives in the data folder: a bench folder of its own unless
# told otherwise, kept between runs so the 100,000 activities are made once.
if not os.environ.get("HAMSEDA_DATA_DIR"):
    os.environ["HAMSEDA_DATA_DIR"] = str(Path(tempfile.gettempdir()) / "hamseda-bench-overlap")
os.environ.setdefault("HAMSEDA_SECRET_KEY", "bench-overlap-only-" + "x" * 40)
Path(os.environ["HAMSEDA_DATA_DIR"]).mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from hamseda.activities import overlap  # noqa: E402
from hamseda.activities.models import Activity, ActivityBand, ActivityKind, ActivityStatus  # noqa: E402
from hamseda.core import persian  # noqa: E402
from hamseda.directory.models import Agency, AgencyKind, Office, Province  # noqa: E402

# --- synthetic but realistic activities -------------------------------------------

AGENCIES = [
    ("اداره کل راه و شهرسازی استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE),
    ("اداره کل راهداری و حمل و نقل جاده‌ای استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE),
    ("اداره کل راه‌آهن منطقه {p}", AgencyKind.PROVINCIAL_DIRECTORATE),
    ("اداره کل فرودگاه‌های استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE),
    ("اداره کل هواشناسی استان {p}", AgencyKind.PROVINCIAL_DIRECTORATE),
    ("مجری طرح‌های زیربنایی حمل و نقل استان {p}", AgencyKind.SUBSIDIARY_COMPANY),
    ("استانداری {p}", AgencyKind.GOVERNORATE),
    ("بنیاد مسکن انقلاب اسلامی استان {p}", AgencyKind.PARTNER_AGENCY),
    ("سازمان نظام مهندسی ساختمان استان {p}", AgencyKind.PARTNER_AGENCY),
]
KINDS = [
    (ActivityKind.PRESS_CONFERENCE, ["نشست خبری {who} درباره {what}", "کنفرانس خبری {what}"]),
    (
        ActivityKind.EVENT_COVERAGE,
        ["بازدید خبرنگاران از {what}", "تور رسانه‌ای {what}", "پوشش خبری آیین افتتاح {what}"],
    ),
    (ActivityKind.NEWS_RELEASE, ["انتشار خبر {what}", "اطلاعیه {what}", "گزارش خبری {what}"]),
    (ActivityKind.INTERVIEW, ["مصاحبه {who} درباره {what}", "گفت‌وگوی رادیویی درباره {what}"]),
    (ActivityKind.MULTIMEDIA, ["اینفوگرافیک {what}", "گزارش ویدئویی {what}", "موشن‌گرافیک {what}"]),
    (ActivityKind.EXHIBITION, ["غرفه {what} در نمایشگاه {occasion}", "نمایشگاه عکس {what}"]),
    (ActivityKind.SOCIAL_CAMPAIGN, ["پویش مجازی {what}", "پویش «{what}» در پیام‌رسان‌ها"]),
    (ActivityKind.PUBLICATION, ["ویژه‌نامه {occasion}", "بروشور {what}"]),
    (ActivityKind.BROADCAST_ITEM, ["برنامه تلویزیونی {what}", "میزگرد رادیویی {what}"]),
]
SUBJECTS = [
    "پروژه نهضت ملی مسکن {place}",
    "پیشرفت {n} واحد مسکن ملی {place}",
    "آزادراه {place} ـ {place2}",
    "کنارگذر {dir} {place}",
    "پل روگذر تقاطع {street}",
    "بهسازی محور {place} ـ {place2}",
    "ایستگاه راه‌آهن {place}",
    "قطار {place} ـ {place2}",
    "ترمینال جدید فرودگاه {place}",
    "پروازهای {place} ـ {place2}",
    "هشدار هواشناسی {weather} در {place}",
    "بازآفرینی بافت فرسوده {place}",
    "طرح هادی روستای {village}",
    "مقاوم‌سازی مسکن روستایی {place}",
    "راهداری زمستانی محور {place}",
    "ایمنی سفرهای نوروزی در محور {place}",
    "ساماندهی حریم راه {place}",
    "آزمون ورود به حرفه مهندسان",
    "مقررات ملی ساختمان در {place}",
    "واگذاری زمین به خانواده‌های سه فرزند در {place}",
]
PLACES = (
    "کاشان نجف‌آباد خمینی‌شهر شاهین‌شهر فولادشهر بهارستان مجلسی گلپایگان خوانسار نطنز اردستان "
    "نائین شهرضا سمیرم فریدن چادگان فریدونشهر لنجان مبارکه برخوار دهاقان تیران آران‌وبیدگل "
    "شیراز مرودشت کازرون فسا جهرم لار داراب تبریز مراغه مرند میانه اهر رشت انزلی لاهیجان آستارا "
    "ساری بابل آمل قائم‌شهر نوشهر مشهد نیشابور سبزوار تربت کرج هشتگرد پردیس قم ساوه اراک "
    "همدان ملایر کرمانشاه سنندج یزد میبد اردکان کرمان رفسنجان بم بندرعباس قشم بوشهر اهواز "
    "دزفول آبادان زاهدان چابهار زنجان قزوین سمنان شاهرود گرگان بجنورد بیرجند ایلام یاسوج "
    "شهرکرد بروجن خرم‌آباد بروجرد اردبیل ارومیه خوی"
).split()
VILLAGES = "ورزنه قمصر ابیانه برزک نیاسر کوهپایه زفره مورچه‌خورت جوشقان میمه".split()
STREETS = "شهید کشوری|آزادی|امام خمینی|بسیج|ولیعصر|کمربندی شمالی|جمهوری|معلم".split("|")
WHO = ["مدیرکل", "معاون وزیر", "استاندار", "مدیرعامل", "سرپرست اداره کل", "معاون عمرانی"]
OCCASIONS = ["هفته دولت", "دهه فجر", "هفته حمل و نقل", "نوروز", "روز ملی هواشناسی"]
WEATHER = ["بارش برف", "وزش باد شدید", "گرد و خاک", "سیلاب", "موج گرما"]
DESCRIPTIONS = [
    "با حضور {who} و {n} نفر از خبرنگاران رسانه‌های {place}",
    "پیشرفت فیزیکی {n} درصد و برنامه تکمیل تا پایان سال",
    "تهیه عکس، خبر و گزارش ویدئویی برای پایگاه اینترنتی و پیام‌رسان‌های داخلی",
    "هماهنگی با روابط عمومی استانداری و صدا و سیمای مرکز",
    "پاسخ به پرسش‌های مردم {place} درباره زمان بهره‌برداری",
    "اعلام آمار {n} هزار مسافر و توصیه‌های ایمنی سفر",
    "ارسال به خبرگزاری‌ها و روزنامه‌های استان",
    "به مناسبت {occasion}",
    "",
]
REWORDINGS = [
    ("خبرنگاران", "اصحاب رسانه"),
    ("بازدید", "سفر"),
    ("نشست خبری", "کنفرانس خبری"),
    ("تور رسانه‌ای", "بازدید اصحاب رسانه از"),
    ("پروژه", "طرح"),
    ("نهضت ملی مسکن", "مسکن ملی"),
    ("افتتاح", "بهره‌برداری از"),
    ("اطلاعیه", "اطلاع‌رسانی"),
    ("راه‌آهن", "راه آهن"),
    ("مسکن", "مسكن"),
    ("ی ", "ي "),
    ("ویدئویی", "ویدیویی"),
    ("گفت‌وگوی", "مصاحبه"),
    ("مدیرکل", "مدیر کل"),
]


def _text(rng: random.Random) -> tuple[str, str, str]:
    kind, patterns = rng.choice(KINDS)
    place, place2 = rng.sample(PLACES, 2)
    fill = {
        "place": place,
        "place2": place2,
        "dir": rng.choice(["شرقی", "غربی", "شمالی", "جنوبی"]),
        "street": rng.choice(STREETS),
        "village": rng.choice(VILLAGES),
        "weather": rng.choice(WEATHER),
        "n": persian.fa_digits(rng.choice([120, 300, 450, 500, 800, 1200, 2000, 4000])),
        "who": rng.choice(WHO),
        "occasion": rng.choice(OCCASIONS),
    }
    fill["what"] = rng.choice(SUBJECTS).format(**fill)
    title = rng.choice(patterns).format(**fill)
    parts = rng.randint(0, 2)
    description = " ".join(rng.choice(DESCRIPTIONS).format(**fill) for _ in range(parts))
    return kind, persian.normalize(title), persian.normalize(description)


def _reword(rng: random.Random, text: str) -> str:
    for old, new in rng.sample(REWORDINGS, len(REWORDINGS)):
        if old in text and rng.random() < 0.7:
            text = text.replace(old, new, 1)
    return text


def _offices_by_province() -> dict[int, list[int]]:
    """Offices per province, creating the ministry family's where a province has few."""
    offices: dict[int, list[int]] = {}
    for province in Province.objects.all():
        existing = list(
            Office.objects.filter(agency__province=province).values_list("pk", flat=True)
        )
        if len(existing) < 5:
            for template, kind in AGENCIES:
                agency, _ = Agency.objects.get_or_create(
                    province=province,
                    name_key=persian.compact_key(template.format(p=province.name)),
                    defaults={"name": template.format(p=province.name), "kind": kind},
                )
                office, _ = Office.objects.get_or_create(
                    agency=agency, defaults={"name": f"روابط عمومی {agency.name}"}
                )
                existing.append(office.pk)
        offices[province.pk] = sorted(set(existing))
    return offices


def fill(target: int, offices: dict[int, list[int]], rng: random.Random) -> None:
    missing = target - Activity.objects.count()
    if missing <= 0:
        return
    print(f"adding {missing} activities ...", flush=True)
    started = time.perf_counter()
    today = dt.date.today()
    provinces = sorted(offices)
    batch: list[Activity] = []
    for n in range(missing):
        province_id = provinces[n % len(provinces)]
        kind, title, description = _text(rng)
        day = today + dt.timedelta(days=rng.randint(-4 * 365, 120))
        if day > today:
            status = ActivityStatus.PLANNED
        else:
            status = ActivityStatus.CANCELLED if rng.random() < 0.05 else ActivityStatus.DONE
        activity = Activity(
            title=title,
            description=description,
            kind=kind,
            status=status,
            start_date=day,
            end_date=day + dt.timedelta(days=0 if rng.random() < 0.85 else rng.randint(1, 10)),
            lead_office_id=rng.choice(offices[province_id]),
            province_id=province_id,
        )
        activity.fill_text_key()
        batch.append(activity)
        if len(batch) == 5000 or n == missing - 1:
            with transaction.atomic():
                Activity.objects.bulk_create(batch, batch_size=1000)
                overlap.index_bulk(batch, replace=False)
            batch = []
            print(f"  {n + 1} ({time.perf_counter() - started:.0f} s)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1404)
    parser.add_argument("--explain", action="store_true", help="print the band lookup's plan")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    call_command("migrate", verbosity=0)
    offices = _offices_by_province()
    fill(args.activities, offices, rng)
    if not ActivityBand.objects.exists():
        call_command("activities_reindex")
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load; without it the planner
        # guesses the band table's selectivity from an empty-table estimate.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    count = Activity.objects.count()
    bands = ActivityBand.objects.count()
    print(f"{connection.vendor}: {count} activities, {bands} band rows")

    # Reworded copies of live activities, asked for by another office of the province.
    live = list(
        Activity.objects.filter(merged_into__isnull=True)
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("?")
        .values_list(
            "pk", "title", "description", "start_date", "end_date", "province_id", "lead_office_id"
        )[: args.queries // 2]
    )
    queries = []
    for pk, title, description, start, end, province_id, lead_office_id in live:
        shift = dt.timedelta(days=rng.randint(-3, 3))
        others = [o for o in offices.get(province_id, []) if o != lead_office_id] or [0]
        queries.append(
            (
                pk,
                dict(
                    title=_reword(rng, title),
                    description=_reword(rng, description),
                    start_date=start + shift,
                    end_date=end + shift,
                    province_id=province_id,
                    exclude_office_ids=[rng.choice(others)],
                    today=start - dt.timedelta(days=rng.randint(0, 20)),
                ),
            )
        )
    provinces = sorted(offices)
    while len(queries) < args.queries:
        _kind, title, description = _text(rng)
        start = dt.date.today() + dt.timedelta(days=rng.randint(-10, 60))
        queries.append(
            (
                None,
                dict(
                    title=title,
                    description=description,
                    start_date=start,
                    end_date=start,
                    province_id=rng.choice(provinces),
                    exclude_office_ids=[],
                    today=dt.date.today(),
                ),
            )
        )
    rng.shuffle(queries)

    if args.explain:
        with CaptureQueriesContext(connection) as captured:
            overlap.find_overlaps(**queries[0][1])
        lookup = next(q["sql"] for q in captured.captured_queries if "activityband" in q["sql"])
        with connection.cursor() as cursor:
            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(prefix + lookup)
            print("band lookup plan:")
            for row in cursor.fetchall():
                print("   ", row[-1])

    for _warm in range(20):
        overlap.find_overlaps(**queries[_warm][1])
    times = []
    found = reworded = matches_total = 0
    for source, kwargs in queries:
        started = time.perf_counter()
        matches = overlap.find_overlaps(**kwargs)
        times.append((time.perf_counter() - started) * 1000)
        matches_total += len(matches)
        if source is not None:
            reworded += 1
            found += any(m.activity.pk == source for m in matches)
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(len(times) * p))]

    print(
        f"find_overlaps over {len(times)} texts: p50 {statistics.median(times):.1f} ms, "
        f"p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms, max {times[-1]:.1f} ms"
    )
    print(
        f"reworded copies that found their original: {found}/{reworded} "
        f"({found / max(reworded, 1):.0%}); {matches_total / len(times):.2f} matches per text"
    )


if __name__ == "__main__":
    sys.exit(main())
