"""``manage.py verwijsindex_webhooks``: send webhook deliveries that are due (cron, every few minutes).

New deliveries are sent by the task worker right after the registration that caused them; this sweep
sends the retries whose backoff has passed and anything whose queueing was missed.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.verwijsindex import webhooks
from keten.verwijsindex.tasks import send_due_webhooks


class Command(BaseCommand):
    help = "Send pending verwijsindex webhook deliveries that are due; prints the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="queue the job for the task worker instead")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_due_webhooks.enqueue()
            self.stdout.write(f"queued verwijsindex webhooks: task {result.id}")
            return
        counts = webhooks.deliver_due()
        self.stdout.write(
            f"verwijsindex webhooks: {counts.get('delivered', 0)} delivered, "
            f"{counts.get('pending', 0)} to retry later, {counts.get('failed', 0)} given up"
        )
