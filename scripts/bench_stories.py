"""Time story clustering (``monitoring.stories``) at growing sizes and check it (not a test).

    python scripts/bench_stories.py [--sizes 10000,100000,1000000] [--seed 7] [--workers 2]

For each size N a synthetic stream of N Persian articles is made: press releases
(an agency, a place, a project; 3-8 sentences, each an opener, a middle and a closer
from stock phrases, so two releases on the same subject share phrases but are
different news), each
republished by 1-6 outlets with the outlet's byline («به گزارش خبرگزاری X،»,
«تهران - ایرنا -», ...), sometimes a title label or suffix, a tail («انتهای پیام»,
«کد خبر: ...»), synonyms swapped, sentences reordered or dropped, Arabic ي/ك,
half-spaces written as spaces, or only the first two sentences (an RSS summary).
A release with one outlet is an unrelated article. The copies of a release arrive
within the same window of ~2,000 articles, in random order.

Each size runs in a child process of its own (peak memory is per size): it prints
the time of ``fingerprint`` and of ``StoryIndex.assign``, articles/s, peak RSS,
the number of stories and index buckets, and the pairwise precision/recall of the
stories against the releases. The first size also prints the similarity
quantiles of true copies and of different releases on the same subject, the
figures behind ``stories.THRESHOLD``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator

import numpy as np

from hamseda.monitoring import stories

PROVINCES = (
    "تهران اصفهان فارس خراسان‌رضوی آذربایجان‌شرقی آذربایجان‌غربی خوزستان مازندران گیلان "
    "کرمان یزد سمنان قم مرکزی همدان کرمانشاه لرستان ایلام کردستان زنجان قزوین البرز "
    "گلستان اردبیل بوشهر هرمزگان سیستان‌وبلوچستان کهگیلویه‌وبویراحمد چهارمحال‌وبختیاری "
    "خراسان‌شمالی خراسان‌جنوبی"
).split()
AGENCIES = [
    "اداره کل راه و شهرسازی",
    "اداره کل راهداری و حمل و نقل جاده‌ای",
    "شرکت آب و فاضلاب",
    "اداره کل منابع طبیعی و آبخیزداری",
    "سازمان جهاد کشاورزی",
    "اداره کل آموزش و پرورش",
    "دانشگاه علوم پزشکی",
    "اداره کل میراث فرهنگی، گردشگری و صنایع‌دستی",
    "شرکت توزیع نیروی برق",
    "اداره کل بهزیستی",
    "بنیاد مسکن انقلاب اسلامی",
    "اداره کل ورزش و جوانان",
    "سازمان صنعت، معدن و تجارت",
    "شرکت گاز",
    "اداره کل تعاون، کار و رفاه اجتماعی",
    "سازمان مدیریت و برنامه‌ریزی",
    "اداره کل فرودگاه‌ها",
    "شرکت مخابرات",
    "اداره کل حفاظت محیط زیست",
    "اداره کل فرهنگ و ارشاد اسلامی",
]
OFFICIALS = [
    "مدیرکل",
    "معاون عمرانی استاندار",
    "استاندار",
    "فرماندار",
    "رئیس",
    "مدیرعامل",
    "معاون فنی",
    "سرپرست",
    "معاون برنامه‌ریزی",
    "نماینده مردم",
]
PROJECTS = [
    "بزرگراه",
    "پل روگذر",
    "خط انتقال آب",
    "تصفیه‌خانه فاضلاب",
    "مدرسه دوازده‌کلاسه",
    "بیمارستان",
    "مرکز جامع سلامت",
    "واحد مسکونی نهضت ملی مسکن",
    "پست برق فوق توزیع",
    "شبکه گازرسانی روستایی",
    "سالن ورزشی",
    "پروژه آبخیزداری",
    "گلخانه",
    "ترمینال مسافربری",
    "کتابخانه عمومی",
    "مجتمع فرهنگی",
    "خط فیبر نوری",
    "سد خاکی",
    "پارک جنگلی",
    "واحد صنعتی",
    "باند فرودگاه",
    "محور روستایی",
    "مرکز نگهداری سالمندان",
    "بازارچه مرزی",
]
VILLAGES = [
    "شهرستان " + name
    for name in (
        "کاشان نجف‌آباد مرودشت سبزوار مراغه ارومیه دزفول آمل لاهیجان سیرجان میبد شاهرود "
        "ساوه ملایر اسلام‌آباد بروجرد دهلران سقز ابهر تاکستان کرج گنبد مشگین‌شهر برازجان "
        "میناب زابل یاسوج شهرکرد بجنورد بیرجند نیشابور خمینی‌شهر کازرون بناب"
    ).split()
]
MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
OUTLETS = [
    "ایرنا",
    "ایسنا",
    "مهر",
    "فارس",
    "تسنیم",
    "باشگاه خبرنگاران جوان",
    "ایلنا",
    "دنیای اقتصاد",
    "همشهری آنلاین",
    "خبرآنلاین",
    "صدا و سیما",
    "برنا",
]
SECTIONS = ["اقتصادی", "اجتماعی", "استان‌ها", "سیاسی", "فرهنگی"]

TITLES = [
    "{project} {village} با حضور {official} به بهره‌برداری رسید",
    "آغاز عملیات اجرایی {num} {project} در استان {province}",
    "{official} {agency}: {project} {village} تا پایان {month} تکمیل می‌شود",
    "پیشرفت {pct} درصدی {project} {village}",
    "اختصاص {num} میلیارد ریال اعتبار برای {project} استان {province}",
    "بازدید {official} استان {province} از {project} {village}",
]
# A sentence is an opener, a middle and a closer: 14 × 22 × 12 shapes, so two
# releases share stock phrases (as real ones do) but rarely whole sentences.
OPENERS = [
    "{official} {agency} استان {province}",
    "وی",
    "این مقام مسئول",
    "{official} {agency}",
    "به گفته {official}، وی",
    "{official} در این نشست",
    "بر اساس برنامه‌ریزی انجام شده، {official}",
    "در ادامه {official}",
    "{official} همزمان با هفته دولت",
    "پیش از این نیز {official} {agency}",
    "{official} در حاشیه بازدید از {village}",
    "{official} در سفر به {village}",
    "در جلسه شورای اداری {village}، {official}",
    "{official} {village}",
]
MIDDLES = [
    "از آغاز عملیات اجرایی {num} {project} در {village}",
    "با اشاره به پیشرفت {pct} درصدی {project}",
    "با بیان اینکه اعتبار این طرح {num} میلیارد ریال است",
    "از تخصیص {num} میلیارد ریال برای تکمیل {project}",
    "با تأکید بر ضرورت تسریع در اجرای {project}",
    "درباره مشکلات {project} {village}",
    "از بهره‌برداری {project} تا پایان {month}",
    "با اشاره به اشتغال {num} نفر در {project}",
    "از انعقاد قرارداد {project} با پیمانکار بومی",
    "درباره سهم {village} از اعتبارات {project}",
    "با قدردانی از همکاری دستگاه‌های اجرایی {province}",
    "از بهره‌مندی {num} خانوار از {project}",
    "با بیان اینکه {pct} درصد تجهیزات {project} تأمین شده",
    "از رفع موانع اعتباری {project} در {month}",
    "درباره برنامه‌های {agency} برای سال آینده",
    "از ورود {num} دستگاه ماشین‌آلات به کارگاه {project}",
    "با اشاره به طول {num} کیلومتری {project}",
    "از ظرفیت {num} نفری {project} {village}",
    "از برگزاری مناقصه {project} در {month}",
    "درباره نقش خیرین در ساخت {project}",
    "با اشاره به مطالعات {project} {village}",
    "از پیگیری مطالبات پیمانکاران {project}",
]
CLOSERS = [
    "خبر داد",
    "سخن گفت",
    "گفت",
    "تأکید کرد",
    "اظهار داشت",
    "توضیحاتی ارائه کرد",
    "خبر داد و افزود این طرح در اولویت است",
    "گفت: مردم {village} منتظر این طرح هستند",
    "افزود: گزارش پیشرفت کار هر ماه ارائه می‌شود",
    "تصریح کرد",
    "گفت: {num} نیروی بومی در این کار مشارکت دارند",
    "افزود: بازدید از کارگاه در {month} انجام شد",
]
SYNONYMS = {
    "خبر داد": "اعلام کرد",
    "افزود": "اضافه کرد",
    "تصریح کرد": "گفت",
    "آغاز": "شروع",
    "تکمیل": "اتمام",
    "بهره‌برداری": "افتتاح",
    "اعتبار": "بودجه",
    "مسئولان": "مدیران",
    "تأکید کرد": "خواستار شد",
    "گفتنی است": "لازم به ذکر است",
}
BYLINES = [
    "به گزارش خبرگزاری {outlet}،",
    "به گزارش {outlet}،",
    "به گزارش خبرنگار {section} {outlet}،",
    "به گزارش خبرنگار {outlet} از {province}،",
    "{province} - {outlet} -",
    "{outlet} - گروه {section}:",
    "به نقل از روابط عمومی {agency} استان {province}،",
    "خبرگزاری {outlet}، گروه {section}:",
    "",
]
TAILS = ["انتهای پیام/", "کد خبر: {num}", "انتهای خبر", "لینک کوتاه: https://x.ir/{num}"]
TITLE_LABELS = ["فیلم/ ", "عکس| ", "گزارش/ ", "ویدئو/ "]

WINDOW = 2000
COPIES = (1, 2, 3, 4, 5, 6)
COPY_WEIGHTS = (0.35, 0.2, 0.15, 0.12, 0.1, 0.08)


def _fill(template: str, subject: dict[str, str], rng: random.Random) -> str:
    values = dict(subject)
    values["num"] = str(rng.randint(2, 9999))
    values["pct"] = str(rng.randint(10, 99))
    values["month"] = rng.choice(MONTHS)
    return template.format(**values)


def _release(rng: random.Random) -> tuple[str, list[str], dict[str, str]]:
    subject = {
        "agency": rng.choice(AGENCIES),
        "official": rng.choice(OFFICIALS),
        "province": rng.choice(PROVINCES),
        "project": rng.choice(PROJECTS),
        "village": rng.choice(VILLAGES),
    }
    title = _fill(rng.choice(TITLES), subject, rng)
    return title, _sentences(subject, rng.randint(3, 8), rng), subject


def _sentences(subject: dict[str, str], k: int, rng: random.Random) -> list[str]:
    shapes = zip(
        rng.choices(OPENERS, k=k), rng.sample(MIDDLES, k), rng.choices(CLOSERS, k=k), strict=True
    )
    return [_fill(" ".join(shape), subject, rng) for shape in shapes]


def _copy(
    title: str, sentences: list[str], subject: dict[str, str], rng: random.Random
) -> tuple[str, str]:
    sentences = list(sentences)
    if len(sentences) > 3 and rng.random() < 0.3:
        del sentences[rng.randrange(1, len(sentences))]
    if len(sentences) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    if rng.random() < 0.15:
        sentences = sentences[:2]  # an RSS summary: the lead only
    text = ". ".join(sentences) + "."
    for word, other in SYNONYMS.items():
        if word in text and rng.random() < 0.25:
            text = text.replace(word, other)
    outlet = rng.choice(OUTLETS)
    byline = rng.choice(BYLINES).format(outlet=outlet, section=rng.choice(SECTIONS), **subject)
    text = f"{byline} {text}".strip()
    if rng.random() < 0.4:
        text += "\n" + rng.choice(TAILS).format(num=rng.randint(100000, 999999))
    if rng.random() < 0.3:
        title = rng.choice(TITLE_LABELS) + title
    if rng.random() < 0.3:
        title = f"{title} - {outlet}"
    if rng.random() < 0.3:
        text, title = text.replace("ی", "ي").replace("ک", "ك"), title.replace("ی", "ي")
    if rng.random() < 0.2:
        text = text.replace("\u200c", " ")
    return title, text


def stream(n: int, rng: random.Random) -> Iterator[tuple[int, str, str]]:
    """(release id, title, text) for n articles, copies of a release in one window."""
    release = 0
    made = 0
    while made < n:
        window: list[tuple[int, str, str]] = []
        while len(window) < min(WINDOW, n - made):
            title, sentences, subject = _release(rng)
            for _ in range(rng.choices(COPIES, COPY_WEIGHTS)[0]):
                window.append((release, *_copy(title, sentences, subject, rng)))
            release += 1
        window = window[: n - made]
        rng.shuffle(window)
        made += len(window)
        yield from window


def _pairs(counts: Counter[object]) -> int:
    return sum(c * (c - 1) // 2 for c in counts.values())


def calibrate(rng: random.Random, samples: int = 3000) -> None:
    """Similarity of true copies vs different releases on the same subject."""
    copies, same_subject = [], []
    for _ in range(samples):
        title, sentences, subject = _release(rng)
        a = stories.fingerprint(*_copy(title, sentences, subject, rng))
        b = stories.fingerprint(*_copy(title, sentences, subject, rng))
        copies.append(_sim(a, b))
        # Another release of the same agency, place and project, same stock sentences.
        other_sentences = _sentences(subject, len(sentences), rng)
        c = stories.fingerprint(
            *_copy(_fill(rng.choice(TITLES), subject, rng), other_sentences, subject, rng)
        )
        same_subject.append(_sim(a, c))
    qs = (0.01, 0.05, 0.1, 0.5, 0.9, 0.99, 1.0)
    print("similarity quantiles", " ".join(f"q{q:g}" for q in qs))
    print("  copies of a release      ", " ".join(f"{np.quantile(copies, q):.2f}" for q in qs))
    print(
        "  same subject, other news ", " ".join(f"{np.quantile(same_subject, q):.2f}" for q in qs)
    )
    t = stories.THRESHOLD
    print(
        f"  at THRESHOLD {t}: copies below {np.mean(np.array(copies) < t):.1%}, "
        f"other news at or above {np.mean(np.array(same_subject) >= t):.1%}"
    )


def _sim(a: stories.Fingerprint, b: stories.Fingerprint) -> float:
    size = np.array([b.shingles if b.lead_shingles else 0])
    return float(stories._similarities(a, b.signature[None, :], size)[0])


def run(n: int, seed: int, with_calibration: bool, workers: int) -> None:
    rng = random.Random(seed)
    if with_calibration:
        calibrate(random.Random(seed + 1))
    index = stories.StoryIndex()
    truth: dict[int, int] = {}
    gen_s = fp_s = assign_s = 0.0
    batch: list[tuple[int, str, str]] = []
    articles = stream(n, rng)
    article_id = 0
    pool = multiprocessing.Pool(workers) if workers > 1 else None
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        batch = [x for _, x in zip(range(WINDOW), articles, strict=False)]
        t1 = time.perf_counter()
        gen_s += t1 - t0
        if not batch:
            break
        pairs = [(title, text) for _, title, text in batch]
        fps = (
            pool.starmap(stories.fingerprint, pairs, chunksize=100)
            if pool
            else [stories.fingerprint(*pair) for pair in pairs]
        )
        t2 = time.perf_counter()
        fp_s += t2 - t1
        for (release, _, _), fp in zip(batch, fps, strict=True):
            index.assign(article_id, fp)
            truth[article_id] = release
            article_id += 1
        assign_s += time.perf_counter() - t2
    total = time.perf_counter() - started - gen_s
    if pool:
        pool.close()
    story_counts = Counter(index.story_of(a) for a in truth)
    release_counts = Counter(truth.values())
    cells = Counter((index.story_of(a), r) for a, r in truth.items())
    tp = _pairs(cells)
    predicted, true = _pairs(story_counts), _pairs(release_counts)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"N={n:>9,}  fingerprint {fp_s:7.1f} s ({n / fp_s:6,.0f}/s on {workers} process(es))  "
        f"assign {assign_s:7.1f} s ({n / assign_s:7,.0f}/s)  "
        f"total {total:7.1f} s ({n / total:6,.0f}/s)  peak RSS {peak_mb:6,.0f} MB"
    )
    print(
        f"    stories {len(story_counts):,} (releases {len(release_counts):,}), "
        f"buckets {index.bucket_count:,}; pairwise precision {tp / max(predicted, 1):.4f} "
        f"recall {tp / max(true, 1):.4f}  (generating the text took {gen_s:.1f} s, not counted)"
    )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--workers", type=int, default=1, help="processes for fingerprint (assign is one process)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    parser.add_argument("--calibrate", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run(args.one, args.seed, args.calibrate, args.workers)
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(
        f"THRESHOLD {stories.THRESHOLD}, perms {stories.BODY_PERMS}+{stories.LEAD_PERMS}, "
        f"rows {stories.ROWS}, candidates ≤ {stories.MAX_CANDIDATES}, "
        f"bucket cap {stories.BUCKET_CAP}"
    )
    for i, n in enumerate(sizes):
        command = [sys.executable, __file__, "--one", str(n), "--seed", str(args.seed)]
        command += ["--workers", str(args.workers)]
        subprocess.run(command + (["--calibrate"] if i == 0 else []), check=True)


if __name__ == "__main__":
    main()
