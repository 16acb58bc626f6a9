"""Reads of the sociale kaart search: which organisations a search finds, and the card of each.

The sociale kaart holds no client data. Every signed-in user with a membership may search it; the
rows are limited to the municipality of the actor's acting membership. A card is a
:class:`KaartOrganisation`: the organisation with its entry, aandachtsfunctionarissen and the
agreements that apply in the wijk searched in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.cache import cache

from keten.accounts.models import Membership, Organisation, Role, Wijk
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.network.kaart import cache as kaart_cache
from keten.network.kaart.selectors.agreements import NONE_APPLICABLE, applicable_agreements
from keten.network.kaart.selectors.filters import filter_organisations, wijk_in
from keten.network.kaart.selectors.scope import kaart_municipality_id, stale_before
from keten.network.kaart.selectors.words import filter_by_words
from keten.network.models import Agreement, OrganisationEntry


@dataclass(frozen=True)
class KaartOrganisation:
    """One organisation as the sociale kaart shows it (a search card, the organisation page, the API)."""

    organisation: Organisation
    entry: OrganisationEntry | None
    is_stale: bool
    #: The active aandachtsfunctionarissen, by name.
    officers: list[Membership]
    #: The agreements that apply in the wijk searched in (with a top: only the most relevant ones).
    applicable_agreements: list[Agreement]
    #: How many agreements apply in all.
    applicable_count: int
    #: The wijken the organisation is linked to (only filled in for the API).
    wijken: list[Wijk] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.organisation.pk

    @property
    def id(self) -> int:
        return self.organisation.pk

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def type(self) -> str:
        return self.organisation.type

    @property
    def phone(self) -> str:
        return self.organisation.phone

    @property
    def email(self) -> str:
        return self.organisation.email

    def get_type_display(self) -> str:
        return str(self.organisation.get_type_display())


@dataclass
class SearchResult:
    organisations: Sequence[KaartOrganisation]
    wijk: Wijk | None = None
    errors: dict[str, str] = field(default_factory=dict)
    #: Number of organisations found; more than ``len(organisations)`` when the result is paged.
    total: int = 0


@dataclass
class SearchMatches:
    """Which organisations a search finds: their ids in name order, and the wijk searched in."""

    municipality_id: int
    ids: list[int]
    wijk: Wijk | None = None


def sociale_kaart_matches(
    *,
    actor: Actor,
    query: str = "",
    wijk_id: int | None = None,
    postcode: str = "",
    org_type: str = "",
    role: str = "",
    age: int | None = None,
    organisation_id: int | None = None,
    use_cache: bool = False,
    kaart_version: int | None = None,
) -> SearchMatches:
    """The ids of every active organisation of the actor's municipality that the search finds.

    One narrow query (plus one for the wijk). A malformed or unknown postcode raises DomainError
    (field "postcode"), an unknown wijk one on field "wijk". With ``use_cache`` the result is kept
    under the municipality's kaart version (``kaart.cache``): the same search finds the same
    organisations until anything in the sociale kaart changes, so it is answered from the cache.
    """
    municipality_id = kaart_municipality_id(actor)
    key = None
    if use_cache:
        criteria = repr((query, wijk_id, postcode, org_type, role, age, organisation_id))
        key = kaart_cache.search_key(municipality_id=municipality_id, criteria=criteria, known_version=kaart_version)
        found = cache.get(key)
        if isinstance(found, SearchMatches):
            return found
    wijk = wijk_in(municipality_id, wijk_id=wijk_id, postcode=postcode)
    qs = Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
    if organisation_id is not None:
        qs = qs.filter(pk=organisation_id)
    qs = filter_by_words(qs, query, municipality_id=municipality_id)
    qs = filter_organisations(qs, wijk=wijk, org_type=org_type, role=role, age=age)
    ids = list(qs.distinct().order_by("name", "pk").values_list("pk", flat=True))
    matches = SearchMatches(municipality_id=municipality_id, ids=ids, wijk=wijk)
    if key is not None:
        cache.set(key, matches, kaart_cache.TIMEOUT)
    return matches


def officers_of(organisation_ids: Sequence[int]) -> dict[int, list[Membership]]:
    """The active aandachtsfunctionarissen of each organisation, by name (one query)."""
    if not organisation_ids:
        return {}
    officers: dict[int, list[Membership]] = {}
    for membership in (
        Membership.objects.filter(
            organisation_id__in=list(organisation_ids),
            role=Role.AANDACHTSFUNCTIONARIS,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    ):
        officers.setdefault(membership.organisation_id, []).append(membership)
    return officers


def organisations_for_cards(
    *, matches: SearchMatches, ids: Sequence[int], top_agreements: int | None = None
) -> list[KaartOrganisation]:
    """The organisations ``ids`` (all among ``matches.ids``) with what a card shows, in name order.

    The agreements are those that apply in ``matches.wijk``; with ``top_agreements`` only that many
    of them, the most relevant first. A fixed number of queries, whatever the number of ids.
    """
    allowed = set(matches.ids)
    wanted = [pk for pk in ids if pk in allowed]
    organisations = list(
        Organisation.objects.filter(pk__in=wanted, municipality_id=matches.municipality_id)
        .select_related("entry")
        .order_by("name", "pk")
    )
    found = [o.pk for o in organisations]
    officers = officers_of(found)
    agreements = applicable_agreements(found, matches.wijk, top_agreements)
    threshold = stale_before()
    cards = []
    for organisation in organisations:
        entry: OrganisationEntry | None = getattr(organisation, "entry", None)
        applicable = agreements.get(organisation.pk, NONE_APPLICABLE)
        cards.append(
            KaartOrganisation(
                organisation=organisation,
                entry=entry,
                is_stale=entry is None or entry.last_confirmed_at is None or entry.last_confirmed_at < threshold,
                officers=officers.get(organisation.pk, []),
                applicable_agreements=applicable.agreements,
                applicable_count=applicable.count,
            )
        )
    return cards


def sociale_kaart_search(
    *,
    actor: Actor,
    query: str = "",
    wijk_id: int | None = None,
    postcode: str = "",
    org_type: str = "",
    role: str = "",
    age: int | None = None,
    organisation_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
    top_agreements: int | None = None,
) -> SearchResult:
    """Organisations of the actor's municipality with ``entry``, ``officers`` and ``applicable_agreements``.

    ``offset`` and ``limit`` select one page of the organisations in name order; ``total`` counts
    them all. With ``top_agreements`` each organisation carries only that many of its applicable
    agreements (the most relevant for the wijk) next to ``applicable_count``; without it all of
    them. A fixed number of queries, whatever the number of results. A malformed or unknown
    postcode raises DomainError (field "postcode").
    """
    matches = sociale_kaart_matches(
        actor=actor,
        query=query,
        wijk_id=wijk_id,
        postcode=postcode,
        org_type=org_type,
        role=role,
        age=age,
        organisation_id=organisation_id,
    )
    organisations = organisations_for_cards(
        matches=matches, ids=matches.ids[offset : offset + limit], top_agreements=top_agreements
    )
    return SearchResult(organisations=organisations, wijk=matches.wijk, total=len(matches.ids))


def organisation_detail(*, actor: Actor, organisation_id: int) -> KaartOrganisation:
    """One organisation of the sociale kaart (as in the search), or NotFoundError."""
    result = sociale_kaart_search(actor=actor, organisation_id=organisation_id)
    if not result.organisations:
        raise NotFoundError
    return result.organisations[0]
