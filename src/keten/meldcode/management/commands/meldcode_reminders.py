"""``manage.py meldcode_reminders``: signal stalled meldcode-trajecten and overdue Veilig Thuis feedback.

Run daily by cron. A traject without a recorded entry for ``KETEN_MELDCODE_STALL_DAYS`` is flagged
to its professional, and after ``KETEN_MELDCODE_ESCALATE_DAYS`` more to the organisation's
aandachtsfunctionarissen; overdue feedback of Veilig Thuis is signalled once. Each at most once;
running it twice sends nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keten.meldcode.tasks import meldcode_reminders_send, send_meldcode_reminders


class Command(BaseCommand):
    help = "Signal meldcode-trajecten without recent entries and melding feedback of Veilig Thuis that is overdue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the job for the task worker instead of running it here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_meldcode_reminders.enqueue()
            self.stdout.write(f"queued meldcode reminders: task {result.id}")
            return
        done = meldcode_reminders_send()
        self.stdout.write(
            f"meldcode reminders: {done.stalled} stalled flagged, {done.escalated} escalated, "
            f"{done.feedback_overdue} overdue feedback, {done.reset} flags cleared after new activity"
        )
