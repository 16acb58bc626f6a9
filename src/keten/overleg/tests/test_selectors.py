"""Overleg reads: the permission matrix, fixed query counts, agreements dashboards and the figures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.core.models import AuditEvent
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.overleg.agreements import selectors as agreement_selectors
from keten.overleg.agreements import services as agreement_services
from keten.overleg.discussions import services as discussion_services
from keten.overleg.figures import selectors as figure_selectors
from keten.overleg.meetings import selectors as meeting_selectors
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import AgendaItem, AgendaState, Agreement, CaseRegistration, Meeting
from keten.overleg.registrations import selectors as registration_selectors
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World
from keten.testing.factories import make_user

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


def _item(registration: CaseRegistration, meeting: Meeting) -> AgendaItem:
    return AgendaItem.objects.select_related("meeting__overleg_type", "registration__overleg_type").get(
        registration=registration, meeting=meeting, state=AgendaState.ON_AGENDA
    )


def _agree(world: World, actor_of: ActorOf, item: AgendaItem, owner: User | None = None, **kw: object) -> Agreement:
    values: dict[str, object] = {
        "what": "Gesprek met de ouders",
        "due_on": timezone.localdate() + dt.timedelta(days=5),
        "owner_user_id": (owner or world.member).pk,
    }
    values.update(kw)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)  # type: ignore[arg-type]


# --- who sees a case --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "waiting", "admitted"),
    [
        ("registrant", True, True),
        ("chair", True, True),
        ("member", False, True),  # attendee of the meeting the case is on
        ("outsider", False, False),  # same organisation as the member, not on the list
        ("beleid", False, False),  # never client data
    ],
)
def test_permission_matrix_for_a_case(
    world: World, register: Register, actor_of: ActorOf, who: str, waiting: bool, admitted: bool
) -> None:
    registration = register()
    user = getattr(world, who)

    def sees() -> bool:
        try:
            registration_selectors.registration_get(actor=actor_of(user), pk=registration.pk)
        except NotFoundError:
            return False
        return True

    assert sees() is waiting
    assert allows("overleg.triage", user, registration) is (who == "chair")
    registration_services.registration_admit(
        actor=actor_of(world.chair), registration=registration, meeting=world.now_meeting
    )
    registration.refresh_from_db()
    assert sees() is admitted


def test_a_superuser_is_not_special(world: World, register: Register, actor_of: ActorOf) -> None:
    registration = register()
    admin = make_user(Role.FUNCTIONEEL_BEHEERDER, world.gemeente, is_superuser=True, is_staff=True)
    with pytest.raises(NotFoundError):
        registration_selectors.registration_get(actor=actor_of(admin), pk=registration.pk)
    assert agreement_selectors.my_agreements(actor=actor_of(admin)) == []


def test_reads_of_a_case_are_audited(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    before = AuditEvent.objects.filter(action="view").count()
    registration_selectors.registration_detail(actor=actor_of(world.member), pk=admitted.pk)
    event = AuditEvent.objects.filter(action="view").order_by("-id").first()
    assert event is not None
    assert AuditEvent.objects.filter(action="view").count() == before + 1
    assert event.client_pseudonym == world.dossier.family.pseudonym
    assert event.object_type == "overleg.registration"


def test_triage_queue_and_own_registrations(world: World, register: Register, actor_of: ActorOf) -> None:
    registration = register()
    assert registration_selectors.triage_queue(actor=actor_of(world.chair)) == [registration]
    assert registration_selectors.triage_queue(actor=actor_of(world.member)) == []
    assert registration_selectors.my_registrations(actor=actor_of(world.registrant)) == [registration]
    assert registration_selectors.my_registrations(actor=actor_of(world.chair)) == []
    assert list(registration_selectors.registrations_visible_to(actor_of(world.outsider))) == []
    assert list(registration_selectors.registrations_visible_to(actor_of(world.registrant))) == [registration]


def test_dossier_for_registration_follows_the_dossier_policy(world: World, actor_of: ActorOf) -> None:
    ref = world.dossier.reference
    assert (
        registration_selectors.dossier_for_registration(actor=actor_of(world.registrant), reference=ref)
        == world.dossier
    )
    for user in (world.outsider, world.chair, world.beleid):
        with pytest.raises(NotFoundError):
            registration_selectors.dossier_for_registration(actor=actor_of(user), reference=ref)
    with pytest.raises(NotFoundError):
        registration_selectors.dossier_for_registration(actor=actor_of(world.registrant), reference="D-NOPE")


# --- the meeting page -------------------------------------------------------------------------


def _fill_meeting(world: World, register: Register, actor_of: ActorOf, n: int) -> list[CaseRegistration]:
    from keten.testing.factories import make_dossier

    regs = []
    for _ in range(n):
        dossier: Dossier = make_dossier(world.registrant)
        reg = register(dossier=dossier)
        registration_services.registration_admit(
            actor=actor_of(world.chair), registration=reg, meeting=world.now_meeting
        )
        item = _item(reg, world.now_meeting)
        _agree(world, actor_of, item)
        _agree(world, actor_of, item, owner=None, owner_user_id=None, owner_organisation_id=world.politie.pk)
        discussion_services.discussion_record(
            actor=actor_of(world.member), item=item, data=discussion_services.DiscussionData(summary="Besproken")
        )
        regs.append(reg)
    return regs


def _admit_a_colleagues_case(world: World, actor_of: ActorOf) -> CaseRegistration:
    """Another professional's case on the agenda of the current meeting."""
    from keten.testing.factories import make_dossier

    other_prof = make_user(Role.PROFESSIONAL, world.wijkteam, username="collega")
    other = registration_services.registration_create(
        actor=actor_of(other_prof),
        overleg_type=world.overleg,
        dossier=make_dossier(other_prof),
        data=registration_services.RegistrationData(
            reason="Zorgen over de veiligheid thuis.", goal="Plan maken", process_step_id=world.steps[1].pk
        ),
    )
    registration_services.registration_admit(actor=actor_of(world.chair), registration=other, meeting=world.now_meeting)
    return other


