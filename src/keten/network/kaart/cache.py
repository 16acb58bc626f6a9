"""Short-lived caches of what the sociale kaart renders, dropped on every change in the municipality.

Three things are cached: the routekaart PDF per wijk (WeasyPrint takes most of a second), the ids
of the organisations a search finds, and the card of each organisation as the search shows it (the
entry, the aandachtsfunctionarissen and the agreements that apply in the chosen wijk). All of them
change only when the sociale kaart of the municipality does.

Every cache key holds the municipality's *kaart version*, a counter kept in the database
(:class:`keten.network.models.KaartVersion`). Every saved or deleted organisation, entry, agreement
(and its parties, wijken, teams and contact persons), wijk, membership or professional of the
municipality raises it (``keten.network.signals``) inside the same transaction. So once a change is
committed, every process reads the new version and renders afresh, whatever cache backend is
configured; an entry rendered from the old data is stored under the old version and never read
again. Reading the version is one primary-key query per request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db.models import F

#: Seconds a rendered PDF or card is kept.
TIMEOUT = 10 * 60


def version(municipality_id: int) -> int:
    from keten.network.models import KaartVersion

    found = KaartVersion.objects.filter(pk=municipality_id).values_list("version", flat=True).first()
    return int(found or 0)


def pdf_key(*, municipality_id: int, wijk_id: int, organisation_id: int, language: str) -> str:
    return f"routekaart-pdf:{municipality_id}:{version(municipality_id)}:{wijk_id}:{organisation_id}:{language}"


def search_key(*, municipality_id: int, criteria: str, known_version: int | None = None) -> str:
    """The key of the organisations one search finds (``criteria``: the search as text).

    ``known_version``: the kaart version when the caller read it already in this request.
    """
    digest = hashlib.sha256(criteria.encode()).hexdigest()[:32]
    current = version(municipality_id) if known_version is None else known_version
    return f"kaart-search:{municipality_id}:{current}:{digest}"


def card_key_prefix(
    *, municipality_id: int, wijk_id: int | None, language: str, day: str, known_version: int | None = None
) -> str:
    """The part of a search card's key shared by every card of one search (see ``card_key``).

    The day is part of it because a card says whether its entry is stale, which depends on the date.
    """
    current = version(municipality_id) if known_version is None else known_version
    return f"kaart-card:{municipality_id}:{current}:{wijk_id or 0}:{language}:{day}"


def wijken_key(*, municipality_id: int, known_version: int) -> str:
    """The key of the municipality's wijken as the search form offers them."""
    return f"kaart-wijken:{municipality_id}:{known_version}"


def card_key(prefix: str, organisation_id: int) -> str:
    return f"{prefix}:{organisation_id}"


def invalidate(municipality_ids: Iterable[int | None]) -> None:
    """Raise the kaart version of these municipalities (in the caller's transaction)."""
    from keten.network.models import KaartVersion

    for municipality_id in sorted({m for m in municipality_ids if m is not None}):
        KaartVersion.objects.bulk_create([KaartVersion(municipality_id=municipality_id)], ignore_conflicts=True)
        KaartVersion.objects.filter(pk=municipality_id).update(version=F("version") + 1)
