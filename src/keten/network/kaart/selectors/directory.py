"""Reads of the sociale kaart for the API: the public directory, the organisations and professionals of a municipality.

Two kinds of caller:

* anonymous (a municipal website, an app): only organisations whose entry is public, and only the
  organisation-level fields in ``PUBLIC_ORGANISATION_FIELDS`` — never a professional and never the
  secure e-mail address meant for professionals. Nothing is audited: no client data, no people.
* authenticated (a verified session, or a system token with the ``network:read`` scope): every
  active organisation of the caller's own municipality, and its professionals. Reading the list of
  professionals is audited.

Every read here takes a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, Wijk
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.network.kaart.selectors.filters import filter_organisations, serving, wijk_in
from keten.network.kaart.selectors.scope import api_municipality_id
from keten.network.kaart.selectors.search import (
    KaartOrganisation,
    SearchMatches,
    organisations_for_cards,
    sociale_kaart_search,
)
from keten.network.kaart.selectors.text import normalise
from keten.network.rules import NETWORK_READ_SCOPE as _SCOPE

NETWORK_READ_SCOPE = str(_SCOPE)
#: The organisations list is not paged: a municipality has hundreds of organisations, not more.
MAX_ORGANISATIONS = 5000

#: The entry fields an anonymous caller may read (besides the organisation's name, type and wijken).
PUBLIC_ORGANISATION_FIELDS = (
    "description",
    "visiting_address",
    "postcode",
    "phone",
    "website",
    "opening_hours",
    "age_min",
    "age_max",
)


def _check_type(org_type: str) -> None:
    if org_type and org_type not in OrganisationType.values:
        raise DomainError(_("Kies een soort organisatie uit de lijst."), field="type")


def _check_role(role: str) -> None:
    if role and role not in Role.values:
        raise DomainError(_("Kies een rol uit de lijst."), field="role")


def wijken_of(organisation_ids: Iterable[int]) -> dict[int, list[Wijk]]:
    """The wijken each organisation is linked to, by name (one query)."""
    result: dict[int, list[Wijk]] = {}
    links = (
        Organisation.wijken.through.objects.filter(organisation_id__in=list(organisation_ids))
        .select_related("wijk")
        .order_by("wijk__name", "wijk_id")
    )
    for link in links:
        result.setdefault(link.organisation_id, []).append(link.wijk)
    return result


def public_organisations(
    *, municipality: Municipality, wijk_id: int | None = None, postcode: str = "", org_type: str = ""
) -> list[dict[str, Any]]:
    """Active organisations of a municipality whose entry is public, with only the public fields."""
    _check_type(org_type)
    wijk = wijk_in(municipality.pk, wijk_id=wijk_id, postcode=postcode)
    qs: QuerySet[Organisation] = Organisation.objects.filter(
        municipality=municipality, is_active=True, entry__is_public=True
    )
    if wijk is not None:
        qs = serving(qs, wijk)
    if org_type:
        qs = qs.filter(type=org_type)
    rows = list(
        qs.distinct()
        .order_by("name", "pk")
        .values("id", "name", "type", "phone", *(f"entry__{name}" for name in PUBLIC_ORGANISATION_FIELDS))
    )
    wijken = wijken_of(row["id"] for row in rows)
    labels = dict(OrganisationType.choices)
    result = []
    for row in rows:
        item: dict[str, Any] = {name: row[f"entry__{name}"] for name in PUBLIC_ORGANISATION_FIELDS}
        item.update(
            id=row["id"],
            name=row["name"],
            type=row["type"],
            type_label=str(labels.get(row["type"], row["type"])),
            phone=row["entry__phone"] or row["phone"],
            wijken=[{"id": w.pk, "name": w.name} for w in wijken.get(row["id"], [])],
        )
        result.append(item)
    return result


def _client_organisations(
    municipality_id: int, *, query: str, wijk: Wijk | None, org_type: str, role: str, age: int | None
) -> list[KaartOrganisation]:
    """What a system client finds: every word in the search text or the name, then the shared filters."""
    qs = Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
    for word in normalise(query).split()[:8]:
        qs = qs.filter(Q(entry__search_text__icontains=word) | Q(name__icontains=word))
    qs = filter_organisations(qs, wijk=wijk, org_type=org_type, role=role, age=age)
    ids = list(qs.distinct().order_by("name", "pk").values_list("pk", flat=True)[:MAX_ORGANISATIONS])
    return organisations_for_cards(matches=SearchMatches(municipality_id=municipality_id, ids=ids, wijk=wijk), ids=ids)


def authenticated_organisations(
    *,
    actor: Actor,
    query: str = "",
    wijk_id: int | None = None,
    postcode: str = "",
    org_type: str = "",
    role: str = "",
    age: int | None = None,
) -> list[KaartOrganisation]:
    """Every active organisation of the caller's municipality with its whole entry and officers.

    Professionals get exactly what the sociale kaart search shows them; a system client with the
    ``network:read`` scope gets the same rows for its own organisation's municipality. Each row
    carries its ``wijken``.
    """
    municipality_id = api_municipality_id(actor)
    _check_type(org_type)
    _check_role(role)
    if actor.api_client is None:
        organisations = list(
            sociale_kaart_search(
                actor=actor,
                query=query,
                wijk_id=wijk_id,
                postcode=postcode,
                org_type=org_type,
                role=role,
                age=age,
                limit=MAX_ORGANISATIONS,
            ).organisations
        )
    else:
        wijk = wijk_in(municipality_id, wijk_id=wijk_id, postcode=postcode)
        organisations = _client_organisations(
            municipality_id, query=query, wijk=wijk, org_type=org_type, role=role, age=age
        )
    wijken = wijken_of(o.pk for o in organisations)
    return [dataclasses.replace(o, wijken=wijken.get(o.pk, [])) for o in organisations]


def professionals(
    *, actor: Actor, organisation_id: int | None = None, wijk_id: int | None = None, role: str = ""
) -> QuerySet[Membership]:
    """Active memberships of active professionals in active organisations of the caller's municipality.

    A filter on an organisation or wijk of another municipality answers 400 (field named), as the
    search does: the caller only ever names its own municipality's ids.
    """
    municipality_id = api_municipality_id(actor)
    _check_role(role)
    qs = Membership.objects.filter(
        is_active=True,
        user__is_active=True,
        organisation__is_active=True,
        organisation__municipality_id=municipality_id,
    )
    if organisation_id is not None:
        if not Organisation.objects.filter(pk=organisation_id, municipality_id=municipality_id).exists():
            raise DomainError(_("Kies een organisatie uit uw eigen gemeente."), field="organisation")
        qs = qs.filter(organisation_id=organisation_id)
    if wijk_id is not None:
        wijk = wijk_in(municipality_id, wijk_id=wijk_id, postcode="")
        assert wijk is not None
        qs = serving(qs, wijk, via="organisation")
    if role:
        qs = qs.filter(role=role)
    return (
        qs.distinct()
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "user_id", "organisation__name", "pk")
    )


def audit_professionals_read(*, actor: Actor, rows: Sequence[Membership], filters: dict[str, Any]) -> None:
    """Record that the caller read a page of the professionals list (who was on it, which filters)."""
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="network.professionals.list",
        details={
            "filters": {k: v for k, v in filters.items() if v not in (None, "")},
            "users": sorted({m.user_id for m in rows}),
        },
    )
