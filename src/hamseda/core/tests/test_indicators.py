"""The indicator registry: every indicator drills down to its evidence, and an
office without data is 0 for a count but unknown for a rate."""

from __future__ import annotations

import datetime as dt

import pytest

from hamseda.core import indicators
from hamseda.core.indicators import HIGHER, Evidence, evidence_for, indicator

PROVIDED = {
    "monitoring.coverage",
    "monitoring.weighted_coverage",
    "monitoring.negative_share",
    "monitoring.stories_per_release",
    "meetings.attendance_rate",
    "meetings.reports_on_time",
    "activities.news_releases",
    "activities.interviews_press",
    "activities.joint",
    "activities.done",
    "followups.closed_on_time",
    "followups.median_days_to_close",
    "campaigns.targets_met",
}
# Rates, ratios and medians: nothing to divide means no value, not a bad one.
UNKNOWN_WHEN_ABSENT = {
    "monitoring.negative_share",
    "monitoring.stories_per_release",
    "meetings.attendance_rate",
    "meetings.reports_on_time",
    "followups.closed_on_time",
    "followups.median_days_to_close",
    "campaigns.targets_met",
}
DAY = dt.date(2025, 5, 3)


@pytest.fixture
def registry(monkeypatch):
    """A registry of this test's own, so test indicators do not leak."""
    monkeypatch.setattr(indicators, "REGISTRY", {})
    return indicators.REGISTRY


def test_every_registered_indicator_lists_its_evidence():
    # A new provider without an ``evidence_for`` listing fails here.
    assert set(indicators.REGISTRY) >= PROVIDED
    missing = [code for code, item in indicators.REGISTRY.items() if item.evidence is None]
    assert missing == []


def test_rates_are_unknown_and_counts_zero_for_an_office_without_data():
    absent_unknown = {code for code, item in indicators.REGISTRY.items() if not item.absent_is_zero}
    assert absent_unknown & PROVIDED == UNKNOWN_WHEN_ABSENT
    percentages = {code for code, item in indicators.REGISTRY.items() if item.unit == "%"}
    assert percentages <= absent_unknown


def test_absent_is_zero_defaults_to_false_for_percentages_only(registry):
    # when
    indicator("t.count", name="شمار", unit="خبر", direction=HIGHER)(lambda **kw: {})
    indicator("t.rate", name="نرخ", unit="%", direction=HIGHER)(lambda **kw: {})
    indicator("t.days", name="روز", unit="روز", direction=HIGHER, absent_is_zero=False)(
        lambda **kw: {}
    )
    indicator("t.points", name="امتیاز", unit="%", direction=HIGHER, absent_is_zero=True)(
        lambda **kw: {}
    )

    # then
    assert registry["t.count"].absent_is_zero
    assert not registry["t.rate"].absent_is_zero
    assert not registry["t.days"].absent_is_zero
    assert registry["t.points"].absent_is_zero


def test_evidence_calls_the_registered_listing_with_the_period_office_and_limit(registry):
    # given
    @indicator("t.count", name="شمار", unit="خبر", direction=HIGHER)
    def count(*, start, end, office_ids=None):
        return {7: 1.0}

    @evidence_for("t.count")
    def count_evidence(*, start, end, office_id, limit=200):
        return [
            Evidence(label=f"{start}..{end}", url=f"/{office_id}/", date=start, note=str(limit))
        ][:limit]

    # when
    found = indicators.evidence("t.count", start=DAY, end=DAY, office_id=7, limit=5)

    # then
    assert found == [Evidence(label=f"{DAY}..{DAY}", url="/7/", date=DAY, note="5")]
    assert found[0].counted
    assert indicators.evidence("t.count", start=DAY, end=DAY, office_id=7)[0].note == "200"
    # the value and the rest of the indicator are as registered
    assert registry["t.count"].compute is count
    assert registry["t.count"].evidence is count_evidence
    assert indicators.compute("t.count", start=DAY, end=DAY) == {7: 1.0}


def test_an_indicator_without_a_listing_has_no_evidence(registry):
    indicator("t.bare", name="بی‌شاهد", unit="خبر", direction=HIGHER)(lambda **kw: {})
    assert indicators.evidence("t.bare", start=DAY, end=DAY, office_id=1) == []


def test_evidence_needs_its_indicator_first_and_is_registered_once():
    registry = indicators

    def listing(**_kwargs):
        return []

    with pytest.raises(ValueError, match="register the indicator first"):
        registry.evidence_for("test.nowhere")(listing)

    def provider(**_kwargs):
        return {}

    registry.indicator("test.once", name="x", unit="مورد", direction=registry.HIGHER)(provider)
    try:
        registry.evidence_for("test.once")(listing)
        with pytest.raises(ValueError, match="already"):
            registry.evidence_for("test.once")(lambda **_kwargs: [])
        # the module imported again registers the same function: its listing stays
        registry.indicator("test.once", name="x", unit="مورد", direction=registry.HIGHER)(provider)
        assert registry.REGISTRY["test.once"].evidence is listing
    finally:
        registry.REGISTRY.pop("test.once", None)
