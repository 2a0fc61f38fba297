"""Health of what the site depends on, for ``GET /healthz`` and ``hamseda`` at start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database(alias: str = "default") -> Check:
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return Check("database", False, f"{connection.vendor}: {exc}".strip())
    return Check("database", True, connection.vendor)


def check_broker() -> Check:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        folder = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]))
        if folder.is_dir() and os.access(folder, os.W_OK):
            return Check("broker", True, "filesystem")
        return Check("broker", False, f"filesystem: {folder} is missing or not writable")
    if url.startswith(("redis://", "rediss://")):
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
        except redis.RedisError as exc:
            return Check("broker", False, f"redis: {exc}")
        return Check("broker", True, "redis")
    return Check("broker", True, url.split("://", 1)[0])


def prepare_broker() -> None:
    """Create the folders of the filesystem broker (the embedded default)."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        for key in ("data_folder_in", "data_folder_out", "processed_folder"):
            Path(str(options[key])).mkdir(parents=True, exist_ok=True)


def check_worker() -> Check:
    """Informational: a worker that is down delays background work but the site
    still serves, so /healthz stays 200; monitoring reads ``checks.worker.ok``."""
    from django.utils import timezone

    from hamseda.core.models import WorkerHeartbeat

    try:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    except DatabaseError as exc:
        return Check("worker", False, f"unknown: {exc}")
    if latest is None:
        return Check("worker", False, "no heartbeat yet")
    age = (timezone.now() - latest.seen_at).total_seconds()
    ok = age <= settings.WORKER_HEARTBEAT_MAX_AGE
    return Check("worker", ok, f"{latest.worker}, last seen {age:.0f} s ago")


CRITICAL = ("database", "broker")


def run_checks() -> list[Check]:
    database = check_database()
    checks = [database, check_broker()]
    if database.ok:
        checks.append(check_worker())
    return checks
