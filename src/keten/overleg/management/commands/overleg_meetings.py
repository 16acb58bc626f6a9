"""``manage.py overleg_meetings``: keep the next weeks of meetings planned from each overleg's recurrence.

Run daily by cron (idempotent: existing and cancelled meetings are left as they are).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.overleg.meetings.services import WEEKS_AHEAD, meetings_generate
from keten.overleg.tasks import generate_overleg_meetings


class Command(BaseCommand):
    help = "Plan the meetings of every active overleg for the coming weeks from its recurrence."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weeks", type=int, default=WEEKS_AHEAD, help="how many weeks ahead (default %(default)s)")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the job for the task worker instead of running it here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = generate_overleg_meetings.enqueue(weeks=options["weeks"])
            self.stdout.write(f"queued overleg meetings: task {result.id}")
            return
        made = meetings_generate(weeks=options["weeks"])
        self.stdout.write(f"overleg meetings: {made} planned")
