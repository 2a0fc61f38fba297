"""The nightly re-reading of indicators: cycles being scored or open to objections
take in records made since, closed cycles keep their final ranking. Run eagerly:
these tests are about what the tasks do, not about delivery."""

from __future__ import annotations

import datetime as dt

import pytest

from hamseda.activities.models import ActivityKind, ActivityStatus
from hamseda.activities.tests.factories import ActivityFactory
from hamseda.core import jalali
from hamseda.evaluation import tasks
from hamseda.evaluation.models import Criterion, Cycle, Result
from hamseda.evaluation.services.cycles import cycle_close, cycle_create, cycle_start_scoring

pytestmark = pytest.mark.django_db


def news_release(office, day: dt.date):
    return ActivityFactory(
        lead_office=office,
        kind=ActivityKind.NEWS_RELEASE,
        status=ActivityStatus.DONE,
        start_date=day,
    )


def news_count(cycle: Cycle, office) -> float | None:
    criterion = Criterion.objects.get(cycle=cycle, provider="activities.news_releases")
    return criterion.values.get(str(office.pk))


def closed_cycle_of_last_year(world) -> Cycle:
    last_year = jalali.to_jalali(jalali.today()).year - 1
    cycle = cycle_create(actor=world.ministry, year=last_year)
    cycle = cycle_start_scoring(actor=world.ministry, cycle=cycle)
    return cycle_close(actor=world.ministry, cycle=cycle)


def test_the_nightly_run_counts_a_news_release_made_since_scoring_started(world, cycle):
    # given a news release of the chair's office reported after the values were read
    assert news_count(cycle, world.chair_office) == 0
    news_release(world.chair_office, jalali.today())
    # when the nightly task runs
    recomputed = tasks.recompute_open_cycles.delay().get()
    # then the cycle's value and ranking count it
    assert recomputed == 1
    assert news_count(cycle, world.chair_office) == 1
    result = Result.objects.get(cycle=cycle, office=world.chair_office)
    code = cycle.criteria.get(provider="activities.news_releases").code
    assert result.items[code]["value"] == 1
    assert result.rank == 1


def test_the_nightly_run_leaves_a_closed_cycle_and_a_draft_alone(world, cycle):
    # given last year's closed cycle, a draft for next year, and a release of last year
    closed = closed_cycle_of_last_year(world)
    computed_at = closed.values_computed_at
    draft = cycle_create(actor=world.ministry, year=cycle.year + 1)
    news_release(world.chair_office, closed.start_date + dt.timedelta(days=10))
    # when the nightly task runs
    recomputed = tasks.recompute_open_cycles.delay().get()
    # then only the cycle being scored was recomputed: the final ranking stands
    assert recomputed == 1
    closed.refresh_from_db()
    assert closed.values_computed_at == computed_at
    assert news_count(closed, world.chair_office) == 0
    assert not any(c.values for c in draft.criteria.all())


def test_one_cycle_is_recomputed_on_demand_unless_it_is_closed_or_gone(world, cycle):
    # given a release made after the values were read, and a closed cycle
    news_release(world.chair_office, jalali.today())
    closed = closed_cycle_of_last_year(world)
    # when one cycle is recomputed
    done = tasks.recompute_cycle.delay(cycle.pk).get()
    # then it counts the release; a closed or unknown cycle is refused
    assert done is True
    assert news_count(cycle, world.chair_office) == 1
    assert tasks.recompute_cycle.delay(closed.pk).get() is False
    assert tasks.recompute_cycle.delay(10**9).get() is False
