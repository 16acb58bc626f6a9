"""Pages and API of the sociale kaart: who sees what, who gets 404, anonymous users log in first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import Organisation, User
from keten.network.models import Agreement, ContactRequest, OrganisationEntry
from keten.notifications.models import Notification

ClientFor = Callable[[User], Client]


def test_anonymous_is_sent_to_login(client: Client, jgz: Organisation) -> None:
    for url in ("/sociale-kaart/", f"/sociale-kaart/organisaties/{jgz.pk}/", "/sociale-kaart/afspraken/nieuw/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/inloggen/" in response["Location"]


def test_api_anonymous_gets_401(client: Client, db: Any) -> None:
    assert client.get("/api/v1/network/organisations/").status_code in (401, 403)


def test_search_page_shows_officer(
    client_for: ClientFor, school_prof: User, jgz: Organisation, jgz_officer: User, wijk_noord: Any
) -> None:
    response = client_for(school_prof).get("/sociale-kaart/", {"postcode": "3505 AB"})
    assert response.status_code == 200
    html = response.content.decode()
    assert jgz.name in html
    assert "Anouk Smit" in html
    assert "030-1234567" in html
    assert "verouderd" in html


def test_search_page_bad_postcode(client_for: ClientFor, school_prof: User, jgz: Organisation) -> None:
    response = client_for(school_prof).get("/sociale-kaart/", {"postcode": "0123 SS"})
    assert response.status_code == 422
    assert "Vul een geldige postcode in" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("fb_gemeente", 200), ("fb_school", 404), ("beleid", 404), ("school_prof", 404)]
)
def test_entry_edit_access(
    client_for: ClientFor, request: pytest.FixtureRequest, jgz: Organisation, who: str, status: int
) -> None:
    user = request.getfixturevalue(who)
    assert client_for(user).get(f"/sociale-kaart/organisaties/{jgz.pk}/wijzigen/").status_code == status
    assert client_for(user).post(f"/sociale-kaart/organisaties/{jgz.pk}/bevestigen/").status_code == (
        302 if status == 200 else 404
    )


def test_entry_edit_and_confirm(client_for: ClientFor, fb_school: User, school: Organisation) -> None:
    client = client_for(fb_school)
    response = client.post(
        f"/sociale-kaart/organisaties/{school.pk}/wijzigen/",
        {"phone": "030-9999999", "expertise": "zorgteam, ib", "age_min": "4", "age_max": "12", "version": "1"},
    )
    assert response.status_code == 302
    entry = OrganisationEntry.objects.get(organisation=school)
    assert entry.phone == "030-9999999"
    assert entry.expertise == ["zorgteam", "ib"]
    stale = client.post(f"/sociale-kaart/organisaties/{school.pk}/wijzigen/", {"phone": "x", "version": "1"})
    assert stale.status_code == 302
    assert OrganisationEntry.objects.get(organisation=school).phone == "030-9999999"
    bad = client.post(
        f"/sociale-kaart/organisaties/{school.pk}/wijzigen/", {"age_min": "12", "age_max": "4", "version": "2"}
    )
    assert bad.status_code == 422
    client.post(f"/sociale-kaart/organisaties/{school.pk}/bevestigen/")
    assert OrganisationEntry.objects.get(organisation=school).last_confirmed_at is not None


def test_other_municipality_is_not_found(client_for: ClientFor, school_prof: User, foreign_org: Organisation) -> None:
    assert client_for(school_prof).get(f"/sociale-kaart/organisaties/{foreign_org.pk}/").status_code == 404


def test_contact_request_form(client_for: ClientFor, school_prof: User, jgz: Organisation, jgz_officer: User) -> None:
    client = client_for(school_prof)
    url = f"/sociale-kaart/organisaties/{jgz.pk}/"
    assert "Consultatie of verwijzing vragen" in client.get(url).content.decode()
    response = client.post(url, {"kind": "consultatie", "message": "Kan ik even sparren over een zorg?"})
    assert response.status_code == 302
    assert ContactRequest.objects.get().to_organisation == jgz
    assert Notification.objects.filter(recipient=jgz_officer).count() == 1
    bad = client.post(url, {"kind": "consultatie", "message": ""})
    assert bad.status_code == 422


@pytest.mark.parametrize(
    ("who", "status"), [("beleid", 200), ("fb_gemeente", 200), ("school_prof", 404), ("jgz_officer", 404)]
)
def test_agreement_pages_access(client_for: ClientFor, request: pytest.FixtureRequest, who: str, status: int) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get("/sociale-kaart/afspraken/nieuw/").status_code == status
    assert client.get("/sociale-kaart/afspraken/").status_code == 200


def test_agreement_create_and_edit(
    client_for: ClientFor, beleid: User, fb_elders: User, jgz: Organisation, school: Organisation
) -> None:
    client = client_for(beleid)
    data = {
        "type": "escalatie",
        "title": "Escalatieladder",
        "promise": "Binnen twee dagen overleg.",
        "parties": [jgz.pk, school.pk],
        "start_date": "2026-01-01",
    }
    assert client.post("/sociale-kaart/afspraken/nieuw/", {**data, "parties": [jgz.pk]}).status_code == 422
    assert client.post("/sociale-kaart/afspraken/nieuw/", data).status_code == 302
    agreement = Agreement.objects.get()
    edit = f"/sociale-kaart/afspraken/{agreement.pk}/wijzigen/"
    assert client.post(edit, {**data, "title": "Nieuw", "version": "1"}).status_code == 302
    assert Agreement.objects.get().title == "Nieuw"
    assert client.post(edit, {**data, "end_date": "2025-01-01", "version": "2"}).status_code == 422
    assert client_for(fb_elders).get(edit).status_code == 404


def test_api_organisations(
    client_for: ClientFor, school_prof: User, jgz: Organisation, jgz_officer: User, school: Organisation
) -> None:
    client = client_for(school_prof)
    response = client.get("/api/v1/network/organisations/", {"q": "jeugdgezondheid"})
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == jgz.name
    assert row["aandachtsfunctionarissen"][0]["phone"] == "030-1234567"
    bad = client.get("/api/v1/network/organisations/", {"postcode": "12"})
    assert bad.status_code == 400
    assert "postcode" in bad.json()["errors"]


def test_api_agreements(client_for: ClientFor, beleid: User, jgz: Organisation, school: Organisation) -> None:
    client = client_for(beleid)
    client.post(
        "/sociale-kaart/afspraken/nieuw/",
        {
            "type": "verwijzen",
            "title": "Toeleiden",
            "promise": "x",
            "parties": [jgz.pk, school.pk],
            "start_date": "2026-01-01",
        },
    )
    response = client.get("/api/v1/network/agreements/", {"party": jgz.pk})
    assert response.status_code == 200
    assert [a["title"] for a in response.json()] == ["Toeleiden"]
    assert client.get("/api/v1/network/agreements/", {"party": "x"}).status_code == 400


def test_search_page_rejects_wijk_of_other_municipality(
    client_for: ClientFor, school_prof: User, fb_elders: User, jgz: Organisation
) -> None:
    from keten.testing.factories import WijkFactory

    elders = WijkFactory(municipality=fb_elders.active_membership.organisation.municipality)  # type: ignore[union-attr]
    response = client_for(school_prof).get("/sociale-kaart/", {"wijk": elders.pk})
    assert response.status_code == 422


def test_policy_officer_may_not_send_contact_request(client_for: ClientFor, beleid: User, jgz: Organisation) -> None:
    client = client_for(beleid)
    url = f"/sociale-kaart/organisaties/{jgz.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Consultatie of verwijzing vragen" not in page.content.decode()
    assert client.post(url, {"kind": "consultatie", "message": "Vraag"}).status_code == 404
    assert not ContactRequest.objects.exists()


def test_search_page_is_paged_and_cards_link_to_all_agreements(
    client_for: ClientFor, school_prof: User, jgz: Organisation, school: Organisation
) -> None:
    from datetime import date

    from keten.testing.factories import OrganisationFactory

    for n in range(30):
        OrganisationFactory(name=f"Jeugdhulp {n:02d}", municipality=jgz.municipality)
    for n in range(5):
        agreement = Agreement.objects.create(
            municipality=jgz.municipality,
            type="verwijzen",
            title=f"Afspraak {n}",
            promise="x",
            start_date=date(2024, 1, n + 1),
        )
        agreement.parties.set([jgz, school])
    client = client_for(school_prof)
    response = client.get("/sociale-kaart/", {"q": "jeugd"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "31 organisaties gevonden" in html
    assert html.count('class="keten-card"') == 25
    assert "Pagina 1 van 2" in html
    assert 'href="?q=jeugd&amp;pagina=2"' in html
    assert jgz.name in html
    assert "Jeugdhulp 29" not in html
    # Three agreements on the card, the count links to the organisation page with all five.
    assert "5 afspraken" in html
    assert f'href="/sociale-kaart/organisaties/{jgz.pk}/#afspraken"' in html
    assert "Afspraak 4" in html
    assert "Afspraak 1" not in html
    second = client.get("/sociale-kaart/", {"q": "jeugd", "pagina": "2"}).content.decode()
    assert second.count('class="keten-card"') == 6
    assert "Jeugdhulp 29" in second
    assert jgz.name not in second
    assert 'href="?q=jeugd&amp;pagina=1"' in second
    detail = client.get(f"/sociale-kaart/organisaties/{jgz.pk}/").content.decode()
    assert all(f"Afspraak {n}" in detail for n in range(5))
    assert client.get("/sociale-kaart/", {"q": "jeugd", "pagina": "x"}).status_code == 200


def test_search_cards_are_cached_until_the_sociale_kaart_changes(
    client_for: ClientFor,
    school_prof: User,
    jgz: Organisation,
    jgz_officer: User,
    django_assert_max_num_queries: Any,
) -> None:
    from django.core.cache import cache

    from keten.network.kaart import cache as kaart_cache

    client = client_for(school_prof)
    first = client.get("/sociale-kaart/", {"q": "jeugdgezondheid"}).content.decode()
    assert "030-1234567" in first
    version = kaart_cache.version(jgz.municipality_id)
    # A second search shows the same card from the cache, with fewer queries.
    with django_assert_max_num_queries(30) as cold_free:
        again = client.get("/sociale-kaart/", {"q": "jeugdgezondheid"}).content.decode()
    assert again.count('class="keten-card"') == 1
    assert "030-1234567" in again
    cached_queries = len(cold_free.captured_queries)
    cache.clear()
    with django_assert_max_num_queries(40) as cold:
        client.get("/sociale-kaart/", {"q": "jeugdgezondheid"})
    assert cached_queries < len(cold.captured_queries)

    # Changing the entry raises the kaart version in the same transaction: the next search, in any
    # process, renders the card afresh.
    entry = OrganisationEntry.objects.get(organisation=jgz)
    entry.description = "Nieuw: inloopspreekuur op woensdag"
    entry.save()
    assert kaart_cache.version(jgz.municipality_id) > version
    changed = client.get("/sociale-kaart/", {"q": "jeugdgezondheid"}).content.decode()
    assert "Nieuw: inloopspreekuur op woensdag" in changed
    # So does a change to an aandachtsfunctionaris (a membership or the professional).
    jgz_officer.phone = "06-11112222"
    jgz_officer.save()
    assert "06-11112222" in client.get("/sociale-kaart/", {"q": "jeugdgezondheid"}).content.decode()
    # The search itself is cached too, and a new organisation is found at once.
    from keten.testing.factories import OrganisationFactory

    OrganisationFactory(name="Jeugdgezondheidszorg Zuid", municipality=jgz.municipality)
    found = client.get("/sociale-kaart/", {"q": "jeugdgezondheid"}).content.decode()
    assert "2 organisaties gevonden" in found
    assert "Jeugdgezondheidszorg Zuid" in found


def test_kaart_version_is_per_municipality(jgz: Organisation, foreign_org: Organisation) -> None:
    from keten.network.kaart import cache as kaart_cache

    before = kaart_cache.version(foreign_org.municipality_id)
    own_before = kaart_cache.version(jgz.municipality_id)
    jgz.name = "JGZ Utrecht Noord"
    jgz.save()
    assert kaart_cache.version(jgz.municipality_id) == own_before + 1
    assert kaart_cache.version(foreign_org.municipality_id) == before
