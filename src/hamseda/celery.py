"""The Celery application. Redis in production (HAMSEDA_REDIS_URL); kombu's
filesystem transport in the data folder when no Redis is configured (the demo)."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamseda.settings")

app = Celery("hamseda")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect  # type: ignore[untyped-decorator]
def _prepare_broker(sender: Any, **kwargs: Any) -> None:
    # The filesystem transport fails on a missing folder; any process that sends
    # or consumes a task (a management command, the web, a worker) makes it first.
    from hamseda.core.health import prepare_broker

    prepare_broker()
