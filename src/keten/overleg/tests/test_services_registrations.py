"""Overleg services: registering a case, the chair's triage, and the case leaving the overleg."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.notifications.models import Notification
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    AgendaState,
    CaseRegistration,
    Meeting,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World, registration_data

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


def _item(registration: CaseRegistration, meeting: Meeting) -> AgendaItem:
    return AgendaItem.objects.select_related("meeting__overleg_type", "registration__overleg_type").get(
        registration=registration, meeting=meeting, state=AgendaState.ON_AGENDA
    )


# --- registration -----------------------------------------------------------------------------


def test_register_a_case_notifies_the_chair_and_audits(world: World, register: Register) -> None:
    registration = register()
    assert registration.status == RegistrationStatus.AANGEMELD
    assert registration.reason.startswith("Zorgen")
    assert list(registration.invited_organisations.all()) == [world.politie]
    note = Notification.objects.get(kind="overleg.registration")
    assert note.recipient == world.chair
    assert "Zorgen" not in note.title + note.body  # no client details
    event = AuditEvent.objects.filter(object_type="overleg.registration").get()
    assert event.client_pseudonym == world.dossier.family.pseudonym
    assert event.action == "create"


def test_registering_a_dossier_the_professional_may_not_see_is_not_found(world: World, actor_of: ActorOf) -> None:
    with pytest.raises(NotFoundError):
        registration_services.registration_create(
            actor=actor_of(world.outsider),
            overleg_type=world.overleg,
            dossier=world.dossier,
            data=registration_data(world),
        )
    assert not CaseRegistration.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": "kort"}, "reason"),
        ({"goal": ""}, "goal"),
        ({"process_step_id": None}, "process_step"),
        ({"family_informed": False, "family_not_informed_reason": ""}, "family_not_informed_reason"),
        ({"invited_organisation_ids": [999999]}, "partners"),
    ],
)
def test_bad_registration_input_has_a_dutch_message_and_writes_nothing(
    world: World, register: Register, overrides: dict[str, object], field: str
) -> None:
    with pytest.raises(DomainError) as exc:
        register(**overrides)
    assert exc.value.field == field
    assert exc.value.message
    assert not CaseRegistration.objects.exists()


def test_family_not_informed_needs_a_reason(world: World, register: Register) -> None:
    registration = register(family_informed=False, family_not_informed_reason="Informeren brengt het kind in gevaar.")
    assert registration.family_informed is False
    assert registration.family_not_informed_reason.startswith("Informeren")


def test_a_process_step_of_another_overleg_is_refused(world: World, register: Register) -> None:
    other = ProcessStep.objects.create(
        overleg_type=OverlegType.objects.create(
            municipality=world.overleg.municipality,
            name="Wijkoverleg",
            kind="wijk",
            lead_organisation=world.wijkteam,
        ),
        order=1,
        name="Stap",
    )
    with pytest.raises(DomainError) as exc:
        register(process_step_id=other.pk)
    assert exc.value.field == "process_step"


def test_a_case_is_registered_once_while_open(world: World, register: Register) -> None:
    register()
    with pytest.raises(DomainError, match="al aangemeld"):
        register()
    assert CaseRegistration.objects.count() == 1


# --- triage -----------------------------------------------------------------------------------


def test_chair_admits_onto_an_upcoming_meeting_and_the_registrant_is_told(
    world: World, register: Register, actor_of: ActorOf
) -> None:
    registration = register()
    admitted = registration_services.registration_admit(
        actor=actor_of(world.chair),
        registration=registration,
        meeting=world.next_meeting,
        casusregisseur_id=world.registrant.pk,
        expected_version=registration.version,
    )
    assert admitted.status == RegistrationStatus.TOEGELATEN
    assert admitted.casusregisseur == world.registrant
    item = _item(admitted, world.next_meeting)
    assert item.source == AgendaSource.TRIAGE
    assert [e.kind for e in item.events.all()] == [AgendaEvent.Kind.ADDED]
    assert Notification.objects.filter(kind="overleg.admitted", recipient=world.registrant).count() == 1
    assert admitted.history.count() == 2  # type: ignore[attr-defined]


def test_only_the_chair_triages(world: World, register: Register, actor_of: ActorOf) -> None:
    registration = register()
    for user in (world.member, world.registrant, world.outsider, world.beleid):
        with pytest.raises(NotFoundError):
            registration_services.registration_admit(
                actor=actor_of(user), registration=registration, meeting=world.next_meeting
            )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AANGEMELD


def test_scheduling_on_a_cancelled_meeting_is_refused(world: World, register: Register, actor_of: ActorOf) -> None:
    registration = register()
    meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="Feestdag")
    world.next_meeting.refresh_from_db()
    with pytest.raises(DomainError, match="afgelast") as exc:
        registration_services.registration_admit(
            actor=actor_of(world.chair), registration=registration, meeting=world.next_meeting
        )
    assert exc.value.field == "meeting"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AANGEMELD
    assert not AgendaItem.objects.exists()


def test_decline_needs_a_reason_and_notifies(world: World, register: Register, actor_of: ActorOf) -> None:
    registration = register()
    with pytest.raises(DomainError) as exc:
        registration_services.registration_decline(actor=actor_of(world.chair), registration=registration, reason="nee")
    assert exc.value.field == "reason"
    declined = registration_services.registration_decline(
        actor=actor_of(world.chair), registration=registration, reason="Past beter in het wijkoverleg."
    )
    assert declined.status == RegistrationStatus.AFGEWEZEN
    assert Notification.objects.filter(kind="overleg.declined", recipient=world.registrant).count() == 1
    with pytest.raises(DomainError, match="al beoordeeld"):
        registration_services.registration_decline(
            actor=actor_of(world.chair), registration=registration, reason="Nogmaals afgewezen hier."
        )


def test_stale_triage_is_a_conflict(world: World, register: Register, actor_of: ActorOf) -> None:
    registration = register()
    CaseRegistration.objects.filter(pk=registration.pk).update(version=5)
    with pytest.raises(ConflictError):
        registration_services.registration_admit(
            actor=actor_of(world.chair), registration=registration, meeting=world.next_meeting, expected_version=1
        )
    assert not AgendaItem.objects.exists()


# --- leaving the overleg ----------------------------------------------------------------------


def test_case_leaves_with_reason_and_follow_up(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    meeting_services.agenda_item_add(actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted)
    with pytest.raises(DomainError) as exc:
        registration_services.registration_close(
            actor=actor_of(world.chair), registration=admitted, reason="klaar", follow_up=""
        )
    assert exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        registration_services.registration_close(
            actor=actor_of(world.chair), registration=admitted, reason="Veiligheid is hersteld.", follow_up=""
        )
    assert exc.value.field == "follow_up"
    with pytest.raises(NotFoundError):
        registration_services.registration_close(
            actor=actor_of(world.member),
            registration=admitted,
            reason="Veiligheid is hersteld.",
            follow_up="Wijkteam blijft betrokken",
        )
    closed = registration_services.registration_close(
        actor=actor_of(world.chair),
        registration=admitted,
        reason="Veiligheid is hersteld.",
        follow_up="Wijkteam blijft betrokken",
        follow_up_organisation_id=world.wijkteam.pk,
    )
    assert closed.status == RegistrationStatus.AFGESLOTEN
    assert closed.follow_up_organisation == world.wijkteam
    assert not AgendaItem.objects.filter(
        registration=admitted, meeting=world.next_meeting, state=AgendaState.ON_AGENDA
    ).exists()
    assert Notification.objects.filter(kind="overleg.closed", recipient=world.registrant).exists()
