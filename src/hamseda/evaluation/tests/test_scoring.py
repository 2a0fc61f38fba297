"""The hand-computed example: three offices, three indicators, a tie.

Offices A and B sit on Isfahan's council, C on Fars's. Weights 40 / 40 / 20.

| indicator | rule                  | A  | B  | C  | scores A / B / C       |
|-----------|-----------------------|----|----|----|------------------------|
| I1 ↑      | min–max               | 20 | 30 | 10 | 50 / 100 / 0           |
| I2 ↓      | target 5 (days)       | 5  | 10 | 5  | 100 / 50 / 100         |
| I3 ↑      | rank                  | 7  | 3  | 7  | 100 / 0 / 100 (A, C tied) |

A = 0.4×50 + 0.4×100 + 0.2×100 = 80
B = 0.4×100 + 0.4×50 + 0.2×0  = 60
C = 0.4×0  + 0.4×100 + 0.2×100 = 60   → B and C share rank 2 (no rank 3).
Isfahan = (80 + 60) / 2 = 70, first; Fars = 60, second.
Tiers (default): 80 → «خوب» (70–85), 60 → «متوسط» (50–70).
"""

from __future__ import annotations

import pytest

from hamseda.core.indicators import LOWER
from hamseda.evaluation import scoring
from hamseda.evaluation.models import ProvinceResult, Result
from hamseda.evaluation.services.compute import cycle_recompute
from hamseda.evaluation.tests.factories import quantitative, registered


@pytest.fixture
def example(world, draft_cycle):
    a, b, c = world.chair_office, world.member_office, world.fars_office
    draft_cycle.criteria.all().delete()
    with (
        registered("test.i1", {a.pk: 20, b.pk: 30, c.pk: 10}),
        registered("test.i2", {a.pk: 5, b.pk: 10, c.pk: 5}, direction=LOWER, unit="روز"),
        registered("test.i3", {a.pk: 7, b.pk: 3, c.pk: 7}),
    ):
        quantitative(draft_cycle, "I1", "test.i1", 40, "minmax")
        quantitative(draft_cycle, "I2", "test.i2", 40, "target", target=5)
        quantitative(draft_cycle, "I3", "test.i3", 20, "rank")
        yield draft_cycle, a, b, c


def test_hand_computed_example_matches_the_engine(example):
    # given
    cycle, a, b, c = example
    # when
    cycle_recompute(cycle=cycle)
    # then
    results = {r.office_id: r for r in Result.objects.filter(cycle=cycle)}
    assert {a.pk: 80.0, b.pk: 60.0, c.pk: 60.0} == {k: r.total for k, r in results.items()}
    assert {a.pk: 1, b.pk: 2, c.pk: 2} == {k: r.rank for k, r in results.items()}
    assert results[a.pk].rank_in_province == 1
    assert results[b.pk].rank_in_province == 2
    assert results[c.pk].rank_in_province == 1
    assert [item["score"] for item in results[a.pk].items.values()] == [50.0, 100.0, 100.0]
    assert [item["score"] for item in results[b.pk].items.values()] == [100.0, 50.0, 0.0]
    assert [item["score"] for item in results[c.pk].items.values()] == [0.0, 100.0, 100.0]
    assert results[a.pk].items["I1"]["points"] == 20.0
    assert results[a.pk].tier == "خوب"
    assert results[b.pk].tier == "متوسط"
    provinces = {p.province_id: p for p in ProvinceResult.objects.filter(cycle=cycle)}
    isfahan, fars = a.agency.province_id, c.agency.province_id
    assert (provinces[isfahan].total, provinces[isfahan].rank) == (70.0, 1)
    assert (provinces[fars].total, provinces[fars].rank) == (60.0, 2)
    assert provinces[isfahan].offices == 2


def test_competition_ranking_gives_tied_values_the_better_rank_and_skips_the_next():
    assert scoring.competition_ranks({"a": 90, "b": 80, "c": 80, "d": 70}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
    }


def test_rank_ascending_for_lower_is_better():
    assert scoring.competition_ranks({"a": 1, "b": 3, "c": 1}, reverse=False) == {
        "a": 1,
        "c": 1,
        "b": 3,
    }


@pytest.mark.parametrize(
    ("method", "direction", "target", "expected"),
    [
        ("minmax", "higher", None, {"a": 0.0, "b": 50.0, "c": 100.0, "d": None}),
        ("minmax", "lower", None, {"a": 100.0, "b": 50.0, "c": 0.0, "d": None}),
        ("target", "higher", 15.0, {"a": 200 / 3, "b": 100.0, "c": 100.0, "d": None}),
        ("target", "lower", 15.0, {"a": 100.0, "b": 75.0, "c": 50.0, "d": None}),
        ("rank", "higher", None, {"a": 0.0, "b": 50.0, "c": 100.0, "d": None}),
    ],
)
def test_normalise_scores_known_values_and_leaves_unknown_ones_out(
    method, direction, target, expected
):
    values = {"a": 10.0, "b": 20.0, "c": 30.0, "d": None}
    scores = scoring.normalise(values, method=method, direction=direction, target=target)
    assert scores == pytest.approx(expected)


def test_nothing_done_scores_nothing_even_when_every_office_did_nothing():
    scores = scoring.normalise({"a": 0.0, "b": 0.0}, method="minmax", direction="higher")
    assert scores == {"a": 0.0, "b": 0.0}
    scores = scoring.normalise({"a": 4.0, "b": 4.0}, method="minmax", direction="higher")
    assert scores == {"a": 100.0, "b": 100.0}


def test_unknown_normalisation_and_missing_target_are_errors():
    with pytest.raises(scoring.ScoringError):
        scoring.normalise({"a": 1.0}, method="zscore", direction="higher")
    with pytest.raises(scoring.ScoringError):
        scoring.normalise({"a": 1.0}, method="target", direction="higher", target=None)


def test_total_leaves_out_the_weight_of_unknown_parts_and_says_how_much_it_covers():
    parts = [
        scoring.Part(code="Q1", weight=60, qualitative=False, score=50.0),
        scoring.Part(code="Q2", weight=20, qualitative=False, score=None),
        scoring.Part(code="L1", weight=20, qualitative=True, score=80.0, levels=[3, 5]),
    ]
    total = scoring.total_of(parts)
    assert total.total == pytest.approx((60 * 50 + 20 * 80) / 80)
    assert total.covered == 80.0
    assert total.quantitative == 50.0
    assert total.qualitative == 80.0
    assert total.disagreement is True


def test_levels_are_averaged_and_two_levels_apart_is_a_disagreement():
    assert scoring.combine_levels([3, 4]) == (3.5, False)
    assert scoring.combine_levels([2, 4]) == (3.0, True)
    assert scoring.combine_levels([]) == (None, False)
    assert scoring.level_score(3.5) == 70.0
