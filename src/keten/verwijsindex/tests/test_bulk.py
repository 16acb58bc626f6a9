"""Bulk registration: the set-based service behind the API bulk endpoint.

A bulk call must leave the index as registering the same rows one by one would (the same young
people, parents, signals and matches), keep each row's own result, write nothing for bad rows and
use a number of statements that does not grow with the number of rows.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from keten.accounts.models import ApiClient, Organisation, OrganisationType, Role, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import is_valid_bsn
from keten.core.models import AuditEvent
from keten.notifications.models import Notification
from keten.testing.factories import OrganisationFactory, make_user
from keten.verwijsindex import services
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    Match,
    MatchKind,
    ParentKey,
    ParentLink,
    Signal,
    SignalRecord,
    SignalStatus,
    Youth,
)

TODAY = date(2026, 11, 24)
BSNS = [f"{n:09d}" for n in range(999_990_000, 999_999_999) if is_valid_bsn(f"{n:09d}")][:40]
Reg = Callable[..., services.Registration]


def _system(organisation: Organisation, name: str = "bron") -> Actor:
    client = ApiClient.objects.create(organisation=organisation, name=name, token_prefix=name, token_hash=name)
    return Actor(user=None, membership=None, api_client=client)


@pytest.fixture
def jgz(db: Any) -> Organisation:
    return OrganisationFactory(name="JGZ Bulk", type=OrganisationType.JGZ)


@pytest.fixture
def nurses(jgz: Organisation) -> list[User]:
    return [make_user(Role.PROFESSIONAL, jgz, username=f"nurse{i}") for i in range(4)]


def _state() -> dict[str, Any]:
    """The index in terms that do not depend on ids: young people by key, signals by professional."""

    def youth(pk: int) -> str:
        found = Youth.objects.get(pk=pk)
        return found.bsn_key or f"name:{found.name_birth_key}"

    signals = {s.pk: (youth(s.youth_id), s.professional_id) for s in Signal.objects.filter(status=SignalStatus.ACTIEF)}
    matches = set()
    for match in Match.objects.filter(status__in=LIVE_STATUSES).prefetch_related("participants"):
        key = youth(match.youth_id) if match.kind == MatchKind.CLIENT else ParentKey.objects.get(pk=match.parent_id).key
        members = frozenset(signals[p.signal_id] for p in match.participants.all())
        coordinator = signals.get(match.coordinator_id) if match.coordinator_id else None
        matches.add((match.kind, key, members, coordinator, match.cross_municipality))
    return {
        "youths": sorted(youth(y.pk) for y in Youth.objects.all()),
        "parents": sorted(ParentKey.objects.values_list("key", flat=True)),
        "links": sorted((youth(y), p) for y, p in ParentLink.objects.values_list("youth_id", "parent__key")),
        "signals": sorted(signals.values()),
        "matches": matches,
    }


def _scenario(registration: Reg, professionals: list[User]) -> list[services.Registration]:
    a, b, c, d = (u.pk for u in professionals)
    child, sibling, cousin, other = BSNS[0], BSNS[1], BSNS[2], BSNS[3]
    mother, father, aunt = BSNS[10], BSNS[11], BSNS[12]
    return [
        registration(bsn=child, parent_bsns=[mother], professional_id=a),
        registration(bsn=child, parent_bsns=[mother, father], professional_id=b),  # client match, new parent
        registration(bsn=sibling, first_name="Sem", parent_bsns=[father], professional_id=c),  # family match
        registration(bsn=cousin, first_name="Lot", parent_bsns=[aunt], professional_id=a),  # no match yet
        registration(bsn=child, professional_id=c),  # joins the client match
        registration(bsn=other, first_name="Bo", professional_id=d),
        registration(bsn="", first_name="Zonder", last_name="Nummer", parent_bsns=[aunt], professional_id=d),
        registration(bsn=sibling, first_name="Sem", professional_id=d),  # second client match
    ]


def test_a_bulk_call_leaves_the_index_as_one_by_one_registration(
    jgz: Organisation, nurses: list[User], registration: Reg
) -> None:
    actor = _system(jgz)
    rows = _scenario(registration, nurses)
    with transaction.atomic():
        for row in rows:
            services.signal_register(actor=actor, data=row, today=TODAY)
        one_by_one = _state()
        transaction.set_rollback(True)
    assert not Signal.objects.exists()
    outcomes = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
    assert [o.status for o in outcomes] == ["created"] * len(rows)
    assert _state() == one_by_one
    assert len(one_by_one["matches"]) == 4  # two client matches, a family match by father and by aunt
    # Each row answers with the live matches its signal is in.
    child_match = Match.objects.get(kind=MatchKind.CLIENT, youth__bsn_key=services.youth_key(BSNS[0]))
    assert child_match in outcomes[4].matches
    assert SignalRecord.objects.count() == len(rows)
    # Written in bulk, the encrypted fields read back as registered.
    plain = outcomes[6].signal
    assert plain is not None
    assert SignalRecord.objects.get(signal=plain).risk_categories == ["c"]
    young = Youth.objects.get(pk=plain.youth_id)
    assert (young.display_name, young.date_of_birth) == ("Zonder Nummer", date(2014, 3, 2))
    # Every registration audited, in an intact chain.
    created = {str(o.signal.pk) for o in outcomes if o.signal is not None}
    assert set(AuditEvent.objects.filter(object_type="vi.signal").values_list("object_id", flat=True)) == created
    assert audit.verify_chain().ok


def test_bad_rows_change_nothing_and_good_rows_are_kept(
    jgz: Organisation, nurses: list[User], registration: Reg
) -> None:
    actor = _system(jgz)
    a, b = nurses[0].pk, nurses[1].pk
    stranger = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders", type=OrganisationType.JGZ))
    services.signal_register(actor=actor, data=registration(bsn=BSNS[5], professional_id=a), today=TODAY)
    services.signal_register(
        actor=actor,
        data=registration(bsn="", first_name="Al", last_name="Bekend", professional_id=a),
        today=TODAY,
    )
    youths, parents = Youth.objects.count(), ParentKey.objects.count()
    rows = [
        registration(bsn=BSNS[0], parent_bsns=[BSNS[10]], professional_id=a),  # good
        registration(bsn="123456789", parent_bsns=[BSNS[11]], professional_id=a),  # elfproef
        registration(bsn=BSNS[1], parent_bsns=[BSNS[12]], professional_id=stranger.pk),  # other organisation
        registration(bsn=BSNS[1], parent_bsns=[BSNS[13]], professional_id=None),  # no professional
        registration(bsn=BSNS[5], parent_bsns=[BSNS[14]], professional_id=a),  # second signal, same nurse
        registration(bsn=BSNS[0], parent_bsns=[BSNS[15]], professional_id=a),  # same nurse twice in the call
        registration(bsn="", first_name="Al", last_name="Bekend", parent_bsns=[BSNS[16]], professional_id=b),
        registration(bsn="", first_name="Al", last_name="Bekend", professional_id=b, confirm_same_youth=True),
        registration(bsn="", first_name="Nieuw", last_name="Kind", professional_id=a),  # good, new youth
        registration(bsn="", first_name="Nieuw", last_name="Kind", professional_id=b),  # as if sent later: ask
        registration(bsn="", first_name="Nieuw", last_name="Kind", professional_id=b, confirm_new_youth=True),
    ]
    outcomes = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
    statuses = [(o.status, o.error.field if o.error else None) for o in outcomes]
    assert statuses == [
        ("created", None),
        ("error", "bsn"),
        ("error", "professional"),
        ("error", "professional"),
        ("error", "identity"),
        ("error", "identity"),
        ("error", "identity"),
        ("created", None),
        ("created", None),
        ("error", "identity"),
        ("created", None),
    ]
    assert isinstance(outcomes[6].error, services.IdentityConfirmationError)
    assert isinstance(outcomes[9].error, services.IdentityConfirmationError)
    assert len(outcomes[9].error.candidates) == 1
    # Only the good rows wrote: BSNS[0] and its parent, two new young people without BSN.
    assert Youth.objects.count() == youths + 3
    assert ParentKey.objects.count() == parents + 1
    assert list(ParentKey.objects.values_list("key", flat=True)) == [services.parent_key(BSNS[10])]
    assert ParentLink.objects.count() == 1
    assert Signal.objects.count() == 2 + 4
    # The confirmed same young person made a client match with the earlier signal.
    assert [m.kind for m in outcomes[7].matches] == [MatchKind.CLIENT]


def test_idempotency_keys_per_row(jgz: Organisation, nurses: list[User], registration: Reg) -> None:
    actor = _system(jgz)
    a, b = nurses[0].pk, nurses[1].pk
    rows = [
        registration(bsn=BSNS[0], professional_id=a, idempotency_key="k-1"),
        registration(bsn=BSNS[1], professional_id=b, idempotency_key="k-2"),
        registration(bsn=BSNS[0], professional_id=a, idempotency_key="k-1"),  # the same row again
    ]
    first = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
    assert [o.status for o in first] == ["created", "created", "existing"]
    assert first[2].signal == first[0].signal
    again = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
    assert [o.status for o in again] == ["existing"] * 3
    assert [o.signal for o in again] == [first[0].signal, first[1].signal, first[0].signal]
    assert Signal.objects.count() == 2


def _family_rows(registration: Reg, professionals: list[User], offset: int, size: int) -> list[services.Registration]:
    rows = []
    for i in range(size):
        child = BSNS[offset + i]
        parent = BSNS[30 + (offset + i) % 5]
        for professional in professionals[:2]:
            rows.append(
                registration(bsn=child, first_name=f"K{i}", parent_bsns=[parent], professional_id=professional.pk)
            )
    return rows


def test_statements_do_not_grow_with_the_rows(jgz: Organisation, nurses: list[User], registration: Reg) -> None:
    actor = _system(jgz)
    with CaptureQueriesContext(connection) as small:
        services.signals_register_bulk(actor=actor, registrations=_family_rows(registration, nurses, 0, 2), today=TODAY)
    with CaptureQueriesContext(connection) as large:
        services.signals_register_bulk(
            actor=actor, registrations=_family_rows(registration, nurses, 5, 12), today=TODAY
        )
    assert Signal.objects.count() == 28
    assert len(large.captured_queries) <= len(small.captured_queries) + 2
    assert len(large.captured_queries) <= 30


def test_one_notification_per_match_and_recipient_one_mail_per_recipient(
    jgz: Organisation, nurses: list[User], registration: Reg, django_capture_on_commit_callbacks: Any
) -> None:
    actor = _system(jgz)
    rows = _family_rows(registration, nurses, 0, 3)  # three children, two nurses each, parents BSNS[30..32]
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
    assert all(o.status == "created" for o in outcomes)
    matches = Match.objects.filter(status__in=LIVE_STATUSES)
    assert matches.count() == 3  # a client match per child; the parents are all different
    notes = Notification.objects.filter(kind="verwijsindex.match")
    assert notes.count() == 3 * 2
    assert len(set(notes.values_list("recipient_id", "link"))) == notes.count()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in nurses[:2])


@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_calls_and_single_registrations_make_exact_matches(registration: Reg) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    import threading

    from django.db import connections

    from keten.core.actor import actor_for_user

    organisation = OrganisationFactory(name="JGZ Parallel Bulk", type=OrganisationType.JGZ)
    users = [make_user(Role.PROFESSIONAL, organisation) for _ in range(8)]
    actor = _system(organisation)
    child, sibling, parent = BSNS[0], BSNS[1], BSNS[10]
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def bulk(professionals: list[User]) -> None:
        try:
            rows = [
                registration(bsn=bsn, first_name=bsn, parent_bsns=[parent], professional_id=p.pk)
                for p in professionals
                for bsn in (child, sibling)
            ]
            barrier.wait()
            outcomes = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
            assert all(o.status == "created" for o in outcomes), [o.error for o in outcomes]
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def single(user: User) -> None:
        try:
            barrier.wait()
            services.signal_register(
                actor=actor_for_user(User.objects.get(pk=user.pk)),
                data=registration(bsn=child, first_name=child, parent_bsns=[parent]),
                today=TODAY,
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=bulk, args=(users[0:3],)),
        threading.Thread(target=bulk, args=(users[3:6],)),
        threading.Thread(target=single, args=(users[6],)),
        threading.Thread(target=single, args=(users[7],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Youth.objects.count() == 2
    assert ParentKey.objects.count() == 1
    assert Signal.objects.filter(status=SignalStatus.ACTIEF).count() == 6 * 2 + 2
    client = Match.objects.get(kind=MatchKind.CLIENT, youth__bsn_key=services.youth_key(child))
    assert client.participants.count() == 8
    assert (
        Match.objects.get(kind=MatchKind.CLIENT, youth__bsn_key=services.youth_key(sibling)).participants.count() == 6
    )
    family = Match.objects.get(kind=MatchKind.FAMILY)
    assert family.participants.count() == 14
    assert Match.objects.count() == 3
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_bulk_calls_with_the_same_keys_make_each_signal_once(registration: Reg) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    import threading

    from django.db import connections

    organisation = OrganisationFactory(name="JGZ Same Keys", type=OrganisationType.JGZ)
    users = [make_user(Role.PROFESSIONAL, organisation) for _ in range(3)]
    actor = _system(organisation)
    rows = [
        registration(bsn=BSNS[i], first_name=f"K{i}", professional_id=u.pk, idempotency_key=f"key-{i}-{u.pk}")
        for i in range(3)
        for u in users
    ]
    barrier = threading.Barrier(2)
    answers: list[list[str]] = []
    errors: list[BaseException] = []

    def call() -> None:
        try:
            barrier.wait()
            outcomes = services.signals_register_bulk(actor=actor, registrations=rows, today=TODAY)
            answers.append([o.status for o in outcomes])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=call) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(answers) == [["created"] * 9, ["existing"] * 9]
    assert Signal.objects.count() == 9
    assert Match.objects.filter(kind=MatchKind.CLIENT).count() == 3


def test_garbage_collection_is_paused_for_a_bulk_call_only() -> None:
    assert gc.isenabled()
    with services.gc_paused():
        assert not gc.isenabled()
        with services.gc_paused():  # nested: the outer one turns it back on
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), services.gc_paused():
        raise RuntimeError
    assert gc.isenabled()
