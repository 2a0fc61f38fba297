"""Rebuild the overlap index (``ActivityBand``) of every activity.

Run after a change to ``activities.similarity`` (tables, shingles, bands) or to
agency aliases; each chunk of activities is replaced in its own transaction,
so lookups keep working while it runs."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from hamseda.activities.models import Activity
from hamseda.activities.overlap import index_bulk


class Command(BaseCommand):
    help = "Rebuild the MinHash band index used to find parallel activities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk", type=int, default=2000, help="activities per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        chunk_size: int = options["chunk"]
        activities = Activity.objects.only("pk", "title", "description", "province_id").order_by(
            "pk"
        )
        indexed = rows = 0
        last_pk = 0
        while True:
            chunk = list(activities.filter(pk__gt=last_pk)[:chunk_size])
            if not chunk:
                break
            with transaction.atomic():
                rows += index_bulk(chunk)
            indexed += len(chunk)
            last_pk = chunk[-1].pk
        self.stdout.write(
            f"{indexed} activities, {rows} band rows in {time.perf_counter() - started:.1f} s"
        )
