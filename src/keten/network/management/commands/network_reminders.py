"""``manage.py network_reminders``: remind editors of stale sociale kaart entries (run daily by cron).

An entry not confirmed for ``KETEN_NETWORK_STALE_MONTHS`` gets at most one reminder per
``KETEN_NETWORK_REMINDER_DAYS``: the functioneel beheerders of the organisation and its designated
editors receive an in-app notification and an e-mail without client data. Running it twice on one
day sends nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.network.kaart.services import entry_reminders_send
from keten.network.tasks import send_entry_reminders


class Command(BaseCommand):
    help = "Send reminders about sociale kaart entries that were not confirmed for too long, and list them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the job for the task worker instead of running it here (prints nothing per entry)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_entry_reminders.enqueue()
            self.stdout.write(f"queued network reminders: task {result.id}")
            return
        reminders = entry_reminders_send()
        sent = 0
        for reminder in reminders:
            confirmed = reminder.last_confirmed_at.date().isoformat() if reminder.last_confirmed_at else "never"
            if reminder.recipients:
                sent += 1
                self.stdout.write(
                    f"reminded {reminder.recipients} people: {reminder.organisation_name} "
                    f"(#{reminder.organisation_id}, last confirmed {confirmed})"
                )
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"nobody to remind: {reminder.organisation_name} "
                        f"(#{reminder.organisation_id}, last confirmed {confirmed})"
                    )
                )
        self.stdout.write(f"network reminders: {sent} entries reminded, {len(reminders) - sent} without recipients")
