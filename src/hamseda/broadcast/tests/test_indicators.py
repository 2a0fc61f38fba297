"""The broadcast indicators: pitches approved and aired, per office, with
their evidence."""

from __future__ import annotations

import datetime as dt

import pytest

from hamseda.broadcast import services
from hamseda.broadcast.models import Outcome
from hamseda.broadcast.tests.factories import approved_pitch, make_dispatch, make_pitch
from hamseda.core import indicators, jalali

pytestmark = pytest.mark.django_db

TODAY = jalali.today()
WEEK_AGO = TODAY - dt.timedelta(days=7)


def test_both_indicators_are_registered_with_evidence():
    for code in ("broadcast.pitches_approved", "broadcast.pitches_aired"):
        assert indicators.REGISTRY[code].evidence is not None


def test_approved_pitches_count_for_the_proposing_office(world):
    approved_pitch(world)
    approved_pitch(world)
    approved_pitch(world, world.staff)
    make_pitch(world.partner, submit=True)  # not reviewed: not counted
    values = indicators.compute("broadcast.pitches_approved", start=WEEK_AGO, end=TODAY)
    assert values == {world.member_office.pk: 2.0, world.chair_office.pk: 1.0}
    only = indicators.compute(
        "broadcast.pitches_approved", start=WEEK_AGO, end=TODAY, office_ids=[world.chair_office.pk]
    )
    assert only == {world.chair_office.pk: 1.0}
    before = indicators.compute(
        "broadcast.pitches_approved", start=WEEK_AGO, end=TODAY - dt.timedelta(days=1)
    )
    assert before == {}
    evidence = indicators.evidence(
        "broadcast.pitches_approved", start=WEEK_AGO, end=TODAY, office_id=world.chair_office.pk
    )
    assert len(evidence) == 1
    assert evidence[0].counted
    assert evidence[0].date == TODAY


def test_aired_pitches_count_on_their_airing_date_and_others_are_shown_not_counted(world):
    aired = approved_pitch(world, title="پخش‌شده")
    declined = approved_pitch(world, title="نپذیرفته")
    dispatch = make_dispatch(world, [aired, declined], date=WEEK_AGO)
    items = {i.pitch_id: i for i in dispatch.items.all()}
    services.answer_record(
        actor=world.chair,
        item=items[aired.pk],
        outcome=Outcome.AIRED,
        aired_on=TODAY - dt.timedelta(days=2),
        programme="گزارش ویژه",
    )
    services.answer_record(actor=world.chair, item=items[declined.pk], outcome=Outcome.DECLINED)
    values = indicators.compute("broadcast.pitches_aired", start=WEEK_AGO, end=TODAY)
    assert values == {world.member_office.pk: 1.0}
    assert indicators.compute("broadcast.pitches_aired", start=TODAY, end=TODAY) == {}
    evidence = indicators.evidence(
        "broadcast.pitches_aired", start=WEEK_AGO, end=TODAY, office_id=world.member_office.pk
    )
    assert [(e.label, e.counted) for e in evidence] == [("پخش‌شده", True), ("نپذیرفته", False)]
    assert "گزارش ویژه" in evidence[0].note
