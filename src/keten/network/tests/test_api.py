"""Sociale kaart API: anonymous vs authenticated field sets, scopes, municipalities, CORS, throttling, audit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.settings import api_settings

from keten.accounts.models import ApiClient, Municipality, Organisation, OrganisationType, Role, User, Wijk
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent
from keten.network.api.views import PublicRateThrottle, PublicRoutekaartView, SocialeKaartOrganisationsView
from keten.network.models import Agreement, OrganisationEntry
from keten.testing.factories import OrganisationFactory, WijkFactory, make_user

ClientFor = Callable[[User], Client]
ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}
ORGS = "/api/v1/network/organisations/"
PROS = "/api/v1/network/professionals/"
ROUTE = "/api/v1/network/routekaart/"
AGREEMENTS = "/api/v1/network/agreements/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def _public(organisation: Organisation, **fields: Any) -> OrganisationEntry:
    entry = OrganisationEntry.objects.get(organisation=organisation)
    entry.is_public = True
    entry.secure_email = "geheim@zorgmail.nl"
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    return entry


def _token(organisation: Organisation, scopes: list[str], secret: str = "s3cret-token") -> dict[str, str]:  # noqa: S107
    ApiClient.objects.create(
        organisation=organisation,
        name="Bronsysteem",
        token_prefix=secret[:8],
        token_hash=hash_token(secret),
        scopes=scopes,
    )
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def _walk(value: Any) -> Iterator[str]:
    """Every key and string value in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, str):
        yield value


# --- organisations: anonymous -------------------------------------------------------------------


def test_anonymous_gets_only_public_organisations_with_public_fields(
    jgz: Organisation, school: Organisation, jgz_officer: User, municipality: Municipality, wijk_noord: Wijk
) -> None:
    _public(jgz, phone="030-7654321", website="https://jgz.example.org", visiting_address="Hoofdstraat 1")
    response = Client().get(ORGS, {"municipality": municipality.cbs_code})
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == jgz.name
    assert set(row) == {
        "id",
        "name",
        "type",
        "type_label",
        "description",
        "visiting_address",
        "postcode",
        "phone",
        "website",
        "opening_hours",
        "age_min",
        "age_max",
        "wijken",
    }
    assert row["phone"] == "030-7654321"
    assert row["age_min"] == 0
    assert row["age_max"] == 18
    assert row["wijken"] == [{"id": wijk_noord.pk, "name": "Noord"}]
    everything = set(_walk(response.json()))
    assert "secure_email" not in everything
    assert "geheim@zorgmail.nl" not in everything
    assert "aandachtsfunctionarissen" not in everything
    assert "Anouk Smit" not in " ".join(everything)
    assert "030-1234567" not in everything  # the officer's own phone number
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert not AuditEvent.objects.filter(object_type__startswith="network").exists()


def test_anonymous_accepts_the_code_without_gm_and_filters(
    jgz: Organisation, school: Organisation, municipality: Municipality, wijk_zuid: Wijk
) -> None:
    _public(jgz)
    _public(school)
    client = Client()
    assert len(client.get(ORGS, {"municipality": "9999"}).json()) == 2
    zuid = client.get(ORGS, {"municipality": "GM9999", "wijk": wijk_zuid.pk}).json()
    assert [r["name"] for r in zuid] == [school.name]
    by_postcode = client.get(ORGS, {"municipality": "GM9999", "postcode": "3505 AB"}).json()
    assert [r["name"] for r in by_postcode] == [jgz.name]
    by_type = client.get(ORGS, {"municipality": "GM9999", "type": OrganisationType.ONDERWIJS}).json()
    assert [r["name"] for r in by_type] == [school.name]


