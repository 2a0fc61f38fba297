"""A 1405-style cycle (this Jalali year) in scoring, with the default catalogue,
over the personas of ``hamseda.conftest.world``."""

from __future__ import annotations

import pytest

from hamseda.core import jalali
from hamseda.evaluation.models import Cycle
from hamseda.evaluation.services.cycles import cycle_create, cycle_start_scoring


def this_year() -> int:
    return jalali.to_jalali(jalali.today()).year


@pytest.fixture
def draft_cycle(world) -> Cycle:
    return cycle_create(actor=world.ministry, year=this_year())


@pytest.fixture
def cycle(world, draft_cycle) -> Cycle:
    """Scoring has started: the catalogue is frozen and the three evaluated
    offices of the world (two in Isfahan, one in Fars) are ranked."""
    return cycle_start_scoring(actor=world.ministry, cycle=draft_cycle)
