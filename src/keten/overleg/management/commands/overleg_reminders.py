"""``manage.py overleg_reminders``: remind owners of agreements that are due and flag overdue ones.

Run daily by cron. Each agreement is reminded at most once before its due date and flagged at most
once when overdue (to its owner and the chair); running it twice sends nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.overleg.tasks import overleg_reminders_send, send_overleg_reminders


class Command(BaseCommand):
    help = "Remind owners of overleg agreements that are almost due and flag overdue ones to owner and chair."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the job for the task worker instead of running it here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_overleg_reminders.enqueue()
            self.stdout.write(f"queued overleg reminders: task {result.id}")
            return
        done = overleg_reminders_send()
        self.stdout.write(
            f"overleg reminders: {done.reminded} due soon, {done.overdue} overdue, {done.notifications} notifications"
        )
