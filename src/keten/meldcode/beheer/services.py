"""Publishing a checklist version for a municipality (the functioneel beheerder of a gemeente)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import OrganisationType
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.meldcode.models import Checklist, ChecklistKind
from keten.meldcode.record.services import user_of


def checklist_publish(
    *, actor: Actor, kind: str, organisation_type: str, title: str, items: list[dict[str, Any]]
) -> Checklist:
    """Publish a new version of a checklist for the beheerder's own municipality.

    Only the functioneel beheerder of a gemeente organisation may (``meldcode.manage_checklists``); the
    version is one of their municipality, numbered after the newest national or municipal version of
    the same list, and new trajecten of organisations in the municipality use it. The national
    versions and those of other municipalities stay as they are, and so do older versions for the
    trajecten that used them.
    """
    user = user_of(actor)
    if not allows("meldcode.manage_checklists", actor):
        raise NotFoundError
    assert actor.membership is not None
    municipality_id = actor.membership.organisation.municipality_id
    if kind not in ChecklistKind.values:
        raise DomainError(_("Kies de soort lijst."), field="kind")
    if organisation_type and organisation_type not in OrganisationType.values:
        raise DomainError(_("Kies een bestaande soort organisatie."), field="organisation_type")
    if not title.strip():
        raise DomainError(_("Geef de lijst een titel."), field="title")
    codes = [str(i.get("code", "")).strip() for i in items]
    if not items or any(not c for c in codes) or any(not str(i.get("label", "")).strip() for i in items):
        raise DomainError(_("Elk item heeft een code en een omschrijving."), field="items")
    if len(set(codes)) != len(codes):
        raise DomainError(_("Elke code mag maar één keer in de lijst staan."), field="items")
    with transaction.atomic():
        same_list = Checklist.objects.filter(kind=kind, organisation_type=organisation_type)
        national = same_list.filter(municipality__isnull=True).order_by("-version").first()
        # Lock the municipality's newest version of this list: two beheerders publishing at once get
        # consecutive numbers.
        municipal = same_list.select_for_update().filter(municipality_id=municipality_id).order_by("-version").first()
        if municipal is not None and not allows("meldcode.manage_checklist", actor, municipal):
            raise NotFoundError
        latest = max((c.version for c in (national, municipal) if c is not None), default=0)
        checklist = Checklist.objects.create(
            kind=kind,
            organisation_type=organisation_type,
            municipality_id=municipality_id,
            version=latest + 1,
            title=title.strip(),
            items=[
                {
                    "code": str(i["code"]).strip(),
                    "label": str(i["label"]).strip(),
                    "group": str(i.get("group", "")).strip(),
                    "age_band": str(i.get("age_band", "")).strip(),
                }
                for i in items
            ],
            published_at=timezone.now(),
            created_by=user,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="meldcode.checklist",
            object_id=checklist.pk,
            details={
                "kind": kind,
                "organisation_type": organisation_type,
                "municipality": municipality_id,
                "version": checklist.version,
            },
        )
    return checklist
