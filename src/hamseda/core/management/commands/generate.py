"""Generated data at national scale for benchmarks: every app adds its part."""

from __future__ import annotations

import random
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from hamseda.core.registry import GENERATORS, ordered


class Command(BaseCommand):
    help = "Generate realistic data for N provinces over Y years (for benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--provinces", type=int, default=31, choices=range(1, 32), metavar="1..31"
        )
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--seed", type=int, default=1404)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        started = time.perf_counter()
        for hook in ordered(GENERATORS):
            with transaction.atomic():
                hook.run(
                    provinces=options["provinces"], years=options["years"], rng=rng, out=self.stdout
                )
        self.stdout.write(f"generated in {time.perf_counter() - started:.1f} s")
