"""``manage.py verify_audit``: tell whether any audit event was altered or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from keten.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exits non-zero at the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at event {report.broken_at}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {report.checked} events; head hash {report.head_hash}")
        )
