"""Overleg services: setting up an overleg by the municipality."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.overleg.models import (
    CaseRegistration,
)
from keten.overleg.tests.conftest import World
from keten.overleg.types import services as type_services
from keten.testing.factories import make_user

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


# --- set-up by the municipality -----------------------------------------------------------------


def test_municipality_sets_up_an_overleg(world: World, actor_of: ActorOf) -> None:
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, world.gemeente)
    data = type_services.OverlegTypeData(
        name="Wijk-casusoverleg Noord",
        kind="wijk",
        lead_organisation_id=world.wijkteam.pk,
        member_ids=[world.wijkteam.pk, world.politie.pk],
        chair_id=world.registrant.pk,
        weekdays=[3],
        start_time=dt.time(14, 0),
        privacy_basis="Toestemming van ouders per casus",
    )
    overleg = type_services.overleg_type_create(actor=actor_of(beheerder), data=data)
    assert set(overleg.members.all()) == {world.wijkteam, world.politie}
    step = type_services.process_step_add(actor=actor_of(beheerder), overleg_type=overleg, name="Signalering")
    assert step.order == 1
    with pytest.raises(NotFoundError):
        type_services.overleg_type_create(actor=actor_of(world.registrant), data=data)
    bad = type_services.OverlegTypeData(**{**data.__dict__, "privacy_basis": "", "weekdays": [9]})
    with pytest.raises(DomainError):
        type_services.overleg_type_create(actor=actor_of(beheerder), data=bad)
    updated = type_services.overleg_type_update(
        actor=actor_of(beheerder),
        overleg_type=overleg,
        data=type_services.OverlegTypeData(**{**data.__dict__, "weekdays": [2, 4]}),
        expected_version=1,
    )
    assert updated.weekdays == [2, 4]
    with pytest.raises(ConflictError):
        type_services.overleg_type_update(
            actor=actor_of(beheerder), overleg_type=overleg, data=data, expected_version=1
        )
