"""Writes of families, persons, dossiers, case teams and break-the-glass.

Each function is one use case in one transaction, writes its audit event inside that transaction,
and queues side effects (notifications, mail) for after the commit. A failed call changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import CASE_ROLES, Membership, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import bsn_index, is_valid_bsn, name_birth_index, new_pseudonym, normalise_bsn
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows, may_see_client_data
from keten.core.versions import claim
from keten.dossiers import selectors
from keten.dossiers.models import (
    CaseRole,
    CaseTeamMember,
    Dossier,
    DossierNote,
    Family,
    Person,
    Relation,
)
from keten.notifications.services import notification_send


@dataclass
class PersonData:
    relation: str
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    bsn: str = ""
    address: str = ""


def _require_case_role(actor: Actor) -> User:
    if actor.user is None or not may_see_client_data(actor.user):
        raise NotFoundError
    return actor.user


def _check_person(data: PersonData) -> None:
    if data.relation not in Relation.values:
        raise DomainError(_("Kies een geldige relatie."), field="relation")
    if not data.first_name.strip() or not data.last_name.strip():
        raise DomainError(_("Vul de voornaam en de achternaam in."), field="last_name")
    if data.date_of_birth is not None:
        today = timezone.localdate()
        if data.date_of_birth > today:
            raise DomainError(_("De geboortedatum kan niet in de toekomst liggen."), field="date_of_birth")
        if data.date_of_birth < today - timedelta(days=365 * 120):
            raise DomainError(_("Deze geboortedatum is niet mogelijk."), field="date_of_birth")
    if data.bsn and not is_valid_bsn(data.bsn):
        raise DomainError(_("Dit BSN klopt niet: het voldoet niet aan de elfproef."), field="bsn")


def _apply_person_data(person: Person, data: PersonData) -> Person:
    """Copy validated input onto a person, with the blind indexes that go with it."""
    bsn = normalise_bsn(data.bsn) if data.bsn else ""
    person.relation = data.relation
    person.first_name = data.first_name.strip()
    person.last_name = data.last_name.strip()
    person.date_of_birth = data.date_of_birth
    person.bsn = bsn
    person.bsn_index = bsn_index(bsn) if bsn else None
    person.name_birth_index = (
        name_birth_index(data.first_name, data.last_name, data.date_of_birth) if data.date_of_birth else ""
    )
    person.address = data.address
    return person


def _new_person(family: Family, data: PersonData, *, is_test: bool = False) -> Person:
    return _apply_person_data(Person(family=family, municipality_id=family.municipality_id, is_test=is_test), data)


def _touch(dossier: Dossier) -> None:
    """Move the dossier up in everyone's list: something in it changed."""
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())


class DuplicateError(DomainError):
    """The person seems known already; ``report`` says what the actor may be shown of it."""

    def __init__(self, message: str, *, field: str, report: selectors.DuplicateReport) -> None:
        super().__init__(message, field=field)
        self.report = report


def _guard_duplicates(
    actor: Actor, data: PersonData, *, confirm_same_name: bool, names: bool = True, exclude: Person | None = None
) -> None:
    """Refuse a second person with the same BSN in the municipality, and ask to confirm the same name
    and date of birth. Runs before the write's transaction: a hit stays audited and counted when the
    request is refused."""
    report = selectors.person_duplicates(
        actor=actor,
        bsn=data.bsn,
        first_name=data.first_name if names else "",
        last_name=data.last_name if names else "",
        date_of_birth=data.date_of_birth if names else None,
        exclude=exclude,
    )
    if not report.found:
        return
    if report.bsn_taken:
        raise DuplicateError(
            _(
                "Er is al een persoon met dit BSN bekend in Keten. Voeg geen tweede persoon toe; zoek het "
                "bestaande dossier of vraag de regievoerder om toegang."
            ),
            field="bsn",
            report=report,
        )
    if not confirm_same_name:
        raise DuplicateError(
            _(
                "Er is al een persoon met dezelfde naam en geboortedatum bekend. Controleer of het om "
                "dezelfde persoon gaat en bevestig als u toch een nieuwe persoon wilt vastleggen."
            ),
            field="confirm_duplicate",
            report=report,
        )


