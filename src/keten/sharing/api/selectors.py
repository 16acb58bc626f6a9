"""Reads for the informatie delen API: per dossier for its case team, convenants per municipality. Audited."""

from __future__ import annotations

from django.db.models import QuerySet

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.sharing import rules, selectors
from keten.sharing.models import Consent, Convenant, Disclosure


def _audit_list(actor: Actor, dossier: Dossier, what: str, count: int) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=f"sharing.{what}_list",
        object_id=dossier.reference,
        client_pseudonym=dossier.family.pseudonym,
        details={"count": count},
    )


def consents_of_dossier(*, actor: Actor, dossier: Dossier) -> list[Consent]:
    """The dossier's consents for its case team, newest first (two queries plus the audit event)."""
    if actor.user is None or not allows("sharing.view_consents", actor.user, dossier):
        raise NotFoundError
    rows = list(
        Consent.objects.filter(dossier=dossier)
        .select_related("giver", "about")
        .prefetch_related("recipients")
        .order_by("-given_on", "-pk")
    )
    _audit_list(actor, dossier, "consent", len(rows))
    return rows


def consent_for_change(*, actor: Actor, consent_id: int) -> Consent:
    consent = Consent.objects.select_related("dossier", "dossier__family").filter(pk=consent_id).first()
    if consent is None or actor.user is None or not allows("sharing.withdraw_consent", actor.user, consent):
        raise NotFoundError
    return consent


def disclosure_log(*, actor: Actor, dossier: Dossier) -> list[Disclosure]:
    """The dossier's disclosure log (the verstrekkingen), newest first. Audited."""
    rows = selectors.disclosures_of_dossier(actor=actor, dossier=dossier, details=True)
    _audit_list(actor, dossier, "disclosure", len(rows))
    return rows


def convenants_of_municipality(actor: Actor) -> QuerySet[Convenant]:
    """Convenants of the actor's municipality: every member of one of its organisations may read them."""
    if actor.user is None or not allows("sharing.view_convenants", actor.user):
        raise NotFoundError
    return rules.convenants_of_municipality(actor.user).prefetch_related("parties", "flows").order_by("title", "pk")
