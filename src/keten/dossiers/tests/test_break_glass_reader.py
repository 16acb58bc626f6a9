"""A break-the-glass reader reads a dossier but changes nothing in it.

Break-the-glass opens a dossier for reading (``dossiers.view_dossier``); every write — the edit form,
a note, a person, and the API's notes, consents and disclosures — asks ``dossiers.change_dossier``
(the case team only) before the input is validated, so the reader gets 404, as for a dossier that
does not exist, and nothing is written.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from keten.core.policy import allows
from keten.dossiers.models import BreakGlassAccess, Dossier, DossierNote, Person
from keten.sharing.models import Consent, Disclosure
from keten.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(outsider: Any, dossier: Dossier) -> Any:
    """A professional of the same organisation, not on the case team, with a live grant."""
    now = timezone.now()
    BreakGlassAccess.objects.create(
        dossier=dossier,
        user=outsider,
        organisation=outsider.active_membership.organisation,
        reason="Politie meldt acute onveiligheid, regievoerder onbereikbaar",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    return outsider


def test_the_reader_may_read_but_not_change(reader: Any, dossier: Dossier) -> None:
    assert allows("dossiers.view_dossier", reader, dossier)
    assert not allows("dossiers.change_dossier", reader, dossier)


def test_the_reader_sees_the_dossier_and_its_sharing(client_for: Any, reader: Any, dossier: Dossier) -> None:
    client = client_for(reader)
    assert client.get(f"/dossiers/{dossier.reference}/").status_code == 200
    assert client.get(f"/api/v1/dossiers/{dossier.reference}/").status_code == 200
    assert client.get(f"/api/v1/dossiers/{dossier.reference}/consents/").status_code == 200
    assert client.get(f"/api/v1/dossiers/{dossier.reference}/disclosures/").status_code == 200


def test_every_write_page_is_404_for_the_reader(client_for: Any, reader: Any, dossier: Dossier) -> None:
    client = client_for(reader)
    person = Person.objects.filter(family_id=dossier.family_id).first()
    assert person is not None
    base = f"/dossiers/{dossier.reference}"
    edit = {"summary": "Gewijzigd door een lezer", "status": "open", "version": dossier.version}
    note = {"text": "Een notitie van een lezer"}
    new_person = {"relation": "ouder", "first_name": "Els", "last_name": "Bakker"}
    assert client.post(f"{base}/wijzigen/", edit).status_code == 404
    assert client.get(f"{base}/wijzigen/").status_code == 404
    assert client.post(f"{base}/notities/nieuw/", note).status_code == 404
    assert client.get(f"{base}/notities/nieuw/").status_code == 404
    assert client.get(f"{base}/personen/nieuw/").status_code == 404
    assert client.post(f"{base}/personen/nieuw/", new_person).status_code == 404
    assert client.get(f"{base}/personen/{person.pseudonym}/").status_code == 404
    assert client.post(f"{base}/personen/{person.pseudonym}/", {**new_person, "version": 1}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.summary != "Gewijzigd door een lezer"
    assert not DossierNote.objects.filter(dossier=dossier).exists()
    assert Person.objects.filter(family_id=dossier.family_id).count() == 1


def test_every_api_post_is_404_for_the_reader(client_for: Any, reader: Any, dossier: Dossier) -> None:
    client = client_for(reader)
    person = Person.objects.filter(family_id=dossier.family_id).first()
    assert person is not None
    school = OrganisationFactory(name="Basisschool De Linde")
    today = timezone.localdate().isoformat()
    consent = {
        "giver": person.pseudonym,
        "giver_role": "ouder_gezag",
        "about": person.pseudonym,
        "purpose": "Afstemmen van de hulp",
        "recipients": [school.pk],
        "form": "mondeling",
        "given_on": today,
    }
    disclosure = {
        "about": [person.pseudonym],
        "categories": ["personalia"],
        "recipient_organisation": school.pk,
        "purpose": "Afstemmen van de hulp",
        "legal_basis": "toestemming",
        "shared_on": today,
        "client_informed": True,
        "client_informed_on": today,
    }
    api = "/api/v1"
    answers = [
        client.post(f"{api}/dossiers/{dossier.reference}/notes/", {"text": "Notitie"}, content_type="application/json"),
        client.post(f"{api}/dossiers/{dossier.reference}/consents/", consent, content_type="application/json"),
        client.post(f"{api}/dossiers/{dossier.reference}/disclosures/", disclosure, content_type="application/json"),
        # Invalid input too: the refusal comes before any validation.
        client.post(f"{api}/dossiers/{dossier.reference}/notes/", {}, content_type="application/json"),
        client.post(f"{api}/dossiers/{dossier.reference}/consents/", {}, content_type="application/json"),
        client.post(f"{api}/dossiers/{dossier.reference}/disclosures/", {}, content_type="application/json"),
    ]
    assert [a.status_code for a in answers] == [404] * len(answers)
    assert not DossierNote.objects.filter(dossier=dossier).exists()
    assert not Consent.objects.filter(dossier=dossier).exists()
    assert not Disclosure.objects.filter(dossier=dossier).exists()


def test_the_same_addresses_reach_the_case_team(client_for: Any, professional: Any, dossier: Dossier) -> None:
    """The addresses above exist: the case team gets its validation errors there, not 404."""
    client = client_for(professional)
    api = f"/api/v1/dossiers/{dossier.reference}"
    answers = [client.post(f"{api}/{what}/", {}, content_type="application/json") for what in ("notes", "consents")]
    answers.append(client.post(f"{api}/disclosures/", {}, content_type="application/json"))
    assert [a.status_code for a in answers] == [400, 400, 400]
    assert client.post(f"/dossiers/{dossier.reference}/notities/nieuw/", {}).status_code == 422
