"""Background work of evaluation: re-reading the indicators of cycles under way.

Ratings, corrections and answered objections re-rank a cycle as they are saved
(``services.compute.cycle_rank``); the quantitative values come from the other
apps' records, which change all day, so they are re-read nightly (beat) and on
demand.
"""

from __future__ import annotations

from celery import shared_task

from hamseda.evaluation.models import Cycle, CycleStatus
from hamseda.evaluation.services.compute import cycle_recompute

# Cycles whose values may still change; a draft has no frozen catalogue yet and
# a closed cycle's ranking is final.
OPEN = (CycleStatus.SCORING, CycleStatus.APPEALS)


@shared_task(name="evaluation.recompute_open_cycles", ignore_result=True)
def recompute_open_cycles() -> int:
    """Values and ranking of every cycle being scored or open to objections;
    returns how many were recomputed."""
    cycles = list(Cycle.objects.filter(status__in=OPEN).order_by("pk"))
    for cycle in cycles:
        cycle_recompute(cycle=cycle)
    return len(cycles)


@shared_task(name="evaluation.recompute_cycle", ignore_result=True)
def recompute_cycle(cycle_id: int) -> bool:
    """Values and ranking of one cycle, queued on demand; False when it is gone or
    no longer open (a closed cycle's ranking is final)."""
    cycle = Cycle.objects.filter(pk=cycle_id, status__in=OPEN).first()
    if cycle is None:
        return False
    cycle_recompute(cycle=cycle)
    return True
