"""Services of the evaluation app: the catalogue's rules, the engine's handling of
failing providers, ratings and their guards, objections and corrections."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hamseda.core import jalali
from hamseda.core.models import AuditEvent
from hamseda.core.notifications import Notification
from hamseda.evaluation.models import (
    Adjustment,
    Appeal,
    AppealStatus,
    Criterion,
    CycleStatus,
    Result,
)
from hamseda.evaluation.services import appeals, compute, cycles, ratings
from hamseda.evaluation.tests.factories import (
    evaluator_in,
    member_office,
    quantitative,
    registered,
)


@contextlib.contextmanager
def refused(kind, text):
    """Like ``pytest.raises``, matching Persian text (with its half-spaces) in
    any of the error's messages."""
    with pytest.raises(kind) as caught:
        yield
    error = caught.value
    messages = error.messages if isinstance(error, ValidationError) else [str(error)]
    assert any(text in message for message in messages), messages


def result_of(cycle, office) -> Result:
    return Result.objects.get(cycle=cycle, office=office)


# --- the catalogue ---------------------------------------------------------------


def test_a_new_cycle_gets_the_default_catalogue_weighing_100(world, draft_cycle):
    criteria = list(draft_cycle.criteria.all())
    assert sum(c.weight for c in criteria) == Decimal(100)
    assert sum(c.weight for c in criteria if c.is_quantitative) == Decimal(60)
    assert {c.code for c in criteria} >= {"Q1", "Q2", "L1", "L3", "L5"}
    assert all(len(c.rubric) == 5 for c in criteria if not c.is_quantitative)


def test_scoring_does_not_start_when_the_weights_do_not_sum_to_100(world, draft_cycle):
    # given
    q1 = draft_cycle.criteria.get(code="Q1")
    q1.weight = Decimal(20)
    cycles.criterion_save(actor=world.ministry, criterion=q1)
    # when / then
    with pytest.raises(ValidationError) as error:
        cycles.cycle_start_scoring(actor=world.ministry, cycle=draft_cycle)
    assert "جمع وزن شاخص‌ها باید ۱۰۰ باشد؛ اکنون ۱۰۸ است." in error.value.messages
    draft_cycle.refresh_from_db()
    assert draft_cycle.status == CycleStatus.DRAFT


def test_the_catalogue_is_frozen_and_versioned_once_scoring_starts(world, cycle):
    assert cycle.catalogue_version == 1
    assert cycle.frozen_at is not None
    q1 = cycle.criteria.get(code="Q1")
    q1.weight = Decimal(13)
    with refused(ValidationError, "قطعی شده"):
        cycles.criterion_save(actor=world.ministry, criterion=q1)
    with refused(ValidationError, "قطعی شده"):
        cycles.criterion_remove(actor=world.ministry, criterion=q1)


def test_a_qualitative_criterion_needs_five_levels_and_a_target_needs_a_target(world, draft_cycle):
    bad = Criterion(
        cycle=draft_cycle, code="L9", kind="qualitative", name="x", weight=1, rubric=["a"]
    )
    with refused(ValidationError, "پنج سطح"):
        cycles.criterion_save(actor=world.ministry, criterion=bad)
    bad = Criterion(
        cycle=draft_cycle,
        code="Q10",
        kind="quantitative",
        name="x",
        weight=1,
        provider="activities.done",
        normalisation="target",
    )
    with refused(ValidationError, "هدفی بزرگ‌تر از صفر"):
        cycles.criterion_save(actor=world.ministry, criterion=bad)


def test_only_the_ministry_centre_runs_cycles(world, draft_cycle):
    with pytest.raises(PermissionDenied):
        cycles.cycle_create(actor=world.chair, year=1399)
    with pytest.raises(PermissionDenied):
        cycles.cycle_start_scoring(actor=world.evaluator, cycle=draft_cycle)


def test_a_period_has_one_cycle(world, draft_cycle):
    with refused(ValidationError, "پیش‌تر"):
        cycles.cycle_create(actor=world.ministry, year=draft_cycle.year)
    quarter = cycles.cycle_create(actor=world.ministry, year=draft_cycle.year, quarter=3)
    start, end = quarter.bounds
    assert jalali.to_jalali(start).month == 7
    assert jalali.to_jalali(end).month == 9


# --- the engine ------------------------------------------------------------------


