"""Writes of sociale kaart entries: the entry itself, its confirmation and its designated editors.

Each function is one use case in one transaction with its audit event inside that transaction; a
failed call changes nothing. Notifications go out after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Organisation
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.versions import claim
from keten.network.kaart.search_text import search_text_for
from keten.network.kaart.selectors.text import format_postcode
from keten.network.models import OrganisationEntry
from keten.notifications.services import notification_send

MAX_TAGS = 20
MAX_TAG_LENGTH = 40


@dataclass
class EntryData:
    description: str = ""
    visiting_address: str = ""
    postcode: str = ""
    phone: str = ""
    secure_email: str = ""
    website: str = ""
    opening_hours: str = ""
    expertise: list[str] = field(default_factory=list)
    age_min: int | None = None
    age_max: int | None = None
    is_public: bool = False


def check_entry(data: EntryData) -> EntryData:
    postcode = format_postcode(data.postcode) if data.postcode.strip() else ""
    tags: list[str] = []
    for raw in data.expertise:
        tag = " ".join(str(raw).split())
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH:
            raise DomainError(
                _("Houd elk expertiselabel korter dan %(n)d tekens.") % {"n": MAX_TAG_LENGTH}, field="expertise"
            )
        if tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise DomainError(_("Geef hoogstens %(n)d expertiselabels op.") % {"n": MAX_TAGS}, field="expertise")
    for name, value in (("age_min", data.age_min), ("age_max", data.age_max)):
        if value is not None and not 0 <= value <= 120:
            raise DomainError(_("Vul een leeftijd tussen 0 en 120 in."), field=name)
    if data.age_min is not None and data.age_max is not None and data.age_min > data.age_max:
        raise DomainError(_("De leeftijd 'tot en met' kan niet lager zijn dan 'vanaf'."), field="age_max")
    return EntryData(
        description=data.description.strip(),
        visiting_address=data.visiting_address.strip(),
        postcode=postcode,
        phone=data.phone.strip(),
        secure_email=data.secure_email.strip(),
        website=data.website.strip(),
        opening_hours=data.opening_hours.strip(),
        expertise=tags,
        age_min=data.age_min,
        age_max=data.age_max,
        is_public=data.is_public,
    )


def _require_entry_manager(actor: Actor, organisation: Organisation) -> None:
    if actor.user is None or not allows("network.edit_entry", actor.user, organisation):
        raise NotFoundError


def entry_update(
    *, actor: Actor, organisation: Organisation, expected_version: int, data: EntryData
) -> OrganisationEntry:
    """Create or change the sociale kaart entry of an organisation (version 0: there is none yet)."""
    _require_entry_manager(actor, organisation)
    clean = check_entry(data)
    with transaction.atomic():
        entry = OrganisationEntry.objects.filter(organisation=organisation).first()
        if entry is None:
            if expected_version != 0:
                raise ConflictError
            entry = OrganisationEntry(organisation=organisation, version=1)
            action = AuditAction.CREATE
        else:
            claim(OrganisationEntry.objects.all(), entry.pk, expected_version)
            entry.refresh_from_db()
            action = AuditAction.UPDATE
        for name, value in vars(clean).items():
            setattr(entry, name, value)
        entry.search_text = search_text_for(organisation, entry)
        entry.save()
        audit.record(actor=actor, action=action, object_type="organisation_entry", object_id=organisation.pk)
    return entry


def entry_confirm(*, actor: Actor, organisation: Organisation) -> OrganisationEntry:
    """Confirm that the entry is still right (creates an empty entry when there is none yet)."""
    _require_entry_manager(actor, organisation)
    with transaction.atomic():
        entry, _created = OrganisationEntry.objects.get_or_create(organisation=organisation)
        entry.last_confirmed_at = timezone.now()
        entry.confirmed_by = actor.user
        entry.search_text = search_text_for(organisation, entry)
        entry.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="organisation_entry",
            object_id=organisation.pk,
            details={"confirmed": True},
        )
    return entry


def _require_editor_manager(actor: Actor, organisation: Organisation) -> None:
    if (
        actor.user is None
        or not organisation.is_active
        or not allows("network.manage_entry_editors", actor.user, organisation)
    ):
        raise NotFoundError


def entry_editor_add(*, actor: Actor, organisation: Organisation, user_id: int) -> OrganisationEntry:
    """Designate an active member of the organisation as editor of its sociale kaart entry.

    Only a functioneel beheerder of the organisation (or of the gemeente organisation) may do this;
    the new editor is notified after the commit.
    """
    _require_editor_manager(actor, organisation)
    membership = (
        Membership.objects.filter(user_id=user_id, organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise DomainError(_("Kies een medewerker van deze organisatie."), field="user")
    with transaction.atomic():
        entry, _created = OrganisationEntry.objects.get_or_create(organisation=organisation)
        entry = OrganisationEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.editors.filter(pk=user_id).exists():
            raise DomainError(_("Deze medewerker mag de gegevens al bijwerken."), field="user")
        entry.editors.add(membership.user)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="organisation_entry",
            object_id=organisation.pk,
            details={"editor_added": user_id},
        )
        notification_send(
            recipients=[membership.user],
            kind="network_entry_editor",
            title=_("U mag nu de gegevens van %(organisation)s op de sociale kaart bijwerken")
            % {"organisation": organisation.name},
            body=_("Houd de gegevens actueel en bevestig ze als ze nog kloppen."),
            link=reverse("network:organisation", args=[organisation.pk]),
        )
    return entry


def entry_editor_remove(*, actor: Actor, organisation: Organisation, user_id: int) -> OrganisationEntry:
    """Take away a designated editor's right to change the organisation's entry."""
    _require_editor_manager(actor, organisation)
    with transaction.atomic():
        entry = OrganisationEntry.objects.select_for_update().filter(organisation=organisation).first()
        if entry is None or not entry.editors.filter(pk=user_id).exists():
            raise DomainError(_("Deze medewerker staat niet in de lijst van redacteuren."), field="user")
        entry.editors.remove(user_id)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="organisation_entry",
            object_id=organisation.pk,
            details={"editor_removed": user_id},
        )
    return entry
