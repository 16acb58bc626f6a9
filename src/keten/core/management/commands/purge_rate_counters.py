"""``manage.py purge_rate_counters``: remove rate-limit windows that ended long ago.

The counters of :mod:`keten.core.ratelimit` (API throttles, look-up limits) are one row per key and
window; nothing reads a window after it ended. Run daily; running it twice is harmless.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.core import ratelimit


class Command(BaseCommand):
    help = "Remove rate-limit counter windows older than --days (default 1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=1, help="Keep windows that started within this many days.")

    def handle(self, *args: Any, **options: Any) -> None:
        days = max(1, int(options["days"]))
        removed = ratelimit.purge(older_than=timedelta(days=days))
        self.stdout.write(f"rate counters purged: {removed}")
