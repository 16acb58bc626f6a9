"""Background jobs of the sociale kaart."""

from __future__ import annotations

from django_tasks import task


@task()
def send_entry_reminders() -> int:
    """Remind the editors of stale sociale kaart entries; returns the number of entries reminded.

    Queued by ``manage.py network_reminders --enqueue`` (or any scheduler); the command without
    ``--enqueue`` does the same work directly and prints it.
    """
    from keten.network.kaart.services import entry_reminders_send

    return sum(1 for reminder in entry_reminders_send() if reminder.recipients)
