"""Overleg services: registration, triage, meetings, agenda, discussion records and agreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.notifications.models import Notification
from keten.overleg.agreements import services as agreement_services
from keten.overleg.discussions import services as discussion_services
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaEvent,
    AgendaItem,
    AgendaSource,
    AgendaState,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    AppendOnlyError,
    Attendance,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
    MeetingStatus,
    OverlegType,
    ProcessStep,
    RegistrationStatus,
)
from keten.overleg.registrations import selectors as registration_selectors
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World, make_meeting, registration_data
from keten.overleg.types import services as type_services
from keten.testing.factories import make_user

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


def _item(registration: CaseRegistration, meeting: Meeting) -> AgendaItem:
    return AgendaItem.objects.select_related("meeting__overleg_type", "registration__overleg_type").get(
        registration=registration, meeting=meeting, state=AgendaState.ON_AGENDA
    )


def _agreement(world: World, actor_of: ActorOf, item: AgendaItem, **kw: object) -> Agreement:
    values: dict[str, object] = {
        "what": "Huisbezoek samen met de wijkagent",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "owner_user_id": world.member.pk,
    }
    values.update(kw)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)  # type: ignore[arg-type]


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


# --- agreements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"owner_user_id": None}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"due_on": dt.date(2020, 1, 1)}, "due_on"),
        ({"what": ""}, "what"),
    ],
)
def test_bad_agreement_input_is_refused(
    world: World, admitted: CaseRegistration, actor_of: ActorOf, kwargs: dict[str, object], field: str
) -> None:
    item = _item(admitted, world.now_meeting)
    with pytest.raises(DomainError) as exc:
        _agreement(world, actor_of, item, **kwargs)
    assert exc.value.field == field
    assert not Agreement.objects.exists()
    assert not AgreementVersion.objects.exists()


def test_an_agreement_owner_needs_a_case_role(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError) as exc:
        _agreement(world, actor_of, _item(admitted, world.now_meeting), owner_user_id=world.beleid.pk)
    assert exc.value.field == "owner"
    assert not Agreement.objects.exists()


def test_agreement_owned_by_an_organisation(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    agreement = _agreement(world, actor_of, item, owner_user_id=None, owner_organisation_id=world.politie.pk)
    assert agreement.owner_organisation == world.politie
    assert agreement.versions.get().kind == AgreementVersion.Kind.CREATED


def test_two_concurrent_edits_conflict(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    agreement = _agreement(world, actor_of, item)
    loaded = agreement.version
    agreement_services.agreement_update(
        actor=actor_of(world.member), agreement=agreement, expected_version=loaded, what="Huisbezoek volgende week"
    )
    with pytest.raises(ConflictError) as exc:
        agreement_services.agreement_update(
            actor=actor_of(world.chair),
            agreement=agreement,
            expected_version=loaded,
            due_on=timezone.localdate() + dt.timedelta(days=14),
        )
    assert "opnieuw" in exc.value.message
    agreement.refresh_from_db()
    assert agreement.what == "Huisbezoek volgende week"
    assert agreement.version == 2
    assert [v.kind for v in agreement.versions.order_by("version")] == ["created", "updated"]
    assert agreement.versions.get(version=2).fields == ["what"]


def test_update_without_version_and_into_the_past_is_refused(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted, world.now_meeting))
    with pytest.raises(DomainError):
        agreement_services.agreement_update(
            actor=actor_of(world.member), agreement=agreement, expected_version=None, what="x"
        )
    with pytest.raises(DomainError) as exc:
        agreement_services.agreement_update(
            actor=actor_of(world.member), agreement=agreement, expected_version=1, due_on=dt.date(2021, 1, 1)
        )
    assert exc.value.field == "due_on"
    assert agreement.versions.count() == 1


def test_owner_closes_with_a_result(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    agreement = _agreement(world, actor_of, _item(admitted, world.now_meeting))
    with pytest.raises(DomainError) as exc:
        agreement_services.agreement_close(
            actor=actor_of(world.member), agreement=agreement, expected_version=1, result=""
        )
    assert exc.value.field == "result"
    done = agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=agreement, expected_version=1, result="Huisbezoek gedaan, rustig."
    )
    assert done.status == AgreementStatus.DONE
    assert done.closed_at is not None
    assert [v.kind for v in done.versions.order_by("version")] == ["created", "done"]
    with pytest.raises(DomainError, match="afgerond"):
        agreement_services.agreement_update(
            actor=actor_of(world.member), agreement=done, expected_version=2, what="Nog iets"
        )


def test_someone_without_sight_of_the_case_cannot_touch_an_agreement(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted, world.now_meeting))
    with pytest.raises(NotFoundError):
        agreement_services.agreement_close(
            actor=actor_of(world.outsider), agreement=agreement, expected_version=1, result="Niet van mij"
        )
    with pytest.raises(NotFoundError):
        agreement_services.agreement_create(
            actor=actor_of(world.outsider),
            item=_item(admitted, world.now_meeting),
            what="Iets",
            due_on=timezone.localdate(),
            owner_user_id=world.outsider.pk,
        )


# --- meetings, agenda, carrying agreements ----------------------------------------------------


def test_holding_a_meeting_carries_open_agreements_to_the_next_agenda(
    world: World, admitted: CaseRegistration, register: Register, new_dossier: Callable, actor_of: ActorOf
) -> None:
    item = _item(admitted, world.now_meeting)
    open_one = _agreement(world, actor_of, item)
    closed_one = _agreement(world, actor_of, item, what="Gesprek met school")
    agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=closed_one, expected_version=1, result="Gedaan"
    )
    # A second case on the agenda whose only agreement is done does not come back.
    other = register(dossier=new_dossier())
    registration_services.registration_admit(actor=actor_of(world.chair), registration=other, meeting=world.now_meeting)
    other_agreement = _agreement(world, actor_of, _item(other, world.now_meeting), what="Melding bespreken")
    agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=other_agreement, expected_version=1, result="Besproken"
    )

    held = meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.now_meeting)
    assert held.meeting.status == MeetingStatus.HELD
    assert held.carried == 1
    follow_up = _item(admitted, world.next_meeting)
    assert follow_up.source == AgendaSource.FOLLOW_UP
    assert not AgendaItem.objects.filter(registration=other, meeting=world.next_meeting).exists()
    admitted.refresh_from_db()
    assert admitted.first_discussed_at == world.now_meeting.starts_at
    # Building the agenda again adds nothing.
    assert meeting_services.agenda_build(actor=actor_of(world.chair), meeting=world.next_meeting) == 0
    assert open_one.registration_id == admitted.pk
    with pytest.raises(DomainError):
        meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=held.meeting)


def test_a_meeting_that_has_not_started_cannot_be_held(world: World, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError, match="nog moet beginnen"):
        meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.next_meeting)


def test_cancelling_moves_cases_to_the_next_meeting(world: World, register: Register, actor_of: ActorOf) -> None:
    later = make_meeting(world.overleg, world.next_meeting.starts_at + dt.timedelta(days=2), world.chair)
    registration = register()
    registration_services.registration_admit(
        actor=actor_of(world.chair), registration=registration, meeting=world.next_meeting
    )
    with pytest.raises(DomainError):
        meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="")
    meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="Storing")
    old = AgendaItem.objects.get(meeting=world.next_meeting, registration=registration)
    assert old.state == AgendaState.REMOVED
    assert _item(registration, later).source == AgendaSource.TRIAGE
    assert Notification.objects.filter(kind="overleg.meeting_cancelled").count() == 2


def test_agenda_add_remove_keeps_history(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = meeting_services.agenda_item_add(
        actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted
    )
    with pytest.raises(DomainError, match="al op de agenda"):
        meeting_services.agenda_item_add(actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted)
    with pytest.raises(DomainError):
        meeting_services.agenda_item_remove(actor=actor_of(world.chair), item=item, reason="")
    meeting_services.agenda_item_remove(
        actor=actor_of(world.chair), item=item, reason="Besproken in andere bijeenkomst"
    )
    again = meeting_services.agenda_item_add(
        actor=actor_of(world.chair), meeting=world.next_meeting, registration=admitted
    )
    assert again.pk != item.pk
    assert list(AgendaEvent.objects.filter(item=item).values_list("kind", flat=True)) == ["added", "removed"]
    with pytest.raises(NotFoundError):
        meeting_services.agenda_item_add(
            actor=actor_of(world.member), meeting=world.next_meeting, registration=admitted
        )


def test_meetings_generate_from_the_recurrence(world: World) -> None:
    Meeting.objects.all().delete()
    tz = timezone.get_default_timezone()
    monday = dt.datetime(2026, 11, 23, 8, 0, tzinfo=tz)
    made = meeting_services.meetings_generate(overleg_type=world.overleg, weeks=2, now=monday)
    starts = list(Meeting.objects.order_by("starts_at").values_list("starts_at", flat=True))
    assert made == 4
    assert [timezone.localtime(s).date() for s in starts] == [
        dt.date(2026, 11, 24),
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 3),
    ]
    assert {timezone.localtime(s).isoweekday() for s in starts} == {2, 4}
    assert all(timezone.localtime(s).time() == dt.time(10, 0) for s in starts)
    assert meeting_services.meetings_generate(overleg_type=world.overleg, weeks=2, now=monday) == 0
    # A cancelled meeting is not made again.
    first = Meeting.objects.order_by("starts_at").first()
    assert first is not None
    Meeting.objects.filter(pk=first.pk).update(status=MeetingStatus.CANCELLED)
    assert meeting_services.meetings_generate(overleg_type=world.overleg, weeks=2, now=monday) == 0
    assert Meeting.objects.count() == 4


def test_generated_meetings_copy_the_attendance_list(world: World) -> None:
    made = meeting_services.meetings_generate(overleg_type=world.overleg, weeks=1)
    assert made >= 1
    newest = Meeting.objects.filter(generated=True).order_by("-starts_at").first()
    assert newest is not None
    assert set(Attendance.objects.filter(meeting=newest).values_list("user_id", flat=True)) == {
        world.chair.pk,
        world.member.pk,
    }


def test_attendance_and_absent_members_lose_sight(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    assert registration_selectors.registration_get(actor=actor_of(world.member), pk=admitted.pk)
    meeting_services.attendance_set(
        actor=actor_of(world.chair), meeting=world.now_meeting, user_id=world.member.pk, present=False
    )
    with pytest.raises(NotFoundError):
        registration_selectors.registration_get(actor=actor_of(world.member), pk=admitted.pk)
    row = meeting_services.attendance_set(
        actor=actor_of(world.chair), meeting=world.now_meeting, user_id=world.outsider.pk, present=True
    )
    assert row.organisation == world.politie
    assert registration_selectors.registration_get(actor=actor_of(world.outsider), pk=admitted.pk)
    with pytest.raises(DomainError):
        meeting_services.attendance_set(
            actor=actor_of(world.chair), meeting=world.next_meeting, user_id=world.outsider.pk, present=True
        )


def test_attendance_refuses_people_outside_the_overleg(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    """Issue 13, hole 4: only professionals (case role) of the overleg's organisations go on the list."""
    from keten.accounts.models import OrganisationType
    from keten.testing.factories import MunicipalityFactory, OrganisationFactory

    elders = OrganisationFactory(name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders"))
    huisarts = OrganisationFactory(
        name="Huisarts Test", type=OrganisationType.HUISARTS, municipality=world.wijkteam.municipality
    )
    refused = [
        make_user(Role.PROFESSIONAL, elders, username="elders"),
        make_user(Role.PROFESSIONAL, huisarts, username="dokter"),
        world.beleid,
    ]
    chair = actor_of(world.chair)
    for user in refused:
        for present in (None, True):
            with pytest.raises(DomainError) as exc:
                meeting_services.attendance_set(
                    actor=chair, meeting=world.now_meeting, user_id=user.pk, present=present
                )
            assert exc.value.field == "user"
        with pytest.raises(NotFoundError):
            registration_selectors.registration_get(actor=actor_of(user), pk=admitted.pk)
    # Naming an organisation that does not take part is refused as well.
    with pytest.raises(DomainError):
        meeting_services.attendance_set(
            actor=chair, meeting=world.now_meeting, user_id=world.outsider.pk, present=None, organisation_id=huisarts.pk
        )
    assert not Attendance.objects.filter(user__in=[*refused, world.outsider]).exists()


def test_a_new_meeting_copies_only_invited_participants(world: World, actor_of: ActorOf) -> None:
    # Someone put on the list earlier whose organisation no longer takes part is not copied.
    Attendance.objects.create(meeting=world.next_meeting, user=world.outsider, organisation=world.politie)
    world.overleg.members.remove(world.politie)
    meeting = meeting_services.meeting_create(
        actor=actor_of(world.beleid),
        overleg_type=world.overleg,
        starts_at=world.next_meeting.starts_at + dt.timedelta(days=7),
    )
    assert set(meeting.attendances.values_list("user_id", flat=True)) == {world.chair.pk}


# --- discussion ---------------------------------------------------------------------------------


def test_discussion_record_with_the_four_windows(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    with pytest.raises(DomainError) as exc:
        discussion_services.discussion_record(
            actor=actor_of(world.member), item=item, data=discussion_services.DiscussionData()
        )
    assert exc.value.field == "summary"
    entry = discussion_services.discussion_record(
        actor=actor_of(world.member),
        item=item,
        data=discussion_services.DiscussionData(
            mensen="Moeder, twee kinderen",
            feiten="Incident op 20-11",
            weging="Zorgelijk",
            volgende_stappen="Huisbezoek",
        ),
    )
    correction = discussion_services.discussion_record(
        actor=actor_of(world.chair),
        item=item,
        data=discussion_services.DiscussionData(feiten="Incident op 21-11", corrects_id=entry.pk),
    )
    assert correction.corrects == entry
    with pytest.raises(NotFoundError):
        discussion_services.discussion_record(
            actor=actor_of(world.outsider), item=item, data=discussion_services.DiscussionData(summary="Niet van mij")
        )
    admitted.refresh_from_db()
    assert admitted.first_discussed_at is not None


def test_history_rows_are_append_only(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    agreement = _agreement(world, actor_of, item)
    entry = discussion_services.discussion_record(
        actor=actor_of(world.member), item=item, data=discussion_services.DiscussionData(summary="Besproken")
    )
    version = agreement.versions.get()
    event = item.events.first()
    assert event is not None
    for obj in (entry, version, event):
        with pytest.raises(AppendOnlyError):
            obj.save()
        with pytest.raises(AppendOnlyError):
            obj.delete()
    with pytest.raises(AppendOnlyError):
        DiscussionEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AgreementVersion.objects.all().delete()


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


def test_extra_meeting_in_the_past_is_refused(world: World, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError) as exc:
        meeting_services.meeting_create(
            actor=actor_of(world.chair),
            overleg_type=world.overleg,
            starts_at=timezone.now() - dt.timedelta(days=1),
        )
    assert exc.value.field == "starts_at"
    meeting = meeting_services.meeting_create(
        actor=actor_of(world.chair), overleg_type=world.overleg, starts_at=timezone.now() + dt.timedelta(days=10)
    )
    assert meeting.location == world.overleg.location
    assert Attendance.objects.filter(meeting=meeting).count() == 2


def test_agenda_build_leaves_cases_scheduled_later_alone(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    _agreement(world, actor_of, _item(admitted, world.now_meeting))
    meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.now_meeting)
    later = make_meeting(world.overleg, world.next_meeting.starts_at + dt.timedelta(days=2), world.chair)
    # The case came back on the next meeting; moving it to a later one keeps it off the next.
    item = _item(admitted, world.next_meeting)
    meeting_services.agenda_item_remove(actor=actor_of(world.chair), item=item, reason="Schuift door naar donderdag")
    meeting_services.agenda_item_add(actor=actor_of(world.chair), meeting=later, registration=admitted)
    assert meeting_services.agenda_build(actor=actor_of(world.chair), meeting=world.next_meeting) == 0
    # The daily job builds the next agenda too (idempotently).
    meeting_services.meetings_generate(overleg_type=world.overleg, weeks=1)
    assert not AgendaItem.objects.filter(
        registration=admitted, meeting=world.next_meeting, state=AgendaState.ON_AGENDA
    ).exists()
