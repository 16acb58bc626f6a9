"""Reads behind the informatie-delen pages: the shared part of a dossier, counts, convenants, choices.

The shared part is a strict mapping from data category to what the recipient sees; a category that
is not shared shows nothing, and nothing outside the mapping is ever shown.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from keten.accounts.models import OrganisationType, User
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.policy import allows
from keten.core.smallcells import SMALL_CELL, suppress
from keten.dossiers.models import CaseTeamMember, DossierNote, Person
from keten.sharing.models import AccessGrant, Consent, Convenant, DataCategory, Disclosure, LegalBasis

#: Cells with fewer disclosures than this are not shown (they could point to one family).


def shared_part(grant: AccessGrant) -> dict[str, Any]:
    """What the recipient of ``grant`` may see: exactly its categories, nothing else."""
    from keten.meldcode.models import Entry, EntryKind, Traject

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


def my_grants(*, actor: Actor, now: Any = None) -> list[AccessGrant]:
    from keten.sharing.selectors import active_grants

    if actor.user is None:
        return []
    return list(
        active_grants(actor.user, now=now)
        .select_related("disclosure__decided_by_organisation", "dossier")
        .order_by("expires_at")
    )


def attach_active_grants(disclosures: list[Disclosure], *, now: Any = None) -> None:
    """Set ``running_grant`` on each disclosure whose access is still running (one query)."""
    from django.utils import timezone

    now = now or timezone.now()
    grants = {
        g.disclosure_id: g
        for g in AccessGrant.objects.filter(
            disclosure__in=[d.pk for d in disclosures], revoked_at__isnull=True, expires_at__gt=now
        )
    }
    for d in disclosures:
        d.running_grant = grants.get(d.pk)  # type: ignore[attr-defined]


def consents_of_dossier(dossier: Any) -> list[Consent]:
    return list(Consent.objects.filter(dossier=dossier).select_related("giver", "about").prefetch_related("recipients"))


def professionals_in_municipality(*, actor: Actor) -> list[tuple[int, str]]:
    """Active professionals of the municipality's organisations, labelled with their organisation."""
    if actor.membership is None:
        return []
    municipality_id = actor.membership.organisation.municipality_id
    rows = (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__municipality_id=municipality_id,
        )
        .exclude(pk=actor.user.pk if actor.user else 0)
        .values_list("id", "first_name", "last_name", "username", "memberships__organisation__name")
        .order_by("memberships__organisation__name", "last_name")
    )
    return [(pk, f"{(f'{first} {last}').strip() or username} — {org}") for pk, first, last, username, org in rows]


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


def convenants_list(*, actor: Actor) -> QuerySet[Convenant]:
    if actor.membership is None:
        return Convenant.objects.none()
    return (
        Convenant.objects.filter(municipality_id=actor.membership.organisation.municipality_id)
        .prefetch_related("parties", "flows")
        .order_by("-start_date", "title")
    )
