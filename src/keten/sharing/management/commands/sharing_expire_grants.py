"""``manage.py sharing_expire_grants``: end access grants whose period is over (run daily by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.sharing.services import grants_expire
from keten.sharing.tasks import expire_grants


class Command(BaseCommand):
    help = "Mark access grants of informatie delen whose period has ended as ended, and print how many."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the job for the task worker instead of running it here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = expire_grants.enqueue()
            self.stdout.write(f"queued sharing grant expiry: task {result.id}")
            return
        count = grants_expire()
        self.stdout.write(f"sharing grants expired: {count}")
