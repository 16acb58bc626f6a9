"""The gap analysis of a municipality or one of its wijken (see :mod:`keten.network.gaps.report` for the rules).

The analysis holds no client data and no names of professionals, but the municipality's picture of
its network is recorded like every read: :func:`gaps_for_page` and :func:`gaps_for_export` audit it.
"""

from __future__ import annotations

from datetime import date, datetime
from itertools import combinations

from django.db.models import Prefetch, Q
from django.utils import timezone

from keten.accounts.models import Municipality, Organisation, OrganisationType, Wijk
from keten.core.actor import Actor
from keten.core.audit import record
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.network.gaps.report import (
    KEY_TYPES,
    Edge,
    GapAgreement,
    GapOrganisation,
    GapReport,
    GapSummary,
    KeyPair,
    MissingEdge,
    PairState,
    PairStatus,
    TypePresence,
    WijkGaps,
    key_pairs,
)
from keten.network.kaart.selectors import stale_before
from keten.network.models import Agreement


def _municipality(actor: Actor) -> Municipality:
    if actor.user is None or actor.membership is None or not allows("network.view_gaps", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality


def _ordered(a: GapOrganisation, b: GapOrganisation) -> tuple[GapOrganisation, GapOrganisation]:
    return (a, b) if a.pk < b.pk else (b, a)


def _is_stale(organisation: Organisation, threshold: datetime) -> bool:
    entry = getattr(organisation, "entry", None)
    return entry is None or entry.last_confirmed_at is None or entry.last_confirmed_at < threshold


def _edges(agreements: list[GapAgreement], known: set[int]) -> list[Edge]:
    """One edge per pair of organisations in ``known`` that an agreement links, by name."""
    edges: dict[tuple[int, int], Edge] = {}
    for agreement in agreements:
        parties = [p for p in agreement.parties if p.pk in known]
        for a, b in combinations(parties, 2):
            source, target = _ordered(a, b)
            edge = edges.setdefault((source.pk, target.pk), Edge(source=source, target=target))
            edge.agreements.append(agreement)
            edge.overdue = edge.overdue or agreement.is_overdue
    return sorted(edges.values(), key=lambda e: (e.source.name.casefold(), e.target.name.casefold()))


def _wijk_gaps(
    wijk: Wijk,
    organisations: list[GapOrganisation],
    agreements: list[GapAgreement],
    pairs: list[KeyPair],
) -> WijkGaps:
    present = [
        o for o in organisations if o.type == OrganisationType.VEILIG_THUIS or not o.wijk_ids or wijk.pk in o.wijk_ids
    ]
    present_ids = {o.pk for o in present}
    by_type: dict[str, list[GapOrganisation]] = {}
    for o in present:
        by_type.setdefault(o.type, []).append(o)
    applying = [a for a in agreements if not a.wijk_ids or wijk.pk in a.wijk_ids]

    statuses: list[PairStatus] = []
    missing_edges: list[MissingEdge] = []
    for pair in pairs:
        orgs_a, orgs_b = by_type.get(pair.type_a, []), by_type.get(pair.type_b, [])
        absent = [t for t, orgs in ((pair.type_a, orgs_a), (pair.type_b, orgs_b)) if not orgs]
        if absent:
            statuses.append(PairStatus(pair=pair, state=PairState.NOT_APPLICABLE, agreements=[], absent_types=absent))
            continue
        ids_a, ids_b = {o.pk for o in orgs_a}, {o.pk for o in orgs_b}
        covering = [agreement for agreement in applying if _links(agreement.party_ids, ids_a, ids_b)]
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
        overdue=[a for a in applying if a.is_overdue],
        stale=[o for o in present if o.is_stale],
        edges=_edges(applying, present_ids),
        missing_edges=missing_edges,
    )


def _links(party_ids: frozenset[int], ids_a: set[int], ids_b: set[int]) -> bool:
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