def _count_queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_meeting_page_runs_a_fixed_number_of_queries(world: World, register: Register, actor_of: ActorOf) -> None:
    _fill_meeting(world, register, actor_of, 3)
    actor = actor_of(world.member)
    actor.user.active_membership  # noqa: B018 - warm the cached membership as a request would
    few = _count_queries(lambda: meeting_selectors.meeting_page(actor=actor, pk=world.now_meeting.pk))
    _fill_meeting(world, register, actor_of, 12)
    page = meeting_selectors.meeting_page(actor=actor, pk=world.now_meeting.pk)
    assert len(page.rows) == 15
    assert all(len(row.open_agreements) == 2 for row in page.rows)
    assert all(len(row.discussion) == 1 for row in page.rows)
    many = _count_queries(lambda: meeting_selectors.meeting_page(actor=actor, pk=world.now_meeting.pk))
    assert many == few
    assert many <= 8, many


def test_meeting_page_shows_a_non_attendee_only_their_own_case(
    world: World, register: Register, actor_of: ActorOf
) -> None:
    regs = _fill_meeting(world, register, actor_of, 2)
    _admit_a_colleagues_case(world, actor_of)
    page = meeting_selectors.meeting_page(actor=actor_of(world.registrant), pk=world.now_meeting.pk)
    assert {r.registration.pk for r in page.rows} == {r.pk for r in regs}
    assert page.hidden == 1
    assert not page.can_record
    attendee_page = meeting_selectors.meeting_page(actor=actor_of(world.member), pk=world.now_meeting.pk)
    assert len(attendee_page.rows) == 3
    assert attendee_page.can_record
    # Someone of a member organisation who is not on the list sees the meeting but no case.
    outsider_page = meeting_selectors.meeting_page(actor=actor_of(world.outsider), pk=world.now_meeting.pk)
    assert outsider_page.rows == []
    # Someone of no member organisation does not see the meeting at all.
    stranger = make_user(Role.PROFESSIONAL, username="vreemde")
    with pytest.raises(NotFoundError):
        meeting_selectors.meeting_page(actor=actor_of(stranger), pk=world.now_meeting.pk)


def test_meeting_agenda_shows_what_meeting_page_shows_in_a_fixed_number_of_queries(
    world: World, register: Register, actor_of: ActorOf
) -> None:
    """The page's lean rows: the same cases, agreements (owner names, due dates) and discussion
    counts as the full selector, the same audit events, and a query count that does not grow."""
    _fill_meeting(world, register, actor_of, 2)
    actor = actor_of(world.member)
    actor.user.active_membership  # noqa: B018 - warm the cached membership as a request would
    few = _count_queries(lambda: meeting_selectors.meeting_agenda(actor=actor, pk=world.now_meeting.pk))
    _fill_meeting(world, register, actor_of, 6)
    before = AuditEvent.objects.filter(object_type="overleg.meeting_case").count()
    agenda = meeting_selectors.meeting_agenda(actor=actor, pk=world.now_meeting.pk)
    assert AuditEvent.objects.filter(object_type="overleg.meeting_case").count() == before + 8
    full = meeting_selectors.meeting_page(actor=actor, pk=world.now_meeting.pk)
    assert [line.item_id for line in agenda.rows] == [row.item.pk for row in full.rows]
    for line, row in zip(agenda.rows, full.rows, strict=True):
        assert line.family_name == row.registration.dossier.family.name
        assert line.step_name == row.registration.process_step.name
        assert line.discussions == len(row.discussion) == 1
        assert [(a.pk, a.what, a.due_on) for a in line.open_agreements] == [
            (a.pk, a.what, a.due_on) for a in row.open_agreements
        ]
        owners = {a.owner for a in line.open_agreements}
        assert owners == {world.member.get_full_name(), world.politie.name}
    assert [(a.user_id, a.present) for a in agenda.attendances] == [(a.user_id, a.present) for a in full.attendances]
    assert (agenda.hidden, agenda.can_manage, agenda.can_record) == (full.hidden, full.can_manage, full.can_record)
    many = _count_queries(lambda: meeting_selectors.meeting_agenda(actor=actor, pk=world.now_meeting.pk))
    assert many == few
    assert many <= 9, many


