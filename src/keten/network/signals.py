"""Keep every organisation's sociale kaart entry and its search text in step with the organisation."""

from __future__ import annotations

from typing import Any

from keten.accounts.models import Organisation
from keten.network.models import OrganisationEntry


def sync_entry(sender: type[Organisation], instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    """A new organisation gets an (empty) entry; a renamed one gets a fresh search text."""
    if raw:
        return
    from keten.network.services import search_text_for

    entry, _created = OrganisationEntry.objects.get_or_create(organisation=instance)
    text = search_text_for(instance, entry)
    if entry.search_text != text:
        OrganisationEntry.objects.filter(pk=entry.pk).update(search_text=text)
