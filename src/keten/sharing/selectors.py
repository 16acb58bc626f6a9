"""Reads of informatie delen, limited to what the actor may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.sharing.models import AccessGrant, Consent, Disclosure


def active_grants(user: Any, *, now: Any = None) -> QuerySet[AccessGrant]:
    now = now or timezone.now()
    return AccessGrant.objects.filter(user=user, revoked_at__isnull=True, starts_at__lte=now, expires_at__gt=now)


def disclosures_of_dossier(*, actor: Actor, dossier: Dossier) -> list[Disclosure]:
    """The dossier's disclosures for its case team, newest first (two queries)."""
    if actor.user is None or not allows("dossiers.view_dossier", actor.user, dossier):
        raise NotFoundError
    return list(
        Disclosure.objects.filter(dossier=dossier)
        .select_related("recipient_organisation", "recipient_user", "decided_by", "convenant")
        .prefetch_related("about")
        .order_by("-shared_on", "-pk")
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
    if actor.user is None or actor.membership is None or not allows("core.view_auditlog", actor.user):
        raise NotFoundError
    qs = Disclosure.objects.filter(decided_by_organisation_id=actor.membership.organisation_id)
    if basis:
        qs = qs.filter(legal_basis=basis)
    if since is not None:
        qs = qs.filter(Q(shared_on__gte=since))
    return list(qs.select_related("recipient_organisation", "decided_by").order_by("-shared_on", "-pk")[:1000])


def consent_of_dossier(*, actor: Actor, dossier: Dossier, consent_id: int) -> Consent:
    """One consent of a dossier the actor may change; NotFoundError otherwise."""
    if actor.user is None or not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    consent = Consent.objects.filter(pk=consent_id, dossier=dossier).select_related("dossier").first()
    if consent is None:
        raise NotFoundError
    return consent
