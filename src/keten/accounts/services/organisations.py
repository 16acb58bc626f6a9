"""Organisations of the municipality: create, edit, deactivate and reactivate (the gemeente's beheerder)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts.models import Organisation, OrganisationType, Wijk
from keten.accounts.services.changes import record, set_active
from keten.accounts.services.checks import check_organisation, guard_own_beheer, municipality_id_of
from keten.accounts.services.validation import clean_email, clean_phone, clean_text, wijken_of
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.core.versions import bump


@dataclass
class OrganisationData:
    name: str
    type: str
    wijk_ids: list[int]
    phone: str = ""
    email: str = ""


def _clean_organisation(
    municipality_id: int, data: OrganisationData, *, exclude_pk: int | None = None
) -> tuple[str, list[Wijk], str, str]:
    name = clean_text(data.name, field="name", label=_("de naam"), max_length=200)
    if data.type not in OrganisationType.values:
        raise DomainError(_("Kies een geldige soort organisatie."), field="type")
    duplicate = Organisation.objects.filter(municipality_id=municipality_id, name__iexact=name)
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(_("Er is in uw gemeente al een organisatie met deze naam."), field="name")
    wijken = wijken_of(municipality_id, data.wijk_ids)
    return name, wijken, clean_phone(data.phone), clean_email(data.email)


def organisation_create(*, actor: Actor, data: OrganisationData) -> Organisation:
    municipality_id = municipality_id_of(actor)
    name, wijken, phone, email = _clean_organisation(municipality_id, data)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, type=data.type, municipality_id=municipality_id, phone=phone, email=email
        )
        organisation.wijken.set(wijken)
        record(actor, AuditAction.CREATE, "organisation", organisation.pk, name=name, type=data.type)
    return organisation


def _organisation_values(organisation: Organisation) -> dict[str, object]:
    return {
        "name": organisation.name,
        "type": organisation.type,
        "phone": organisation.phone,
        "email": organisation.email,
        "wijken": sorted(organisation.wijken.values_list("pk", flat=True)),
    }


def organisation_update(
    *, actor: Actor, organisation: Organisation, data: OrganisationData, expected_version: int | None = None
) -> Organisation:
    """ConflictError when ``expected_version`` is given and the organisation changed since."""
    municipality_id = check_organisation(actor, organisation, "accounts.change_organisation")
    name, wijken, phone, email = _clean_organisation(municipality_id, data, exclude_pk=organisation.pk)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        bump(organisation, expected_version)
        before = _organisation_values(organisation)
        after = {
            "name": name,
            "type": data.type,
            "phone": phone,
            "email": email,
            "wijken": sorted(w.pk for w in wijken),
        }
        organisation.name, organisation.type, organisation.phone, organisation.email = name, data.type, phone, email
        organisation.save(update_fields=["name", "type", "phone", "email", "version"])
        organisation.wijken.set(wijken)
        changed = sorted(k for k in after if after[k] != before[k])
        record(actor, AuditAction.UPDATE, "organisation", organisation.pk, changed=changed)
    return organisation


def organisation_deactivate(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Switch an organisation off: its members can no longer act in it and its API clients stop working."""
    check_organisation(actor, organisation, "accounts.change_organisation")
    if not organisation.is_active:
        raise DomainError(_("Deze organisatie is al gedeactiveerd."), field="organisation")
    assert actor.user is not None
    guard_own_beheer(actor, actor.user, inactive_organisations=[organisation.pk])
    set_active(actor, organisation, active=False, object_type="organisation")
    return organisation


def organisation_reactivate(*, actor: Actor, organisation: Organisation) -> Organisation:
    check_organisation(actor, organisation, "accounts.change_organisation")
    if organisation.is_active:
        raise DomainError(_("Deze organisatie is al actief."), field="organisation")
    set_active(actor, organisation, active=True, object_type="organisation")
    return organisation
