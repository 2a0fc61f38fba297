"""Time Persian normalisation and Jalali formatting; prints the figures.

    python scripts/bench_persian.py

Not a test: the numbers depend on the machine. Use it before and after changing
hamseda.core.persian or hamseda.core.jalali (STACK.md quotes ~4-7 M chars/s for
normalisation; a list page formats a few hundred dates per request).
"""

from __future__ import annotations

import csv
import timeit
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hamseda.core.jalali import format_date, format_datetime
from hamseda.core.persian import compact_key, normalize, search_key, sort_key

REFERENCE = Path("/work/shared/reference")
FALLBACK_TEXT = "اداره كل راه‌آهن منطقه اصفهان، شوراي هماهنگي روابط عمومي ١٤٠٤ ؟ " * 50


def load_texts() -> tuple[str, list[str]]:
    """A long text (news article) and short ones (agency names)."""
    news = REFERENCE / "council-meeting-news.fa.txt"
    names = REFERENCE / "isfahan-council.csv"
    long_text = news.read_text(encoding="utf-8") if news.exists() else FALLBACK_TEXT
    if names.exists():
        with names.open(encoding="utf-8") as handle:
            short = [row["name_fa"] for row in csv.DictReader(handle)]
    else:
        short = FALLBACK_TEXT.split("،")
    return long_text, short


def best_seconds(call: Callable[[], object], number: int, repeat: int = 5) -> float:
    """Fastest of ``repeat`` runs of ``number`` calls (least disturbed by the machine)."""
    return min(timeit.repeat(call, number=number, repeat=repeat))


def bench_text(name: str, func: Callable[[str], str], long_text: str, short: list[str]) -> None:
    seconds = best_seconds(lambda: func(long_text), number=50)
    long_rate = len(long_text) * 50 / seconds
    short_chars = sum(map(len, short))
    seconds = best_seconds(lambda: [func(s) for s in short], number=2000)
    short_rate = short_chars * 2000 / seconds
    per_call = seconds / (2000 * len(short)) * 1e6
    print(
        f"{name:<12} long text {long_rate / 1e6:6.2f} M chars/s   "
        f"names {short_rate / 1e6:6.2f} M chars/s ({per_call:5.2f} µs/name)"
    )


def bench_dates() -> None:
    # 300 distinct days, as on a long list page, formatted again and again (cached).
    days = [date(2025, 3, 21) + timedelta(days=i) for i in range(300)]
    moments = [
        datetime(2025, 3, 21, 6, 15, tzinfo=UTC) + timedelta(hours=7 * i) for i in range(300)
    ]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("format_date short", lambda: [format_date(d) for d in days]),
        ("format_date full", lambda: [format_date(d, "full") for d in days]),
        ("format_date(datetime)", lambda: [format_date(m) for m in moments]),
        ("format_datetime short", lambda: [format_datetime(m) for m in moments]),
        ("format_datetime long", lambda: [format_datetime(m, "long") for m in moments]),
    ]
    for name, call in cases:
        seconds = best_seconds(call, number=200)
        print(f"{name:<24} {300 * 200 / seconds / 1e3:8.0f} k calls/s")
    # More distinct days than the formatting caches hold: every call converts.
    many = [date(1990, 1, 1) + timedelta(days=i) for i in range(20_000)]
    seconds = best_seconds(lambda: [format_date(d) for d in many], number=1, repeat=3)
    print(f"{'format_date, cache miss':<24} {len(many) / seconds / 1e3:8.0f} k calls/s")


def main() -> None:
    long_text, short = load_texts()
    print(f"long text: {len(long_text)} chars; names: {len(short)}")
    for name, func in [
        ("normalize", normalize),
        ("search_key", search_key),
        ("compact_key", compact_key),
        ("sort_key", sort_key),
    ]:
        bench_text(name, func, long_text, short)
    bench_dates()


if __name__ == "__main__":
    main()
