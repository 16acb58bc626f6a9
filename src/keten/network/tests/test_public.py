"""Public routekaart: anonymous access, only public organisation data, bad input, caching, queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.core.models import AuditEvent
from keten.network.models import OrganisationEntry
from keten.testing.factories import OrganisationFactory, make_user

ClientFor = Callable[[User], Client]


def _public(organisation: Organisation, **fields: Any) -> Organisation:
    values = {
        "is_public": True,
        "visiting_address": "Marktstraat 1",
        "postcode": "3501 AB",
        "phone": "030-1111111",
        "opening_hours": "Maandag tot en met vrijdag 9–17 uur",
        "website": "https://wijkteam-noord.example",
        "secure_email": "veilig@wijkteam-noord.example",
    }
    values.update(fields)
    OrganisationEntry.objects.filter(organisation=organisation).update(**values)
    return organisation


@pytest.fixture
def wijkteam(municipality: Municipality, wijk_noord: Wijk) -> Organisation:
    organisation = OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.WIJKTEAM, municipality=municipality)
    organisation.wijken.add(wijk_noord)
    return _public(organisation)


@pytest.fixture
def hidden_jgz(jgz: Organisation) -> Organisation:
    """A JGZ in Noord whose entry is not public."""
    OrganisationEntry.objects.filter(organisation=jgz).update(
        is_public=False, phone="030-9999999", secure_email="geheim@jgz.example"
    )
    return jgz


@pytest.fixture
def officer(wijkteam: Organisation) -> User:
    return make_user(
        Role.AANDACHTSFUNCTIONARIS, wijkteam, username="af-wt", first_name="Anouk", last_name="Smit", phone="06-555"
    )


def test_start_page_is_open_to_anonymous(client: Client, wijk_noord: Wijk, wijk_zuid: Wijk) -> None:
    for url in ("/publiek/", "/publiek/routekaart/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Zorgen over een kind? Hier kunt u terecht" in html
        assert "0800-2000" in html
        assert 'href="tel:112"' in html
        assert "Noord" in html
        assert "Zuid" in html
        assert "<optgroup" not in html
        assert "keten.js" not in html
        assert "htmx" not in html
        assert "Uitloggen" not in html
        assert response["Cache-Control"] == "public, max-age=300"
        assert "sessionid" not in response.cookies
        assert "csrftoken" not in response.cookies


def test_wijken_grouped_by_municipality_when_several(
    client: Client, wijk_noord: Wijk, other_municipality: Municipality
) -> None:
    Wijk.objects.create(municipality=other_municipality, name="Elderveld", code="E")
    html = client.get("/publiek/").content.decode()
    assert "<optgroup" in html
    assert "Gemeente Andere gemeente" in html
    assert "Elderveld" in html


def test_result_by_postcode_shows_only_public_organisation_data(
    client: Client, wijkteam: Organisation, hidden_jgz: Organisation, officer: User, school: Organisation
) -> None:
    _public(school, phone="030-2222222")  # public, but in wijk Zuid
    response = client.get("/publiek/routekaart/", {"postcode": "3505 AB"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hulp in wijk Noord" in html
    assert "Wijkteam Noord" in html
    assert "Marktstraat 1" in html
    assert "030-1111111" in html
    assert "Maandag tot en met vrijdag" in html
    assert "https://wijkteam-noord.example" in html
    # 112 first, then Veilig Thuis, then the organisations of the wijk.
    assert html.index("tel:112") < html.index("tel:08002000") < html.index("Wijkteam Noord")
    # Never non-public entries, other wijken, professionals or secure mail.
    for absent in (
        hidden_jgz.name,
        "030-9999999",
        "geheim@jgz.example",
        "veilig@wijkteam-noord.example",
        "Anouk",
        "Smit",
        "06-555",
        school.name,
        "030-2222222",
    ):
        assert absent not in html, absent
    assert response["Cache-Control"] == "public, max-age=300"


def test_result_by_wijk(client: Client, wijkteam: Organisation, wijk_noord: Wijk) -> None:
    response = client.get("/publiek/routekaart/", {"wijk": str(wijk_noord.pk)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hulp in wijk Noord" in html
    assert "Wijkteam Noord" in html
    assert f'<option value="{wijk_noord.pk}" selected>' in html


def test_municipality_wide_public_organisation_is_shown_in_every_wijk(
    client: Client, municipality: Municipality, wijk_noord: Wijk, wijk_zuid: Wijk
) -> None:
    _public(OrganisationFactory(name="GGD Consultatiebureau", type=OrganisationType.JGZ, municipality=municipality))
    _public(OrganisationFactory(name="Politie Basisteam", type=OrganisationType.POLITIE, municipality=municipality))
    html = client.get("/publiek/routekaart/", {"wijk": str(wijk_zuid.pk)}).content.decode()
    assert "GGD Consultatiebureau" in html
    assert "Politie Basisteam" not in html


@pytest.mark.parametrize("postcode", ["12", "0123 AB", "1234 SS", "abcd", "1234 ABC", " "])
def test_malformed_postcode(client: Client, wijkteam: Organisation, postcode: str) -> None:
    response = client.get("/publiek/routekaart/", {"postcode": postcode})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="postcode_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Vul" in html
    assert "0800-2000" in html
    assert "Wijkteam Noord" not in html


def test_unknown_postcode(client: Client, wijkteam: Organisation) -> None:
    response = client.get("/publiek/routekaart/", {"postcode": "9999 ZZ"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze postcode hoort niet bij een wijk van deze gemeente" in html
    assert 'id="postcode_error"' in html
    assert "tel:112" in html
    assert "tel:08002000" in html
    assert "Wijkteam Noord" not in html


@pytest.mark.parametrize("wijk", ["999999", "abc", "-1", "9" * 30])
def test_unknown_wijk(client: Client, wijk_noord: Wijk, wijk: str) -> None:
    response = client.get("/publiek/routekaart/", {"wijk": wijk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies een wijk uit de lijst." in html
    assert 'id="wijk_error"' in html
    assert "0800-2000" in html


def test_wijk_without_public_organisation(client: Client, wijk_zuid: Wijk, school: Organisation) -> None:
    response = client.get("/publiek/routekaart/", {"postcode": "3525"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hulp in wijk Zuid" in html
    assert "Voor deze wijk staan nog geen organisaties op deze kaart" in html
    assert "tel:08002000" in html
    assert school.name not in html


def test_only_get(client: Client, wijk_noord: Wijk) -> None:
    assert client.post("/publiek/routekaart/", {"postcode": "3505"}).status_code == 405


def test_signed_in_user_sees_the_same_public_page(
    client_for: ClientFor, officer: User, wijkteam: Organisation, hidden_jgz: Organisation
) -> None:
    response = client_for(officer).get("/publiek/routekaart/", {"postcode": "3505AB"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wijkteam Noord" in html
    assert hidden_jgz.name not in html
    assert "Anouk" not in html
    assert "Uitloggen" not in html
    assert response["Cache-Control"] == "private, max-age=300"


def test_no_audit_events_and_no_session_for_anonymous(client: Client, wijkteam: Organisation) -> None:
    before = AuditEvent.objects.count()
    response = client.get("/publiek/routekaart/", {"postcode": "3505 AB"})
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before
    assert not response.cookies
    assert "sessionid" not in client.cookies


def test_query_count_does_not_grow_with_organisations(
    client: Client, django_assert_max_num_queries: Any, municipality: Municipality, wijk_noord: Wijk
) -> None:
    for i, kind in enumerate([OrganisationType.WIJKTEAM, OrganisationType.HUISARTS, OrganisationType.KINDEROPVANG] * 5):
        organisation = OrganisationFactory(name=f"Organisatie {i}", type=kind, municipality=municipality)
        organisation.wijken.add(wijk_noord)
        _public(organisation)
    with django_assert_max_num_queries(3):
        response = client.get("/publiek/routekaart/", {"postcode": "3505 AB"})
    assert response.content.decode().count("publiek-organisation") == 15
    with django_assert_max_num_queries(3):
        assert client.get("/publiek/routekaart/", {"wijk": str(wijk_noord.pk)}).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/publiek/").status_code == 200
