"""``manage.py sharing_expire_grants``: end access grants whose period is over and clear expired inzage
overview PDFs (run daily by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.sharing.inzage.services import inzage_exports_purge
from keten.sharing.services import grants_expire
from keten.sharing.tasks import expire_grants


class Command(BaseCommand):
    help = "End access grants of informatie delen whose period is over and clear expired overview PDFs."

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
        self.stdout.write(f"inzage overview PDFs cleared: {inzage_exports_purge()}")
