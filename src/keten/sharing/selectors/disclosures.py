"""Reads of disclosures (verstrekkingen): a dossier's log for its case team, the disclosures of an
organisation for its aandachtsfunctionaris, and the municipality's counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from keten.accounts.models import OrganisationType
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.smallcells import SMALL_CELL, suppress
from keten.dossiers.models import Dossier, Person
from keten.sharing.models import AccessGrant, Disclosure, LegalBasis
from keten.sharing.rules import organisation_disclosures_of
from keten.sharing.selectors.auditing import audit_read

#: How many disclosures the dossier page shows; the dossier's disclosure log pages through the rest.
RECENT_DISCLOSURES = 25
#: Disclosures per page of the dossier's disclosure log.
LOG_PAGE_SIZE = 50
#: Encrypted free text of a disclosure that lists do not show (decrypting it costs time per row).
_FREE_TEXT = ("items", "purpose", "no_consent_reason", "not_informed_reason", "override_motivation")


def _require_view(actor: Actor, dossier: Dossier) -> None:
    if actor.user is None or not allows("sharing.view_disclosures", actor.user, dossier):
        raise NotFoundError


def _disclosure_rows(dossier: Dossier, *, details: bool = False) -> QuerySet[Disclosure]:
    """The dossier's disclosures, newest first, with what a list shows.

    Without ``details`` the encrypted free text is not loaded and the persons are not fetched (the
    lists show neither); with it the purpose is decrypted and the persons come as pseudonyms only.
    """
    rows = (
        Disclosure.objects.filter(dossier=dossier)
        .select_related("recipient_organisation", "decided_by")
        .order_by("-shared_on", "-pk")
    )
    if not details:
        return rows.defer(*_FREE_TEXT, "advice")
    return rows.defer(*(f for f in _FREE_TEXT if f != "purpose")).prefetch_related(
        Prefetch("about", queryset=Person.objects.only("pk", "pseudonym", "family_id"))
    )


def disclosures_of_dossier(
    *, actor: Actor, dossier: Dossier, details: bool = False, limit: int | None = None
) -> list[Disclosure]:
    """The dossier's disclosures for its case team, newest first.

    ``limit`` gives only the newest ones (one query). ``details`` adds the purpose and the persons'
    pseudonyms, as the API shows them (two queries, whatever the number of rows).
    """
    _require_view(actor, dossier)
    rows = _disclosure_rows(dossier, details=details)
    return list(rows[:limit] if limit is not None else rows)


@dataclass
class RecentDisclosures:
    """The newest disclosures of a dossier and how many there are in all."""

    rows: list[Disclosure]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def recent_disclosures(*, actor: Actor, dossier: Dossier, limit: int | None = None) -> RecentDisclosures:
    """What the dossier page shows: the newest ``limit`` disclosures and the total (at most two queries)."""
    limit = limit or RECENT_DISCLOSURES
    rows = disclosures_of_dossier(actor=actor, dossier=dossier, limit=limit)
    total = len(rows) if len(rows) < limit else Disclosure.objects.filter(dossier=dossier).count()
    return RecentDisclosures(rows=rows, total=total)


@dataclass(frozen=True)
class DisclosureRow:
    """A disclosure as a list shows it, with the access it granted if that is still running."""

    disclosure: Disclosure
    running_grant: AccessGrant | None


def with_running_grants(disclosures: list[Disclosure], *, now: datetime | None = None) -> list[DisclosureRow]:
    """Each disclosure with its access grant that is still running, if any (one query)."""
    now = now or timezone.now()
    grants = {
        g.disclosure_id: g
        for g in AccessGrant.objects.filter(
            disclosure__in=[d.pk for d in disclosures], revoked_at__isnull=True, expires_at__gt=now
        )
    }
    return [DisclosureRow(disclosure=d, running_grant=grants.get(d.pk)) for d in disclosures]


@dataclass
class DisclosureLogPage:
    """One page of a dossier's disclosure log (newest first)."""

    rows: list[Disclosure]
    number: int
    pages: int
    total: int
    first: int = field(default=0)
    last: int = field(default=0)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def disclosure_log_page(
    *, actor: Actor, dossier: Dossier, page: int = 1, per_page: int | None = None
) -> DisclosureLogPage:
    """One page of the dossier's disclosure log for its case team (two queries). Audited as a read.

    A page number past the end gives the last page, below one the first.
    """
    _require_view(actor, dossier)
    per_page = per_page or LOG_PAGE_SIZE
    total = Disclosure.objects.filter(dossier=dossier).count()
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    offset = (number - 1) * per_page
    rows = list(_disclosure_rows(dossier)[offset : offset + per_page])
    audit_read(
        actor,
        dossier,
        "sharing.disclosure_log",
        dossier.reference,
        details={"page": number, "rows": len(rows), "total": total},
    )
    return DisclosureLogPage(
        rows=rows,
        number=number,
        pages=pages,
        total=total,
        first=offset + 1 if rows else 0,
        last=offset + len(rows),
    )


