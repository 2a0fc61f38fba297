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


def run_checks() -> list[Check]:
    return [check_database(), check_broker()]
