"""The follow-up indicators drill down to the follow-ups behind them: those due
in the period (closed on time or not) and those closed in it (days to close)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hamseda.core import indicators, jalali
from hamseda.followups.models import FollowUp, FollowUpStatus
from hamseda.followups.tests.factories import make_followup

pytestmark = pytest.mark.django_db

TODAY = jalali.today()
PERIOD = {"start": TODAY - dt.timedelta(days=60), "end": TODAY}


def _followup(world, title, offices, *, due, opened=None, closed=None, status=None):
    """A follow-up due ``due`` days from today, opened and closed that many days
    ago (negative), with its times written directly."""
    item = make_followup(
        world.isfahan_council if offices[0] != world.fars_office else world.fars_council,
        offices,
        actor=world.secretary,
        due_date=TODAY + dt.timedelta(days=due),
        text=title,
    )
    now = timezone.now()
    changes = {}
    if opened is not None:
        changes["created_at"] = now + dt.timedelta(days=opened)
    if closed is not None:
        changes.update(status=FollowUpStatus.DONE, closed_at=now + dt.timedelta(days=closed))
    if status is not None:
        changes["status"] = status
    FollowUp.objects.filter(pk=item.pk).update(**changes)
    item.refresh_from_db()
    return item


@pytest.fixture
def followups(world):
    rail, roads = world.member_office, world.chair_office
    return {
        "on_time": _followup(world, "گزارش تصویری", [rail, roads], due=-10, opened=-40, closed=-15),
        "late": _followup(world, "نشست خبری طرح", [rail], due=-20, opened=-40, closed=-5),
        "open": _followup(world, "پاسخ به گزارش رسانه", [rail], due=-30),
        "cancelled": _followup(
            world, "مصوبه لغوشده", [rail], due=-25, status=FollowUpStatus.CANCELLED
        ),
        "old": _followup(world, "پیگیری پارسال", [rail], due=-100, opened=-120, closed=-90),
        "fars": _followup(
            world, "پیگیری فارس", [world.fars_office], due=-10, opened=-30, closed=-12
        ),
        "due_later": _followup(world, "مصوبه آینده", [rail], due=30, opened=-13, closed=-3),
    }


def test_closed_on_time_evidence_lists_the_followups_due_in_the_period(world, followups):
    # when
    evidence = indicators.evidence(
        "followups.closed_on_time", **PERIOD, office_id=world.member_office.pk
    )
    value = indicators.compute(
        "followups.closed_on_time", **PERIOD, office_ids=[world.member_office.pk]
    )

    # then: newest due date first; late and open ones are there but not counted
    assert [(e.url, e.counted) for e in evidence] == [
        (followups["on_time"].get_absolute_url(), True),
        (followups["late"].get_absolute_url(), False),
        (followups["open"].get_absolute_url(), False),
    ]
    assert [e.label for e in evidence] == ["گزارش تصویری", "نشست خبری طرح", "پاسخ به گزارش رسانه"]
    assert evidence[0].date == followups["on_time"].due_date
    assert evidence[1].note == "با تأخیر"
    assert "باز" in evidence[2].note
    counted = sum(e.counted for e in evidence)
    assert value == {world.member_office.pk: pytest.approx(100 * counted / len(evidence))}


def test_median_days_evidence_lists_the_followups_closed_in_the_period(world, followups):
    # when
    evidence = indicators.evidence(
        "followups.median_days_to_close", **PERIOD, office_id=world.member_office.pk
    )
    value = indicators.compute(
        "followups.median_days_to_close", **PERIOD, office_ids=[world.member_office.pk]
    )

    # then: newest closing first, each with its days (the median is the middle one)
    assert [(e.url, e.note) for e in evidence] == [
        (followups["due_later"].get_absolute_url(), "۱۰٫۰ روز"),
        (followups["late"].get_absolute_url(), "۳۵٫۰ روز"),
        (followups["on_time"].get_absolute_url(), "۲۵٫۰ روز"),
    ]
    assert all(e.counted for e in evidence)
    assert evidence[0].date == jalali.local_date(followups["due_later"].closed_at)
    assert value == {world.member_office.pk: 25.0}


def test_evidence_of_an_office_leaves_out_other_offices_and_the_limit_cuts_the_oldest(
    world, followups
):
    roads = indicators.evidence(
        "followups.closed_on_time", **PERIOD, office_id=world.chair_office.pk
    )
    fars = indicators.evidence("followups.closed_on_time", **PERIOD, office_id=world.fars_office.pk)
    assert [e.url for e in roads] == [followups["on_time"].get_absolute_url()]
    assert [e.url for e in fars] == [followups["fars"].get_absolute_url()]
    first = indicators.evidence(
        "followups.closed_on_time", **PERIOD, office_id=world.member_office.pk, limit=1
    )
    assert [e.url for e in first] == [followups["on_time"].get_absolute_url()]


def test_rates_of_an_office_without_followups_are_unknown_not_zero():
    assert not indicators.REGISTRY["followups.closed_on_time"].absent_is_zero
    assert not indicators.REGISTRY["followups.median_days_to_close"].absent_is_zero


@pytest.mark.parametrize("code", ["followups.closed_on_time", "followups.median_days_to_close"])
def test_evidence_costs_one_query_whatever_the_number_of_followups(
    world, followups, code, django_assert_max_num_queries
):
    for n in range(10):
        _followup(world, f"مصوبه {n}", [world.member_office], due=-n, opened=-30, closed=-n)
    with django_assert_max_num_queries(1):
        evidence = indicators.evidence(code, **PERIOD, office_id=world.member_office.pk)
    assert len(evidence) > 10
