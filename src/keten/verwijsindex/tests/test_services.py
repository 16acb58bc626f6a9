"""Verwijsindex services: registration, matching, withdrawal, lifecycle and the rules around them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection

from keten.accounts.models import ApiClient, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, make_user
from keten.verwijsindex import selectors, services
from keten.verwijsindex.models import (
    IndexSettings,
    Match,
    MatchKind,
    MatchParticipant,
    MatchStatus,
    ParentKey,
    ParentLink,
    Regievoerder,
    Signal,
    SignalRecord,
    SignalStatus,
    Youth,
)

ActorOf = Callable[[User], Actor]
Reg = Callable[..., services.Registration]
TODAY = date(2026, 11, 24)


def _register(actor: Actor, reg: services.Registration) -> services.RegistrationResult:
    return services.signal_register(actor=actor, data=reg, today=TODAY)


def test_a_single_signal_makes_no_match(jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> None:
    result = _register(actor_of(jgz_nurse), registration())
    assert result.created
    assert result.matches == []
    signal = result.signal
    assert signal.status == SignalStatus.ACTIEF
    assert signal.active_until == date(2028, 11, 23)
    assert SignalRecord.objects.get(signal=signal).risk_categories == ["c"]
    assert AuditEvent.objects.filter(object_type="vi.signal", object_id=str(signal.pk)).exists()


def test_second_professional_makes_a_client_match_with_a_proposed_coordinator(
    jgz_nurse: User, teacher: User, wijkteam_worker: User, actor_of: ActorOf, registration: Reg
) -> None:
    _register(actor_of(teacher), registration())
    result = _register(actor_of(jgz_nurse), registration())
    assert len(result.matches) == 1
    match = result.matches[0]
    assert match.kind == MatchKind.CLIENT
    assert match.status == MatchStatus.OPEN
    # School is never proposed as coordinator; JGZ is.
    assert match.coordinator.professional == jgz_nurse
    assert {n.recipient for n in Notification.objects.filter(kind="verwijsindex.match")} == {teacher, jgz_nurse}
    # A third professional joins the same match; the wijkteam does not take over an existing proposal.
    third = _register(actor_of(wijkteam_worker), registration())
    assert third.matches == [match]
    assert MatchParticipant.objects.filter(match=match).count() == 3
    assert Match.objects.count() == 1


def test_family_match_through_a_shared_parent(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    _register(actor_of(teacher), registration(bsn="999994669", parent_bsns=["999990019"]))
    result = _register(
        actor_of(jgz_nurse), registration(bsn="999992740", first_name="Sem", parent_bsns=["999990019", "999990925"])
    )
    assert [m.kind for m in result.matches] == [MatchKind.FAMILY]
    assert ParentKey.objects.count() == 2
    assert ParentLink.objects.count() == 3


def test_without_bsn_a_same_name_match_needs_a_human(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    _register(actor_of(teacher), registration(bsn=""))
    with pytest.raises(services.IdentityConfirmationError) as err:
        _register(actor_of(jgz_nurse), registration(bsn=""))
    assert err.value.status_code == 409
    assert Signal.objects.count() == 1
    youth_id = err.value.candidates[0]
    result = _register(actor_of(jgz_nurse), registration(bsn="", confirm_youth_id=youth_id))
    assert len(result.matches) == 1
    # Choosing "someone else" creates a new young person, and no match.
    other = make_user(Role.PROFESSIONAL, OrganisationFactory(name="GGZ X", type=OrganisationType.GGZ))
    result = _register(actor_of(other), registration(bsn="", confirm_new_youth=True))
    assert result.matches == []
    assert Youth.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bsn": "123456789"}, "bsn"),
        ({"date_of_birth": date(2003, 1, 1)}, "date_of_birth"),
        ({"date_of_birth": date(2027, 1, 1)}, "date_of_birth"),
        ({"criteria_confirmed": False}, "criteria"),
        ({"risk_categories": ["z"]}, "risk_categories"),
        ({"parents_informed_on": None}, "notice"),
        ({"parents_informed_on": None, "notice_postponed": True, "postpone_motivation": "kort"}, "postpone_motivation"),
        ({"parent_bsns": ["123456789"]}, "parent_bsns"),
        ({"first_name": ""}, "last_name"),
    ],
)
def test_bad_input_writes_nothing(
    jgz_nurse: User, actor_of: ActorOf, registration: Reg, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as err:
        _register(actor_of(jgz_nurse), registration(**overrides))
    assert err.value.field == field
    assert not Signal.objects.exists()
    assert not Youth.objects.exists()


def test_postponed_notice_is_kept_and_reminded(jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> None:
    reg = registration(
        parents_informed_on=None,
        youth_informed_on=None,
        notice_postponed=True,
        postpone_motivation="Informeren brengt het kind nu in gevaar.",
    )
    signal = _register(actor_of(jgz_nurse), reg).signal
    record = SignalRecord.objects.get(signal=signal)
    assert record.remind_on == TODAY + timedelta(days=14)
    assert services.alerts_run(today=TODAY + timedelta(days=15))["reminders"] == 1
    assert services.alerts_run(today=TODAY + timedelta(days=16))["reminders"] == 0


def test_unauthorised_organisation_and_duplicate(jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> None:
    sports = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Sportclub", type=OrganisationType.SPORT))
    with pytest.raises(services.NotAuthorisedError) as err:
        _register(actor_of(sports), registration())
    assert err.value.status_code == 403
    _register(actor_of(jgz_nurse), registration())
    with pytest.raises(DomainError, match="al een actief signaal"):
        _register(actor_of(jgz_nurse), registration())
    assert Signal.objects.count() == 1


def test_municipality_can_narrow_who_registers_and_the_period(
    jgz_nurse: User, actor_of: ActorOf, registration: Reg
) -> None:
    municipality = jgz_nurse.active_membership.organisation.municipality
    IndexSettings.objects.create(municipality=municipality, active_months=12, registering_types=["jgz"])
    signal = _register(actor_of(jgz_nurse), registration()).signal
    assert signal.active_until == date(2027, 11, 23)
    teacher = make_user(Role.PROFESSIONAL, OrganisationFactory(name="School Y", type=OrganisationType.ONDERWIJS))
    with pytest.raises(services.NotAuthorisedError):
        _register(actor_of(teacher), registration())


def test_signal_ends_before_the_23rd_birthday(jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> None:
    signal = _register(actor_of(jgz_nurse), registration(date_of_birth=date(2004, 2, 1))).signal
    assert signal.active_until == date(2027, 1, 31)


def test_withdraw_own_signal_ends_the_match(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    first = _register(actor_of(teacher), registration()).signal
    match = _register(actor_of(jgz_nurse), registration()).matches[0]
    with pytest.raises(NotFoundError):
        services.signal_withdraw(actor=actor_of(jgz_nurse), signal_id=first.pk, today=TODAY)
    services.signal_withdraw(actor=actor_of(teacher), signal_id=first.pk, today=TODAY)
    first.refresh_from_db()
    assert first.status == SignalStatus.GEARCHIVEERD
    assert first.archive_until == date(2031, 11, 24)
    match.refresh_from_db()
    assert match.status == MatchStatus.BEEINDIGD
    # Archived signals do not match: a new registration finds only the history.
    third = make_user(Role.PROFESSIONAL, OrganisationFactory(name="GGZ Y", type=OrganisationType.GGZ))
    result = _register(actor_of(third), registration())
    assert len(result.matches) == 1  # with the nurse's still active signal
    assert result.history == 1


def test_history_lookup_is_audited_with_reason(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    first = _register(actor_of(teacher), registration()).signal
    services.signal_withdraw(actor=actor_of(teacher), signal_id=first.pk, today=TODAY)
    mine = _register(actor_of(jgz_nurse), registration()).signal
    with pytest.raises(DomainError):
        selectors.youth_history(actor=actor_of(jgz_nurse), signal_id=mine.pk, reason="")
    rows = selectors.youth_history(actor=actor_of(jgz_nurse), signal_id=mine.pk, reason="Voorbereiding van het gesprek")
    assert rows == [first]
    assert AuditEvent.objects.filter(object_type="vi.history", reason="Voorbereiding van het gesprek").exists()
    with pytest.raises(NotFoundError):
        selectors.youth_history(actor=actor_of(teacher), signal_id=mine.pk, reason="Even kijken wat er is")


def test_match_visible_to_participants_and_regievoerder_only(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    _register(actor_of(teacher), registration())
    match = _register(actor_of(jgz_nurse), registration()).matches[0]
    view = selectors.match_get(actor=actor_of(teacher), match_id=match.pk)
    assert {p.signal.professional for p in view.participants} == {teacher, jgz_nurse}
    outsider = make_user(Role.PROFESSIONAL, jgz_nurse.active_membership.organisation)
    with pytest.raises(NotFoundError):
        selectors.match_get(actor=actor_of(outsider), match_id=match.pk)
    for role in (Role.BELEIDSMEDEWERKER, Role.FUNCTIONEEL_BEHEERDER, Role.AANDACHTSFUNCTIONARIS):
        with pytest.raises(NotFoundError):
            selectors.match_get(
                actor=actor_of(make_user(role, outsider.active_membership.organisation)), match_id=match.pk
            )
    regie = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Gemeente T", type=OrganisationType.GEMEENTE))
    Regievoerder.objects.create(user=regie, municipality=regie.active_membership.organisation.municipality)
    assert selectors.match_get(actor=actor_of(regie), match_id=match.pk).my_signal is None


def test_match_follow_up_and_overdue_alert(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    _register(actor_of(teacher), registration())
    match = _register(actor_of(jgz_nurse), registration()).matches[0]
    regie = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Gemeente R", type=OrganisationType.GEMEENTE))
    Regievoerder.objects.create(user=regie, municipality=regie.active_membership.organisation.municipality)
    late = match.contact_due + timedelta(days=1)
    assert services.alerts_run(today=late)["alerted"] == 1
    assert services.alerts_run(today=late)["alerted"] == 0
    assert Notification.objects.filter(recipient=regie, kind="verwijsindex.overdue").count() == 1
    overview = selectors.regie_overview(actor=actor_of(regie), today=late)
    assert overview.overdue == [match]
    # The coordinator (JGZ) invites; the teacher may not.
    with pytest.raises(DomainError, match="coördinator"):
        services.match_invite(actor=actor_of(teacher), match=match, proposed_on=date.today() + timedelta(days=3))
    services.match_invite(actor=actor_of(jgz_nurse), match=match, proposed_on=date.today() + timedelta(days=3))
    assert Notification.objects.filter(recipient=teacher, kind="verwijsindex.invite").exists()
    services.match_record_contact(actor=actor_of(teacher), match=match)
    services.match_set_coordinator(actor=actor_of(teacher), match=match, signal_id=match.coordinator_id)
    services.match_record_coordinated(actor=actor_of(jgz_nurse), match=match)
    match.refresh_from_db()
    assert match.status == MatchStatus.AFGESTEMD
    assert match.coordinator_accepted
    assert [e.kind for e in match.events.all()] == ["uitnodiging", "contact", "coordinator", "afgestemd"]


def test_lifecycle_expires_ages_out_and_purges(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    _register(actor_of(teacher), registration())
    match = _register(actor_of(jgz_nurse), registration()).matches[0]
    older = _register(actor_of(jgz_nurse), registration(bsn="999992740", date_of_birth=date(2004, 1, 10))).signal
    # After two years the signals expire and the match ends.
    report = services.lifecycle_run(today=date(2028, 11, 24))
    assert report.expired == 2
    assert report.aged_out_youths == 1  # the older one turned 23 on 10 January 2027
    assert not Signal.objects.filter(pk=older.pk).exists()
    match.refresh_from_db()
    assert match.status == MatchStatus.BEEINDIGD
    assert Signal.objects.filter(status=SignalStatus.GEARCHIVEERD).count() == 2
    # Five years later the archive is destroyed, with the young person.
    report = services.lifecycle_run(today=date(2033, 12, 1))
    assert report.archive_purged == 2
    assert not Youth.objects.exists()
    event = AuditEvent.objects.filter(object_type="vi.lifecycle").last()
    assert set(event.details) == {"expired", "aged_out_youths", "archive_purged", "matches_ended"}


def test_api_registration_is_idempotent(jgz_nurse: User, registration: Reg) -> None:
    client = ApiClient.objects.create(
        organisation=jgz_nurse.active_membership.organisation, name="Bron", token_prefix="p1", token_hash="h1"
    )
    actor = Actor(user=None, membership=None, api_client=client)
    reg = registration(professional_id=jgz_nurse.pk, idempotency_key="abc-1")
    first = _register(actor, reg)
    again = _register(actor, reg)
    assert first.created
    assert not again.created
    assert again.signal == first.signal
    with pytest.raises(DomainError):
        _register(actor, registration(professional_id=None, idempotency_key="abc-2"))


def test_index_tables_hold_no_bsn_risk_or_free_text(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    bsn, parent = "999994669", "999990019"
    _register(actor_of(teacher), registration(bsn=bsn, parent_bsns=[parent]))
    _register(
        actor_of(jgz_nurse),
        registration(
            bsn=bsn,
            risk_categories=["a", "k"],
            parents_informed_on=None,
            notice_postponed=True,
            postpone_motivation="Vader is gewelddadig, informeren is onveilig",
        ),
    )
    tables = [m._meta.db_table for m in (Youth, ParentKey, ParentLink, Signal, Match, MatchParticipant)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row)
                assert bsn not in text
                assert parent not in text
                assert "Noor" not in text  # names only encrypted
                assert "gewelddadig" not in text
            assert not {"risk", "risk_categories", "reason", "text", "motivation", "notes"} & set(columns)


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_on_one_child_make_exactly_one_match(registration: Reg) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    import threading

    from django.db import connections

    from keten.core.actor import actor_for_user

    users = [
        make_user(Role.PROFESSIONAL, OrganisationFactory(name=f"JGZ {i}", type=OrganisationType.JGZ)) for i in range(6)
    ]
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def worker(user: User) -> None:
        try:
            barrier.wait()
            actor = actor_for_user(User.objects.get(pk=user.pk))
            services.signal_register(actor=actor, data=registration(parent_bsns=["999990019"]), today=TODAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Youth.objects.count() == 1
    assert Signal.objects.filter(status=SignalStatus.ACTIEF).count() == 6
    match = Match.objects.get()
    assert match.participants.count() == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_on_siblings_make_one_family_match(registration: Reg) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    import threading

    from django.db import connections

    from keten.core.actor import actor_for_user

    users = [
        make_user(Role.PROFESSIONAL, OrganisationFactory(name=f"WT {i}", type=OrganisationType.WIJKTEAM))
        for i in range(2)
    ]
    bsns = ["999994669", "999992740"]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(user: User, bsn: str) -> None:
        try:
            barrier.wait()
            actor = actor_for_user(User.objects.get(pk=user.pk))
            services.signal_register(
                actor=actor, data=registration(bsn=bsn, first_name=bsn, parent_bsns=["999990019"]), today=TODAY
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(u, b)) for u, b in zip(users, bsns, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    match = Match.objects.get(kind=MatchKind.FAMILY)
    assert match.participants.count() == 2
