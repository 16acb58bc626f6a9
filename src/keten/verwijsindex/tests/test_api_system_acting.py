"""A partner system registering signals for one of its professionals.

The professional is named in the ``Keten-Professional`` header (the deprecated body fields
``professional`` and ``professional_email`` go through the same check): only an active case-role
member of the token's own organisation, the same error for anyone else whoever they are, and every
event names the system and the professional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import ApiClient, Organisation, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditEvent
from keten.testing.factories import OrganisationFactory, make_user
from keten.verwijsindex import services
from keten.verwijsindex.models import Signal
from keten.verwijsindex.tests.test_api import BULK, SIGNALS, post, row, token

HEADER = "HTTP_KETEN_PROFESSIONAL"


@pytest.fixture
def jgz(jgz_nurse: User) -> Organisation:
    return jgz_nurse.active_membership.organisation


@pytest.fixture
def auth(jgz: Organisation) -> dict[str, str]:
    return token(jgz, ["verwijsindex:write", "verwijsindex:read"], "vi-acting-001")


@pytest.fixture
def beheerder(jgz: Organisation) -> User:
    user = make_user(Role.FUNCTIONEEL_BEHEERDER, jgz, username="jgz-beheer")
    user.email = "beheer@jgz.example.nl"
    user.save()
    return user


def _error(response: Any) -> dict[str, Any]:
    assert response.status_code == 400, response.content
    body = response.json()
    body.pop("request_id")
    return body  # type: ignore[no-any-return]


def test_a_member_without_a_case_role_cannot_be_registered_for(
    beheerder: User, auth: dict[str, str], registration: Callable[..., services.Registration]
) -> None:
    client = Client()
    by_id = post(client, SIGNALS, row(professional=beheerder.pk), **auth)
    assert "professional" in _error(by_id)["errors"]
    by_email = post(client, SIGNALS, row(professional_email=beheerder.email), **auth)
    assert "professional_email" in _error(by_email)["errors"]
    by_header = post(client, SIGNALS, row(), **auth, **{HEADER: beheerder.email})
    assert "professional" in _error(by_header)["errors"]
    bulk = post(client, BULK, {"signals": [row(professional=beheerder.pk)]}, **auth).json()
    assert bulk["failed"] == 1
    assert "professional" in bulk["results"][0]["errors"]
    assert not Signal.objects.exists()
    # The service refuses it too, whoever calls it.
    system = Actor(user=None, membership=None, api_client=ApiClient.objects.get())
    with pytest.raises(DomainError) as refused:
        services.signal_register(actor=system, data=registration(professional_id=beheerder.pk))
    assert refused.value.field == "professional"
    [outcome] = services.signals_register_bulk(actor=system, registrations=[registration(professional_id=beheerder.pk)])
    assert outcome.status == "error"
    assert not Signal.objects.exists()


def test_the_header_names_the_professional_for_single_and_bulk_calls(
    jgz_nurse: User, jgz: Organisation, auth: dict[str, str]
) -> None:
    colleague = make_user(Role.PROFESSIONAL, jgz, username="jgz-collega")
    client = Client()
    single = post(client, SIGNALS, row(), **auth, **{HEADER: str(jgz_nurse.pk)})
    assert single.status_code == 201, single.content
    assert single.json()["professional"]["id"] == jgz_nurse.pk
    bulk = post(client, BULK, {"signals": [row(bsn="999992740")]}, **auth, **{HEADER: colleague.email.upper()})
    assert bulk.status_code == 200
    assert bulk.json()["created"] == 1
    assert Signal.objects.get(pk=bulk.json()["results"][0]["signal"]).professional == colleague
    # The body may still name the same person (deprecated), never someone else.
    same = post(client, SIGNALS, row(bsn="999990019", professional=jgz_nurse.pk), **auth, **{HEADER: jgz_nurse.email})
    assert same.status_code == 201
    other = post(client, SIGNALS, row(bsn="999990925", professional=colleague.pk), **auth, **{HEADER: jgz_nurse.email})
    assert "professional" in _error(other)["errors"]
    rows = [row(bsn="999990925", professional=colleague.pk)]
    mixed = post(client, BULK, {"signals": rows}, **auth, **{HEADER: jgz_nurse.email}).json()
    assert mixed["failed"] == 1
    assert "professional" in mixed["results"][0]["errors"]
    assert Signal.objects.count() == 3


def test_someone_of_another_organisation_gets_the_same_error_as_an_unknown_person(
    teacher: User, auth: dict[str, str]
) -> None:
    teacher.email = "juf@school.example.nl"
    teacher.save()
    client = Client()

    def header(named: str | int) -> dict[str, Any]:
        return _error(post(client, SIGNALS, row(), **auth, **{HEADER: str(named)}))

    unknown = header(teacher.pk + 1000)
    assert header(teacher.pk) == unknown
    assert header(teacher.email) == header("niemand@example.nl") == unknown
    assert header("9" * 30) == header("iets anders") == unknown
    assert list(unknown["errors"]) == ["professional"]
    # The deprecated body fields answer alike (on the field that was used).
    by_id = _error(post(client, SIGNALS, row(professional=teacher.pk), **auth))
    assert by_id == _error(post(client, SIGNALS, row(professional=teacher.pk + 1000), **auth)) == unknown
    by_email = _error(post(client, SIGNALS, row(professional_email=teacher.email), **auth))
    assert by_email == _error(post(client, SIGNALS, row(professional_email="niemand@example.nl"), **auth))
    assert by_email["errors"] == {"professional_email": unknown["errors"]["professional"]}
    assert not Signal.objects.exists()


def test_every_event_names_the_system_and_the_professional(
    jgz_nurse: User, jgz: Organisation, teacher: User, auth: dict[str, str]
) -> None:
    colleague = make_user(Role.PROFESSIONAL, jgz, username="jgz-collega")
    school = token(teacher.active_membership.organisation, ["verwijsindex:write"], "vi-acting-002")
    client = Client()
    assert post(client, SIGNALS, row(), **school, **{HEADER: str(teacher.pk)}).status_code == 201
    start = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # By header (a match with the school's signal) ...
    assert post(client, SIGNALS, row(), **auth, **{HEADER: jgz_nurse.email}).status_code == 201
    # ... and by the deprecated body field, two professionals in one bulk call.
    rows = [row(bsn="999992740", professional=jgz_nurse.pk), row(bsn="999990019", professional=colleague.pk)]
    assert post(client, BULK, {"signals": rows}, **auth).json()["created"] == 2
    system = ApiClient.objects.get(name="Bronsysteem vi-acting-001")
    events = list(AuditEvent.objects.filter(pk__gt=start).order_by("pk"))
    assert {e.object_type for e in events} == {"vi.signal", "vi.match"}
    assert sorted(e.actor_id for e in events if e.object_type == "vi.signal") == sorted(
        [jgz_nurse.pk, jgz_nurse.pk, colleague.pk]
    )
    for event in events:
        person = User.objects.get(pk=event.actor_id)
        assert (person.get_full_name() or person.username) in event.actor_label
        assert system.name in event.actor_label
        assert event.details["via_system"] == {"api_client": system.pk, "professional": person.pk}
    # The signal itself still records the system it came through.
    assert set(Signal.objects.filter(professional=colleague).values_list("api_client", flat=True)) == {system.pk}


def test_the_header_needs_the_write_scope(jgz_nurse: User, jgz: Organisation) -> None:
    read_only = token(jgz, ["verwijsindex:read"], "vi-acting-003")
    response = post(Client(), SIGNALS, row(), **read_only, **{HEADER: str(jgz_nurse.pk)})
    assert response.status_code == 404
    assert not Signal.objects.exists()


def test_a_session_is_never_someone_else(client_for: Any, jgz_nurse: User, jgz: Organisation) -> None:
    colleague = make_user(Role.PROFESSIONAL, jgz, username="jgz-collega")
    session = client_for(jgz_nurse)
    response = post(session, SIGNALS, row(), **{HEADER: str(colleague.pk)})
    assert response.status_code == 201
    assert response.json()["professional"]["id"] == jgz_nurse.pk


def test_school_token_for_a_wijkteam_member_is_refused(wijkteam_worker: User) -> None:
    school = OrganisationFactory(name="School Elders", type=OrganisationType.ONDERWIJS)
    auth = token(school, ["verwijsindex:write"], "vi-acting-004")
    response = post(Client(), SIGNALS, row(), **auth, **{HEADER: str(wijkteam_worker.pk)})
    assert "professional" in _error(response)["errors"]