def test_meeting_agenda_applies_the_same_visibility(world: World, register: Register, actor_of: ActorOf) -> None:
    regs = _fill_meeting(world, register, actor_of, 1)
    _admit_a_colleagues_case(world, actor_of)
    own = meeting_selectors.meeting_agenda(actor=actor_of(world.registrant), pk=world.now_meeting.pk)
    assert [line.registration_id for line in own.rows] == [regs[0].pk]
    assert own.hidden == 1
    assert not own.can_record
    assert meeting_selectors.meeting_agenda(actor=actor_of(world.outsider), pk=world.now_meeting.pk).rows == []
    stranger = make_user(Role.PROFESSIONAL, username="vreemde")
    with pytest.raises(NotFoundError):
        meeting_selectors.meeting_agenda(actor=actor_of(stranger), pk=world.now_meeting.pk)
    with pytest.raises(NotFoundError):
        meeting_selectors.meeting_agenda(actor=actor_of(world.member), pk=987654)


def test_agreement_line_shortens_long_agreements_as_truncatechars_does() -> None:
    from django.template.defaultfilters import truncatechars

    for text in ("kort", "x" * 120, "y" * 121, "Een lange afspraak " * 20):
        line = meeting_selectors.AgreementLine(pk=1, what=text, owner="", due_on=dt.date(2026, 1, 1))
        assert line.what_short == truncatechars(text, 120)


# --- agreements dashboards --------------------------------------------------------------------


