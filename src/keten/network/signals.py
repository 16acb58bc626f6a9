"""Keep every organisation's sociale kaart entry and its search text in step with the organisation."""

from __future__ import annotations

from typing import Any

from keten.accounts.models import Organisation
from keten.network.models import OrganisationEntry


def sync_entry(sender: type[Organisation], instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    """A new organisation gets an (empty) entry; a renamed one gets a fresh search text."""
    if raw:
        return
    from keten.network.kaart.search_text import search_text_for

    entry, _created = OrganisationEntry.objects.get_or_create(organisation=instance)
    text = search_text_for(instance, entry)
    if entry.search_text != text:
        OrganisationEntry.objects.filter(pk=entry.pk).update(search_text=text)


def _municipality_of_organisation(organisation_id: int | None) -> int | None:
    if organisation_id is None:
        return None
    return Organisation.objects.filter(pk=organisation_id).values_list("municipality_id", flat=True).first()


def bump_kaart_version(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Any change that can show on a routekaart or a search card raises the kaart version of its municipality."""
    from keten.accounts.models import Membership, User, Wijk
    from keten.network.kaart import cache as kaart_cache
    from keten.network.models import Agreement

    if raw:
        return
    municipality_ids: list[int | None]
    if isinstance(instance, Organisation | Wijk | Agreement):
        municipality_ids = [instance.municipality_id]
    elif isinstance(instance, OrganisationEntry | Membership):
        municipality_ids = [_municipality_of_organisation(instance.organisation_id)]
    elif isinstance(instance, User):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return  # signing in changes nothing on a routekaart
        municipality_ids = list(
            Organisation.objects.filter(memberships__user=instance).values_list("municipality_id", flat=True)
        )
    else:
        return
    kaart_cache.invalidate(municipality_ids)


def bump_kaart_version_m2m(sender: type[Any], instance: Any, action: str, **kwargs: Any) -> None:
    """Parties, wijken or contact persons of an agreement, or the wijken of an organisation, changed."""
    if action in ("post_add", "post_remove", "post_clear") and hasattr(instance, "municipality_id"):
        from keten.network.kaart import cache as kaart_cache

        kaart_cache.invalidate([instance.municipality_id])
