"""How well does ``activities.similarity.score`` tell the same work from different
work? Runs it over the hand-labelled pairs (no database):

    python scripts/eval_overlap.py [--threshold 0.5]

Prints precision, recall and F1 for thresholds 0.30..0.80, then at THRESHOLD:
the figures per category, per batch (batch 2 was written after the score's
parameters were frozen: a held-out check), the misclassified pairs, and the
band index's candidate recall (does each positive pair share a MinHash band?).
Exits 1 when precision, recall or candidate recall at THRESHOLD fall below
FLOORS; ``activities/tests/test_similarity.py`` asserts the same floors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from hamseda.activities import similarity  # noqa: E402

PAIRS = ROOT / "src" / "hamseda" / "activities" / "tests" / "data" / "overlap_pairs.json"
# A broken engine (no synonym table, no conflict rule, no date factor) falls
# well below these; the engine as built is ~0.97 on both.
FLOORS = {"precision": 0.92, "recall": 0.92, "candidate_recall": 0.97}
# Per category: recall for the "same" ones, specificity (share rejected) for the others.
CATEGORY_FLOOR = 0.8
POSITIVE_CATEGORIES = (
    "rewording",
    "synonym",
    "half_space_or_arabic_letters",
    "agency_name_variant",
)
NEGATIVE_CATEGORIES = ("different_dates_same_topic", "same_topic_different_work", "unrelated")


@dataclass(frozen=True)
class Scored:
    pair: dict[str, Any]
    a: similarity.Doc
    b: similarity.Doc
    comparison: similarity.Comparison

    @property
    def same(self) -> bool:
        return bool(self.pair["same"])


def _doc(side: dict[str, Any]) -> similarity.Doc:
    return similarity.make_doc(
        title=side["title"],
        description=side["description"],
        start_date=date.fromisoformat(side["start_date"]),
        end_date=date.fromisoformat(side["end_date"]),
        campaigns=[side["campaign"]] if side["campaign"] else [],
    )


def load_pairs(path: Path = PAIRS) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def score_pairs(pairs: list[dict[str, Any]]) -> list[Scored]:
    scored = []
    for pair in pairs:
        a, b = _doc(pair["a"]), _doc(pair["b"])
        scored.append(Scored(pair, a, b, similarity.compare(a, b)))
    return scored


def metrics(scored: list[Scored], threshold: float) -> dict[str, float]:
    tp = sum(1 for s in scored if s.same and s.comparison.score >= threshold)
    fp = sum(1 for s in scored if not s.same and s.comparison.score >= threshold)
    fn = sum(1 for s in scored if s.same and s.comparison.score < threshold)
    tn = len(scored) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def category_rates(scored: list[Scored], threshold: float) -> dict[str, tuple[int, float]]:
    """Per category: (pairs, share classified correctly)."""
    groups: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        groups[s.pair["category"]].append(s)
    return {
        category: (
            len(items),
            sum(1 for s in items if (s.comparison.score >= threshold) == s.same) / len(items),
        )
        for category, items in groups.items()
    }


def _bands(doc: similarity.Doc) -> set[tuple[int, int]]:
    sig = similarity.signature(doc.features)
    empty = similarity.empty_bands(sig[None, :])[0]
    return {(band, h) for band, h in enumerate(similarity.band_hashes(sig, 1)) if not empty[band]}


def candidate_recall(scored: list[Scored]) -> float:
    """Share of the positive pairs that share at least one band (same province)."""
    positives = [s for s in scored if s.same]
    return sum(1 for s in positives if _bands(s.a) & _bands(s.b)) / len(positives)


def collision_rate(scored: list[Scored]) -> float:
    """Share of all pairs of the set's texts (one domain, one province) that share
    a band: what the index returns besides the real overlaps, before the filters."""
    bands = [_bands(doc) for s in scored for doc in (s.a, s.b)]
    pairs = len(bands) * (len(bands) - 1) // 2
    hits = sum(1 for i, mine in enumerate(bands) for theirs in bands[i + 1 :] if mine & theirs)
    return hits / pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threshold", type=float, default=similarity.THRESHOLD)
    threshold = parser.parse_args().threshold
    pairs = load_pairs()
    scored = score_pairs(pairs)
    positives = sum(1 for p in pairs if p["same"])
    print(f"{len(pairs)} labelled pairs, {positives} same work ({positives / len(pairs):.0%})\n")
    print("threshold  precision  recall     F1    fp  fn")
    for step in range(30, 81, 5):
        m = metrics(scored, step / 100)
        mark = "  ←" if abs(step / 100 - threshold) < 1e-9 else ""
        print(
            f"   {step / 100:.2f}      {m['precision']:.3f}   {m['recall']:.3f}  {m['f1']:.3f}"
            f"  {m['fp']:3}  {m['fn']:2}{mark}"
        )
    m = metrics(scored, threshold)
    cand = candidate_recall(scored)
    print(
        f"\nat THRESHOLD {threshold:.2f}: precision {m['precision']:.3f}, "
        f"recall {m['recall']:.3f}, F1 {m['f1']:.3f}"
    )
    print(f"band index candidate recall on the same-work pairs: {cand:.3f}")
    print(f"pairs of any two of the set's texts sharing a band: {collision_rate(scored):.3f}\n")
    print("per category (recall for same work, rejected share for the others):")
    for category, (count, rate) in sorted(category_rates(scored, threshold).items()):
        print(f"  {category:<30} {count:3} pairs  {rate:.3f}")
    for batch, label in ((1, "batch 1 (tuning)"), (2, "batch 2 (held out)")):
        part = [s for s in scored if s.pair.get("batch", 1) == batch]
        if part:
            b = metrics(part, threshold)
            print(
                f"{label:<20} {len(part):3} pairs  precision {b['precision']:.3f}  "
                f"recall {b['recall']:.3f}  F1 {b['f1']:.3f}"
            )
    print("\nmisclassified at THRESHOLD:")
    for s in scored:
        if (s.comparison.score >= threshold) != s.same:
            c = s.comparison
            conflicts = ",".join(c.conflicts) or "-"
            print(
                f"  #{s.pair['id']} {s.pair['category']} same={s.same} score={c.score:.2f} "
                f"(title {c.title:.2f}, text {c.text:.2f}, conflicts {conflicts})"
            )
            print(f"      {s.pair['a']['title']}  |  {s.pair['b']['title']}")
    failed = [
        name
        for name, value in (
            ("precision", m["precision"]),
            ("recall", m["recall"]),
            ("candidate_recall", cand),
        )
        if value < FLOORS[name]
    ]
    if failed:
        print(f"\nFAILED floors: {', '.join(failed)} (floors {FLOORS})")
        return 1
    print(f"\nfloors met: {FLOORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
