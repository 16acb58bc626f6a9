"""The rules of a municipality's verwijsindex (who registers, who is proposed as coordinator, how
long a signal runs) and its regievoerders, set by the municipality's functioneel beheerder.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from keten.accounts.models import Municipality, OrganisationType, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.verwijsindex.models import (
    IndexSettings,
    Regievoerder,
)

#: Used where a municipality has not set its own rules.
DEFAULT_REGISTERING_TYPES = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.ONDERWIJS,
    OrganisationType.KINDEROPVANG,
    OrganisationType.HUISARTS,
    OrganisationType.VEILIG_THUIS,
    OrganisationType.POLITIE,
    OrganisationType.RVDK,
    OrganisationType.GI,
    OrganisationType.JEUGDHULP,
    OrganisationType.GGZ,
    OrganisationType.VERSLAVINGSZORG,
    OrganisationType.SCHULDHULP,
    OrganisationType.WELZIJN,
]


DEFAULT_COORDINATOR_PREFERENCE = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JEUGDHULP,
    OrganisationType.GI,
    OrganisationType.JGZ,
    OrganisationType.GGZ,
    OrganisationType.WELZIJN,
    OrganisationType.VERSLAVINGSZORG,
    OrganisationType.HUISARTS,
    OrganisationType.VEILIG_THUIS,
]


DEFAULT_COORDINATOR_EXCLUDED = [OrganisationType.ONDERWIJS, OrganisationType.POLITIE, OrganisationType.KINDEROPVANG]


def settings_for(municipality_id: int) -> IndexSettings:
    found = IndexSettings.objects.filter(municipality_id=municipality_id).first()
    if found is not None:
        return found
    return IndexSettings(
        municipality_id=municipality_id,
        registering_types=list(DEFAULT_REGISTERING_TYPES),
        coordinator_preference=list(DEFAULT_COORDINATOR_PREFERENCE),
        coordinator_excluded=list(DEFAULT_COORDINATOR_EXCLUDED),
    )


#: How long a registering process remembers a municipality's rules (seconds).
SETTINGS_CACHE_SECONDS = 60.0


_rules_cache: dict[int, tuple[float, IndexSettings]] = {}


def rules_for(municipality_id: int) -> IndexSettings:
    """:func:`settings_for`, remembered per process for :data:`SETTINGS_CACHE_SECONDS` (registrations).

    Only a read made outside a transaction is remembered: inside one it could show a change of that
    same transaction that is rolled back later. A change saved through the model forgets the entry
    in this process at once; other processes follow within the minute.
    """
    now = time.monotonic()
    hit = _rules_cache.get(municipality_id)
    if hit is not None and hit[0] > now:
        return hit[1]
    rules = settings_for(municipality_id)
    if not connection.in_atomic_block:
        _rules_cache[municipality_id] = (now + SETTINGS_CACHE_SECONDS, rules)
    return rules


@receiver([post_save, post_delete], sender=IndexSettings, dispatch_uid="vi_forget_rules")
def _forget_rules(sender: Any, instance: IndexSettings, **kwargs: Any) -> None:
    _rules_cache.pop(instance.municipality_id, None)


def index_settings_update(*, actor: Actor, municipality: Municipality, **values: Any) -> IndexSettings:
    """The functioneel beheerder of the gemeente sets the municipality's verwijsindex rules."""
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    if actor.membership.organisation.municipality_id != municipality.pk:
        raise NotFoundError
    months = values.get("active_months", 24)
    if not 1 <= int(months) <= 24:
        raise DomainError(_("Kies een looptijd van 1 tot en met 24 maanden."), field="active_months")
    unknown = [t for t in values.get("registering_types", []) if t not in OrganisationType.values]
    if unknown:
        raise DomainError(_("Onbekende soort organisatie."), field="registering_types")
    with transaction.atomic():
        obj, _created = IndexSettings.objects.update_or_create(municipality=municipality, defaults=values)
        audit.record(actor=actor, action=AuditAction.UPDATE, object_type="vi.settings", object_id=municipality.pk)
    return obj


def _manager_municipality(actor: Actor) -> int:
    from keten.core.policy import allows

    if actor.user is None or actor.membership is None or not allows("verwijsindex.manage", actor.user):
        raise NotFoundError
    return int(actor.membership.organisation.municipality_id)


def regievoerder_add(*, actor: Actor, username: str) -> Regievoerder:
    """The functioneel beheerder of the gemeente designates a regievoerder (a member of an organisation there)."""
    municipality_id = _manager_municipality(actor)
    name = username.strip()
    user = (
        User.objects.filter(
            Q(username__iexact=name) | Q(email__iexact=name),
            is_active=True,
            memberships__is_active=True,
            memberships__organisation__municipality_id=municipality_id,
        )
        .distinct()
        .first()
        if name
        else None
    )
    if user is None:
        raise DomainError(
            _("Er is geen actieve medewerker met deze gebruikersnaam of dit e-mailadres in uw gemeente."),
            field="username",
        )
    if Regievoerder.objects.filter(municipality_id=municipality_id, user=user).exists():
        raise DomainError(_("Deze medewerker is al regievoerder."), field="username")
    with transaction.atomic():
        designation = Regievoerder.objects.create(municipality_id=municipality_id, user=user)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="vi.regievoerder",
            object_id=designation.pk,
            details={"user": user.pk},
        )
    return designation


def regievoerder_remove(*, actor: Actor, regievoerder_id: int) -> None:
    """End a regievoerder designation of the actor's municipality."""
    municipality_id = _manager_municipality(actor)
    with transaction.atomic():
        designation = (
            Regievoerder.objects.select_for_update().filter(pk=regievoerder_id, municipality_id=municipality_id).first()
        )
        if designation is None:
            raise NotFoundError
        user_id = designation.user_id
        designation.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="vi.regievoerder",
            object_id=regievoerder_id,
            details={"user": user_id},
        )