def test_anonymous_never_sees_other_municipality_or_inactive(
    jgz: Organisation, foreign_org: Organisation, municipality: Municipality
) -> None:
    _public(jgz)
    _public(foreign_org)
    gone = OrganisationFactory(name="Opgeheven", municipality=municipality, is_active=False)
    _public(gone)
    names = [r["name"] for r in Client().get(ORGS, {"municipality": municipality.cbs_code}).json()]
    assert names == [jgz.name]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({}, 401, None),
        ({"municipality": "GM0001"}, 404, None),
        ({"municipality": "onzin-code"}, 404, None),
        ({"municipality": "GM\x00"}, 404, None),
        ({"municipality": "GM9999", "type": "\x00"}, 400, "type"),
        ({"municipality": "GM9999", "wijk": "x"}, 400, "wijk"),
        ({"municipality": "GM9999", "postcode": "12"}, 400, "postcode"),
        ({"municipality": "GM9999", "postcode": "9000"}, 400, "postcode"),
        ({"municipality": "GM9999", "type": "onbekend"}, 400, "type"),
    ],
)
def test_anonymous_bad_requests_get_the_uniform_error(
    jgz: Organisation, params: dict[str, str], status: int, field: str | None
) -> None:
    response = Client().get(ORGS, params)
    assert response.status_code == status
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["detail"]
    if field:
        assert field in body["errors"]


def test_anonymous_wijk_of_other_municipality_is_400(
    jgz: Organisation, municipality: Municipality, other_municipality: Municipality
) -> None:
    elders = WijkFactory(municipality=other_municipality)
    response = Client().get(ORGS, {"municipality": municipality.cbs_code, "wijk": elders.pk})
    assert response.status_code == 400
    assert response.json()["errors"]["wijk"] == ["Kies een wijk uit de lijst."]


def test_anonymous_organisations_query_count_is_constant(
    municipality: Municipality, wijk_noord: Wijk, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        organisation = OrganisationFactory(
            name=f"Praktijk {n}", type=OrganisationType.HUISARTS, municipality=municipality
        )
        organisation.wijken.add(wijk_noord)
        _public(organisation)
    with django_assert_max_num_queries(4):
        response = Client().get(ORGS, {"municipality": municipality.cbs_code})
    assert len(response.json()) == 15


# --- organisations: authenticated ---------------------------------------------------------------


def test_session_gets_all_active_organisations_with_entry_and_officers(
    client_for: ClientFor, school_prof: User, jgz: Organisation, jgz_officer: User, school: Organisation
) -> None:
    _public(school)
    response = client_for(school_prof).get(ORGS)
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.json()}
    assert set(rows) == {jgz.name, school.name}  # jgz is not public, yet listed for professionals
    assert rows[school.name]["entry"]["secure_email"] == "geheim@zorgmail.nl"
    assert rows[school.name]["entry"]["is_public"] is True
    assert rows[jgz.name]["aandachtsfunctionarissen"][0]["phone"] == "030-1234567"
    assert rows[jgz.name]["wijken"][0]["name"] == "Noord"
    assert "Access-Control-Allow-Origin" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_session_naming_another_municipality_is_404(
    client_for: ClientFor, school_prof: User, jgz: Organisation, other_municipality: Municipality
) -> None:
    client = client_for(school_prof)
    assert client.get(ORGS, {"municipality": "GM9999"}).status_code == 200
    response = client.get(ORGS, {"municipality": other_municipality.cbs_code})
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


def test_session_bad_role_is_400(client_for: ClientFor, school_prof: User, jgz: Organisation) -> None:
    response = client_for(school_prof).get(ORGS, {"role": "koning"})
    assert response.status_code == 400
    assert "role" in response.json()["errors"]
    assert client_for(school_prof).get(ORGS, {"q": "jeugd\x00"}).status_code == 200


def test_token_with_network_scope_reads_its_own_municipality(
    jgz: Organisation, jgz_officer: User, school: Organisation, foreign_org: Organisation, wijk_noord: Wijk
) -> None:
    headers = _token(school, ["network:read"])
    response = Client().get(ORGS, **headers)
    assert response.status_code == 200
    rows = {r["name"]: r for r in response.json()}
    assert set(rows) == {jgz.name, school.name}
    assert rows[jgz.name]["aandachtsfunctionarissen"][0]["name"] == "Anouk Smit"
    assert rows[jgz.name]["is_stale"] is True
    in_noord = Client().get(ORGS, {"wijk": wijk_noord.pk}, **headers).json()
    assert [r["name"] for r in in_noord] == [jgz.name]
    assert Client().get(ORGS, {"q": "zuigelingen"}, **headers).json()[0]["name"] == jgz.name
    assert Client().get(ORGS, {"municipality": "GM9998"}, **headers).status_code == 404


