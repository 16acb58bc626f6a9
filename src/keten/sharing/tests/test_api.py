"""Informatie delen API: consents, the disclosure log and convenants; uniform errors; access; audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.dossiers.models import Relation
from keten.sharing.models import AccessGrant, Consent, Convenant, Disclosure, GiverRole, LegalBasis
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_dossier, make_person, make_user

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}
ClientFor = Callable[[User], Client]
TODAY = timezone.localdate


@pytest.fixture
def school(organisation: Any) -> Any:
    return OrganisationFactory(
        name="Basisschool De Linde", type=OrganisationType.ONDERWIJS, municipality=organisation.municipality
    )


@pytest.fixture
def mother(dossier: Any) -> Any:
    return make_person(dossier.family, relation=Relation.OUDER, first_name="Moeder", date_of_birth=date(1985, 1, 1))


@pytest.fixture
def child(dossier: Any) -> Any:
    return dossier.family.persons.get(relation=Relation.KIND)


def _consent_body(mother: Any, child: Any, school: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "giver": mother.pseudonym,
        "giver_role": GiverRole.OUDER_MET_GEZAG,
        "about": child.pseudonym,
        "purpose": "Afstemmen van de hulp met school",
        "recipients": [school.pk],
        "form": "mondeling",
        "given_on": (TODAY() - timedelta(days=2)).isoformat(),
    }
    body.update(overrides)
    return body


def _disclosure_body(child: Any, school: Any, **overrides: Any) -> dict[str, Any]:
    body = {
        "about": [child.pseudonym],
        "categories": ["signalen"],
        "items": ["Notitie van 12 november"],
        "recipient_organisation": school.pk,
        "purpose": "Hulp afstemmen met de school",
        "legal_basis": LegalBasis.TOESTEMMING,
        "shared_on": TODAY().isoformat(),
        "client_informed": True,
        "client_informed_on": TODAY().isoformat(),
    }
    body.update(overrides)
    return body


def test_unauthenticated_unverified_and_tokens_get_401(professional: User, dossier: Any) -> None:
    url = f"/api/v1/dossiers/{dossier.reference}/consents/"
    response = Client().get(url)
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS
    client = Client()
    client.force_login(professional)
    assert client.get(url).status_code == 401
    assert Client().get("/api/v1/sharing/convenants/").status_code == 401


def test_consent_create_list_and_withdraw(
    professional: User, dossier: Any, mother: Any, child: Any, school: Any, client_for: ClientFor
) -> None:
    client = client_for(professional)
    url = f"/api/v1/dossiers/{dossier.reference}/consents/"
    response = client.post(url, _consent_body(mother, child, school), content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "geldig"
    assert body["recipients"] == [school.pk]
    assert body["giver"] == mother.pseudonym
    assert AuditEvent.objects.filter(object_type="sharing.consent", action="create").exists()

    listed = client.get(url).json()
    assert [c["id"] for c in listed] == [body["id"]]
    assert AuditEvent.objects.filter(object_type="sharing.consent_list", object_id=dossier.reference).exists()

    withdraw = f"/api/v1/sharing/consents/{body['id']}/withdraw/"
    response = client.post(withdraw, {"withdrawn_on": TODAY().isoformat()}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "ingetrokken"
    # Twice: a uniform error, nothing changes.
    response = client.post(withdraw, {"withdrawn_on": TODAY().isoformat()}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert Consent.objects.get().withdrawn_on == TODAY()


def test_consent_refused_for_a_child_about_themselves_with_a_dutch_error(
    professional: User, dossier: Any, mother: Any, child: Any, school: Any, client_for: ClientFor
) -> None:
    client = client_for(professional)
    url = f"/api/v1/dossiers/{dossier.reference}/consents/"
    body = _consent_body(mother, child, school, giver=child.pseudonym, giver_role=GiverRole.JONGERE_12)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    payload = response.json()
    assert set(payload) == ERROR_KEYS
    assert "giver_role" in payload["errors"]
    assert "jaar" in payload["errors"]["giver_role"][0]
    # A person of another family is refused too.
    other = make_dossier(professional).family.persons.get()
    response = client.post(url, _consent_body(mother, other, school), content_type="application/json")
    assert response.status_code == 400
    assert "about" in response.json()["errors"]
    assert not Consent.objects.exists()


def test_disclosure_create_and_log(
    professional: User, dossier: Any, mother: Any, child: Any, school: Any, client_for: ClientFor
) -> None:
    client = client_for(professional)
    teacher = make_user(Role.PROFESSIONAL, school, username="juf")
    url = f"/api/v1/dossiers/{dossier.reference}/disclosures/"
    # Without consent sharing on consent is refused, uniformly, and nothing is written.
    response = client.post(url, _disclosure_body(child, school), content_type="application/json")
    assert response.status_code == 400
    assert "legal_basis" in response.json()["errors"]
    assert not Disclosure.objects.exists()

    client.post(
        f"/api/v1/dossiers/{dossier.reference}/consents/",
        _consent_body(mother, child, school),
        content_type="application/json",
    )
    response = client.post(
        url,
        _disclosure_body(child, school, recipient_user=teacher.pk, grant_days=7),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["reference"].startswith("V-")
    assert created["about"] == [child.pseudonym]
    assert created["consent"] is not None
    grant = AccessGrant.objects.get()
    assert grant.user == teacher
    assert AuditEvent.objects.filter(object_type="sharing.disclosure", action="share").exists()

    log = client.get(url).json()
    assert [d["reference"] for d in log] == [created["reference"]]
    assert log[0]["recipient_organisation_name"] == "Basisschool De Linde"


def test_disclosure_log_has_no_n_plus_one(
    professional: User,
    dossier: Any,
    child: Any,
    school: Any,
    client_for: ClientFor,
    actor_of: Any,
    django_assert_max_num_queries: Any,
) -> None:
    from keten.sharing import services

    actor = actor_of(professional)
    client = client_for(professional)
    url = f"/api/v1/dossiers/{dossier.reference}/disclosures/"

    def share(i: int) -> None:
        services.disclosure_record(
            actor=actor,
            dossier=dossier,
            data=services.DisclosureData(
                about_ids=[child.pk],
                categories=["betrokkenheid"],
                items=[],
                recipient_organisation_id=school.pk,
                purpose=f"Melding aan Veilig Thuis nummer {i}",
                legal_basis=LegalBasis.CONFLICT_VAN_PLICHTEN,
                no_consent_reason="Acuut gevaar voor het kind",
                shared_on=TODAY(),
                client_informed=True,
                client_informed_on=TODAY(),
            ),
        )

    share(0)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(1, 8):
        share(i)
    # Eight rows cost as many queries as one.
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert len(response.json()) == 8


def test_outsiders_and_other_municipalities_get_404(
    professional: User,
    outsider: User,
    dossier: Any,
    mother: Any,
    child: Any,
    school: Any,
    client_for: ClientFor,
    actor_of: Any,
) -> None:
    from keten.sharing import services

    consent = services.consent_record(
        actor=actor_of(professional),
        dossier=dossier,
        data=services.ConsentData(
            giver_id=mother.pk,
            giver_role=GiverRole.OUDER_MET_GEZAG,
            about_id=child.pk,
            purpose="Afstemmen van de hulp met school",
            recipient_ids=[school.pk],
            form="mondeling",
            given_on=TODAY(),
        ),
    )
    elders = MunicipalityFactory(name="Elders", cbs_code="GM0001")
    elsewhere = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Wijkteam Elders", municipality=elders))
    for user in (outsider, elsewhere):
        client = client_for(user)
        for path in ("consents", "disclosures"):
            response = client.get(f"/api/v1/dossiers/{dossier.reference}/{path}/")
            assert response.status_code == 404
            assert set(response.json()) == ERROR_KEYS
        response = client.post(
            f"/api/v1/dossiers/{dossier.reference}/disclosures/",
            _disclosure_body(child, school),
            content_type="application/json",
        )
        assert response.status_code == 404
        response = client.post(
            f"/api/v1/sharing/consents/{consent.pk}/withdraw/",
            {"withdrawn_on": TODAY().isoformat()},
            content_type="application/json",
        )
        assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert not Disclosure.objects.exists()


def test_convenants_per_municipality_and_create_needs_the_role(
    professional: User, organisation: Any, school: Any, client_for: ClientFor
) -> None:
    body = {
        "title": "Convenant Jeugd en Veiligheid",
        "parties": [organisation.pk, school.pk],
        "purposes": ["Hulp aan gezinnen afstemmen"],
        "start_date": (TODAY() - timedelta(days=10)).isoformat(),
        "flows": [
            {
                "from_types": ["wijkteam"],
                "to_types": ["onderwijs"],
                "purpose": "Hulp afstemmen",
                "categories": ["betrokkenheid", "hulpverlening"],
                "legal_basis": "publieke_taak",
            }
        ],
    }
    # A professional may read but not register convenants.
    response = client_for(professional).post("/api/v1/sharing/convenants/", body, content_type="application/json")
    assert response.status_code == 404
    gemeente = OrganisationFactory(
        name="Gemeente", type=OrganisationType.GEMEENTE, municipality=organisation.municipality
    )
    beleid = client_for(make_user(Role.BELEIDSMEDEWERKER, gemeente))
    bad = {**body, "flows": [{**body["flows"][0], "legal_basis": "geen"}]}
    response = beleid.post("/api/v1/sharing/convenants/", bad, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == ERROR_KEYS
    assert not Convenant.objects.exists()
    response = beleid.post("/api/v1/sharing/convenants/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["flows"][0]["legal_basis"] == "publieke_taak"
    assert AuditEvent.objects.filter(object_type="sharing.convenant", action="create").exists()

    prof = client_for(professional)
    assert [c["id"] for c in prof.get("/api/v1/sharing/convenants/").json()] == [created["id"]]
    assert prof.get(f"/api/v1/sharing/convenants/{created['id']}/").json()["title"] == body["title"]
    elders = MunicipalityFactory(name="Elders", cbs_code="GM0001")
    stranger = client_for(make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders", municipality=elders)))
    assert stranger.get("/api/v1/sharing/convenants/").json() == []
    assert stranger.get(f"/api/v1/sharing/convenants/{created['id']}/").status_code == 404
