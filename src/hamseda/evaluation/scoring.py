"""The arithmetic of a score, free of the database: normalising a criterion's
values across the compared offices, combining evaluators' levels, weighting,
competition ranking and tiers. ``services.compute`` feeds it rows and stores what
it returns; the hand-computed example in ``tests/test_scoring.py`` checks it.

Why by hand: these are a dozen lines of arithmetic whose exact rules (ties share
the best rank, an unknown value leaves the weight out, level × 20) are the
ministry's, not a statistics library's.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from hamseda.core.indicators import HIGHER

K = TypeVar("K", bound=Hashable)

LEVEL_POINTS = 20.0  # a rubric level 1..5 scores level × 20 out of 100
DISAGREEMENT = 2  # evaluators whose levels differ by this much are flagged


class ScoringError(ValueError):
    pass


def normalise(
    values: Mapping[K, float | None], *, method: str, direction: str, target: float | None = None
) -> dict[K, float | None]:
    """Scores 0–100 for the known values; None stays None (its weight is left out).

    - ``target``: HIGHER scores value/target (capped at 100); LOWER scores 100 up to
      the target and target/value beyond it.
    - ``minmax``: the lowest value among the compared offices scores 0 and the
      highest 100 (reversed for LOWER); when all are equal, all score 100.
    - ``rank``: the best scores 100 and the worst 0, evenly between; equal values
      share the better rank.

    For a HIGHER indicator, a value of 0 (nothing done: no news, no interview)
    scores 0 under min–max and rank, even when every office has 0 and would
    otherwise share the top.
    """
    known = {key: float(v) for key, v in values.items() if v is not None}
    scores: dict[K, float | None] = {key: None for key in values}
    if not known:
        return scores
    higher = direction == HIGHER
    if method == "target":
        if target is None or target < 0:
            raise ScoringError("a target is required")
        for key, v in known.items():
            if higher:
                scores[key] = 100.0 if target == 0 else max(0.0, min(v / target, 1.0)) * 100
            elif v <= target:
                scores[key] = 100.0
            else:
                scores[key] = target / v * 100 if v > 0 else 0.0
    elif method == "minmax":
        low, high = min(known.values()), max(known.values())
        for key, v in known.items():
            if high == low:
                scores[key] = 100.0
            else:
                share = (v - low) / (high - low)
                scores[key] = (share if higher else 1 - share) * 100
    elif method == "rank":
        ranks = competition_ranks(known, reverse=higher)
        n = len(known)
        for key, rank in ranks.items():
            scores[key] = 100.0 if n == 1 else (n - rank) / (n - 1) * 100
    else:
        raise ScoringError(f"unknown normalisation {method!r}")
    if higher and method in ("minmax", "rank"):
        for key, v in known.items():
            if v <= 0:
                scores[key] = 0.0
    return scores


def competition_ranks(values: Mapping[K, float], *, reverse: bool = True) -> dict[K, int]:
    """1224 ranking: equal values share the best rank, the next rank skips.
    ``reverse``: the highest value ranks first."""
    ordered = sorted(values.items(), key=lambda item: item[1], reverse=reverse)
    ranks: dict[K, int] = {}
    previous: float | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        if previous is None or value != previous:
            rank = position
            previous = value
        ranks[key] = rank
    return ranks


@dataclass
class Part:
    """One criterion's part of an office's score."""

    code: str
    weight: float
    qualitative: bool
    score: float | None  # 0–100, None: unknown (weight left out)
    value: float | None = None  # quantitative: what the provider returned
    level: float | None = None  # qualitative: the mean of the evaluators' levels
    levels: list[int] = field(default_factory=list)
    adjusted: bool = False
    missing: str = ""  # why the whole criterion has no values this cycle

    @property
    def points(self) -> float | None:
        return None if self.score is None else self.weight * self.score / 100

    def as_json(self) -> dict[str, object]:
        return {
            "value": self.value,
            "score": None if self.score is None else round(self.score, 2),
            "level": None if self.level is None else round(self.level, 2),
            "levels": self.levels,
            "weight": self.weight,
            "points": None if self.points is None else round(self.points, 2),
            "adjusted": self.adjusted,
            "missing": self.missing,
        }


@dataclass(frozen=True)
class Total:
    total: float
    quantitative: float
    qualitative: float | None
    covered: float  # share of all weight that was scored, 0–100
    disagreement: bool


def combine_levels(levels: Iterable[int]) -> tuple[float | None, bool]:
    """Mean level of several evaluators and whether they disagree."""
    found = list(levels)
    if not found:
        return None, False
    return sum(found) / len(found), max(found) - min(found) >= DISAGREEMENT


def level_score(level: float | None) -> float | None:
    return None if level is None else level * LEVEL_POINTS


def total_of(parts: Iterable[Part]) -> Total:
    """Weighted total out of 100 over the parts that have a score: a criterion
    with no value for this office neither helps nor hurts it, and ``covered``
    says how much of the catalogue the total rests on."""
    parts = list(parts)
    all_weight = sum(p.weight for p in parts)
    scored = [p for p in parts if p.score is not None]

    def mean(chosen: list[Part]) -> float | None:
        weight = sum(p.weight for p in chosen)
        if not weight:
            return None
        return sum(p.points or 0.0 for p in chosen) / weight * 100

    total = mean(scored)
    quantitative = mean([p for p in scored if not p.qualitative])
    qualitative = mean([p for p in scored if p.qualitative])
    covered = sum(p.weight for p in scored) / all_weight * 100 if all_weight else 0.0
    return Total(
        total=round(total or 0.0, 2),
        quantitative=round(quantitative or 0.0, 2),
        qualitative=None if qualitative is None else round(qualitative, 2),
        covered=round(covered, 2),
        disagreement=any(
            p.qualitative and p.levels and max(p.levels) - min(p.levels) >= DISAGREEMENT
            for p in parts
        ),
    )
