"""The demo evaluations: a closed 1404 cycle with every office rated by two
evaluators of other provinces and an objection upheld, and a 1405 cycle under
way that a newcomer can rate and object in. Written through the services, and
loaded once however often the demo starts."""

from __future__ import annotations

import pytest
from django.db import transaction

from hamseda.activities.demo import load_activities_demo
from hamseda.campaigns.demo import load_campaigns_demo
from hamseda.core import jalali, policy
from hamseda.core.models import AuditEvent
from hamseda.directory.demo import load_directory_demo
from hamseda.directory.models import Person
from hamseda.evaluation import demo
from hamseda.evaluation.models import (
    Adjustment,
    Appeal,
    AppealStatus,
    CriterionKind,
    Cycle,
    CycleStatus,
    EvidenceLink,
    ProvinceResult,
    Rating,
    Result,
    SelfAssessment,
)
from hamseda.evaluation.services.compute import evaluated_offices

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo data the evaluation demo reads (directory, campaigns and their
    activities), then the evaluation demo, once for this module: it rates some
    three hundred times through the services. Rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_directory_demo()
        load_campaigns_demo()
        load_activities_demo()
        users = demo.load_evaluation_demo()
        yield users
        transaction.set_rollback(True)


def province_of(office) -> int | None:
    return office.agency.province_id


def test_the_1404_evaluation_is_closed_with_every_office_rated_twice(loaded):
    past = Cycle.objects.get(year=1404)
    offices = list(evaluated_offices())
    # the catalogue was frozen, the values read and the ranking made final
    assert past.status == CycleStatus.CLOSED
    assert past.catalogue_version == 1
    assert past.values_computed_at is not None
    assert past.closed_at is not None
    assert Result.objects.filter(cycle=past).count() == len(offices) == 17
    assert ProvinceResult.objects.filter(cycle=past).count() == 3
    # every office was rated on every qualitative criterion by two evaluators,
    # none of their own province, each with a comment
    qualitative = past.criteria.filter(kind=CriterionKind.QUALITATIVE).count()
    ratings = Rating.objects.filter(criterion__cycle=past).select_related(
        "office__agency", "evaluator__office__agency"
    )
    assert ratings.count() == len(offices) * qualitative * 2
    for rating in ratings:
        assert rating.comment
        assert rating.evaluator.province_id != province_of(rating.office)
    assert EvidenceLink.objects.filter(rating__criterion__cycle=past).exists()
    # and one pair of evaluators disagreed
    flagged = Result.objects.filter(cycle=past, disagreement=True).select_related("office__agency")
    assert [r.office.agency.name for r in flagged] == [demo.DISAGREEMENT[0]]


def test_the_1404_objection_was_upheld_with_a_corrected_level_that_raised_the_office(loaded):
    past = Cycle.objects.get(year=1404)
    appeal = Appeal.objects.get(cycle=past)
    assert appeal.status == AppealStatus.UPHELD
    assert appeal.office.agency.name == demo.RAIL
    assert appeal.criterion.code == demo.APPEALED[1]
    adjustment = Adjustment.objects.get(criterion__cycle=past)
    assert (adjustment.office, adjustment.level, adjustment.appeal) == (
        appeal.office,
        demo.CORRECTED_LEVEL,
        appeal,
    )
    assert appeal.total_after > appeal.total_before
    assert appeal.rank_after < appeal.rank_before
    # the final ranking is the corrected one
    result = Result.objects.get(cycle=past, office=appeal.office)
    assert (result.total, result.rank) == (appeal.total_after, appeal.rank_after)
    assert result.items[demo.APPEALED[1]]["adjusted"] is True
    # the window it was filed in is over by the next day, and the cycle is final
    assert past.appeals_until == jalali.today()
    assert not past.appeals_open_on(jalali.today())


def test_the_1405_evaluation_is_under_way_and_open_to_objections(loaded):
    current = Cycle.objects.get(year=1405)
    offices = list(evaluated_offices())
    assert current.status == CycleStatus.APPEALS
    assert current.appeals_open_on(jalali.today())
    assert Result.objects.filter(cycle=current).count() == len(offices)
    # some offices rated by both evaluators, some by one, some not yet
    raters = {office.pk: set() for office in offices}
    for office_id, evaluator_id in Rating.objects.filter(criterion__cycle=current).values_list(
        "office_id", "evaluator_id"
    ):
        raters[office_id].add(evaluator_id)
    assert sorted({len(found) for found in raters.values()}) == [0, 1, 2]
    # the airports' self-assessment waits for their evaluators, who have not rated yet
    self_assessment = SelfAssessment.objects.get(criterion__cycle=current)
    assert self_assessment.office.agency.name == demo.AIRPORTS
    assert raters[self_assessment.office_id] == set()
    # one objection waits for an answer, and a newcomer's office may object too
    appeal = Appeal.objects.get(cycle=current)
    assert appeal.status == AppealStatus.OPEN
    assert appeal.office.agency.name == demo.WEATHER
    newcomer = Person.objects.get(username="isf-baharestan")
    assert policy.can(newcomer, "evaluation.appeal", newcomer.office)


def test_the_added_evaluator_is_listed_and_loading_again_changes_nothing(loaded):
    # given the demo loaded once
    assert [user["username"] for user in loaded] == ["yazd-evaluator"]
    counts = (Rating.objects.count(), Appeal.objects.count(), AuditEvent.objects.count())
    # when it is loaded again
    again = demo.load_evaluation_demo()
    # then nothing is added and the same users are listed
    assert again == loaded
    assert (Rating.objects.count(), Appeal.objects.count(), AuditEvent.objects.count()) == counts
