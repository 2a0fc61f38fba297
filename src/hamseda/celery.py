"""The Celery application. Redis in production (HAMSEDA_REDIS_URL); kombu's
filesystem transport in the data folder when no Redis is configured (the demo)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamseda.settings")

app = Celery("hamseda")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
