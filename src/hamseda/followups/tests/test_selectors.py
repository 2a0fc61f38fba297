"""Reads of follow-ups: scoping, the computed overdue state, the board, the
agenda's carry-over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from hamseda.core import jalali
from hamseda.followups import selectors, services
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.selectors import FollowUpFilters, State
from hamseda.followups.tests.factories import make_followup

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 11, 26)


def _due(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


@pytest.fixture
def isfahan(world):
    """Four follow-ups of Isfahan: overdue open, overdue in progress, due later, done late."""
    council, rail, chair = world.isfahan_council, world.member_office, world.chair_office
    late_open = make_followup(council, [rail], actor=world.chair, due_date=_due(-5), text="الف")
    late_busy = make_followup(council, [chair], actor=world.chair, due_date=_due(-1), text="ب")
    FollowUp.objects.filter(pk=late_busy.pk).update(status=FollowUpStatus.IN_PROGRESS)
    later = make_followup(council, [rail, chair], actor=world.chair, due_date=_due(3), text="پ")
    done = make_followup(council, [rail], actor=world.chair, due_date=_due(-9), text="ت")
    services.followup_close(actor=world.member_staff, followup=done, note="انجام شد")
    return {"late_open": late_open, "late_busy": late_busy, "later": later, "done": done}


def test_overdue_is_computed_from_status_and_due_date_not_stored(world, isfahan):
    rows = {f.pk: f for f in selectors.followup_list(viewer=world.chair, today=TODAY)}
    assert rows[isfahan["late_open"].pk].state == State.OVERDUE
    assert rows[isfahan["late_open"].pk].is_overdue is True
    assert rows[isfahan["late_busy"].pk].state == State.OVERDUE
    assert rows[isfahan["later"].pk].state == State.OPEN
    assert rows[isfahan["later"].pk].is_overdue is False
    # a follow-up closed after its due date is done, not overdue
    assert rows[isfahan["done"].pk].state == State.DONE
    # nothing was written: the stored status is still "open"
    assert FollowUp.objects.get(pk=isfahan["late_open"].pk).status == FollowUpStatus.OPEN
    # and the same follow-up is not overdue on its due date
    on_due = selectors.followup_list(viewer=world.chair, today=_due(-5)).get(
        pk=isfahan["late_open"].pk
    )
    assert on_due.state == State.OPEN


def test_the_overdue_filter_runs_in_one_sql_query(world, isfahan, django_assert_num_queries):
    with django_assert_num_queries(1):
        pks = set(
            selectors.followup_list(
                viewer=world.chair, filters=FollowUpFilters(state="overdue"), today=TODAY
            ).values_list("pk", flat=True)
        )
    assert pks == {isfahan["late_open"].pk, isfahan["late_busy"].pk}


def test_filters_by_office_status_and_due_range(world, isfahan):
    def pks(**filters):
        return set(
            selectors.followup_list(
                viewer=world.chair, filters=FollowUpFilters(**filters), today=TODAY
            ).values_list("pk", flat=True)
        )

    assert pks(office_id=world.chair_office.pk) == {isfahan["late_busy"].pk, isfahan["later"].pk}
    assert pks(state="open") == {isfahan["later"].pk}
    assert pks(state="done") == {isfahan["done"].pk}
    assert pks(due_from=_due(-5), due_to=_due(0)) == {
        isfahan["late_open"].pk,
        isfahan["late_busy"].pk,
    }


def test_days_overdue_are_counted_for_display(world, isfahan):
    followup = selectors.followup_get(
        viewer=world.chair, followup_id=isfahan["late_open"].pk, today=TODAY
    )
    assert followup.days_overdue == 5


def test_the_board_has_four_columns_with_counts(world, isfahan):
    columns = {c.state: c for c in selectors.followup_board(viewer=world.chair, today=TODAY)}
    assert list(columns) == ["open", "in_progress", "overdue", "done"]
    assert [f.pk for f in columns["open"].cards] == [isfahan["later"].pk]
    assert columns["in_progress"].total == 0
    assert [f.pk for f in columns["overdue"].cards] == [
        isfahan["late_open"].pk,
        isfahan["late_busy"].pk,
    ]
    assert columns["overdue"].total == 2
    assert columns["done"].total == 1


def test_another_province_sees_none_of_isfahans_followups(world, isfahan):
    assert not selectors.followup_list(viewer=world.fars_chair, today=TODAY).exists()
    with pytest.raises(Http404):
        selectors.followup_get(viewer=world.fars_chair, followup_id=isfahan["later"].pk)


def test_the_ministry_centre_sees_every_province_and_filters_by_council(world, isfahan):
    fars = make_followup(world.fars_council, [world.fars_office], actor=world.fars_chair)
    every = set(selectors.followup_list(viewer=world.ministry).values_list("pk", flat=True))
    assert fars.pk in every
    assert isfahan["later"].pk in every
    only_fars = selectors.followup_list(
        viewer=world.ministry, filters=FollowUpFilters(council_id=world.fars_council.pk)
    )
    assert list(only_fars.values_list("pk", flat=True)) == [fars.pk]


def test_every_isfahan_member_reads_isfahans_followups(world, isfahan):
    for persona in (world.staff, world.member_staff, world.partner, world.secretary):
        assert selectors.followup_list(viewer=persona).count() == 4


def _world_of(world, size: int) -> None:
    for i in range(size):
        make_followup(
            world.isfahan_council,
            [world.member_office, world.chair_office],
            actor=world.chair,
            due_date=_due(i - size // 2),
            referred=i % 2 == 0,
            text=f"مصوبه {i}",
        )


def _list_queries(world, size: int) -> int:
    _world_of(world, size)
    with CaptureQueriesContext(connection) as captured:
        followups = list(selectors.followup_list(viewer=world.chair, today=TODAY)[:30])
        seen = []
        for f in followups:
            f.policy_scope()
            seen += [o.name for o in f.offices.all()]
            seen += [f.resolution.meeting.starts_at, f.council.province.name]
            if f.is_referral:
                seen.append(f.referral.reply)
    return len(captured)


def test_the_list_selector_costs_two_queries_at_any_size(world, django_assert_max_num_queries):
    assert _list_queries(world, 3) == 2
    assert _list_queries(world, 25) == 2


def test_the_board_costs_the_same_queries_at_any_size(world, django_assert_max_num_queries):
    _world_of(world, 3)
    with django_assert_max_num_queries(9):
        small = selectors.followup_board(viewer=world.chair, today=TODAY)
    _world_of(world, 30)
    with django_assert_max_num_queries(9):
        large = selectors.followup_board(viewer=world.chair, today=TODAY)
    assert sum(c.total for c in large) > sum(c.total for c in small)


def test_the_agenda_still_gets_open_followups_with_their_referral(world, isfahan):
    referred = make_followup(
        world.isfahan_council, [world.member_office], actor=world.chair, referred=True
    )
    agenda = selectors.followup_open_for_agenda(
        council=world.isfahan_council,
        before=dt.datetime.now(jalali.TEHRAN) + dt.timedelta(days=1),
    )
    pks = [f.pk for f in agenda]
    assert isfahan["done"].pk not in pks
    assert referred.pk in pks
