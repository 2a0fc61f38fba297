"""Hamseda: the working platform of a coordination council of PR offices."""

# The Celery app is created with the package so that @shared_task binds to it
# (and its settings: broker, eager mode in tests) wherever tasks are imported.
from hamseda.celery import app as celery_app

__version__ = "0.1.0"
__all__ = ["celery_app"]