def test_token_without_network_scope_is_404(jgz: Organisation, school: Organisation) -> None:
    headers = _token(school, ["organisations:read", "dossiers:read"])
    for url in (ORGS, PROS):
        response = Client().get(url, **headers)
        assert response.status_code == 404
        assert set(response.json()) == ERROR_KEYS


def test_bad_token_is_401_even_with_a_municipality(jgz: Organisation) -> None:
    response = Client().get(ORGS, {"municipality": "GM9999"}, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS


# --- professionals ------------------------------------------------------------------------------


def test_professionals_need_authentication(jgz_officer: User) -> None:
    response = Client().get(PROS)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert "Inloggen" in body["detail"]


def test_professionals_list_filters_paginates_and_is_audited(
    client_for: ClientFor,
    school_prof: User,
    jgz: Organisation,
    jgz_officer: User,
    school: Organisation,
    fb_elders: User,
    wijk_noord: Wijk,
) -> None:
    client = client_for(school_prof)
    response = client.get(PROS)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    names = {r["name"] for r in body["results"]}
    assert "Anouk Smit" in names
    assert fb_elders.get_full_name() not in names  # other municipality
    anouk = next(r for r in body["results"] if r["name"] == "Anouk Smit")
    assert anouk == {
        "id": jgz_officer.pk,
        "name": "Anouk Smit",
        "job_title": "",
        "organisation": {"id": jgz.pk, "name": jgz.name},
        "role": Role.AANDACHTSFUNCTIONARIS,
        "role_label": "Aandachtsfunctionaris",
        "phone": "030-1234567",
        "email": jgz_officer.email,
    }
    assert [r["name"] for r in client.get(PROS, {"organisation": jgz.pk}).json()["results"]] == ["Anouk Smit"]
    assert [r["name"] for r in client.get(PROS, {"wijk": wijk_noord.pk}).json()["results"]] == ["Anouk Smit"]
    by_role = client.get(PROS, {"role": Role.PROFESSIONAL}).json()["results"]
    assert [r["id"] for r in by_role] == [school_prof.pk]
    page = client.get(PROS, {"page_size": 1}).json()
    assert page["count"] == 2
    assert len(page["results"]) == 1
    assert page["next"]
    events = AuditEvent.objects.filter(object_type="network.professionals.list").order_by("id")
    assert events.count() == 5
    first = events.first()
    assert first is not None
    assert first.actor_id == school_prof.pk
    assert first.action == "view"
    assert first.details["users"] == sorted([school_prof.pk, jgz_officer.pk])
    assert events[1].details["filters"] == {"organisation": jgz.pk}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"organisation": "x"}, "organisation"),
        ({"wijk": "x"}, "wijk"),
        ({"role": "koning"}, "role"),
        ({"organisation": "999999"}, "organisation"),
        ({"wijk": "999999"}, "wijk"),
    ],
)
def test_professionals_bad_filters_are_400(
    client_for: ClientFor, school_prof: User, params: dict[str, str], field: str
) -> None:
    response = client_for(school_prof).get(PROS, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not AuditEvent.objects.filter(object_type="network.professionals.list").exists()


def test_professionals_of_other_municipality_organisation_is_400(
    client_for: ClientFor, school_prof: User, foreign_org: Organisation, fb_elders: User
) -> None:
    response = client_for(school_prof).get(PROS, {"organisation": foreign_org.pk})
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]


def test_professionals_by_token_are_audited_as_the_system(
    jgz: Organisation, jgz_officer: User, school: Organisation
) -> None:
    headers = _token(school, ["network:read"])
    response = Client().get(PROS, **headers)
    assert response.status_code == 200
    assert response.json()["count"] == 1
    event = AuditEvent.objects.get(object_type="network.professionals.list")
    assert event.actor_id is None
    assert event.actor_label == "systeem: Bronsysteem"
    assert event.organisation_id == school.pk