def test_a_failing_provider_marks_its_criterion_missing_instead_of_scoring_zero(world, draft_cycle):
    # given
    a, b = world.chair_office, world.member_office
    draft_cycle.criteria.all().delete()

    def broken(**_kwargs):
        raise RuntimeError("پایگاه داده در دسترس نیست")

    with registered("test.good", {a.pk: 10, b.pk: 5}), registered("test.broken", broken):
        quantitative(draft_cycle, "G", "test.good", 50)
        quantitative(draft_cycle, "B", "test.broken", 50)
        # when
        report = compute.cycle_recompute(cycle=draft_cycle)
    # then
    assert set(report.missing) == {"B"}
    assert "پایگاه داده در دسترس نیست" in draft_cycle.criteria.get(code="B").missing_reason
    result = result_of(draft_cycle, a)
    assert result.items["B"]["score"] is None
    assert result.items["B"]["missing"]
    assert result.total == 100.0  # on the criteria that could be computed
    assert result.covered == 50.0


def test_an_unregistered_provider_is_missing_with_its_reason(world, draft_cycle):
    # given a criterion naming a provider no installed app registers
    quantitative(draft_cycle, "U", "uninstalled.app_counts", 5)
    # when the values are read
    compute.cycle_recompute(cycle=draft_cycle)
    # then the criterion is missing, with the provider named, and scores nobody
    criterion = draft_cycle.criteria.get(code="U")
    assert "uninstalled.app_counts" in criterion.missing_reason
    assert result_of(draft_cycle, world.chair_office).items["U"]["score"] is None


def test_a_rate_with_nothing_to_divide_is_unknown_not_zero(world, draft_cycle):
    a, b = world.chair_office, world.member_office
    draft_cycle.criteria.all().delete()
    with registered("test.rate", {a.pk: 80.0}, unit="%"):
        quantitative(draft_cycle, "R", "test.rate", 100, "target", target=100)
        compute.cycle_recompute(cycle=draft_cycle)
    assert result_of(draft_cycle, a).items["R"]["score"] == 80.0
    assert result_of(draft_cycle, b).items["R"]["value"] is None
    assert result_of(draft_cycle, b).covered == 0.0


def test_ranking_takes_the_same_number_of_queries_for_more_offices(world, cycle):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute.cycle_recompute(cycle=cycle)
        return len(captured)

    before = queries()
    for n in range(6):
        member_office(world.isfahan_council, f"شرکت آزمایشی {n}")
        member_office(world.fars_council, f"شرکت دیگر {n}")
    after = queries()
    assert Result.objects.filter(cycle=cycle).count() == 15
    assert after == before


# --- ratings ---------------------------------------------------------------------


def test_an_assigned_evaluator_rates_and_the_ranking_updates(world, cycle):
    # given
    office = world.chair_office
    ratings.assignments_add(
        actor=world.ministry, cycle=cycle, evaluator=world.evaluator, offices=[office]
    )
    l1 = cycle.criteria.get(code="L1")
    before = result_of(cycle, office)
    # when
    ratings.rating_save(
        actor=world.evaluator,
        criterion=l1,
        office=office,
        level="۴",
        comment="خبرها به‌هنگام و کامل",
        evidence=[ratings.EvidenceInput(label="خبر نمونه", url="/activities/1/")],
    )
    # then
    after = result_of(cycle, office)
    assert after.items["L1"]["level"] == 4.0
    assert after.items["L1"]["score"] == 80.0
    assert after.qualitative == 80.0
    assert after.covered > before.covered
    assert AuditEvent.objects.filter(event="rating_saved").count() == 1


def test_an_evaluator_never_rates_an_office_of_their_own_province(world, cycle):
    l1 = cycle.criteria.get(code="L1")
    with refused(ValidationError, "استان خود"):
        ratings.assignments_add(
            actor=world.ministry,
            cycle=cycle,
            evaluator=world.evaluator,
            offices=[world.fars_office],
        )
    with refused(PermissionDenied, "استان خود"):
        ratings.rating_save(actor=world.evaluator, criterion=l1, office=world.fars_office, level=3)


def test_an_evaluator_rates_only_assigned_offices(world, cycle):
    l1 = cycle.criteria.get(code="L1")
    with pytest.raises(PermissionDenied):
        ratings.rating_save(
            actor=world.evaluator, criterion=l1, office=world.member_office, level=3
        )


@pytest.mark.parametrize("level", [0, 6, "", "five", None])
def test_a_level_outside_the_rubric_is_refused(world, cycle, level):
    l1 = cycle.criteria.get(code="L1")
    with refused(ValidationError, "۱ تا ۵"):
        ratings.rating_save(
            actor=world.ministry, criterion=l1, office=world.chair_office, level=level
        )


def test_a_quantitative_criterion_takes_no_rating(world, cycle):
    q1 = cycle.criteria.get(code="Q1")
    with refused(ValidationError, "کمی است"):
        ratings.rating_save(actor=world.ministry, criterion=q1, office=world.chair_office, level=3)


