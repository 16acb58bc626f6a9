"""Writes of the postcode ranges that tie postcodes to the wijken of a municipality."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts.models import Municipality, Wijk
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.network.models import PostcodeRange


def _actor_municipality_id(actor: Actor) -> int:
    if actor.membership is None:
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def postcode_range_create(*, actor: Actor, wijk_id: int, start: int, end: int) -> PostcodeRange:
    """Add a postcode range to a wijk of the functioneel beheerder's municipality."""
    if actor.user is None or not allows("accounts.manage", actor.user):
        raise NotFoundError
    municipality_id = _actor_municipality_id(actor)
    wijk = Wijk.objects.filter(pk=wijk_id, municipality_id=municipality_id).first()
    if wijk is None:
        raise DomainError(_("Kies een wijk uit de lijst."), field="wijk")
    for name, value in (("start", start), ("end", end)):
        if not 1000 <= value <= 9999:
            raise DomainError(_("Een postcodenummer heeft vier cijfers: van 1000 tot en met 9999."), field=name)
    if start > end:
        raise DomainError(_("Het einde van het postcodegebied kan niet voor het begin liggen."), field="end")
    with transaction.atomic():
        # Serialise range changes of one municipality, so two overlapping ranges cannot both pass.
        Municipality.objects.select_for_update().filter(pk=municipality_id).first()
        overlap = (
            PostcodeRange.objects.filter(wijk__municipality_id=municipality_id, start__lte=end, end__gte=start)
            .select_related("wijk")
            .first()
        )
        if overlap is not None:
            raise DomainError(
                _("Dit postcodegebied overlapt met %(start)d–%(end)d van wijk %(wijk)s.")
                % {"start": overlap.start, "end": overlap.end, "wijk": overlap.wijk.name},
                field="start",
            )
        postcode_range = PostcodeRange.objects.create(wijk=wijk, start=start, end=end)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="postcode_range",
            object_id=postcode_range.pk,
            details={"wijk": wijk.pk, "start": start, "end": end},
        )
    return postcode_range


def postcode_range_delete(*, actor: Actor, postcode_range: PostcodeRange) -> None:
    """Remove a postcode range of a wijk of the functioneel beheerder's municipality."""
    if actor.user is None or not allows("accounts.manage", actor.user):
        raise NotFoundError
    municipality_id = _actor_municipality_id(actor)
    with transaction.atomic():
        locked = (
            PostcodeRange.objects.select_for_update()
            .filter(pk=postcode_range.pk, wijk__municipality_id=municipality_id)
            .select_related("wijk")
            .first()
        )
        if locked is None:
            raise NotFoundError
        details = {"wijk": locked.wijk_id, "start": locked.start, "end": locked.end}
        locked.delete()
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="postcode_range",
            object_id=postcode_range.pk,
            details=details,
        )
