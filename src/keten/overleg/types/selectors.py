"""Reads of the overleg set-up: the overleg types of the actor's municipality and their process steps
(set-up data, no client data)."""

from __future__ import annotations

from django.db.models import QuerySet

from keten.accounts.models import CASE_ROLES, User
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.overleg.models import (
    OverlegType,
    ProcessStep,
)
from keten.overleg.selectors import (
    acting_user,
    municipality_id_of,
)
from keten.sharing.models import Convenant


def overleg_types_for(*, actor: Actor, include_inactive: bool = False) -> QuerySet[OverlegType]:
    """The overleg types of the actor's municipality (set-up data, no client data)."""
    acting_user(actor)
    assert actor.membership is not None
    qs = OverlegType.objects.filter(municipality_id=actor.membership.organisation.municipality_id)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.select_related("lead_organisation", "chair", "convenant").order_by("name")


def overleg_type_get(*, actor: Actor, pk: int) -> OverlegType:
    overleg_type = overleg_types_for(actor=actor, include_inactive=True).filter(pk=pk).first()
    if overleg_type is None:
        raise NotFoundError
    return overleg_type


def process_steps(overleg_type: OverlegType) -> list[ProcessStep]:
    return list(overleg_type.steps.filter(is_active=True).order_by("order"))


def chair_candidates(*, actor: Actor, limit: int = 2000) -> QuerySet[User]:
    """Who may chair an overleg of the actor's municipality: active professionals with a case role."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=CASE_ROLES,
            memberships__organisation__municipality_id=municipality_id_of(actor),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")[:limit]
    )


def convenants_of(*, actor: Actor) -> QuerySet[Convenant]:
    """The convenanten of the actor's municipality (a basis for sharing within an overleg)."""
    return Convenant.objects.filter(municipality_id=municipality_id_of(actor)).order_by("title")
