"""Writes of samenwerkingsafspraken: create, change and end an agreement between organisations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Organisation, Team, Wijk
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.versions import claim
from keten.network.models import Agreement, AgreementType


@dataclass
class AgreementData:
    type: str
    title: str
    promise: str
    party_ids: list[int]
    start_date: date
    team_ids: list[int] = field(default_factory=list)
    contact_person_ids: list[int] = field(default_factory=list)
    wijk_ids: list[int] = field(default_factory=list)
    review_date: date | None = None
    end_date: date | None = None
    bestuurlijk_vastgesteld: bool = False
    source_url: str = ""


def _actor_municipality_id(actor: Actor) -> int:
    if actor.membership is None:
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def _require_agreement_manager(actor: Actor) -> int:
    if actor.user is None or not allows("network.manage_agreements", actor.user):
        raise NotFoundError
    return _actor_municipality_id(actor)


def _check_agreement(municipality_id: int, data: AgreementData) -> None:
    if data.type not in AgreementType.values:
        raise DomainError(_("Kies een soort afspraak."), field="type")
    if not data.title.strip():
        raise DomainError(_("Geef de afspraak een titel."), field="title")
    if not data.promise.strip():
        raise DomainError(_("Beschrijf wat de partijen elkaar concreet beloven."), field="promise")
    party_ids = set(data.party_ids)
    if len(party_ids) < 2:
        raise DomainError(_("Een samenwerkingsafspraak heeft minstens twee partijen."), field="parties")
    valid_parties = Organisation.objects.filter(pk__in=party_ids, municipality_id=municipality_id, is_active=True)
    if valid_parties.count() != len(party_ids):
        raise DomainError(_("Kies alleen actieve organisaties uit uw eigen gemeente als partij."), field="parties")
    if data.team_ids and Team.objects.filter(pk__in=data.team_ids, organisation_id__in=party_ids).count() != len(
        set(data.team_ids)
    ):
        raise DomainError(_("Kies alleen teams van de partijen bij de afspraak."), field="teams")
    if data.wijk_ids and Wijk.objects.filter(pk__in=data.wijk_ids, municipality_id=municipality_id).count() != len(
        set(data.wijk_ids)
    ):
        raise DomainError(_("Kies alleen wijken van uw eigen gemeente."), field="wijken")
    if data.contact_person_ids:
        members = Membership.objects.filter(
            user_id__in=data.contact_person_ids, organisation_id__in=party_ids, is_active=True
        ).values_list("user_id", flat=True)
        if set(members) != set(data.contact_person_ids):
            raise DomainError(
                _("Kies alleen contactpersonen die werken bij een van de partijen."), field="contact_persons"
            )
    if data.review_date is not None and data.review_date < data.start_date:
        raise DomainError(_("De evaluatiedatum kan niet voor de ingangsdatum liggen."), field="review_date")
    if data.end_date is not None and data.end_date < data.start_date:
        raise DomainError(_("De einddatum kan niet voor de ingangsdatum liggen."), field="end_date")


def _apply_agreement(agreement: Agreement, data: AgreementData) -> None:
    agreement.type = data.type
    agreement.title = data.title.strip()
    agreement.promise = data.promise.strip()
    agreement.start_date = data.start_date
    agreement.review_date = data.review_date
    agreement.end_date = data.end_date
    agreement.bestuurlijk_vastgesteld = data.bestuurlijk_vastgesteld
    agreement.source_url = data.source_url.strip()
    agreement.save()
    agreement.parties.set(set(data.party_ids))
    agreement.teams.set(set(data.team_ids))
    agreement.contact_persons.set(set(data.contact_person_ids))
    agreement.wijken.set(set(data.wijk_ids))


def agreement_create(*, actor: Actor, data: AgreementData) -> Agreement:
    municipality_id = _require_agreement_manager(actor)
    _check_agreement(municipality_id, data)
    with transaction.atomic():
        agreement = Agreement(municipality_id=municipality_id)
        _apply_agreement(agreement, data)
        audit.record(actor=actor, action=AuditAction.CREATE, object_type="agreement", object_id=agreement.pk)
    return agreement


def _bump(agreement: Agreement, expected_version: int) -> Agreement:
    claim(Agreement.objects.all(), agreement.pk, expected_version)
    agreement.refresh_from_db()
    return agreement


def _own_agreement(actor: Actor, agreement: Agreement) -> int:
    municipality_id = _require_agreement_manager(actor)
    if agreement.municipality_id != municipality_id:
        raise NotFoundError
    return municipality_id


def agreement_update(*, actor: Actor, agreement: Agreement, expected_version: int, data: AgreementData) -> Agreement:
    municipality_id = _own_agreement(actor, agreement)
    _check_agreement(municipality_id, data)
    with transaction.atomic():
        _bump(agreement, expected_version)
        _apply_agreement(agreement, data)
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="agreement", object_id=agreement.pk)
    return agreement


def agreement_end(*, actor: Actor, agreement: Agreement, expected_version: int, end_date: date) -> Agreement:
    """End an agreement on ``end_date`` (not before its start)."""
    _own_agreement(actor, agreement)
    if end_date < agreement.start_date:
        raise DomainError(_("De einddatum kan niet voor de ingangsdatum liggen."), field="end_date")
    with transaction.atomic():
        _bump(agreement, expected_version)
        agreement.end_date = end_date
        agreement.save(update_fields=["end_date"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="agreement",
            object_id=agreement.pk,
            details={"ended": end_date.isoformat()},
        )
    return agreement