def test_evidence_must_be_a_page_of_hamseda(world, cycle):
    l1 = cycle.criteria.get(code="L1")
    with refused(ValidationError, "نشانی صفحه"):
        ratings.rating_save(
            actor=world.ministry,
            criterion=l1,
            office=world.chair_office,
            level=3,
            evidence=[ratings.EvidenceInput(label="x", url="https://example.com/")],
        )


def test_evaluators_two_levels_apart_are_flagged(world, cycle):
    office = world.chair_office
    second = evaluator_in(world.fars_office, "evaluator-2")
    for person in (world.evaluator, second):
        ratings.assignments_add(
            actor=world.ministry, cycle=cycle, evaluator=person, offices=[office]
        )
    l3 = cycle.criteria.get(code="L3")
    ratings.rating_save(actor=world.evaluator, criterion=l3, office=office, level=2)
    ratings.rating_save(actor=second, criterion=l3, office=office, level=4)
    result = result_of(cycle, office)
    assert result.items["L3"]["levels"] == [2, 4]
    assert result.items["L3"]["level"] == 3.0
    assert result.disagreement is True


def test_a_self_assessment_is_kept_but_does_not_count(world, cycle):
    l3 = cycle.criteria.get(code="L3")
    ratings.self_assessment_save(
        actor=world.staff,
        criterion=l3,
        office=world.chair_office,
        level=5,
        comment="سه فعالیت مشترک",
    )
    compute.cycle_rank(cycle=cycle)
    assert result_of(cycle, world.chair_office).items["L3"]["score"] is None
    with pytest.raises(PermissionDenied):
        ratings.self_assessment_save(
            actor=world.member_staff, criterion=l3, office=world.chair_office, level=5
        )


def test_no_rating_after_the_cycle_is_closed(world, cycle):
    cycles.cycle_close(actor=world.ministry, cycle=cycle)
    with refused(ValidationError, "نهایی"):
        ratings.rating_save(
            actor=world.ministry,
            criterion=cycle.criteria.get(code="L1"),
            office=world.chair_office,
            level=3,
        )


# --- objections ------------------------------------------------------------------


def test_no_objection_before_the_window_opens_or_after_it_closes(world, cycle):
    with refused(ValidationError, "هنوز اعلام نشده"):
        appeals.appeal_file(
            actor=world.staff,
            cycle=cycle,
            office=world.chair_office,
            text="امتیاز کیفیت خبر ما درست نیست",
        )
    cycles.cycle_open_appeals(
        actor=world.ministry,
        cycle=cycle,
        appeals_from=jalali.today() - dt.timedelta(days=20),
        days=14,
    )
    with refused(ValidationError, "به پایان رسیده"):
        appeals.appeal_file(
            actor=world.staff,
            cycle=cycle,
            office=world.chair_office,
            text="امتیاز کیفیت خبر ما درست نیست",
        )


def test_an_upheld_objection_corrects_the_score_audits_it_and_reranks(world, cycle):
    # given
    office = world.chair_office
    l1 = cycle.criteria.get(code="L1")
    ratings.rating_save(actor=world.ministry, criterion=l1, office=office, level=2)
    cycles.cycle_open_appeals(actor=world.ministry, cycle=cycle)
    assert Notification.objects.filter(recipient=world.staff).exists()
    appeal = appeals.appeal_file(
        actor=world.staff,
        cycle=cycle,
        office=office,
        criterion=l1,
        text="خبرهای ما همه به‌هنگام بوده؛ مستندات پیوست است",
    )
    before = result_of(cycle, office)
    assert appeal.total_before == before.total
    assert Notification.objects.filter(recipient=world.ministry).exists()
    # when
    answered = appeals.appeal_answer(
        actor=world.ministry, appeal=appeal, upheld=True, answer="پذیرفته شد", level=4
    )
    # then
    after = result_of(cycle, office)
    assert after.items["L1"]["level"] == 4.0
    assert after.items["L1"]["adjusted"] is True
    assert answered.status == AppealStatus.UPHELD
    assert answered.total_after == after.total > before.total
    assert Adjustment.objects.get(criterion=l1, office=office).level == 4
    adjusted = AuditEvent.objects.get(event="score_adjusted")
    assert adjusted.changes == {"L1 level": [2.0, 4]}
    assert Notification.objects.filter(recipient=world.staff, title__contains="پذیرفته").exists()


def test_a_rejected_objection_changes_nothing_and_cannot_correct(world, cycle):
    cycles.cycle_open_appeals(actor=world.ministry, cycle=cycle)
    appeal = appeals.appeal_file(
        actor=world.staff, cycle=cycle, office=world.chair_office, text="رتبه ما باید بهتر باشد"
    )
    with refused(ValidationError, "پذیرش"):
        appeals.appeal_answer(
            actor=world.ministry, appeal=appeal, upheld=False, answer="نه", level=5
        )
    appeals.appeal_answer(
        actor=world.ministry, appeal=appeal, upheld=False, answer="امتیاز بر پایه داده‌هاست"
    )
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.REJECTED
    assert appeal.total_after == appeal.total_before
    with refused(ValidationError, "پیش‌تر"):
        appeals.appeal_answer(actor=world.ministry, appeal=appeal, upheld=True, answer="x")


