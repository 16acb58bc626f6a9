"""``manage.py verwijsindex_alerts``: daily alerts of the verwijsindex (run by cron).

The regievoerders hear of matches without recorded contact past the municipality's deadline (once
per match), and professionals who postponed informing the family are reminded (once per signal).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.verwijsindex import services
from keten.verwijsindex.tasks import run_alerts


class Command(BaseCommand):
    help = "Alert regievoerders to overdue matches and remind postponed notices; prints the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the job for the task worker instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = run_alerts.enqueue()
            self.stdout.write(f"queued verwijsindex alerts: task {result.id}")
            return
        counts = services.alerts_run()
        self.stdout.write(
            f"verwijsindex alerts: {counts['alerted']} overdue matches alerted to the regievoerder, "
            f"{counts['reminders']} postponed notices reminded"
        )
