"""Reads of informatie delen, limited to what the actor may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier, Person
from keten.sharing import deelhulp
from keten.sharing.models import AccessGrant, Consent, ConvenantFlow, Disclosure
from keten.sharing.rules import active_grants as active_grants  # the row filter lives beside its rule
from keten.sharing.rules import organisation_disclosures_of

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
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="sharing.disclosure_log",
        object_id=dossier.reference,
        client_pseudonym=dossier.family.pseudonym,
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


def shared_view(*, actor: Actor, grant_id: int, now: Any = None) -> AccessGrant:
    """A grant of the actor that is still running: the recipient sees exactly the shared part. Audited."""
    if actor.user is None:
        raise NotFoundError
    grant = (
        active_grants(actor.user, now=now)
        .filter(pk=grant_id)
        .select_related("disclosure", "dossier", "dossier__family")
        .first()
    )
    if grant is None:
        raise NotFoundError
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="sharing.grant",
        object_id=grant.pk,
        client_pseudonym=grant.dossier.family.pseudonym,
        details={"categories": grant.categories},
    )
    return grant


def organisation_disclosures(*, actor: Actor, basis: str = "", since: Any = None) -> list[Disclosure]:
    """All disclosures decided in the aandachtsfunctionaris' organisation (no family names in the list)."""
    if actor.user is None or not allows("sharing.view_organisation_disclosures", actor.user):
        raise NotFoundError
    qs = organisation_disclosures_of(actor.user)
    if basis:
        qs = qs.filter(legal_basis=basis)
    if since is not None:
        qs = qs.filter(Q(shared_on__gte=since))
    return list(qs.select_related("recipient_organisation", "decided_by").order_by("-shared_on", "-pk")[:1000])


def consent_of_dossier(*, actor: Actor, dossier: Dossier, consent_id: int) -> Consent:
    """One consent of a dossier the actor may change; NotFoundError otherwise."""
    if actor.user is None or not allows("sharing.record_consent", actor.user, dossier):
        raise NotFoundError
    consent = Consent.objects.filter(pk=consent_id, dossier=dossier).select_related("dossier", "giver", "about").first()
    if consent is None:
        raise NotFoundError
    return consent


def consent_shown(*, actor: Actor, dossier: Dossier, consent: Consent) -> None:
    """Audit that a page shows ``consent`` of ``dossier`` (who gave it, about whom): the page of a
    refused withdrawal."""
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="sharing.consent",
        object_id=consent.pk,
        client_pseudonym=dossier.family.pseudonym,
    )


def grant_of_dossier(*, actor: Actor, dossier: Dossier, grant_id: int) -> AccessGrant:
    """One access grant out of a dossier the actor may change; NotFoundError otherwise."""
    if actor.user is None or not allows("sharing.record_disclosure", actor.user, dossier):
        raise NotFoundError
    grant = AccessGrant.objects.filter(pk=grant_id, dossier=dossier).select_related("dossier").first()
    if grant is None:
        raise NotFoundError
    return grant


@dataclass
class DeelhulpLookup:
    """What the deelhulp looks up itself: the recipient, valid consent and a covering convenant flow."""

    recipient: Organisation
    consent: deelhulp.Consent
    consents: list[Consent]
    flow: ConvenantFlow | None


def deelhulp_lookup(
    *,
    actor: Actor,
    dossier: Dossier,
    recipient_id: int,
    about_ids: list[int],
    categories: set[str],
    on: date | None = None,
) -> DeelhulpLookup:
    """Consent and a convenant flow for sharing ``categories`` about these family members with the recipient.

    Only for the dossier's case team (NotFoundError otherwise). Consent counts as valid when it covers
    every person the sharing is about; "withdrawn" when it does not and a withdrawn consent to this
    recipient exists. Raises DomainError when the recipient is not an active organisation.
    """
    from keten.sharing.services import consent_covers, convenant_flow_for

    if actor.user is None or not allows("sharing.record_disclosure", actor.user, dossier):
        raise NotFoundError
    on = on or timezone.localdate()
    recipient = Organisation.objects.filter(pk=recipient_id, is_active=True).first()
    if recipient is None:
        raise DomainError(_("Kies de organisatie die de gegevens ontvangt."), field="recipient_organisation")
    about = list(Person.objects.filter(pk__in=about_ids, family_id=dossier.family_id))
    covered = bool(about)
    consents: list[Consent] = []
    for person in about:
        ok, valid = consent_covers(person, recipient, on)
        covered = covered and ok
        consents.extend(valid)
    withdrawn = (
        not covered
        and Consent.objects.filter(
            about__in=about, recipients=recipient, withdrawn_on__isnull=False, dossier=dossier
        ).exists()
    )
    flow = None
    if actor.membership is not None:
        flow = convenant_flow_for(
            sender=actor.membership.organisation, recipient=recipient, categories=categories, on=on
        )
    state = deelhulp.Consent.GELDIG if covered else deelhulp.Consent.INGETROKKEN if withdrawn else deelhulp.Consent.GEEN
    return DeelhulpLookup(recipient=recipient, consent=state, consents=consents, flow=flow)


def person_choices(*, actor: Actor, dossier: Dossier, form: str) -> list[tuple[int, str]]:
    """The family members of a dossier the caller already read through the policy, for the choices of
    ``form`` (consent, deelhulp, inzage): the form shows their names, so the read is audited."""
    choices = [(p.pk, p.full_name) for p in Person.objects.filter(family_id=dossier.family_id).order_by("pk")]
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=f"sharing.{form}",
        object_id=dossier.reference,
        client_pseudonym=dossier.family.pseudonym,
        details={"persons": len(choices)},
    )
    return choices