def disclosure_log(*, actor: Actor, dossier: Dossier) -> list[Disclosure]:
    """The dossier's whole disclosure log with the purpose and the persons, newest first (the API). Audited."""
    rows = disclosures_of_dossier(actor=actor, dossier=dossier, details=True)
    audit_read(actor, dossier, "sharing.disclosure_list", dossier.reference, details={"count": len(rows)})
    return rows


def organisation_disclosures(*, actor: Actor, basis: str = "", since: date | None = None) -> list[Disclosure]:
    """All disclosures decided in the aandachtsfunctionaris' organisation (no family names in the list)."""
    if actor.user is None or not allows("sharing.view_organisation_disclosures", actor.user):
        raise NotFoundError
    qs = organisation_disclosures_of(actor.user)
    if basis:
        qs = qs.filter(legal_basis=basis)
    if since is not None:
        qs = qs.filter(Q(shared_on__gte=since))
    return list(qs.select_related("recipient_organisation", "decided_by").order_by("-shared_on", "-pk")[:1000])


def organisation_disclosures_export(
    *, actor: Actor, basis: str = "", since: date | None = None, filters: dict[str, Any] | None = None
) -> list[Disclosure]:
    """:func:`organisation_disclosures` for the CSV export, audited as an export with the filters used."""
    rows = organisation_disclosures(actor=actor, basis=basis, since=since)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="sharing.disclosures",
        object_id="verstrekkingen.csv",
        details={"rows": len(rows), **filters} if filters is not None else {"rows": len(rows)},
    )
    return rows


def municipality_counts(*, actor: Actor) -> dict[str, Any]:
    """Disclosures in the municipality per legal basis and per recipient type.

    Small cells are hidden, and so are the cells that would give one away by subtraction from the
    shown total (:mod:`keten.core.smallcells`). Rows are in label order, so that their order says
    nothing about the hidden counts.
    """
    if actor.user is None or actor.membership is None or not allows("core.view_aggregates", actor.user):
        raise NotFoundError
    qs = Disclosure.objects.filter(
        decided_by_organisation__municipality_id=actor.membership.organisation.municipality_id
    )
    by_basis = dict(qs.values_list("legal_basis").annotate(n=Count("pk")).values_list("legal_basis", "n"))
    by_type = dict(
        qs.values_list("recipient_organisation__type")
        .annotate(n=Count("pk"))
        .values_list("recipient_organisation__type", "n")
    )
    counts: dict[tuple[str, str], int] = {("total", ""): sum(by_basis.values())}
    counts.update({("basis", key): n for key, n in by_basis.items()})
    counts.update({("type", key): n for key, n in by_type.items()})
    shown = suppress(
        counts,
        [
            [*(("basis", key) for key in by_basis), ("total", "")],
            [*(("type", key) for key in by_type), ("total", "")],
        ],
    )

    def rows(kind: str, keys: list[str], labels: dict[str, Any]) -> list[dict[str, Any]]:
        labelled = sorted(((str(labels.get(key, key)), key) for key in keys), key=lambda item: item[0])
        return [{"label": label, "count": shown[(kind, key)]} for label, key in labelled]

    return {
        "by_basis": rows("basis", list(by_basis), dict(LegalBasis.choices)),
        "by_type": rows("type", list(by_type), dict(OrganisationType.choices)),
        "total": shown[("total", "")],
        "small_cell": SMALL_CELL,
    }
