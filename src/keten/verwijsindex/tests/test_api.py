"""Verwijsindex API: tokens and sessions, scopes, other organisations, idempotency, bulk, errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import ApiClient, Organisation, OrganisationType, Role, User
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent
from keten.testing.factories import OrganisationFactory, make_user
from keten.verwijsindex.models import Match, Signal, SignalRecord, SignalStatus, Youth

SIGNALS = "/api/v1/verwijsindex/signals/"
BULK = "/api/v1/verwijsindex/signals/bulk/"
ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}
ClientFor = Callable[[User], Client]


def token(organisation: Organisation, scopes: list[str], secret: str = "vi-token-0001") -> dict[str, str]:  # noqa: S107
    ApiClient.objects.create(
        organisation=organisation,
        name=f"Bronsysteem {secret}",
        token_prefix=secret[-12:],
        token_hash=hash_token(secret),
        scopes=scopes,
    )
    return {"HTTP_AUTHORIZATION": f"Token {secret}"}


def row(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "bsn": "999994669",
        "first_name": "Noor",
        "last_name": "de Vries",
        "date_of_birth": "2014-03-02",
        "risk_categories": ["c"],
        "criteria_confirmed": True,
        "parents_informed_on": "2026-11-01",
        "youth_informed_on": "2026-11-01",
    }
    values.update(overrides)
    return values


def post(client: Client, url: str, data: Any, **headers: str) -> Any:
    return client.post(url, data, content_type="application/json", **headers)


@pytest.fixture
def jgz_auth(jgz_nurse: User) -> dict[str, str]:
    return token(jgz_nurse.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"])


@pytest.fixture
def school_auth(teacher: User) -> dict[str, str]:
    return token(teacher.active_membership.organisation, ["verwijsindex:write"], secret="vi-token-0002")


def test_token_registers_for_a_member_and_is_audited(jgz_nurse: User, jgz_auth: dict[str, str]) -> None:
    response = post(Client(), SIGNALS, row(professional=jgz_nurse.pk, contact_phone="030-1234567"), **jgz_auth)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] is True
    assert body["professional"]["id"] == jgz_nurse.pk
    assert body["organisation"]["id"] == jgz_nurse.active_membership.organisation_id
    assert body["matches"] == []
    # Nothing of the young person's identity comes back.
    text = response.content.decode()
    assert "999994669" not in text
    assert "Noor" not in text
    assert "2014-03-02" not in text
    signal = Signal.objects.get(pk=body["id"])
    assert signal.api_client is not None
    assert signal.contact_phone == "030-1234567"
    assert SignalRecord.objects.get(signal=signal).risk_categories == ["c"]
    event = AuditEvent.objects.get(object_type="vi.signal", object_id=str(signal.pk), action="create")
    # Recorded as the system acting for the professional: both are named.
    assert event.actor_id == jgz_nurse.pk
    assert event.role == "professional"
    assert event.actor_label == f"{jgz_nurse.get_full_name()} (via systeem: {signal.api_client.name})"
    assert event.details["via_system"] == {"api_client": signal.api_client_id, "professional": jgz_nurse.pk}


def test_professional_by_e_mail_and_only_of_the_own_organisation(
    jgz_nurse: User, teacher: User, jgz_auth: dict[str, str]
) -> None:
    jgz_nurse.email = "nurse@jgz.example.nl"
    jgz_nurse.save()
    ok = post(Client(), SIGNALS, row(professional_email="NURSE@jgz.example.nl"), **jgz_auth)
    assert ok.status_code == 201
    assert ok.json()["professional"]["id"] == jgz_nurse.pk
    teacher.email = "juf@school.example.nl"
    teacher.save()
    other = post(Client(), SIGNALS, row(bsn="999992740", professional_email="juf@school.example.nl"), **jgz_auth)
    assert other.status_code == 400
    assert set(other.json()) >= ERROR_KEYS
    assert "professional_email" in other.json()["errors"]
    by_id = post(Client(), SIGNALS, row(bsn="999992740", professional=teacher.pk), **jgz_auth)
    assert by_id.status_code == 400
    assert "professional" in by_id.json()["errors"]
    missing = post(Client(), SIGNALS, row(bsn="999992740"), **jgz_auth)
    assert missing.status_code == 400
    assert "professional" in missing.json()["errors"]
    assert Signal.objects.count() == 1


def test_idempotency_key_by_header_or_field(jgz_nurse: User, jgz_auth: dict[str, str]) -> None:
    client = Client()
    first = post(client, SIGNALS, row(professional=jgz_nurse.pk), HTTP_IDEMPOTENCY_KEY="abc-1", **jgz_auth)
    again = post(client, SIGNALS, row(professional=jgz_nurse.pk), HTTP_IDEMPOTENCY_KEY="abc-1", **jgz_auth)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["created"] is False
    assert again.json()["idempotency_key"] == "abc-1"
    by_field = post(
        client, SIGNALS, row(professional=jgz_nurse.pk, idempotency_key="abc-1"), **jgz_auth
    )  # the same key in the body
    assert by_field.status_code == 200
    assert by_field.json()["id"] == first.json()["id"]
    assert Signal.objects.count() == 1
    # Without a key, a second signal of the same professional on the same young person is refused.
    duplicate = post(client, SIGNALS, row(professional=jgz_nurse.pk), **jgz_auth)
    assert duplicate.status_code == 400
    assert "identity" in duplicate.json()["errors"]
    assert Signal.objects.count() == 1


def test_second_organisation_makes_a_match_visible_in_the_list(
    jgz_nurse: User, teacher: User, jgz_auth: dict[str, str], school_auth: dict[str, str]
) -> None:
    client = Client()
    post(client, SIGNALS, row(professional=teacher.pk), **school_auth)
    response = post(client, SIGNALS, row(professional=jgz_nurse.pk), **jgz_auth)
    assert response.status_code == 201
    [match] = response.json()["matches"]
    assert match["kind"] == "client"
    assert match["status"] == "open"
    assert match["id"] == Match.objects.get().pk
    listing = client.get(SIGNALS, **jgz_auth)
    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] == 1
    assert body["results"][0]["matches"][0]["id"] == match["id"]
    # The school's signal is not in the JGZ list.
    assert {r["organisation"]["id"] for r in body["results"]} == {jgz_nurse.active_membership.organisation_id}


def test_list_has_a_fixed_number_of_queries(
    jgz_nurse: User, jgz_auth: dict[str, str], django_assert_max_num_queries: Any
) -> None:
    client = Client()
    for bsn in ("999994669", "999992740", "999990019", "999990925"):
        assert post(client, SIGNALS, row(bsn=bsn, professional=jgz_nurse.pk), **jgz_auth).status_code == 201
    with django_assert_max_num_queries(12):
        response = client.get(SIGNALS, {"status": "actief"}, **jgz_auth)
    assert response.json()["count"] == 4


def test_withdraw_only_own_organisations_signals(
    jgz_nurse: User, teacher: User, jgz_auth: dict[str, str], school_auth: dict[str, str]
) -> None:
    client = Client()
    school_signal = post(client, SIGNALS, row(professional=teacher.pk), **school_auth).json()["id"]
    own = post(client, SIGNALS, row(professional=jgz_nurse.pk), **jgz_auth).json()["id"]
    refused = client.delete(f"{SIGNALS}{school_signal}/", **jgz_auth)
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    assert client.get(f"{SIGNALS}{school_signal}/", **jgz_auth).status_code == 404
    assert Signal.objects.get(pk=school_signal).status == SignalStatus.ACTIEF
    done = client.delete(f"{SIGNALS}{own}/", **jgz_auth)
    assert done.status_code == 200
    assert done.json()["status"] == "gearchiveerd"
    assert done.json()["end_reason"] == "ingetrokken"
    assert done.json()["matches"] == []  # the match ended with it
    assert client.delete(f"{SIGNALS}{own}/", **jgz_auth).status_code == 404
    assert client.delete(f"{SIGNALS}{2**70}/", **jgz_auth).status_code == 404
    assert AuditEvent.objects.filter(object_type="vi.signal", object_id=str(own), action="update").exists()


def test_scopes(jgz_nurse: User) -> None:
    organisation = jgz_nurse.active_membership.organisation
    read_only = token(organisation, ["verwijsindex:read"], secret="vi-token-read")
    other_scope = token(organisation, ["network:read"], secret="vi-token-netw")
    client = Client()
    for headers in (read_only, other_scope):
        response = post(client, SIGNALS, row(professional=jgz_nurse.pk), **headers)
        assert response.status_code == 404
        assert set(response.json()) >= ERROR_KEYS
        assert post(client, BULK, {"signals": [row(professional=jgz_nurse.pk)]}, **headers).status_code == 404
    assert client.get(SIGNALS, **read_only).status_code == 200
    assert client.get(SIGNALS, **other_scope).status_code == 404
    assert Signal.objects.count() == 0
    assert client.get(SIGNALS).status_code == 401


def test_unauthorised_organisation_type_gets_403(db: Any) -> None:
    sport = OrganisationFactory(name="Sportclub", type=OrganisationType.SPORT)
    coach = make_user(Role.PROFESSIONAL, sport, username="coach")
    response = post(Client(), SIGNALS, row(professional=coach.pk), **token(sport, ["verwijsindex:write"]))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Signal.objects.count() == 0
    assert Youth.objects.count() == 0


def test_bad_input_is_the_uniform_error_and_writes_nothing(jgz_nurse: User, jgz_auth: dict[str, str]) -> None:
    client = Client()
    cases = [
        (row(bsn="123456789", professional=jgz_nurse.pk), "bsn"),
        (row(date_of_birth="1990-01-01", professional=jgz_nurse.pk), "date_of_birth"),
        (row(risk_categories=["z"], professional=jgz_nurse.pk), "risk_categories.0"),
        (row(criteria_confirmed=False, professional=jgz_nurse.pk), "criteria"),
        (row(first_name="No\x00or", professional=jgz_nurse.pk), "first_name"),
    ]
    for data, field in cases:
        response = post(client, SIGNALS, data, **jgz_auth)
        assert response.status_code == 400, (field, response.json())
        assert set(response.json()) >= ERROR_KEYS
        assert field in response.json()["errors"], (field, response.json())
    assert Signal.objects.count() == 0
    assert Youth.objects.count() == 0
    assert post(client, SIGNALS, "not json{", **jgz_auth).status_code == 400


def test_identity_confirmation_shows_a_count_only(
    jgz_nurse: User, teacher: User, jgz_auth: dict[str, str], school_auth: dict[str, str]
) -> None:
    client = Client()
    without_bsn = row(bsn="", first_name="Sem", last_name="Jansen", date_of_birth="2015-05-05")
    assert post(client, SIGNALS, {**without_bsn, "professional": teacher.pk}, **school_auth).status_code == 201
    proposal = post(client, SIGNALS, {**without_bsn, "professional": jgz_nurse.pk}, **jgz_auth)
    assert proposal.status_code == 409
    body = proposal.json()
    assert body["code"] == "confirm_identity"
    assert body["candidates"] == 1
    assert set(body) == ERROR_KEYS | {"candidates"}
    assert str(Youth.objects.get().pk) not in str(body["errors"])
    assert Signal.objects.count() == 1
    confirmed = post(
        client, SIGNALS, {**without_bsn, "professional": jgz_nurse.pk, "confirm_same_youth": True}, **jgz_auth
    )
    assert confirmed.status_code == 201
    assert len(confirmed.json()["matches"]) == 1
    assert Youth.objects.count() == 1


def test_session_of_a_professional_registers_lists_and_withdraws(
    jgz_nurse: User, client_for: ClientFor, teacher: User
) -> None:
    client = client_for(jgz_nurse)
    created = post(client, SIGNALS, row(professional=teacher.pk, idempotency_key="ignored"))
    assert created.status_code == 201
    assert created.json()["professional"]["id"] == jgz_nurse.pk  # a session registers in its own name
    assert created.json()["idempotency_key"] == ""
    listing = client.get(SIGNALS).json()
    assert [r["id"] for r in listing["results"]] == [created.json()["id"]]
    other = client_for(teacher)
    assert other.get(f"{SIGNALS}{created.json()['id']}/").status_code == 404
    assert other.delete(f"{SIGNALS}{created.json()['id']}/").status_code == 404
    assert client.delete(f"{SIGNALS}{created.json()['id']}/").status_code == 200


def test_session_without_a_case_role_gets_404(client_for: ClientFor, db: Any) -> None:
    policy = make_user(Role.BELEIDSMEDEWERKER, OrganisationFactory(type=OrganisationType.GEMEENTE), username="bm")
    client = client_for(policy)
    assert client.get(SIGNALS).status_code == 404
    assert post(client, SIGNALS, row()).status_code == 404


# --- bulk ---------------------------------------------------------------------------------------


def test_bulk_keeps_good_rows_and_reports_bad_ones(jgz_nurse: User, jgz_auth: dict[str, str]) -> None:
    rows = [
        row(bsn="999994669", professional=jgz_nurse.pk),
        row(bsn="123456789", professional=jgz_nurse.pk),  # elfproef fails
        {"first_name": "Zonder", "professional": jgz_nurse.pk},  # incomplete
        row(bsn="999992740", professional=jgz_nurse.pk, parent_bsns=["999990019"]),
        row(bsn="999994669", professional=jgz_nurse.pk),  # duplicate of row 0, no key
    ]
    client = Client()
    response = post(client, BULK, {"signals": rows}, HTTP_IDEMPOTENCY_KEY="batch-7", **jgz_auth)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["existing"], body["failed"]) == (2, 0, 3)
    statuses = [(r["index"], r["status"]) for r in body["results"]]
    assert statuses == [(0, "created"), (1, "error"), (2, "error"), (3, "created"), (4, "error")]
    assert body["results"][4]["errors"] == {"identity": [body["results"][4]["errors"]["identity"][0]]}
    assert body["results"][0]["signal"]
    assert body["results"][1]["signal"] is None
    assert "bsn" in body["results"][1]["errors"]
    assert "last_name" in body["results"][2]["errors"]
    assert "date_of_birth" in body["results"][2]["errors"]
    assert Signal.objects.count() == 2
    # Bad rows wrote nothing: only the two young people of the good rows exist.
    assert Youth.objects.count() == 2
    # The same batch again: per-row keys make the good rows "existing", nothing new is written.
    again = post(client, BULK, {"signals": rows}, HTTP_IDEMPOTENCY_KEY="batch-7", **jgz_auth).json()
    assert [r["status"] for r in again["results"]] == ["existing", "error", "error", "existing", "error"]
    assert again["results"][0]["signal"] == body["results"][0]["signal"]
    assert Signal.objects.count() == 2


def test_bulk_limits(jgz_nurse: User, jgz_auth: dict[str, str]) -> None:
    client = Client()
    too_many = post(client, BULK, {"signals": [{}] * 1001}, **jgz_auth)
    assert too_many.status_code == 400
    assert "signals" in too_many.json()["errors"]
    assert post(client, BULK, {"signals": []}, **jgz_auth).status_code == 400
    assert post(client, BULK, {"signals": ["x"]}, **jgz_auth).status_code == 400


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_with_one_idempotency_key_make_one_signal() -> None:
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    import threading

    nurse = make_user(Role.PROFESSIONAL, OrganisationFactory(name="JGZ Parallel", type=OrganisationType.JGZ))
    auth = token(nurse.active_membership.organisation, ["verwijsindex:write"], "vi-parallel-1")
    barrier = threading.Barrier(4)
    answers: list[tuple[int, int]] = []

    def worker() -> None:
        try:
            barrier.wait()
            response = post(Client(), SIGNALS, row(professional=nurse.pk), HTTP_IDEMPOTENCY_KEY="same", **auth)
            answers.append((response.status_code, response.json().get("id")))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(code for code, _id in answers) == [200, 200, 200, 201]
    assert len({signal_id for _code, signal_id in answers}) == 1
    assert Signal.objects.count() == 1


def test_session_without_second_factor_is_not_accepted(jgz_nurse: User) -> None:
    client = Client()
    client.force_login(jgz_nurse)
    assert client.get(SIGNALS).status_code == 401
    assert post(client, SIGNALS, row()).status_code == 401
    assert Signal.objects.count() == 0


def test_a_write_only_token_reads_back_its_own_signals(
    jgz_nurse: User, teacher: User, jgz_auth: dict[str, str], school_auth: dict[str, str]
) -> None:
    """A system that registers signals (``verwijsindex:write`` only) lists and reads its own, to withdraw
    them; another organisation's signal stays a 404."""
    client = Client()
    own = post(client, SIGNALS, row(professional=teacher.pk), **school_auth).json()["id"]
    other = post(client, SIGNALS, row(professional=jgz_nurse.pk), **jgz_auth).json()["id"]
    listed = client.get(SIGNALS, **school_auth)
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()["results"]] == [own]
    assert client.get(f"{SIGNALS}{own}/", **school_auth).status_code == 200
    assert client.get(f"{SIGNALS}{other}/", **school_auth).status_code == 404
