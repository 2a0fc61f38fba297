"""Load (or complete) the demo data of every app; safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from hamseda.core.registry import DEMO_LOADERS, ordered


class Command(BaseCommand):
    help = "Load the demo data of every app (idempotent) and list the demo users."

    def handle(self, *args: Any, **options: Any) -> None:
        users: list[dict[str, Any]] = []
        with transaction.atomic():
            for hook in ordered(DEMO_LOADERS):
                result = hook.run()
                if isinstance(result, list):
                    users.extend(result)
        if options["verbosity"] > 0:
            self.stdout.write("Demo users (username / password — role, office):")
            for user in users:
                self.stdout.write(
                    f"  {user['username']:<16} {user['password']}  — {user['role']}"
                    + (f"، {user['office']}" if user["office"] else "")
                )