def dossier_create(
    *,
    actor: Actor,
    family_name: str,
    address: str = "",
    wijk_id: int | None = None,
    persons: list[PersonData] | None = None,
    confirm_duplicates: bool = False,
    is_test: bool = False,
) -> Dossier:
    """Create a family with its dossier; the creating professional joins the case team as regievoerder."""
    user = _require_case_role(actor)
    if not family_name.strip():
        raise DomainError(_("Vul de naam van het gezin in."), field="family_name")
    persons = persons or []
    bsns = [normalise_bsn(p.bsn) for p in persons if p.bsn]
    if len(bsns) != len(set(bsns)):
        raise DomainError(_("Hetzelfde BSN staat twee keer in dit gezin."), field="bsn")
    for data in persons:
        _check_person(data)
        _guard_duplicates(actor, data, confirm_same_name=confirm_duplicates)
    membership = actor.membership
    assert membership is not None
    with transaction.atomic():
        family = Family.objects.create(
            name=family_name.strip(),
            address=address,
            wijk_id=wijk_id,
            municipality_id=membership.organisation.municipality_id,
            is_test=is_test,
        )
        dossier = Dossier.objects.create(family=family, reference=new_pseudonym("D"), coordinator=user)
        CaseTeamMember.objects.create(
            dossier=dossier,
            user=user,
            organisation_id=membership.organisation_id,
            case_role=CaseRole.REGIEVOERDER,
            added_by=user,
        )
        for data in persons:
            _new_person(family, data, is_test=is_test).save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="dossier",
            object_id=dossier.reference,
            client_pseudonym=family.pseudonym,
            details={"persons": len(persons)},
        )
    return dossier


def person_add(*, actor: Actor, dossier: Dossier, data: PersonData, confirm_duplicate: bool = False) -> Person:
    """Add a child, parent or carer to a family, after the duplicate check."""
    _require_case_role(actor)
    if not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    _check_person(data)
    _guard_duplicates(actor, data, confirm_same_name=confirm_duplicate)
    with transaction.atomic():
        person = _new_person(dossier.family, data, is_test=dossier.family.is_test)
        person.save()
        _touch(dossier)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="person",
            object_id=person.pseudonym,
            client_pseudonym=dossier.family.pseudonym,
        )
    return person


def person_update(*, actor: Actor, person: Person, expected_version: int, data: PersonData) -> Person:
    """Change a person's details; refuses when someone else changed them first."""
    _require_case_role(actor)
    dossier = person.family.dossier
    if not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    _check_person(data)
    bsn = normalise_bsn(data.bsn) if data.bsn else ""
    if bsn and bsn_index(bsn) != person.bsn_index:
        _guard_duplicates(actor, data, confirm_same_name=True, names=False, exclude=person)
    with transaction.atomic():
        claim(Person.objects.all(), person.pk, expected_version)
        person.refresh_from_db()
        _apply_person_data(person, data).save()
        _touch(dossier)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="person",
            object_id=person.pseudonym,
            client_pseudonym=person.family.pseudonym,
        )
    return person


