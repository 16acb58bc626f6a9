"""Reads of samenwerkingsafspraken: those of a municipality, one agreement, those that apply per organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from keten.accounts.models import Organisation, Wijk
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.network.kaart.selectors.scope import kaart_municipality_id
from keten.network.models import Agreement


@dataclass(frozen=True)
class Applicable:
    """The agreements of one organisation that apply in the wijk searched in."""

    #: The agreements shown (with ``top``: only the most relevant ones).
    agreements: list[Agreement]
    #: How many apply in all.
    count: int


NONE_APPLICABLE = Applicable(agreements=[], count=0)


def _relevance(
    wijk: Wijk | None, wijken: set[int], start_date: date, title: str, pk: int
) -> tuple[int, int, int, str, int]:
    """Sort key: agreements made for the chosen wijk first, then those for few wijken, then the newest."""
    named = 0 if wijk is not None and wijk.pk in wijken else 1
    return (named, len(wijken) or 10_000, -start_date.toordinal(), title, pk)


def applicable_agreements(
    organisation_ids: Sequence[int], wijk: Wijk | None, top: int | None = None
) -> dict[int, Applicable]:
    """Per organisation the active agreements that apply in ``wijk`` (those naming it or no wijk at all).

    With ``top`` only the ``top`` most relevant applicable agreements are loaded (see
    :func:`_relevance`); without it every one in type and title order. Four queries, whatever the
    number of organisations and agreements. An agreement shared by many of the organisations is one
    object, and so is a party shared by many agreements: ``agreement.parties.all`` gives the parties
    (id and name only, by name) without a query. An organisation without any is left out.
    """
    if not organisation_ids:
        return {}
    today = timezone.localdate()
    through = Agreement.parties.through
    links = list(
        through.objects.filter(organisation_id__in=list(organisation_ids), agreement__start_date__lte=today)
        .filter(Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=today))
        .values_list("organisation_id", "agreement_id", "agreement__start_date", "agreement__title")
    )
    if not links:
        return {}
    all_ids = sorted({link[1] for link in links})
    wijken_of: dict[int, set[int]] = {}
    for agreement_id, wijk_id in Agreement.wijken.through.objects.filter(agreement_id__in=all_ids).values_list(
        "agreement_id", "wijk_id"
    ):
        wijken_of.setdefault(agreement_id, set()).add(wijk_id)

    def applies(agreement_id: int) -> bool:
        return wijk is None or not wijken_of.get(agreement_id) or wijk.pk in wijken_of[agreement_id]

    applicable_ids: dict[int, list[int]] = {}
    if top is not None:
        ranked = sorted(
            links, key=lambda link: _relevance(wijk, wijken_of.get(link[1], set()), link[2], link[3], link[1])
        )
        for organisation_id, agreement_id, _start, _title in ranked:
            if applies(agreement_id):
                applicable_ids.setdefault(organisation_id, []).append(agreement_id)
        ids = sorted({pk for chosen in applicable_ids.values() for pk in chosen[:top]})
    else:
        ids = all_ids
    agreements = list(Agreement.objects.filter(pk__in=ids).order_by("type", "title", "pk")) if ids else []
    parties: dict[int, list[Organisation]] = {}
    stubs: dict[int, Organisation] = {}
    for agreement_id, organisation_id, name in (
        through.objects.filter(agreement_id__in=ids)
        .order_by("organisation__name", "organisation_id")
        .values_list("agreement_id", "organisation_id", "organisation__name")
    ):
        stub = stubs.get(organisation_id)
        if stub is None:
            stub = stubs[organisation_id] = Organisation(id=organisation_id, name=name)
        parties.setdefault(agreement_id, []).append(stub)
    for agreement in agreements:
        # What prefetch_related("parties") would leave, without a queryset per agreement.
        agreement._prefetched_objects_cache = {"parties": parties.get(agreement.pk, [])}  # type: ignore[attr-defined]
    by_pk = {a.pk: a for a in agreements}
    if top is not None:
        return {
            organisation_id: Applicable(agreements=[by_pk[pk] for pk in chosen[:top]], count=len(chosen))
            for organisation_id, chosen in applicable_ids.items()
        }
    rank = {a.pk: i for i, a in enumerate(agreements)}
    per_org: dict[int, list[Agreement]] = {}
    for organisation_id, agreement_id, _start, _title in sorted(links, key=lambda link: rank[link[1]]):
        per_org.setdefault(organisation_id, []).append(by_pk[agreement_id])
    result = {}
    for organisation_id, active in per_org.items():
        applying = [a for a in active if applies(a.pk)]
        result[organisation_id] = Applicable(agreements=applying, count=len(applying))
    return result


def agreements_list(
    *, actor: Actor, party_id: int | None = None, wijk_id: int | None = None, include_ended: bool = False
) -> list[Agreement]:
    """Agreements of the actor's municipality, optionally of one party or applying to one wijk."""
    municipality_id = kaart_municipality_id(actor)
    qs = Agreement.objects.filter(municipality_id=municipality_id)
    if not include_ended:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
    if party_id is not None:
        qs = qs.filter(parties__id=party_id)
    if wijk_id is not None:
        has_wijken = Agreement.wijken.through.objects.filter(agreement_id=OuterRef("pk"))
        qs = qs.filter(Q(wijken__id=wijk_id) | ~Exists(has_wijken))
    return list(
        qs.distinct().prefetch_related("parties", "wijken", "contact_persons", "teams").order_by("type", "title")
    )


def agreement_get(*, actor: Actor, agreement_id: int) -> Agreement:
    """One agreement for those who manage agreements; NotFoundError otherwise."""
    municipality_id = kaart_municipality_id(actor)
    if not allows("network.manage_agreements", actor.user):
        raise NotFoundError
    agreement = (
        Agreement.objects.filter(pk=agreement_id, municipality_id=municipality_id)
        .prefetch_related("parties", "wijken", "contact_persons", "teams")
        .first()
    )
    if agreement is None:
        raise NotFoundError
    return agreement
