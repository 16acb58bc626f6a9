"""Samenwerking in beeld: which organisation types and agreements a wijk has, and which it lacks.

For the beleidsmedewerker gemeente and the functioneel beheerder of the gemeente organisation. The
analysis holds no client data and no names of professionals: only organisations, agreements and
counts. It always covers the actor's own municipality; a wijk of another municipality answers
NotFoundError. A fixed number of queries, whatever the number of wijken, organisations or agreements.

Rules (the same as on the routekaart):
- An organisation is *present* in a wijk when it is active and registered for that wijk, or for no
  wijk at all (it works in the whole municipality). Veilig Thuis works regionally and is present in
  every wijk. The gemeente organisation itself is the commissioner, not a chain partner: it is left out.
- An agreement is *active* when it has started and has not ended; it *applies* to a wijk when it
  names that wijk or names no wijk (the whole municipality).
- A key pair (type A, type B) is *covered* in a wijk when an active agreement that applies to the
  wijk has a party of type A and another party of type B, both present in the wijk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from itertools import combinations
from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import Municipality, Organisation, OrganisationType, Wijk
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.network.models import Agreement
from keten.network.selectors import stale_before

#: Organisation types every wijk needs for the local approach to child abuse, in display order.
KEY_TYPES: tuple[str, ...] = (
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.ONDERWIJS,
    OrganisationType.HUISARTS,
    OrganisationType.KINDEROPVANG,
    OrganisationType.VEILIG_THUIS,
    OrganisationType.POLITIE,
    OrganisationType.GGZ,
)

#: Pairs of organisation types that need a samenwerkingsafspraak in every wijk, with the reason why.
KEY_PAIRS: tuple[tuple[str, str, Promise], ...] = (
    (
        OrganisationType.WIJKTEAM,
        OrganisationType.JGZ,
        _("De JGZ ziet bijna elk jong kind en verwijst bij zorgen door naar het wijkteam."),
    ),
    (
        OrganisationType.WIJKTEAM,
        OrganisationType.ONDERWIJS,
        _("Scholen zien zorgen vaak als eerste; het wijkteam sluit aan bij het zorgteam van de school."),
    ),
    (
        OrganisationType.HUISARTS,
        OrganisationType.WIJKTEAM,
        _("De huisarts verwijst naar jeugdhulp en wil horen wat er met de verwijzing is gebeurd."),
    ),
    (
        OrganisationType.WIJKTEAM,
        OrganisationType.VEILIG_THUIS,
        _("Het wijkteam vraagt Veilig Thuis om advies en neemt na een melding de hulp over."),
    ),
    (
        OrganisationType.JGZ,
        OrganisationType.VEILIG_THUIS,
        _("De JGZ overlegt met Veilig Thuis over signalen bij baby's en jonge kinderen."),
    ),
    (
        OrganisationType.WIJKTEAM,
        OrganisationType.KINDEROPVANG,
        _("De kinderopvang ziet jonge kinderen elke dag en moet weten bij wie zij met zorgen terechtkan."),
    ),
    (
        OrganisationType.WIJKTEAM,
        OrganisationType.GGZ,
        _("Bij psychische problemen van ouders of kinderen stemmen wijkteam en GGZ de hulp op elkaar af."),
    ),
    (
        OrganisationType.POLITIE,
        OrganisationType.VEILIG_THUIS,
        _("De politie meldt huiselijk geweld bij Veilig Thuis; samen wegen zij de veiligheid van het kind."),
    ),
    (
        OrganisationType.ONDERWIJS,
        OrganisationType.JGZ,
        _("De jeugdarts en jeugdverpleegkundige horen bij het zorgteam van de school."),
    ),
)

_TYPE_LABELS: dict[str, str] = {str(value): str(label) for value, label in OrganisationType.choices}


def type_label(value: str) -> str:
    return _TYPE_LABELS.get(value, value)


class PairState(StrEnum):
    COVERED = "covered"  # at least one active agreement
    MISSING = "missing"  # both types present, no agreement
    NOT_APPLICABLE = "not_applicable"  # one of the types is not present in the wijk


@dataclass(frozen=True)
class KeyPair:
    type_a: str
    type_b: str
    reason: str

    @property
    def label_a(self) -> str:
        return type_label(self.type_a)

    @property
    def label_b(self) -> str:
        return type_label(self.type_b)

    @property
    def label(self) -> str:
        return f"{self.label_a} – {self.label_b}"


def key_pairs() -> list[KeyPair]:
    return [KeyPair(a, b, str(reason)) for a, b, reason in KEY_PAIRS]


@dataclass(frozen=True)
class TypePresence:
    type: str
    organisations: list[Organisation]

    @property
    def label(self) -> str:
        return type_label(self.type)

    @property
    def present(self) -> bool:
        return bool(self.organisations)


@dataclass(frozen=True)
class PairStatus:
    pair: KeyPair
    state: PairState
    agreements: list[Agreement]
    absent_types: list[str]

    @property
    def absent_labels(self) -> list[str]:
        return [type_label(t) for t in self.absent_types]


@dataclass
class Edge:
    """Two organisations with at least one active agreement between them."""

    source: Organisation
    target: Organisation
    agreements: list[Agreement] = field(default_factory=list)
    overdue: bool = False


@dataclass
class MissingEdge:
    """Two organisations of a key pair in a wijk where that pair has no agreement."""

    source: Organisation
    target: Organisation
    pair: KeyPair
    wijken: list[Wijk] = field(default_factory=list)


@dataclass
class WijkGaps:
    wijk: Wijk
    organisations: list[Organisation]
    types: list[TypePresence]
    pairs: list[PairStatus]
    agreements: list[Agreement]
    overdue: list[Agreement]
    stale: list[Organisation]
    edges: list[Edge]
    missing_edges: list[MissingEdge]

    @property
    def present_types(self) -> list[TypePresence]:
        return [t for t in self.types if t.present]

    @property
    def missing_types(self) -> list[TypePresence]:
        return [t for t in self.types if not t.present]

    @property
    def pairs_without_agreement(self) -> list[PairStatus]:
        return [p for p in self.pairs if p.state == PairState.MISSING]


@dataclass(frozen=True)
class GapSummary:
    wijken: int
    organisations: int
    agreements: int
    present_types: int  # (wijk, key type) combinations with at least one organisation
    missing_types: int  # (wijk, key type) combinations without an organisation
    pairs_without_agreement: int  # (wijk, key pair) combinations with both types but no agreement
    overdue_reviews: int  # active agreements in scope past their review date
    stale_entries: int  # organisations in scope whose entry is missing or not confirmed in time


@dataclass
class GapReport:
    municipality: Municipality
    scope: Wijk | None  # None: the whole municipality
    all_wijken: list[Wijk]
    generated_at: datetime
    today: date
    stale_threshold: datetime
    key_types: list[str]
    key_pairs: list[KeyPair]
    wijken: list[WijkGaps]
    organisations: list[Organisation]
    edges: list[Edge]
    missing_edges: list[MissingEdge]
    overdue: list[Agreement]
    stale: list[Organisation]
    summary: GapSummary

    @property
    def key_type_labels(self) -> list[str]:
        return [type_label(t) for t in self.key_types]

    @property
    def key_type_choices(self) -> list[tuple[str, str]]:
        return [(t, type_label(t)) for t in self.key_types]

    @property
    def pair_rows(self) -> list[tuple[KeyPair, list[PairStatus]]]:
        """Per key pair its status in each wijk in scope (same order as ``wijken``)."""
        return [(pair, [w.pairs[i] for w in self.wijken]) for i, pair in enumerate(self.key_pairs)]

    def graph_data(self) -> dict[str, Any]:
        """Nodes and edges for the network picture (organisations, agreements and missing key pairs)."""
        stale_ids = {o.pk for o in self.stale}
        nodes = [
            {
                "data": {
                    "id": f"o{o.pk}",
                    "label": o.name,
                    "type": o.type,
                    "typeLabel": type_label(o.type),
                    "stale": o.pk in stale_ids,
                }
            }
            for o in self.organisations
        ]
        edges: list[dict[str, Any]] = [
            {
                "data": {
                    "id": f"a{e.source.pk}-{e.target.pk}",
                    "source": f"o{e.source.pk}",
                    "target": f"o{e.target.pk}",
                    "kind": "overdue" if e.overdue else "agreement",
                    "label": "; ".join(a.title for a in e.agreements),
                }
            }
            for e in self.edges
        ]
        edges += [
            {
                "data": {
                    "id": f"m{e.source.pk}-{e.target.pk}",
                    "source": f"o{e.source.pk}",
                    "target": f"o{e.target.pk}",
                    "kind": "missing",
                    "label": e.pair.label,
                }
            }
            for e in self.missing_edges
        ]
        return {"nodes": nodes, "edges": edges}


def _municipality(actor: Actor) -> Municipality:
    if actor.user is None or actor.membership is None or not allows("network.view_gaps", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality


def _ordered(a: Organisation, b: Organisation) -> tuple[Organisation, Organisation]:
    return (a, b) if a.pk < b.pk else (b, a)


def _is_stale(organisation: Organisation, threshold: datetime) -> bool:
    entry = getattr(organisation, "entry", None)
    return entry is None or entry.last_confirmed_at is None or entry.last_confirmed_at < threshold


def _wijk_gaps(
    wijk: Wijk,
    organisations: list[Organisation],
    agreements: list[Agreement],
    pairs: list[KeyPair],
    stale_ids: set[int],
    today: date,
) -> WijkGaps:
    present = [
        o
        for o in organisations
        if o.type == OrganisationType.VEILIG_THUIS
        or not o.wijk_ids  # type: ignore[attr-defined]
        or wijk.pk in o.wijk_ids  # type: ignore[attr-defined]
    ]
    present_ids = {o.pk for o in present}
    by_type: dict[str, list[Organisation]] = {}
    for o in present:
        by_type.setdefault(o.type, []).append(o)
    applying = [
        a
        for a in agreements
        if not a.wijk_ids or wijk.pk in a.wijk_ids  # type: ignore[attr-defined]
    ]

    edges: dict[tuple[int, int], Edge] = {}
    for agreement in applying:
        parties = [p for p in agreement.party_list if p.pk in present_ids]  # type: ignore[attr-defined]
        for a, b in combinations(parties, 2):
            source, target = _ordered(a, b)
            edge = edges.setdefault((source.pk, target.pk), Edge(source=source, target=target))
            edge.agreements.append(agreement)
            edge.overdue = edge.overdue or _is_overdue(agreement, today)

    statuses: list[PairStatus] = []
    missing_edges: list[MissingEdge] = []
    for pair in pairs:
        orgs_a, orgs_b = by_type.get(pair.type_a, []), by_type.get(pair.type_b, [])
        absent = [t for t, orgs in ((pair.type_a, orgs_a), (pair.type_b, orgs_b)) if not orgs]
        if absent:
            statuses.append(PairStatus(pair=pair, state=PairState.NOT_APPLICABLE, agreements=[], absent_types=absent))
            continue
        ids_a, ids_b = {o.pk for o in orgs_a}, {o.pk for o in orgs_b}
        covering = [agreement for agreement in applying if _links(agreement.party_ids, ids_a, ids_b)]  # type: ignore[attr-defined]
        if covering:
            statuses.append(PairStatus(pair=pair, state=PairState.COVERED, agreements=covering, absent_types=[]))
            continue
        statuses.append(PairStatus(pair=pair, state=PairState.MISSING, agreements=[], absent_types=[]))
        for a in orgs_a:
            for b in orgs_b:
                if a.pk != b.pk:
                    source, target = _ordered(a, b)
                    missing_edges.append(MissingEdge(source=source, target=target, pair=pair, wijken=[wijk]))

    return WijkGaps(
        wijk=wijk,
        organisations=present,
        types=[TypePresence(type=t, organisations=by_type.get(t, [])) for t in KEY_TYPES],
        pairs=statuses,
        agreements=applying,
        overdue=[a for a in applying if _is_overdue(a, today)],
        stale=[o for o in present if o.pk in stale_ids],
        edges=sorted(edges.values(), key=lambda e: (e.source.name.casefold(), e.target.name.casefold())),
        missing_edges=missing_edges,
    )


def _links(party_ids: set[int], ids_a: set[int], ids_b: set[int]) -> bool:
    """Whether the parties include one organisation of ``ids_a`` and another one of ``ids_b``."""
    in_a, in_b = party_ids & ids_a, party_ids & ids_b
    return bool(in_a and in_b and (len(in_a | in_b) > 1))


def _is_overdue(agreement: Agreement, today: date) -> bool:
    return agreement.review_date is not None and agreement.review_date < today


def _merge_missing(per_wijk: list[WijkGaps]) -> list[MissingEdge]:
    merged: dict[tuple[int, int, str, str], MissingEdge] = {}
    for gaps in per_wijk:
        for edge in gaps.missing_edges:
            key = (edge.source.pk, edge.target.pk, edge.pair.type_a, edge.pair.type_b)
            if key in merged:
                merged[key].wijken.extend(edge.wijken)
            else:
                merged[key] = MissingEdge(source=edge.source, target=edge.target, pair=edge.pair, wijken=[*edge.wijken])
    return list(merged.values())


def _all_edges(organisations: list[Organisation], agreements: list[Agreement], today: date) -> list[Edge]:
    known = {o.pk for o in organisations}
    edges: dict[tuple[int, int], Edge] = {}
    for agreement in agreements:
        parties = [p for p in agreement.party_list if p.pk in known]  # type: ignore[attr-defined]
        for a, b in combinations(parties, 2):
            source, target = _ordered(a, b)
            edge = edges.setdefault((source.pk, target.pk), Edge(source=source, target=target))
            edge.agreements.append(agreement)
            edge.overdue = edge.overdue or _is_overdue(agreement, today)
    return sorted(edges.values(), key=lambda e: (e.source.name.casefold(), e.target.name.casefold()))


def network_gaps(*, actor: Actor, wijk_id: int | None = None) -> GapReport:
    """The gap analysis of the actor's municipality, or of one of its wijken; NotFoundError otherwise.

    Six queries, whatever the size: wijken, organisations (+ their wijken), active agreements
    (+ their parties and wijken).
    """
    municipality = _municipality(actor)
    all_wijken = list(Wijk.objects.filter(municipality=municipality).order_by("name"))
    scope: Wijk | None = None
    if wijk_id is not None:
        scope = next((w for w in all_wijken if w.pk == wijk_id), None)
        if scope is None:
            raise NotFoundError
    today = timezone.localdate()
    threshold = stale_before()

    organisations = list(
        Organisation.objects.filter(municipality=municipality, is_active=True)
        .exclude(type=OrganisationType.GEMEENTE)
        .select_related("entry")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.only("id")))
        .order_by("name")
    )
    for organisation in organisations:
        organisation.wijk_ids = {w.pk for w in organisation.wijken.all()}  # type: ignore[attr-defined]
    by_id = {o.pk: o for o in organisations}

    agreements = list(
        Agreement.objects.filter(municipality=municipality, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .prefetch_related(
            Prefetch("parties", queryset=Organisation.objects.only("id")),
            Prefetch("wijken", queryset=Wijk.objects.only("id")),
        )
        .order_by("type", "title")
    )
    for agreement in agreements:
        # Parties that are inactive (or the gemeente itself) are not part of the network picture.
        agreement.party_list = [by_id[p.pk] for p in agreement.parties.all() if p.pk in by_id]  # type: ignore[attr-defined]
        agreement.party_list.sort(key=lambda o: o.name.casefold())  # type: ignore[attr-defined]
        agreement.party_ids = {p.pk for p in agreement.party_list}  # type: ignore[attr-defined]
        agreement.wijk_ids = {w.pk for w in agreement.wijken.all()}  # type: ignore[attr-defined]
        agreement.is_overdue = _is_overdue(agreement, today)  # type: ignore[attr-defined]
        agreement.days_overdue = (today - agreement.review_date).days if agreement.is_overdue else 0  # type: ignore[attr-defined,operator]

    stale_ids = {o.pk for o in organisations if _is_stale(o, threshold)}
    for organisation in organisations:
        organisation.is_stale = organisation.pk in stale_ids  # type: ignore[attr-defined]
        entry = getattr(organisation, "entry", None)
        organisation.last_confirmed_at = entry.last_confirmed_at if entry is not None else None  # type: ignore[attr-defined]
    wijk_names = {w.pk: w.name for w in all_wijken}
    for organisation in organisations:
        organisation.wijk_names = sorted(  # type: ignore[attr-defined]
            wijk_names[pk]
            for pk in organisation.wijk_ids  # type: ignore[attr-defined]
            if pk in wijk_names
        )
    for agreement in agreements:
        agreement.wijk_names = sorted(wijk_names[pk] for pk in agreement.wijk_ids if pk in wijk_names)  # type: ignore[attr-defined]

    pairs = key_pairs()
    in_scope = [scope] if scope is not None else all_wijken
    per_wijk = [_wijk_gaps(w, organisations, agreements, pairs, stale_ids, today) for w in in_scope]

    if scope is not None:
        only = per_wijk[0]
        scope_orgs, scope_agreements = only.organisations, only.agreements
        edges, missing_edges = only.edges, only.missing_edges
    else:
        scope_orgs, scope_agreements = organisations, agreements
        edges, missing_edges = _all_edges(organisations, agreements, today), _merge_missing(per_wijk)
    overdue = sorted(
        (a for a in scope_agreements if a.is_overdue),  # type: ignore[attr-defined]
        key=lambda a: (a.review_date, a.title),
    )
    stale = [o for o in scope_orgs if o.pk in stale_ids]

    summary = GapSummary(
        wijken=len(per_wijk),
        organisations=len(scope_orgs),
        agreements=len(scope_agreements),
        present_types=sum(len(g.present_types) for g in per_wijk),
        missing_types=sum(len(g.missing_types) for g in per_wijk),
        pairs_without_agreement=sum(len(g.pairs_without_agreement) for g in per_wijk),
        overdue_reviews=len(overdue),
        stale_entries=len(stale),
    )
    return GapReport(
        municipality=municipality,
        scope=scope,
        all_wijken=all_wijken,
        generated_at=timezone.localtime(),
        today=today,
        stale_threshold=threshold,
        key_types=list(KEY_TYPES),
        key_pairs=pairs,
        wijken=per_wijk,
        organisations=scope_orgs,
        edges=edges,
        missing_edges=missing_edges,
        overdue=overdue,
        stale=stale,
        summary=summary,
    )