def test_an_office_objects_only_for_itself_and_only_the_ministry_answers(world, cycle):
    cycles.cycle_open_appeals(actor=world.ministry, cycle=cycle)
    with pytest.raises(PermissionDenied):
        appeals.appeal_file(
            actor=world.member_staff,
            cycle=cycle,
            office=world.chair_office,
            text="اعتراض از دفتر دیگر",
        )
    appeal = appeals.appeal_file(
        actor=world.staff, cycle=cycle, office=world.chair_office, text="اعتراض به امتیاز کل"
    )
    with pytest.raises(PermissionDenied):
        appeals.appeal_answer(actor=world.chair, appeal=appeal, upheld=True, answer="x")


def test_a_cycle_with_open_objections_cannot_be_closed(world, cycle):
    cycles.cycle_open_appeals(actor=world.ministry, cycle=cycle)
    appeals.appeal_file(
        actor=world.staff, cycle=cycle, office=world.chair_office, text="اعتراض به امتیاز کل"
    )
    with refused(ValidationError, "همه اعتراض‌ها"):
        cycles.cycle_close(actor=world.ministry, cycle=cycle)
    assert Appeal.objects.count() == 1


def test_tiers_are_validated_and_rerank(world, cycle):
    with pytest.raises(ValidationError):
        cycles.cycle_tiers_set(
            actor=world.ministry, cycle=cycle, tiers=[{"label": "بالا", "min": "۱۲۰"}]
        )
    cycles.cycle_tiers_set(actor=world.ministry, cycle=cycle, tiers=[{"label": "همه", "min": "۰"}])
    assert set(Result.objects.filter(cycle=cycle).values_list("tier", flat=True)) == {"همه"}


def test_tiers_of_a_closed_cycle_rename_its_stored_ranking_without_recomputing(world, cycle):
    # given: a final ranking, then a new office joins a council
    cycles.cycle_close(actor=world.ministry, cycle=cycle)
    member_office(world.isfahan_council, "شرکت تازه")
    # when
    cycles.cycle_tiers_set(
        actor=world.ministry, cycle=cycle, tiers=[{"label": "پایانی", "min": "0"}]
    )
    # then
    assert Result.objects.filter(cycle=cycle).count() == 3
    assert set(Result.objects.filter(cycle=cycle).values_list("tier", flat=True)) == {"پایانی"}


def test_ratings_saved_together_rank_once_at_the_end(world, cycle, django_assert_num_queries):
    # given two criteria to rate for one office
    office = world.chair_office
    l1, l2 = cycle.criteria.get(code="L1"), cycle.criteria.get(code="L2")
    # when they are saved in one block
    with CaptureQueriesContext(connection) as captured, ratings.one_ranking():
        ratings.rating_save(actor=world.ministry, criterion=l1, office=office, level=5)
        ratings.rating_save(actor=world.ministry, criterion=l2, office=office, level=5)
        ranked_inside = result_of(cycle, office).items["L1"]["score"]
    # then the ranking ran once, after the block
    deletes = [q for q in captured if q["sql"].startswith('DELETE FROM "evaluation_result"')]
    assert len(deletes) == 1
    assert ranked_inside is None
    assert result_of(cycle, office).items["L2"]["score"] == 100.0


def test_the_national_means_are_read_once_per_ranking(world, cycle):
    from hamseda.evaluation import selectors

    # given a scorecard seen once
    office = world.chair_office
    first = selectors.scorecard(viewer=world.ministry, cycle=cycle, office=office)
    # when it is seen again, then the cycle's results are not read again
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        selectors.scorecard(viewer=world.ministry, cycle=cycle, office=office)
    with CaptureQueriesContext(connection) as warm:
        selectors.scorecard(viewer=world.ministry, cycle=cycle, office=office)
    assert len(warm) == len(cold) - 1
    # when a rating changes the ranking, then the mean follows it
    ratings.rating_save(
        actor=world.ministry, criterion=cycle.criteria.get(code="L1"), office=office, level=5
    )
    cycle.refresh_from_db()
    after = selectors.scorecard(viewer=world.ministry, cycle=cycle, office=office)
    mean = {line.criterion.code: line.national_mean for line in after.lines}
    assert {line.criterion.code: line.national_mean for line in first.lines}["L1"] is None
    assert mean["L1"] == 100.0
