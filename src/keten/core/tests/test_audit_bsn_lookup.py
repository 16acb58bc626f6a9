"""The audit log's BSN filter is an existence look-up: scoped to the own municipality, audited with
the family pseudonym and limited per user."""

from __future__ import annotations

import pytest

from keten.accounts.models import Role
from keten.core.models import AuditEvent
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

BSN = "999994669"


def test_a_bsn_of_another_municipality_is_not_turned_into_its_family_pseudonym(client_for, dossier):
    municipality = MunicipalityFactory(name="Gemeente Elders", cbs_code="GM0002")
    officer = make_user(Role.AANDACHTSFUNCTIONARIS, OrganisationFactory(municipality=municipality))
    response = client_for(officer).post("/audit/", {"client": BSN})
    assert response.status_code == 302
    assert dossier.family.pseudonym not in response["Location"]
    assert not AuditEvent.objects.filter(object_type="bsn_lookup").exists()


def test_a_bsn_hit_is_audited_with_the_family_pseudonym(client_for, officer, dossier):
    response = client_for(officer).post("/audit/", {"client": BSN})
    assert dossier.family.pseudonym in response["Location"]
    event = AuditEvent.objects.get(object_type="bsn_lookup")
    assert event.actor_id == officer.pk
    assert event.client_pseudonym == dossier.family.pseudonym
    assert BSN not in event.object_id + event.reason + str(event.details)


def test_bsn_hits_are_limited_to_twenty_an_hour(client_for, officer, dossier):
    client = client_for(officer)
    for _ in range(20):
        assert dossier.family.pseudonym in client.post("/audit/", {"client": BSN})["Location"]
    refused = client.post("/audit/", {"client": BSN})
    assert refused.status_code == 422
    assert "te vaak" in refused.content.decode()
    assert dossier.family.pseudonym not in refused.content.decode()
    # A pseudonym filter is no look-up and stays possible.
    assert client.post("/audit/", {"client": dossier.family.pseudonym}).status_code == 302
