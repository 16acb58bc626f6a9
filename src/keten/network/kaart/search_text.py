"""The search text of the sociale kaart: what an organisation can be found by.

``OrganisationEntry.search_text`` holds every word a professional may type to find an
organisation, folded to lower case without accents and without punctuation, so that the search
(:func:`keten.network.selectors.sociale_kaart_search`) can match with a plain substring test on
SQLite and with the Dutch full-text configuration on PostgreSQL. The text is always built in Dutch,
whatever the language of the request that saves the entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from django.db.models import QuerySet
from django.utils import translation

from keten.accounts.models import Membership, Organisation, Role
from keten.network.kaart import cache as kaart_cache
from keten.network.kaart.selectors.text import normalise
from keten.network.models import OrganisationEntry

_WORD = re.compile(r"[^\W_]+")


def search_words(text: str) -> list[str]:
    """The words of a text as the search compares them: lower case, accents folded, no punctuation."""
    return _WORD.findall(normalise(text))


def officer_names(organisation_ids: Iterable[int]) -> dict[int, list[str]]:
    """Names of the active aandachtsfunctionarissen per organisation (one query)."""
    names: dict[int, list[str]] = {}
    rows = (
        Membership.objects.filter(
            organisation_id__in=list(organisation_ids),
            role=Role.AANDACHTSFUNCTIONARIS,
            is_active=True,
            user__is_active=True,
        )
        .order_by("organisation_id", "user__last_name", "user__first_name")
        .values_list("organisation_id", "user__first_name", "user__last_name")
    )
    for organisation_id, first, last in rows:
        names.setdefault(organisation_id, []).append(f"{first} {last}")
    return names


def search_text_for(
    organisation: Organisation, entry: OrganisationEntry, *, officers: Sequence[str] | None = None
) -> str:
    """The search text of one entry: name, kind, expertise, description, address and aandachtsfunctionarissen.

    ``officers`` are the names of the organisation's aandachtsfunctionarissen; when left out they
    are read from the database (one query). Pass them when indexing many entries at once.
    """
    if officers is None:
        officers = officer_names([organisation.pk]).get(organisation.pk, []) if organisation.pk else []
    postcode = entry.postcode or ""
    with translation.override("nl"):
        kind = str(organisation.get_type_display())
    parts = [
        organisation.name,
        kind,
        organisation.type.replace("_", " "),
        " ".join(entry.expertise or []),
        entry.description,
        entry.visiting_address,
        postcode,
        postcode.replace(" ", ""),
        *officers,
    ]
    return " ".join(search_words(" ".join(p for p in parts if p)))


def reindex_entries(entries: QuerySet[OrganisationEntry] | None = None, *, batch_size: int = 500) -> tuple[int, int]:
    """Recompute the search text of entries (all by default); returns (entries seen, entries changed).

    A fixed number of queries per batch: the entries with their organisation, the officers of
    those organisations, and one bulk update of the changed rows.
    """
    qs = (entries if entries is not None else OrganisationEntry.objects.all()).select_related("organisation")
    seen = changed = 0
    last_pk = 0
    while True:
        batch = list(qs.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return seen, changed
        last_pk = batch[-1].pk
        names: Mapping[int, list[str]] = officer_names(e.organisation_id for e in batch)
        dirty = []
        for entry in batch:
            text = search_text_for(entry.organisation, entry, officers=names.get(entry.organisation_id, []))
            if text != entry.search_text:
                entry.search_text = text
                dirty.append(entry)
        OrganisationEntry.objects.bulk_update(dirty, ["search_text"])
        if dirty:
            # A bulk update sends no signals: cached search results of these municipalities go by hand.
            kaart_cache.invalidate({entry.organisation.municipality_id for entry in dirty})
        seen += len(batch)
        changed += len(dirty)
