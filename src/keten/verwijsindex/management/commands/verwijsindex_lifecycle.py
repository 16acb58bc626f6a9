"""``manage.py verwijsindex_lifecycle``: the nightly lifecycle of the verwijsindex (run by cron).

Signals past their active period move to the archive, everything about a young person who turned 23
is destroyed, archived signals past five years are destroyed, matches left without two active
signals end, and match events older than ``KETEN_VI_FEED_RETENTION_DAYS`` are forgotten. It prints
and logs counts only. Running it twice on one day does nothing the second time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keten.verwijsindex import services, webhooks
from keten.verwijsindex.tasks import run_lifecycle


class Command(BaseCommand):
    help = "Expire, age out and purge verwijsindex signals and end matches without a pair; prints the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the job for the task worker instead")
        parser.add_argument("--today", help="run as if it were this day (YYYY-MM-DD); for catching up")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = run_lifecycle.enqueue()
            self.stdout.write(f"queued verwijsindex lifecycle: task {result.id}")
            return
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be a date as YYYY-MM-DD") from exc
        report = services.lifecycle_run(today=today)
        purged = webhooks.feed_purge()
        self.stdout.write(
            f"verwijsindex lifecycle: {report.expired} signals expired to the archive, "
            f"{report.aged_out_youths} young people aged out (23) and destroyed, "
            f"{report.archive_purged} archived signals destroyed, {report.matches_ended} matches ended, "
            f"{purged} old match events forgotten"
        )
