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
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import Municipality, Organisation, OrganisationType, Wijk
from keten.network.models import Agreement

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
class GapOrganisation:
    """An organisation in the analysis, with the wijken it works in and whether its entry is outdated."""

    organisation: Organisation
    wijk_ids: frozenset[int]
    #: Names of the wijken it is linked to, by name (none: it works in the whole municipality).
    wijk_names: list[str]
    is_stale: bool
    last_confirmed_at: datetime | None

    @property
    def pk(self) -> int:
        return self.organisation.pk

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def type(self) -> str:
        return self.organisation.type

    def get_type_display(self) -> str:
        return str(self.organisation.get_type_display())


@dataclass(frozen=True)
class GapAgreement:
    """An active agreement in the analysis, with its parties in the picture and its wijken."""

    agreement: Agreement
    #: Its active parties other than the gemeente, by name.
    parties: list[GapOrganisation]
    party_ids: frozenset[int]
    wijk_ids: frozenset[int]
    wijk_names: list[str]
    is_overdue: bool
    days_overdue: int

    @property
    def pk(self) -> int:
        return self.agreement.pk

    @property
    def title(self) -> str:
        return self.agreement.title

    @property
    def review_date(self) -> date | None:
        return self.agreement.review_date

    def get_type_display(self) -> str:
        return str(self.agreement.get_type_display())


@dataclass(frozen=True)
class TypePresence:
    type: str
    organisations: list[GapOrganisation]

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
    agreements: list[GapAgreement]
    absent_types: list[str]

    @property
    def absent_labels(self) -> list[str]:
        return [type_label(t) for t in self.absent_types]


@dataclass
class Edge:
    """Two organisations with at least one active agreement between them."""

    source: GapOrganisation
    target: GapOrganisation
    agreements: list[GapAgreement] = field(default_factory=list)
    overdue: bool = False


@dataclass
class MissingEdge:
    """Two organisations of a key pair in a wijk where that pair has no agreement."""

    source: GapOrganisation
    target: GapOrganisation
    pair: KeyPair
    wijken: list[Wijk] = field(default_factory=list)


@dataclass
class WijkGaps:
    wijk: Wijk
    organisations: list[GapOrganisation]
    types: list[TypePresence]
    pairs: list[PairStatus]
    agreements: list[GapAgreement]
    overdue: list[GapAgreement]
    stale: list[GapOrganisation]
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
    organisations: list[GapOrganisation]
    edges: list[Edge]
    missing_edges: list[MissingEdge]
    overdue: list[GapAgreement]
    stale: list[GapOrganisation]
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
