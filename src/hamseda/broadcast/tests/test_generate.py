"""The national-scale generator of pitches and letters to the broadcaster, on
top of the directory and campaigns generators (2 provinces over 2 years)."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from io import StringIO

import pytest

from hamseda.broadcast.generate import generate_broadcast
from hamseda.broadcast.models import (
    BroadcasterContact,
    Dispatch,
    DispatchItem,
    Outcome,
    Pitch,
    PitchStatus,
)
from hamseda.broadcast.services.dispatches import format_number
from hamseda.campaigns.generate import generate_campaigns
from hamseda.core import indicators, jalali
from hamseda.directory.generate import generate_directory
from hamseda.directory.models import CouncilMembership, MembershipRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    rng = random.Random(11)
    out = StringIO()
    generate_directory(provinces=2, years=2, rng=rng, out=out)
    generate_campaigns(provinces=2, years=2, rng=rng, out=out)
    generate_broadcast(provinces=2, years=2, rng=rng, out=out)
    return rng, out


def test_pitches_in_every_state_from_every_office(generated):
    _rng, out = generated
    assert BroadcasterContact.objects.count() == 2
    offices = set(
        CouncilMembership.objects.exclude(role=MembershipRole.BROADCASTER).values_list(
            "office_id", flat=True
        )
    )
    pitches = list(Pitch.objects.all())
    assert {p.office_id for p in pitches} == offices
    # a few a year per office, not hundreds
    assert len(offices) <= len(pitches) <= len(offices) * 2 * 5
    states = Counter(p.status for p in pitches)
    assert states[PitchStatus.DISPATCHED] > len(pitches) / 2
    assert states[PitchStatus.REJECTED]
    assert states[PitchStatus.RETURNED]
    assert f"broadcast: {len(pitches)} pitches" in out.getvalue()
    today = jalali.today()
    for pitch in pitches:
        assert pitch.text_key  # bulk-loaded rows carry their search keys
        if pitch.status in (PitchStatus.APPROVED, PitchStatus.DISPATCHED):
            assert pitch.approved_on is not None
            assert pitch.approved_on <= today
            assert pitch.reviewed_by is not None
        if pitch.status != PitchStatus.DRAFT:
            assert pitch.submitted_at is not None
            assert pitch.submitted_at >= pitch.created_at
    # the history's timestamps, not the moment of generating
    oldest = min(p.created_at for p in pitches)
    assert jalali.local_date(oldest) < today - dt.timedelta(days=200)
    assert Pitch.objects.exclude(campaign=None).exists()


def test_dispatches_numbered_per_province_and_year_with_answers(generated):
    dispatches = list(Dispatch.objects.all())
    assert dispatches
    numbers = [(d.province_id, d.number) for d in dispatches]
    assert len(set(numbers)) == len(numbers)
    serials: dict[tuple[int, int], list[int]] = {}
    for dispatch in dispatches:
        assert dispatch.number == format_number(dispatch.year, dispatch.serial)
        assert jalali.to_jalali(dispatch.date).year == dispatch.year
        assert not dispatch.pdf  # rendered on demand, never at generation
        assert dispatch.text_key
        serials.setdefault((dispatch.province_id, dispatch.year), []).append(dispatch.serial)
    for found in serials.values():
        assert sorted(found) == list(range(1, len(found) + 1))
    # the serial follows the date within a province and year
    for (province, year), _found in serials.items():
        dates = list(
            Dispatch.objects.filter(province_id=province, year=year)
            .order_by("serial")
            .values_list("date", flat=True)
        )
        assert dates == sorted(dates)

    items = list(DispatchItem.objects.select_related("pitch", "dispatch"))
    assert {i.pitch.status for i in items} == {PitchStatus.DISPATCHED}
    assert Pitch.objects.filter(status=PitchStatus.DISPATCHED).count() == len(items)
    outcomes = Counter(i.outcome for i in items)
    assert outcomes[Outcome.AIRED]
    assert outcomes[Outcome.DECLINED]
    assert outcomes[Outcome.ACCEPTED]
    today = jalali.today()
    for item in items:
        assert item.pitch.approved_on < item.dispatch.date
        assert item.pitch.office.agency.province_id == item.dispatch.province_id
        if item.outcome == Outcome.AIRED:
            assert item.dispatch.date <= item.aired_on <= today
            assert item.programme
        if item.outcome != Outcome.PENDING:
            assert item.answered_at is not None
            assert item.answered_by is not None
    positions = Counter((i.dispatch_id, i.position) for i in items)
    assert max(positions.values()) == 1


def test_indicators_have_values_for_generated_offices(generated):
    today = jalali.today()
    start = today - dt.timedelta(days=365)
    offices = list(Pitch.objects.order_by().values_list("office_id", flat=True).distinct())
    approved = indicators.REGISTRY["broadcast.pitches_approved"].compute(
        start=start, end=today, office_ids=offices
    )
    aired = indicators.REGISTRY["broadcast.pitches_aired"].compute(
        start=start, end=today, office_ids=offices
    )
    assert len(approved) > len(offices) / 2
    assert aired
    assert set(aired) <= set(offices)
    assert all(value >= 1 for value in (*approved.values(), *aired.values()))


def test_second_run_adds_nothing(generated):
    rng, out = generated
    counts = (Pitch.objects.count(), Dispatch.objects.count(), DispatchItem.objects.count())
    generate_broadcast(provinces=2, years=2, rng=rng, out=out)
    assert (Pitch.objects.count(), Dispatch.objects.count(), DispatchItem.objects.count()) == counts
    assert BroadcasterContact.objects.count() == 2


def test_same_seed_same_data():
    """Deterministic: the letters of two runs from one seed are the same."""

    def run() -> list[tuple[str, str, int]]:
        rng = random.Random(5)
        out = StringIO()
        generate_directory(provinces=1, years=1, rng=rng, out=out)
        generate_broadcast(provinces=1, years=1, rng=rng, out=out)
        return list(
            DispatchItem.objects.order_by("dispatch__number", "position").values_list(
                "dispatch__number", "pitch__title", "position"
            )
        )

    first = run()
    # start again from an empty database: remove what the first run made
    DispatchItem.objects.all().delete()
    Dispatch.objects.all().delete()
    Pitch.objects.all().delete()
    from hamseda.directory.models import Agency, Council, Office, Person

    Person.objects.all().delete()
    Council.objects.all().delete()
    Office.objects.all().delete()
    Agency.objects.all().delete()
    BroadcasterContact.objects.all().delete()
    assert run() == first