def test_professionals_query_count_is_constant(
    client_for: ClientFor, school_prof: User, school: Organisation, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        make_user(Role.PROFESSIONAL, school, username=f"leerkracht{n}")
    client = client_for(school_prof)
    client.get(PROS)  # warm the session
    with django_assert_max_num_queries(14):
        response = client.get(PROS)
    assert response.json()["count"] == 21


# --- agreements ---------------------------------------------------------------------------------


def test_agreements_filter_by_party_and_wijk(
    client_for: ClientFor,
    beleid: User,
    jgz: Organisation,
    school: Organisation,
    gemeente: Organisation,
    wijk_noord: Wijk,
    wijk_zuid: Wijk,
    municipality: Municipality,
) -> None:
    def make(title: str, parties: list[Organisation], wijken: list[Wijk]) -> None:
        agreement = Agreement.objects.create(
            municipality=municipality, type="verwijzen", title=title, promise="x", start_date="2026-01-01"
        )
        agreement.parties.set(parties)
        agreement.wijken.set(wijken)

    make("Noord", [jgz, gemeente], [wijk_noord])
    make("Zuid", [school, gemeente], [wijk_zuid])
    make("Overal", [jgz, school], [])
    client = client_for(beleid)
    titles = lambda **p: sorted(a["title"] for a in client.get(AGREEMENTS, p).json())  # noqa: E731
    assert titles(party=jgz.pk) == ["Noord", "Overal"]
    assert titles(wijk=wijk_zuid.pk) == ["Overal", "Zuid"]
    assert titles(party=school.pk, wijk=wijk_noord.pk) == ["Overal"]
    for params in ({"party": "x"}, {"wijk": "1.5"}):
        response = client.get(AGREEMENTS, params)
        assert response.status_code == 400
        assert set(response.json()) == ERROR_KEYS
        assert list(response.json()["errors"]) == list(params)
    assert Client().get(AGREEMENTS).status_code == 401


# --- public routekaart --------------------------------------------------------------------------


def test_routekaart_by_postcode(jgz: Organisation, school: Organisation, wijk_noord: Wijk) -> None:
    _public(jgz, phone="030-1111111")
    response = Client().get(ROUTE, {"postcode": "3505AB"})
    assert response.status_code == 200
    body = response.json()
    assert body["wijk"] == {
        "id": wijk_noord.pk,
        "name": "Noord",
        "municipality": "Testgemeente",
        "municipality_code": "GM9999",
    }
    assert body["phone_numbers"] == {"emergency": "112", "veilig_thuis": "0800-2000"}
    assert [s["phone"] for s in body["steps"]] == ["112", "0800-2000", ""]
    [group] = body["groups"]
    assert group["type"] == OrganisationType.JGZ
    assert group["organisations"][0]["name"] == jgz.name
    assert group["organisations"][0]["phone"] == "030-1111111"
    assert body["empty_message"] == ""
    assert body["page_url"] == f"http://testserver/publiek/routekaart/?wijk={wijk_noord.pk}"
    assert "geheim@zorgmail.nl" not in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"
    assert not AuditEvent.objects.exists()


def test_routekaart_by_wijk_without_public_organisations(jgz: Organisation, wijk_zuid: Wijk) -> None:
    body = Client().get(ROUTE, {"wijk": wijk_zuid.pk}).json()
    assert body["groups"] == []
    assert "Veilig Thuis" in body["empty_message"]
    assert body["phone_numbers"]["veilig_thuis"] == "0800-2000"


def test_routekaart_is_public_also_for_signed_in_callers(
    client_for: ClientFor, school_prof: User, wijk_noord: Wijk
) -> None:
    response = client_for(school_prof).get(ROUTE, {"wijk": wijk_noord.pk})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "postcode"),
        ({"postcode": ""}, "postcode"),
        ({"postcode": "12"}, "postcode"),
        ({"postcode": "1234 SS"}, "postcode"),
        ({"postcode": "9000 AA"}, "postcode"),
        ({"wijk": "abc"}, "wijk"),
        ({"wijk": "999999"}, "wijk"),
    ],
)
def test_routekaart_bad_input_is_uniform_400(wijk_noord: Wijk, params: dict[str, str], field: str) -> None:
    response = Client().get(ROUTE, params)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["errors"][field][0] == body["detail"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age" not in response.get("Cache-Control", "")


# --- throttling ---------------------------------------------------------------------------------


def test_public_endpoints_are_throttled() -> None:
    assert PublicRateThrottle in SocialeKaartOrganisationsView.throttle_classes
    assert PublicRateThrottle in PublicRoutekaartView.throttle_classes
    assert PublicRateThrottle().get_rate() == "60/minute"
    assert api_settings.DEFAULT_THROTTLE_CLASSES == []  # nothing else is throttled by default


@override_settings(KETEN_API_ANON_RATE="2/minute")
def test_anonymous_calls_above_the_rate_get_429(wijk_noord: Wijk) -> None:
    client = Client()
    assert client.get(ROUTE, {"wijk": wijk_noord.pk}).status_code == 200
    assert client.get(ROUTE, {"wijk": wijk_noord.pk}).status_code == 200
    response = client.get(ROUTE, {"wijk": wijk_noord.pk})
    assert response.status_code == 429
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["detail"].startswith("Te veel verzoeken")
    assert int(response["Retry-After"]) > 0


@override_settings(KETEN_API_ANON_RATE="1/minute")
def test_authenticated_calls_are_not_throttled(client_for: ClientFor, school_prof: User, jgz: Organisation) -> None:
    client = client_for(school_prof)
    assert [client.get(ORGS).status_code for _ in range(3)] == [200, 200, 200]


@pytest.mark.parametrize("caller", ["session", "token"])
def test_authenticated_organisations_query_count_is_constant(
    caller: str,
    client_for: ClientFor,
    school_prof: User,
    school: Organisation,
    municipality: Municipality,
    wijk_noord: Wijk,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(15):
        organisation = OrganisationFactory(name=f"Praktijk {n}", municipality=municipality)
        organisation.wijken.add(wijk_noord)
        make_user(Role.AANDACHTSFUNCTIONARIS, organisation, username=f"af{n}")
    if caller == "session":
        client, headers = client_for(school_prof), {}
        client.get(ORGS)  # warm the session
    else:
        client, headers = Client(), _token(school, ["network:read"])
    with django_assert_max_num_queries(14):
        response = client.get(ORGS, **headers)
    assert len(response.json()) == 16


_TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "-1", "1.5", "9999", "3505 AB", "3505", "1234 SS", "GM9999", "x" * 40, "\x00", "GM\x00"]),
)


@override_settings(KETEN_API_ANON_RATE="100000/minute")
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from([ORGS, ROUTE, PROS]),
    params=st.dictionaries(
        st.sampled_from(["municipality", "postcode", "wijk", "type", "role", "organisation", "page"]),
        _TEXT,
        max_size=3,
    ),
)
def test_public_endpoints_never_fail_on_odd_input(jgz: Organisation, path: str, params: dict[str, str]) -> None:
    _public(jgz)
    response = Client().get(path, params)
    assert response.status_code in {200, 400, 401, 404}
    body = response.json()
    if response.status_code != 200:
        assert set(body) == ERROR_KEYS
        assert body["detail"]
    assert "geheim@zorgmail.nl" not in response.content.decode()


def test_authenticated_organisations_are_not_cut_off(
    client_for: ClientFor, school_prof: User, school: Organisation, municipality: Municipality
) -> None:
    Organisation.objects.bulk_create(
        [
            Organisation(name=f"Praktijk {n:03d}", type=OrganisationType.HUISARTS, municipality=municipality)
            for n in range(110)
        ]
    )
    assert len(client_for(school_prof).get(ORGS).json()) == 111
    assert len(Client().get(ORGS, **_token(school, ["network:read"])).json()) == 111
