"""``manage.py verify_audit``: tell whether any audit event was altered or removed.

The hash chain shows changes and removals *inside* the log. Removing the newest events leaves a
shorter chain that is still intact, so the output ends with an anchor (``<id>:<hash>`` of the
newest event): store it outside Keten (e.g. daily), and pass earlier anchors back with
``--anchor`` to prove that those events are still there, unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keten.core.audit import verify_chain
from keten.core.models import AuditEvent


def _parse_anchor(value: str) -> tuple[int, str]:
    event_id, _, digest = value.partition(":")
    if not event_id.isdigit() or len(digest) != 64:
        raise CommandError(f"Invalid anchor {value!r}: expected <event id>:<64 hex characters>")
    return int(event_id), digest.lower()


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exits non-zero at the first broken link or missing anchor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ID:HASH",
            help="an anchor printed by an earlier run; the event must still exist with that hash",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = [_parse_anchor(value) for value in options["anchor"]]
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at event {report.broken_at}: {report.problem} "
                f"({report.checked} events before it are intact)"
            )
        for event_id, digest in anchors:
            stored = AuditEvent.objects.filter(pk=event_id).values_list("hash", flat=True).first()
            if stored != digest:
                raise CommandError(
                    f"Audit anchor {event_id} does NOT match: the event was removed or the log was cut back"
                )
        head = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {report.checked} events; {len(anchors)} anchor(s) confirmed; "
                f"anchor {head or 0}:{report.head_hash}"
            )
        )
