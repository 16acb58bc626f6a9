"""``manage.py network_reindex``: rebuild the search text of every sociale kaart entry.

The search text is rebuilt whenever an entry is saved through the services. Run this command after
a change to what the search text holds (a new release), after bulk imports, or to pick up renamed or
new aandachtsfunctionarissen at once. Organisations without an entry get an empty one first, as the
sociale kaart expects one per organisation. Safe to run at any time and as often as wanted.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from keten.accounts.models import Organisation
from keten.network.kaart.search_text import reindex_entries
from keten.network.models import OrganisationEntry


class Command(BaseCommand):
    help = "Rebuild the search text of every sociale kaart entry (and create missing entries)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="entries per batch (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            missing = Organisation.objects.filter(entry__isnull=True).values_list("pk", flat=True)
            created = OrganisationEntry.objects.bulk_create(
                [OrganisationEntry(organisation_id=pk) for pk in missing], batch_size=options["batch_size"]
            )
        seen, changed = reindex_entries(batch_size=options["batch_size"])
        self.stdout.write(
            f"{seen} entries indexed, {changed} search texts changed, {len(created)} missing entries created."
        )
