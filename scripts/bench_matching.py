"""Time agency and campaign matching over generated Persian news; prints docs/s.

    python scripts/bench_matching.py [--docs 5000] [--regex]

Not a test: the numbers depend on the machine. ~2,000 patterns: the agencies of a
provincial council (as in isfahan-council.csv) for each of the 31 provinces with their
derived forms (``agency_patterns``, Isfahan as home province) plus campaigns' keywords
and hashtags. Articles are ~1,500 characters of news filler with a few mentions spelled
as newspapers do (Arabic ي/ك, half-spaces stripped or spaced, hashtags). ``--regex``
also times one regex alternation of the same folded keys over the same folded text,
the alternative the module docstring rejects.
"""

from __future__ import annotations

import argparse
import random
import re
import time

from hamseda.monitoring.matching import AgencyNames, Matcher, agency_patterns, fold_key

PROVINCES = (
    "آذربایجان شرقی،آذربایجان غربی،اردبیل،اصفهان،البرز،ایلام،بوشهر،تهران،چهارمحال و بختیاری،"
    "خراسان جنوبی،خراسان رضوی،خراسان شمالی،خوزستان،زنجان،سمنان،سیستان و بلوچستان،فارس،قزوین،"
    "قم،کردستان،کرمان،کرمانشاه،کهگیلویه و بویراحمد،گلستان،گیلان،لرستان،مازندران،مرکزی،"
    "هرمزگان،همدان،یزد"
).split("،")
# A provincial council's members, "{p}" the province (isfahan-council.csv and the usual
# provincial offices of other ministries).
AGENCY_TEMPLATES = [
    "اداره کل راه و شهرسازی استان {p}",
    "اداره کل راهداری و حمل و نقل جاده‌ای استان {p}",
    "اداره کل راه‌آهن منطقه {p}",
    "اداره کل فرودگاه‌های استان {p}",
    "اداره کل هواشناسی استان {p}",
    "مجری طرح‌های زیربنایی حمل و نقل استان {p}",
    "استانداری {p}",
    "بنیاد مسکن انقلاب اسلامی استان {p}",
    "سازمان نظام مهندسی ساختمان استان {p}",
    "صدا و سیمای مرکز {p}",
    "اداره کل میراث فرهنگی، گردشگری و صنایع دستی استان {p}",
    "سازمان جهاد کشاورزی استان {p}",
    "شرکت آب و فاضلاب استان {p}",
    "اداره کل بهزیستی استان {p}",
    "سازمان صنعت، معدن و تجارت استان {p}",
]
NATIONAL = [
    "وزارت راه و شهرسازی",
    "مرکز ارتباطات و اطلاع‌رسانی وزارت راه و شهرسازی",
    "وزارت کشور",
    "سازمان هواپیمایی کشوری",
]
CAMPAIGN_TOPICS = [
    "نهضت ملی مسکن",
    "سفرهای نوروزی",
    "هفته ایمنی راه",
    "طرح ترافیکی اربعین",
    "روز ملی هواشناسی",
    "هفته دولت",
    "بازآفرینی شهری",
    "طرح ملی ساماندهی",
    "مسکن مهر",
    "روز جهانی محیط زیست",
]
FILLER = (
    "به گزارش روابط عمومی در این نشست که با حضور مدیران و کارشناسان برگزار شد گزارشی از "
    "عملکرد سال گذشته ارائه و بر ضرورت هماهنگی میان دستگاه‌های اجرایی تاکید شد همچنین "
    "مقرر شد برنامه‌های اطلاع‌رسانی با استفاده از ظرفیت شبکه‌های اجتماعی و رسانه‌های محلی "
    "گسترش یابد وی افزود رقم اعتبارات امسال نسبت به سال قبل افزایش یافته و راهکارهای "
    "عملی برای رفع مشکلات مردم در دستور کار قرار دارد قطعا همکاری رسانه‌ها در این زمینه "
    "موثر است و پیگیری مطالبات شهروندان از اولویت‌های مجموعه به شمار می‌رود"
).split()


def build_patterns() -> list[tuple[str, object]]:
    agencies = [
        AgencyNames((province, index), template.format(p=province), (), province)
        for province in PROVINCES
        for index, template in enumerate(AGENCY_TEMPLATES)
    ]
    agencies += [AgencyNames(("national", name), name) for name in NATIONAL]
    patterns: list[tuple[str, object]] = list(agency_patterns(agencies, home_province="اصفهان"))
    for topic in CAMPAIGN_TOPICS:
        for province in PROVINCES:  # a campaign per topic and province
            target = ("campaign", topic, province)
            patterns.append((f"{topic} {province}", target))
            patterns.append(("#" + f"{topic} {province}".replace(" ", "_"), target))
    return patterns


def respell(rng: random.Random, name: str) -> str:
    """A newspaper's spelling of ``name``."""
    choice = rng.randrange(5)
    if choice == 0:
        return name.replace("ی", "ي").replace("ک", "ك")
    if choice == 1:
        return name.replace("\u200c", "")
    if choice == 2:
        return name.replace("\u200c", " ")
    if choice == 3:
        return "#" + name.replace(" ", "_")
    return name


def make_articles(count: int, patterns: list[tuple[str, object]], seed: int = 1403) -> list[str]:
    rng = random.Random(seed)
    names = [pattern for pattern, _ in patterns if not pattern.startswith("#")]
    articles = []
    for _ in range(count):
        words: list[str] = []
        length = 0
        while length < 1500:
            mention = rng.random() < 0.02
            word = respell(rng, rng.choice(names)) if mention else rng.choice(FILLER)
            words.append(word)
            length += len(word) + 1
        articles.append(" ".join(words))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--regex", action="store_true", help="also time a regex alternation")
    args = parser.parse_args()

    patterns = build_patterns()
    started = time.perf_counter()
    matcher = Matcher.build(patterns)
    build_seconds = time.perf_counter() - started
    articles = make_articles(args.docs, patterns)
    chars = sum(map(len, articles))
    print(
        f"{len(patterns)} patterns → {len(matcher)} folded keys, built in {build_seconds:.2f} s; "
        f"{len(articles)} articles, {chars / len(articles):.0f} chars each"
    )

    for text in articles[:100]:  # warm the fold table
        matcher.find(text)
    best = float("inf")
    hits = 0
    for _ in range(3):
        started = time.perf_counter()
        hits = sum(len(matcher.find(text)) for text in articles)
        best = min(best, time.perf_counter() - started)
    print(
        f"Matcher.find   {len(articles) / best:8.0f} docs/s   {chars / best / 1e6:5.2f} M chars/s"
        f"   {hits / len(articles):.1f} targets/doc   (1 core)"
    )

    if args.regex:
        keys = sorted({fold_key(pattern) for pattern, _ in patterns}, key=len, reverse=True)
        alternation = re.compile("|".join(map(re.escape, keys)))
        sample = articles[: max(1, min(len(articles), 200))]
        compact = [fold_key(text) for text in sample]
        started = time.perf_counter()
        for text in compact:
            alternation.findall(text)
        seconds = time.perf_counter() - started
        print(
            f"regex scan     {len(sample) / seconds:8.0f} docs/s   (scan only, {len(sample)} docs)"
        )


if __name__ == "__main__":
    main()
