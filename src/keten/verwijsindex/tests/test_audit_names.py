"""Whom the audit events of the verwijsindex name: the young person's own random pseudonym (never a
database id) and, where Keten knows the family, the family's pseudonym (issue 13, hole 6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.models import AuditEvent, AuditEventClient
from keten.dossiers.models import Family
from keten.testing.factories import FamilyFactory, make_person
from keten.verwijsindex import selectors, services
from keten.verwijsindex.models import Signal, Youth

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]
Reg = Callable[..., services.Registration]
ClientFor = Callable[[User], Client]
TODAY = date(2026, 11, 20)
PSEUDONYM = re.compile(r"^J-[A-Z2-9]{12}$")


def _keten_family() -> Family:
    """A Keten family with the child the registrations are about (same name and date of birth)."""
    family = FamilyFactory(name="Gezin De Vries")
    make_person(family, first_name="Noor", last_name="de Vries", date_of_birth=date(2014, 3, 2))
    return family


def _listed(event: AuditEvent) -> set[str]:
    return set(AuditEventClient.objects.filter(event=event).values_list("pseudonym", flat=True))


def _register(actor: Actor, data: services.Registration) -> Signal:
    return services.signal_register(actor=actor, data=data, today=TODAY).signal


def test_a_young_person_has_a_random_pseudonym(jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> None:
    signal = _register(actor_of(jgz_nurse), registration())
    youth = Youth.objects.get(pk=signal.youth_id)
    assert PSEUDONYM.match(youth.pseudonym)
    assert str(youth) == youth.pseudonym
    other = _register(actor_of(jgz_nurse), registration(bsn="999992740", first_name="Sem"))
    assert Youth.objects.get(pk=other.youth_id).pseudonym != youth.pseudonym


def test_reads_name_the_young_person_and_the_keten_family(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg, client_for: ClientFor
) -> None:
    family = _keten_family()
    first = _register(actor_of(teacher), registration())
    services.signal_withdraw(actor=actor_of(teacher), signal_id=first.pk, today=TODAY)
    mine = _register(actor_of(jgz_nurse), registration())
    youth = Youth.objects.get(pk=mine.youth_id)
    selectors.youth_history(actor=actor_of(jgz_nurse), signal_id=mine.pk, reason="Voorbereiding van het gesprek")
    history = AuditEvent.objects.get(object_type="vi.history")
    assert history.client_pseudonym == youth.pseudonym
    assert _listed(history) == {youth.pseudonym, family.pseudonym}
    assert history.details["families"] == [family.pseudonym]
    client = client_for(jgz_nurse)
    for url in ("/verwijsindex/", f"/verwijsindex/signalen/{mine.pk}/"):
        before = AuditEvent.objects.count()
        assert client.get(url).status_code == 200
        event = AuditEvent.objects.filter(action="view").order_by("-id").first()
        assert event is not None
        assert AuditEvent.objects.count() == before + 1
        assert family.pseudonym in _listed(event)
    # No audit row of the index carries a young person's database id.
    ids = {f"J{mine.youth_id}", str(mine.youth_id)}
    assert not AuditEvent.objects.filter(client_pseudonym__in=ids).exists()
    assert not AuditEventClient.objects.filter(pseudonym__in=ids).exists()


def test_a_young_person_unknown_to_keten_is_named_by_the_index_pseudonym_alone(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    _keten_family()  # a different child: another name
    mine = _register(actor_of(jgz_nurse), registration(bsn="999992740", first_name="Sem"))
    _register(actor_of(teacher), registration(bsn="999992740", first_name="Sem"))
    match = selectors.my_matches(actor=actor_of(jgz_nurse))[0]
    selectors.match_get(actor=actor_of(jgz_nurse), match_id=match.pk)
    event = AuditEvent.objects.get(object_type="vi.match", action="view")
    youth = Youth.objects.get(pk=mine.youth_id)
    assert event.client_pseudonym == youth.pseudonym
    assert _listed(event) == {youth.pseudonym}
    assert event.details["families"] == []


def test_writes_name_the_young_person_by_pseudonym(
    jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    mine = _register(actor_of(jgz_nurse), registration())
    _register(actor_of(teacher), registration())
    services.signal_withdraw(actor=actor_of(jgz_nurse), signal_id=mine.pk, today=TODAY)
    pseudonym = Youth.objects.get(pk=mine.youth_id).pseudonym
    written = AuditEvent.objects.filter(object_type__in=["vi.signal", "vi.match"]).exclude(action="view")
    assert written.count() >= 4
    assert set(written.exclude(client_pseudonym="").values_list("client_pseudonym", flat=True)) == {pseudonym}