def test_my_agreements_as_person_and_through_the_organisation(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    item = _item(admitted, world.now_meeting)
    mine = _agree(world, actor_of, item)
    ours = _agree(world, actor_of, item, owner_user_id=None, owner_organisation_id=world.politie.pk)
    theirs = _agree(world, actor_of, item, owner=world.registrant)
    assert agreement_selectors.my_agreements(actor=actor_of(world.member)) == [mine, ours]
    # The outsider works for the politie too: sees the organisation's agreement, not the case.
    assert agreement_selectors.my_agreements(actor=actor_of(world.outsider)) == [ours]
    assert agreement_selectors.agreement_get(actor=actor_of(world.outsider), pk=ours.pk) == ours
    with pytest.raises(NotFoundError):
        agreement_selectors.agreement_get(actor=actor_of(world.outsider), pk=mine.pk)
    assert agreement_selectors.my_agreements(actor=actor_of(world.registrant)) == [theirs]


def test_my_agreements_runs_a_fixed_number_of_queries(world: World, register: Register, actor_of: ActorOf) -> None:
    _fill_meeting(world, register, actor_of, 2)
    actor = actor_of(world.member)
    actor.user.active_membership  # noqa: B018
    few = _count_queries(lambda: agreement_selectors.my_agreements(actor=actor))
    _fill_meeting(world, register, actor_of, 6)
    assert len(agreement_selectors.my_agreements(actor=actor)) == 16
    assert _count_queries(lambda: agreement_selectors.my_agreements(actor=actor)) == few

    def shown() -> None:
        # What a list of agreements shows must not load deferred columns row by row.
        for a in agreement_selectors.my_agreements(actor=actor):
            values = [a.what, a.due_on, a.registration.overleg_type.name, a.registration.dossier.family.name]
            values += [a.registration.dossier.reference, a.agenda_item.meeting.starts_at if a.agenda_item else None]
            values.append(a.owner_user.get_full_name() if a.owner_user else a.owner_organisation.name)
            assert all(v is not None for v in values)

    assert _count_queries(shown) == few


def test_my_agreements_page_lines_match_the_agreements_in_a_fixed_number_of_queries(
    world: World, register: Register, actor_of: ActorOf
) -> None:
    _fill_meeting(world, register, actor_of, 2)
    actor = actor_of(world.member)
    actor.user.active_membership  # noqa: B018
    few = _count_queries(lambda: agreement_selectors.my_agreements_page(actor=actor, page_size=5))
    _fill_meeting(world, register, actor_of, 6)
    full = agreement_selectors.my_agreements(actor=actor)
    page = agreement_selectors.my_agreements_page(actor=actor, page_size=5, page=2)
    assert (page.total, page.number, page.overdue) == (16, 2, 0)
    expected = full[5:10]
    assert [line.pk for line in page.rows] == [a.pk for a in expected]
    for line, agreement in zip(page.rows, expected, strict=True):
        assert line.what == agreement.what
        assert line.family_name == agreement.registration.dossier.family.name
        assert line.overleg == agreement.registration.overleg_type.name
        owner = agreement.owner_user.get_full_name() if agreement.owner_user else agreement.owner_organisation.name
        assert line.owner == owner
        assert line.is_open
        assert line.status_display == "Open"
    event = AuditEvent.objects.filter(object_type="overleg.my_agreements").latest("id")
    assert event.details["registrations"] == sorted({a.registration_id for a in expected})
    assert _count_queries(lambda: agreement_selectors.my_agreements_page(actor=actor, page_size=5)) == few


def test_overdue_lines_for_the_chair_leave_out_own_agreements(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    item = _item(admitted, world.now_meeting)
    late = _agree(world, actor_of, item)
    own = _agree(world, actor_of, item, owner=world.chair)
    Agreement.objects.filter(pk__in=[late.pk, own.pk]).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    lines = agreement_selectors.overdue_agreement_lines(actor=actor_of(world.chair), others_only=True)
    assert [line.pk for line in lines] == [late.pk]
    assert agreement_selectors.overdue_agreement_lines(actor=actor_of(world.beleid)) == []


def test_overdue_agreements_for_owner_and_chair(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    late = _agree(world, actor_of, item)
    _agree(world, actor_of, item, what="Nog niet te laat")
    Agreement.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    assert agreement_selectors.overdue_agreements(actor=actor_of(world.member)) == [late]
    assert agreement_selectors.overdue_agreements(actor=actor_of(world.chair)) == [late]
    assert agreement_selectors.overdue_agreements(actor=actor_of(world.registrant)) == []


# --- municipality figures ---------------------------------------------------------------------


def test_municipality_aggregates_are_counts_only(world: World, register: Register, actor_of: ActorOf) -> None:
    regs = _fill_meeting(world, register, actor_of, 6)
    first = Agreement.objects.filter(registration=regs[0]).first()
    assert first is not None
    agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=first, expected_version=1, result="Gedaan"
    )
    meeting_services.meeting_hold(actor=actor_of(world.chair), meeting=world.now_meeting)
    with pytest.raises(NotFoundError):
        figure_selectors.municipality_aggregates(actor=actor_of(world.chair))
    figures = figure_selectors.municipality_aggregates(actor=actor_of(world.beleid))
    assert len(figures) == 1
    row = figures[0]
    assert row["registered"] == 6
    assert row["admitted"] == 6
    assert row["agreements_made"] == 12
    assert row["agreements_done_on_time"] is None  # 1: a small cell, hidden
    assert row["agreements_open"] == 11
    assert row["median_days_to_first_discussion"] is not None
    # 6 admitted = 6 at "Signalering" + 0 closed: showing the 6 would give the hidden 0 away.
    assert row["closed"] is None
    assert row["cases_per_step"] == [{"step": "Signalering", "open": None}]
    text = repr(figures)
    for reg in regs:
        assert reg.dossier.reference not in text
        assert reg.dossier.family.pseudonym not in text
        assert "Zorgen" not in text


def test_municipality_aggregates_hide_complementary_cells(world: World, register: Register, actor_of: ActorOf) -> None:
    """Admitted = cases per step + closed: a hidden 'closed' must not follow from the others."""
    from keten.overleg.models import RegistrationStatus

    regs = _fill_meeting(world, register, actor_of, 8)
    CaseRegistration.objects.filter(pk__in=[r.pk for r in regs[:2]]).update(status=RegistrationStatus.AFGESLOTEN)
    row = figure_selectors.municipality_aggregates(actor=actor_of(world.beleid))[0]
    assert row["registered"] == 8
    assert row["admitted"] == 8
    assert row["closed"] is None  # 2
    # 8 admitted - 6 at "Signalering" would give the 2 closed away: the step count is hidden as well.
    assert row["cases_per_step"] == [{"step": "Signalering", "open": None}]
    assert row["agreements_made"] == 16
    assert row["agreements_open"] == 16
