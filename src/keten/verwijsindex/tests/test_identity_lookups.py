"""The verwijsindex's identity question (409 confirm_identity) is an existence look-up: only young
people known in the own municipality are proposed, each proposal is audited with the young person's
pseudonym, and a caller gets at most twenty an hour (then a uniform 429)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user
from keten.verwijsindex.models import Signal, Youth
from keten.verwijsindex.tests.test_api import ERROR_KEYS, SIGNALS, post, row, token

pytestmark = pytest.mark.django_db

WITHOUT_BSN = {"bsn": "", "first_name": "Sem", "last_name": "Jansen", "date_of_birth": "2015-05-05"}


@pytest.fixture
def jgz_auth(jgz_nurse: User) -> dict[str, str]:
    return token(jgz_nurse.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"])


def _register_elsewhere() -> None:
    municipality = MunicipalityFactory(name="Gemeente Elders", cbs_code="GM0002")
    school = OrganisationFactory(name="School Elders", type=OrganisationType.ONDERWIJS, municipality=municipality)
    teacher = make_user(Role.PROFESSIONAL, school)
    auth = token(school, ["verwijsindex:write"], secret="vi-token-0009")
    assert post(Client(), SIGNALS, row(**WITHOUT_BSN, professional=teacher.pk), **auth).status_code == 201


def _register_here(teacher: User) -> None:
    auth = token(teacher.active_membership.organisation, ["verwijsindex:write"], secret="vi-token-0002")
    assert post(Client(), SIGNALS, row(**WITHOUT_BSN, professional=teacher.pk), **auth).status_code == 201


def test_a_young_person_known_only_in_another_municipality_is_not_proposed(
    jgz_nurse: User, jgz_auth: dict[str, str]
) -> None:
    _register_elsewhere()
    response = post(Client(), SIGNALS, row(**WITHOUT_BSN, professional=jgz_nurse.pk), **jgz_auth)
    assert response.status_code == 201, response.json()
    assert Youth.objects.count() == 2
    assert not AuditEvent.objects.filter(object_type="youth_lookup").exists()


def test_the_identity_question_is_audited_and_limited(jgz_nurse: User, teacher: User, jgz_auth: dict[str, str]) -> None:
    _register_here(teacher)
    youth = Youth.objects.get()
    client = Client()
    data: dict[str, Any] = row(**WITHOUT_BSN, professional=jgz_nurse.pk)
    for _ in range(20):
        response = post(client, SIGNALS, data, **jgz_auth)
        assert response.status_code == 409
        assert response.json()["candidates"] == 1
    events = AuditEvent.objects.filter(object_type="youth_lookup", details__result="hit")
    assert events.count() == 20
    assert {e.client_pseudonym for e in events} == {youth.pseudonym}
    refused = post(client, SIGNALS, data, **jgz_auth)
    assert refused.status_code == 429
    body = refused.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "throttled"
    assert "te vaak" in body["detail"]
    # Registrations with a BSN ask no identity question and go on.
    assert post(client, SIGNALS, row(professional=jgz_nurse.pk), **jgz_auth).status_code == 201
    assert Signal.objects.count() == 2
