"""Background work of the social networks: delivering posts and the sweep.

``social.deliver`` is acknowledged late and rejected when its worker is lost, so
a task whose worker died before the claim is delivered again; a run that finds
the delivery already claimed (SENDING) or settled does nothing. Either way no
message is sent twice (``services.delivery``).
"""

from __future__ import annotations

from celery import shared_task

from hamseda.social.services import delivery


@shared_task(
    name="social.deliver",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def deliver_task(delivery_id: int) -> str:
    return delivery.deliver(delivery_id)


@shared_task(name="social.sweep", ignore_result=True)
def sweep_task() -> dict[str, int]:
    return delivery.sweep()
