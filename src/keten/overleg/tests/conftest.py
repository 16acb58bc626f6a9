from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.dossiers.models import Dossier
from keten.overleg.models import (
    Attendance,
    CaseRegistration,
    Meeting,
    OverlegKind,
    OverlegType,
    ProcessStep,
)
from keten.overleg.registrations import services as registration_services
from keten.testing.factories import OrganisationFactory, make_dossier, make_user


@dataclass
class World:
    wijkteam: Organisation
    vt: Organisation
    politie: Organisation
    gemeente: Organisation
    registrant: User
    chair: User
    member: User
    outsider: User
    beleid: User
    overleg: OverlegType
    steps: list[ProcessStep]
    dossier: Dossier
    now_meeting: Meeting
    next_meeting: Meeting


def make_meeting(overleg: OverlegType, starts_at: dt.datetime, *attendees: User) -> Meeting:
    meeting = Meeting.objects.create(
        overleg_type=overleg,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=90),
        location="Stadhuis, zaal 2",
    )
    for user in attendees:
        membership = user.active_membership
        assert membership is not None
        Attendance.objects.create(meeting=meeting, user=user, organisation=membership.organisation)
    return meeting


@pytest.fixture
def world(professional: User, organisation: Organisation, dossier: Dossier) -> World:
    municipality = organisation.municipality
    vt = OrganisationFactory(name="Veilig Thuis Test", type=OrganisationType.VEILIG_THUIS, municipality=municipality)
    politie = OrganisationFactory(name="Politie Test", type=OrganisationType.POLITIE, municipality=municipality)
    gemeente = OrganisationFactory(name="Gemeente Test", type=OrganisationType.GEMEENTE, municipality=municipality)
    chair = make_user(Role.PROFESSIONAL, vt, username="voorzitter")
    member = make_user(Role.PROFESSIONAL, politie, username="agent")
    outsider = make_user(Role.PROFESSIONAL, politie, username="buiten")
    beleid = make_user(Role.BELEIDSMEDEWERKER, gemeente, username="beleid")
    overleg = OverlegType.objects.create(
        municipality=municipality,
        name="Afstemmingsoverleg straf–zorg",
        kind=OverlegKind.STRAF_ZORG,
        lead_organisation=vt,
        chair=chair,
        weekdays=[2, 4],
        start_time=dt.time(10, 0),
        duration_minutes=90,
        location="Zorg- en Veiligheidshuis",
        privacy_basis="Convenant Zorg- en Veiligheidshuis, artikel 4",
    )
    overleg.members.set([vt, politie, organisation])
    steps = [
        ProcessStep.objects.create(overleg_type=overleg, order=1, name="Signalering", criteria="Zorgen bij 2 partners"),
        ProcessStep.objects.create(overleg_type=overleg, order=2, name="Inzet hulp", criteria="Hulp loopt vast"),
        ProcessStep.objects.create(overleg_type=overleg, order=3, name="Monitoring", criteria="Veiligheid volgen"),
    ]
    now = timezone.now()
    now_meeting = make_meeting(overleg, now - dt.timedelta(minutes=10), chair, member)
    next_meeting = make_meeting(overleg, now + dt.timedelta(days=3), chair, member)
    return World(
        wijkteam=organisation,
        vt=vt,
        politie=politie,
        gemeente=gemeente,
        registrant=professional,
        chair=chair,
        member=member,
        outsider=outsider,
        beleid=beleid,
        overleg=overleg,
        steps=steps,
        dossier=dossier,
        now_meeting=now_meeting,
        next_meeting=next_meeting,
    )


def registration_data(world: World, **overrides: Any) -> registration_services.RegistrationData:
    values: dict[str, Any] = {
        "reason": "Zorgen over veiligheid van de kinderen na een incident.",
        "goal": "Afspraken over bescherming en hulp.",
        "process_step_id": world.steps[0].pk,
        "criteria": "Zorgen bij twee partners",
        "invited_organisation_ids": [world.politie.pk],
    }
    values.update(overrides)
    return registration_services.RegistrationData(**values)


@pytest.fixture
def register(world: World, actor_of: Callable[[User], Actor]) -> Callable[..., CaseRegistration]:
    def _register(dossier: Dossier | None = None, **overrides: Any) -> CaseRegistration:
        return registration_services.registration_create(
            actor=actor_of(world.registrant),
            overleg_type=world.overleg,
            dossier=dossier or world.dossier,
            data=registration_data(world, **overrides),
        )

    return _register


@pytest.fixture
def admitted(
    world: World, register: Callable[..., CaseRegistration], actor_of: Callable[[User], Actor]
) -> CaseRegistration:
    """A case admitted onto the meeting that is going on now."""
    registration = register()
    return registration_services.registration_admit(
        actor=actor_of(world.chair), registration=registration, meeting=world.now_meeting
    )


@pytest.fixture
def new_dossier(world: World) -> Callable[[], Dossier]:
    def _make() -> Dossier:
        return make_dossier(world.registrant)

    return _make
