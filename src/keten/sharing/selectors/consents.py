"""Reads of consents (toestemmingen) of a dossier, for its case team."""

from __future__ import annotations

from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.sharing.models import Consent
from keten.sharing.selectors.auditing import audit_read


def consents_on_dossier_page(dossier: Dossier) -> list[Consent]:
    """The consents the "Delen" section of the dossier page lists (its read is the dossier page's, audited
    by :func:`keten.dossiers.selectors.dossier_detail`)."""
    return list(Consent.objects.filter(dossier=dossier).select_related("giver", "about").prefetch_related("recipients"))


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
    audit_read(actor, dossier, "sharing.consent_list", dossier.reference, details={"count": len(rows)})
    return rows


def consent_for_change(*, actor: Actor, consent_id: int) -> Consent:
    """A consent the actor may withdraw; NotFoundError otherwise."""
    consent = Consent.objects.select_related("dossier", "dossier__family").filter(pk=consent_id).first()
    if consent is None or actor.user is None or not allows("sharing.withdraw_consent", actor.user, consent):
        raise NotFoundError
    return consent


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
    audit_read(actor, dossier, "sharing.consent", consent.pk)