def dossier_update(
    *,
    actor: Actor,
    dossier: Dossier,
    expected_version: int,
    summary: str,
    status: str,
    coordinator_id: int | None,
) -> Dossier:
    """Change summary, status or coordinator, with an optimistic version check."""
    _require_case_role(actor)
    if not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    if status not in Dossier.Status.values:
        raise DomainError(_("Kies een geldige status."), field="status")
    team_user_ids = set(
        CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True).values_list("user_id", flat=True)
    )
    if coordinator_id is not None and coordinator_id not in team_user_ids:
        raise DomainError(_("De regievoerder moet lid zijn van het casusteam."), field="coordinator")
    with transaction.atomic():
        claim(Dossier.objects.all(), dossier.pk, expected_version)
        dossier.refresh_from_db()
        old_status = dossier.status
        dossier.summary = summary
        dossier.status = status
        dossier.coordinator_id = coordinator_id
        if status == Dossier.Status.CLOSED and old_status != status:
            dossier.closed_at = timezone.now()
        elif status == Dossier.Status.OPEN:
            dossier.closed_at = None
        dossier.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="dossier",
            object_id=dossier.reference,
            client_pseudonym=dossier.family.pseudonym,
            details={"status": status} if status != old_status else {},
        )
    return dossier


def note_add(*, actor: Actor, dossier: Dossier, text: str) -> DossierNote:
    user = _require_case_role(actor)
    if not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    text = text.strip()
    if not text:
        raise DomainError(_("Een lege notitie kan niet worden opgeslagen."), field="text")
    if len(text) > 10_000:
        raise DomainError(_("Een notitie is maximaal 10.000 tekens."), field="text")
    with transaction.atomic():
        note = DossierNote.objects.create(dossier=dossier, author=user, text=text)
        _touch(dossier)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="note",
            object_id=str(note.pk),
            client_pseudonym=dossier.family.pseudonym,
        )
    return note


def case_team_add(*, actor: Actor, dossier: Dossier, user_id: int, case_role: str) -> CaseTeamMember:
    """Add a professional (in a case role) to the case team."""
    adder = _require_case_role(actor)
    if not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    if case_role not in CaseRole.values:
        raise DomainError(_("Kies een geldige rol in de casus."), field="case_role")
    membership = (
        Membership.objects.filter(user_id=user_id, is_active=True, role__in=CASE_ROLES, user__is_active=True)
        .order_by("id")
        .first()
    )
    if membership is None:
        raise DomainError(_("Deze medewerker kan niet aan een casusteam worden toegevoegd."), field="user")
    if CaseTeamMember.objects.filter(dossier=dossier, user_id=user_id, ended_at__isnull=True).exists():
        raise DomainError(_("Deze medewerker zit al in het casusteam."), field="user")
    with transaction.atomic():
        member = CaseTeamMember.objects.create(
            dossier=dossier,
            user_id=user_id,
            organisation_id=membership.organisation_id,
            case_role=case_role,
            added_by=adder,
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="case_team",
            object_id=dossier.reference,
            client_pseudonym=dossier.family.pseudonym,
            details={"added_user": user_id, "case_role": case_role},
        )
        notification_send(
            recipients=[membership.user],
            kind="case_team_added",
            title=_("U bent toegevoegd aan een casusteam"),
            body=_("Dossier %(ref)s") % {"ref": dossier.reference},
            link=f"/dossiers/{dossier.reference}/",
        )
    return member


def case_team_remove(*, actor: Actor, dossier: Dossier, member_id: int) -> None:
    """End a professional's membership of the case team (the row stays, with its end date)."""
    _require_case_role(actor)
    if not allows("dossiers.change_dossier", actor.user, dossier):
        raise NotFoundError
    member = CaseTeamMember.objects.filter(pk=member_id, dossier=dossier, ended_at__isnull=True).first()
    if member is None:
        raise NotFoundError
    active = CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True).count()
    if active <= 1:
        raise DomainError(_("Het laatste lid van het casusteam kan niet worden verwijderd."), field="member")
    with transaction.atomic():
        CaseTeamMember.objects.filter(pk=member.pk).update(ended_at=timezone.now())
        if dossier.coordinator_id == member.user_id:
            Dossier.objects.filter(pk=dossier.pk).update(coordinator=None, version=F("version") + 1)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="case_team",
            object_id=dossier.reference,
            client_pseudonym=dossier.family.pseudonym,
            details={"removed_user": member.user_id},
        )