def _organisations(
    municipality: Municipality, wijk_names: dict[int, str], threshold: datetime
) -> list[GapOrganisation]:
    organisations = (
        Organisation.objects.filter(municipality=municipality, is_active=True)
        .exclude(type=OrganisationType.GEMEENTE)
        .select_related("entry")
        .prefetch_related(Prefetch("wijken", queryset=Wijk.objects.only("id")))
        .order_by("name")
    )
    rows = []
    for organisation in organisations:
        wijk_ids = frozenset(w.pk for w in organisation.wijken.all())
        entry = getattr(organisation, "entry", None)
        rows.append(
            GapOrganisation(
                organisation=organisation,
                wijk_ids=wijk_ids,
                wijk_names=sorted(wijk_names[pk] for pk in wijk_ids if pk in wijk_names),
                is_stale=_is_stale(organisation, threshold),
                last_confirmed_at=entry.last_confirmed_at if entry is not None else None,
            )
        )
    return rows


def _agreements(
    municipality: Municipality, by_id: dict[int, GapOrganisation], wijk_names: dict[int, str], today: date
) -> list[GapAgreement]:
    agreements = (
        Agreement.objects.filter(municipality=municipality, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .prefetch_related(
            Prefetch("parties", queryset=Organisation.objects.only("id")),
            Prefetch("wijken", queryset=Wijk.objects.only("id")),
        )
        .order_by("type", "title")
    )
    rows = []
    for agreement in agreements:
        # Parties that are inactive (or the gemeente itself) are not part of the network picture.
        parties = sorted(
            (by_id[p.pk] for p in agreement.parties.all() if p.pk in by_id), key=lambda o: o.name.casefold()
        )
        wijk_ids = frozenset(w.pk for w in agreement.wijken.all())
        overdue = _is_overdue(agreement, today)
        rows.append(
            GapAgreement(
                agreement=agreement,
                parties=parties,
                party_ids=frozenset(p.pk for p in parties),
                wijk_ids=wijk_ids,
                wijk_names=sorted(wijk_names[pk] for pk in wijk_ids if pk in wijk_names),
                is_overdue=overdue,
                days_overdue=(today - agreement.review_date).days if overdue and agreement.review_date else 0,
            )
        )
    return rows


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
    wijk_names = {w.pk: w.name for w in all_wijken}
    organisations = _organisations(municipality, wijk_names, threshold)
    agreements = _agreements(municipality, {o.pk: o for o in organisations}, wijk_names, today)

    pairs = key_pairs()
    in_scope = [scope] if scope is not None else all_wijken
    per_wijk = [_wijk_gaps(w, organisations, agreements, pairs) for w in in_scope]

    if scope is not None:
        only = per_wijk[0]
        scope_orgs, scope_agreements = only.organisations, only.agreements
        edges, missing_edges = only.edges, only.missing_edges
    else:
        scope_orgs, scope_agreements = organisations, agreements
        edges = _edges(agreements, {o.pk for o in organisations})
        missing_edges = _merge_missing(per_wijk)
    overdue = sorted((a for a in scope_agreements if a.is_overdue), key=lambda a: (a.review_date, a.title))
    stale = [o for o in scope_orgs if o.is_stale]

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


def _scope_id(report: GapReport) -> int:
    return report.scope.pk if report.scope is not None else report.municipality.pk


def gaps_for_page(*, actor: Actor, wijk_id: int | None = None) -> GapReport:
    """The analysis as the page shows it; the view is recorded in the audit log."""
    report = network_gaps(actor=actor, wijk_id=wijk_id)
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="network_gaps",
        object_id=_scope_id(report),
        details={"wijk": report.scope.name if report.scope is not None else ""},
    )
    return report


def gaps_for_export(*, actor: Actor, wijk_id: int | None = None, fmt: str) -> GapReport:
    """The analysis for a CSV or XLSX export (``fmt``); the export is recorded in the audit log."""
    report = network_gaps(actor=actor, wijk_id=wijk_id)
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="network_gaps",
        object_id=_scope_id(report),
        details={
            "format": fmt,
            "municipality": report.municipality.name,
            "wijk": report.scope.name if report.scope is not None else "",
        },
    )
    return report
