"""Reads of access grants: what a recipient inside Keten may see of a disclosure, for how long.

The shared part is a strict mapping from data category to what the recipient sees; a category that
is not shared shows nothing, and nothing outside the mapping is ever shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.dossiers.models import CaseTeamMember, Dossier, DossierNote, Person
from keten.meldcode.models import Entry, EntryKind, Traject
from keten.sharing.models import AccessGrant, DataCategory
from keten.sharing.rules import active_grants as active_grants  # the row filter lives beside its rule
from keten.sharing.selectors.auditing import audit_read


def shared_view(*, actor: Actor, grant_id: int, now: datetime | None = None) -> AccessGrant:
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
    audit_read(actor, grant.dossier, "sharing.grant", grant.pk, details={"categories": grant.categories})
    return grant


def my_grants(*, actor: Actor, now: datetime | None = None) -> list[AccessGrant]:
    """The actor's grants that are still running, the first to end first."""
    if actor.user is None:
        return []
    return list(
        active_grants(actor.user, now=now)
        .select_related("disclosure__decided_by_organisation", "dossier")
        .order_by("expires_at")
    )


def grant_of_dossier(*, actor: Actor, dossier: Dossier, grant_id: int) -> AccessGrant:
    """One access grant out of a dossier the actor may change; NotFoundError otherwise."""
    if actor.user is None or not allows("sharing.record_disclosure", actor.user, dossier):
        raise NotFoundError
    grant = AccessGrant.objects.filter(pk=grant_id, dossier=dossier).select_related("dossier").first()
    if grant is None:
        raise NotFoundError
    return grant


def shared_part(grant: AccessGrant) -> dict[str, Any]:
    """What the recipient of ``grant`` may see: exactly its categories, nothing else."""
    categories = set(grant.categories)
    disclosure = grant.disclosure
    dossier = grant.dossier
    part: dict[str, Any] = {"categories": [DataCategory(c).label for c in grant.categories if c in DataCategory.values]}
    about = list(disclosure.about.all())
    if DataCategory.PERSONALIA in categories:
        part["personalia"] = [
            {"name": p.full_name, "date_of_birth": p.date_of_birth, "address": p.address} for p in about
        ]
    if DataCategory.BETROKKENHEID in categories or DataCategory.CONTACTGEGEVENS in categories:
        part["betrokken"] = {
            "organisation": disclosure.decided_by_organisation.name,
            "professional": disclosure.decided_by.get_full_name() if DataCategory.CONTACTGEGEVENS in categories else "",
            "email": disclosure.decided_by.email if DataCategory.CONTACTGEGEVENS in categories else "",
        }
    if DataCategory.GEZINSSITUATIE in categories:
        part["gezin"] = [
            {"first_name": p.first_name, "relation": p.get_relation_display()}
            for p in Person.objects.filter(family_id=dossier.family_id).order_by("pk")
        ]
    if DataCategory.SIGNALEN in categories:
        part["signalen"] = [
            {"occurred_on": e.occurred_on, "text": e.text or ""}
            for e in Entry.objects.filter(traject__dossier=dossier, kind=EntryKind.SIGNAAL).order_by(
                "occurred_on", "pk"
            )
        ]
    if DataCategory.MELDCODE in categories:
        part["trajecten"] = [
            {"reference": t.reference, "status": t.get_status_display(), "step": t.get_current_step_display()}
            for t in Traject.objects.filter(dossier=dossier).order_by("started_at")
        ]
    if DataCategory.HULPVERLENING in categories:
        part["casusteam"] = [
            {"name": m.user.get_full_name() or m.user.username, "organisation": m.organisation.name}
            for m in CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True).select_related(
                "user", "organisation"
            )
        ]
        coordinator = dossier.coordinator
        part["regievoerder"] = (coordinator.get_full_name() or coordinator.username) if coordinator else ""
    if DataCategory.NOTITIES in categories:
        part["notities"] = [
            {"created_at": n.created_at, "text": n.text}
            for n in DossierNote.objects.filter(dossier=dossier).order_by("-created_at")[:50]
        ]
    return part
