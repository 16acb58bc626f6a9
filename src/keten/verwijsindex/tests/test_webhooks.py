"""Match delivery: the feed (cursor, organisation, content) and signed webhooks with retries and a log."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role, User
from keten.core.models import AuditEvent
from keten.testing.factories import OrganisationFactory, make_user
from keten.verwijsindex import webhooks
from keten.verwijsindex.models import FeedEvent, WebhookAttempt, WebhookDelivery, WebhookSubscription
from keten.verwijsindex.tests.test_api import SIGNALS, post, row, token
from keten.verwijsindex.webhooks import feed

FEED = "/api/v1/verwijsindex/feed/"
HOOKS = "/api/v1/verwijsindex/webhooks/"
SECRET = "a-shared-secret-of-enough-length"
IDENTITY = ("999994669", "Noor", "de Vries", "2014-03-02", "02-03-2014")


@pytest.fixture(autouse=True)
def _no_settle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feed, "FEED_SETTLE_SECONDS", 0)


class Receiver:
    """A local HTTP endpoint that records the calls and answers with the queued status codes."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.answers: list[int] = []
        self.delay = 0.0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.calls.append({"headers": dict(self.headers), "body": body})
                if receiver.delay:
                    time.sleep(receiver.delay)
                code = receiver.answers.pop(0) if receiver.answers else 204
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/keten"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    with override_settings(KETEN_VI_WEBHOOK_ALLOW_HTTP=True, KETEN_VI_WEBHOOK_TIMEOUT_SECONDS=2):
        yield r
    r.close()


@pytest.fixture
def school_token(teacher: User) -> dict[str, str]:
    return token(teacher.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"], "vi-school-01")


@pytest.fixture
def jgz_token(jgz_nurse: User) -> dict[str, str]:
    return token(jgz_nurse.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"], "vi-jgz-0001")


def _match(teacher: User, jgz_nurse: User, school_token: dict[str, str], jgz_token: dict[str, str]) -> dict[str, Any]:
    client = Client()
    school = post(client, SIGNALS, row(professional=teacher.pk, contact_phone="030-1111111"), **school_token)
    jgz = post(client, SIGNALS, row(professional=jgz_nurse.pk, contact_phone="030-2222222"), **jgz_token)
    assert school.status_code == jgz.status_code == 201
    return {"school": school.json()["id"], "jgz": jgz.json()["id"], "match": jgz.json()["matches"][0]["id"]}


def _no_identity(text: str) -> None:
    for value in IDENTITY:
        assert value not in text, value
    assert "risk" not in text


# --- the feed ------------------------------------------------------------------------------------


def test_feed_lists_a_new_match_for_each_organisation_without_client_identity(
    teacher: User, jgz_nurse: User, school_token: dict[str, str], jgz_token: dict[str, str]
) -> None:
    ids = _match(teacher, jgz_nurse, school_token, jgz_token)
    client = Client()
    response = client.get(FEED, **school_token)
    assert response.status_code == 200
    body = response.json()
    [event] = body["results"]
    assert event["type"] == "match.created"
    assert event["match"]["id"] == ids["match"]
    assert event["match"]["kind"] == "client"
    assert event["own_signals"] == [ids["school"]]
    people = {p["signal"]: p for p in event["participants"]}
    assert people[ids["jgz"]]["organisation"]["name"] == "JGZ Test"
    assert people[ids["jgz"]]["phone"] == "030-2222222"
    assert people[ids["jgz"]]["professional"] == (jgz_nurse.get_full_name() or jgz_nurse.username)
    _no_identity(response.content.decode())
    assert body["next_cursor"] == event["id"]
    assert body["has_more"] is False
    # Polling on from the cursor gives nothing new.
    later = client.get(FEED, {"after": body["next_cursor"]}, **school_token).json()
    assert later["results"] == []
    assert later["next_cursor"] == body["next_cursor"]
    # JGZ has its own event for the same match.
    [jgz_event] = client.get(FEED, **jgz_token).json()["results"]
    assert jgz_event["own_signals"] == [ids["jgz"]]
    assert jgz_event["id"] != event["id"]
    assert AuditEvent.objects.filter(object_type="vi.feed").count() == 2


def test_feed_participant_added_and_match_ended(
    teacher: User,
    jgz_nurse: User,
    wijkteam_worker: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    ids = _match(teacher, jgz_nurse, school_token, jgz_token)
    client = Client()
    cursor = client.get(FEED, **school_token).json()["next_cursor"]
    wijkteam = wijkteam_worker.active_membership.organisation
    wt_token = token(wijkteam, ["verwijsindex:write", "verwijsindex:read"], "vi-wijk-0001")
    third = post(client, SIGNALS, row(professional=wijkteam_worker.pk), **wt_token).json()["id"]
    [added] = client.get(FEED, {"after": cursor}, **school_token).json()["results"]
    assert added["type"] == "match.participant_added"
    assert third in {p["signal"] for p in added["participants"]}
    [newcomer] = client.get(FEED, **wt_token).json()["results"]
    assert newcomer["type"] == "match.created"  # new to the wijkteam
    cursor = added["id"]
    client.delete(f"{SIGNALS}{third}/", **wt_token)
    client.delete(f"{SIGNALS}{ids['jgz']}/", **jgz_token)
    [ended] = client.get(FEED, {"after": cursor}, **school_token).json()["results"]
    assert ended["type"] == "match.ended"
    assert ended["match"]["status"] == "beeindigd"


def test_feed_pages_with_the_cursor(
    teacher: User, jgz_nurse: User, school_token: dict[str, str], jgz_token: dict[str, str]
) -> None:
    client = Client()
    for bsn in ("999994669", "999992740", "999990019"):
        post(client, SIGNALS, row(bsn=bsn, professional=teacher.pk), **school_token)
        post(client, SIGNALS, row(bsn=bsn, professional=jgz_nurse.pk), **jgz_token)
    first = client.get(FEED, {"limit": 2}, **school_token).json()
    assert len(first["results"]) == 2
    assert first["has_more"] is True
    rest = client.get(FEED, {"after": first["next_cursor"], "limit": 2}, **school_token).json()
    assert len(rest["results"]) == 1
    assert rest["has_more"] is False
    seen = [e["match"]["id"] for e in first["results"] + rest["results"]]
    assert len(set(seen)) == 3
    for bad in ({"after": "x"}, {"limit": "-1"}, {"after": str(2**70)}):
        response = client.get(FEED, bad, **school_token)
        assert response.status_code == 400, bad


def test_feed_waits_for_the_settle_time(
    teacher: User, jgz_nurse: User, school_token: dict[str, str], jgz_token: dict[str, str], monkeypatch: Any
) -> None:
    _match(teacher, jgz_nurse, school_token, jgz_token)
    monkeypatch.setattr(feed, "FEED_SETTLE_SECONDS", 60)
    assert Client().get(FEED, **school_token).json()["results"] == []
    FeedEvent.objects.update(created_at=timezone.now() - timedelta(seconds=61))
    assert len(Client().get(FEED, **school_token).json()["results"]) == 1


def test_feed_scope_other_organisations_and_sessions(
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
    client_for: Any,
) -> None:
    _match(teacher, jgz_nurse, school_token, jgz_token)
    write_only = token(teacher.active_membership.organisation, ["verwijsindex:write"], "vi-school-wo")
    assert Client().get(FEED, **write_only).status_code == 404
    other = OrganisationFactory(name="Huisarts", type=OrganisationType.HUISARTS)
    assert Client().get(FEED, **token(other, ["verwijsindex:read"], "vi-ha-00001")).json()["results"] == []
    # A session sees the events of matches it takes part in, not its colleagues'.
    assert len(client_for(jgz_nurse).get(FEED).json()["results"]) == 1
    colleague = make_user(Role.PROFESSIONAL, jgz_nurse.active_membership.organisation, username="collega")
    assert client_for(colleague).get(FEED).json()["results"] == []


# --- webhooks -----------------------------------------------------------------------------------


def _subscribe(auth: dict[str, str], url: str) -> int:
    response = post(Client(), HOOKS, {"url": url, "secret": SECRET}, **auth)
    assert response.status_code == 201, response.json()
    assert "secret" not in response.json()
    return int(response.json()["id"])


def test_webhook_is_signed_and_logged(
    receiver: Receiver,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    sub_id = _subscribe(school_token, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ids = _match(teacher, jgz_nurse, school_token, jgz_token)
    [call] = receiver.calls  # only the school subscribed
    headers = {k.lower(): v for k, v in call["headers"].items()}
    expected = hmac.new(
        SECRET.encode(), headers["x-keten-timestamp"].encode() + b"." + call["body"], hashlib.sha256
    ).hexdigest()
    assert headers["x-keten-signature"] == f"sha256={expected}"
    assert headers["x-keten-event"] == "match.created"
    payload = json.loads(call["body"])
    assert payload["match"]["id"] == ids["match"]
    assert payload["own_signals"] == [ids["school"]]
    _no_identity(call["body"].decode())
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1
    assert WebhookAttempt.objects.get(delivery=delivery).status_code == 204
    log = Client().get(f"{HOOKS}{sub_id}/deliveries/", **school_token).json()
    assert log[0]["status"] == "delivered"
    assert log[0]["log"][0]["status_code"] == 204
    assert Client().get(f"{HOOKS}{sub_id}/deliveries/", **jgz_token).status_code == 404


def test_failed_delivery_is_retried_with_backoff_then_given_up(
    receiver: Receiver,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _subscribe(school_token, receiver.url)
    receiver.answers = [500, 503, 500]
    with override_settings(KETEN_VI_WEBHOOK_MAX_ATTEMPTS=3):
        with django_capture_on_commit_callbacks(execute=True):
            _match(teacher, jgz_nurse, school_token, jgz_token)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDelivery.Status.PENDING
        assert delivery.attempts == 1
        assert delivery.next_attempt_at is not None
        wait = delivery.next_attempt_at - timezone.now()
        assert timedelta(seconds=50) < wait <= timedelta(seconds=60)
        # Not due yet: the sweep sends nothing.
        assert webhooks.deliver_due() == {"delivered": 0, "failed": 0, "pending": 0}
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert webhooks.deliver_due()["pending"] == 1
        delivery.refresh_from_db()
        assert delivery.attempts == 2
        assert delivery.next_attempt_at - timezone.now() > timedelta(seconds=110)  # doubled
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert webhooks.deliver_due()["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.attempts == 3
    assert list(WebhookAttempt.objects.values_list("status_code", flat=True)) == [500, 503, 500]
    assert len(receiver.calls) == 3


def test_timeouts_and_refused_connections_are_logged_and_retried(
    receiver: Receiver,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _subscribe(school_token, receiver.url)
    receiver.delay = 1.5
    with override_settings(KETEN_VI_WEBHOOK_TIMEOUT_SECONDS=1), django_capture_on_commit_callbacks(execute=True):
        _match(teacher, jgz_nurse, school_token, jgz_token)
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert attempt.error == "time-out"  # the generic word, no exception text
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING
    receiver.delay = 0
    receiver.close()  # nobody listens any more
    WebhookDelivery.objects.update(next_attempt_at=None)
    assert webhooks.deliver_due()["pending"] == 1
    assert WebhookAttempt.objects.count() == 2
    assert WebhookAttempt.objects.last().error == "niet bereikbaar"  # not the exception text


def test_webhook_registration_rules(
    receiver: Receiver, teacher: User, school_token: dict[str, str], client_for: Any
) -> None:
    client = Client()
    with override_settings(KETEN_VI_WEBHOOK_ALLOW_HTTP=False):
        for internal in ("https://127.0.0.1/x", "https://10.1.2.3/x", "https://[::1]/x", "https://localhost/x"):
            refused = post(client, HOOKS, {"url": internal, "secret": SECRET}, **school_token)
            assert refused.status_code == 400, internal
            assert "url" in refused.json()["errors"]
        plain = post(client, HOOKS, {"url": receiver.url, "secret": SECRET}, **school_token)
        assert plain.status_code == 400
        assert "url" in plain.json()["errors"]
    short = post(client, HOOKS, {"url": receiver.url, "secret": "kort"}, **school_token)
    assert short.status_code == 400
    assert "secret" in short.json()["errors"]
    with_password = post(client, HOOKS, {"url": "http://a:b@127.0.0.1/x", "secret": SECRET}, **school_token)
    assert with_password.status_code == 400
    no_scope = token(teacher.active_membership.organisation, ["verwijsindex:write"], "vi-school-w2")
    assert post(client, HOOKS, {"url": receiver.url, "secret": SECRET}, **no_scope).status_code == 404
    assert client_for(teacher).get(HOOKS).status_code == 404  # sessions have no webhooks
    sub_id = _subscribe(school_token, receiver.url)
    assert WebhookSubscription.objects.get(pk=sub_id).secret == SECRET
    assert [h["id"] for h in client.get(HOOKS, **school_token).json()] == [sub_id]
    other = token(OrganisationFactory(type=OrganisationType.JGZ), ["verwijsindex:read"], "vi-other-001")
    assert client.delete(f"{HOOKS}{sub_id}/", **other).status_code == 404
    assert client.delete(f"{HOOKS}{sub_id}/", **school_token).status_code == 204
    assert client.get(HOOKS, **school_token).json() == []
    assert AuditEvent.objects.filter(object_type="vi.webhook").count() == 2


def test_stopping_a_webhook_gives_up_its_pending_deliveries(
    receiver: Receiver,
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
) -> None:
    sub_id = _subscribe(school_token, receiver.url)
    _match(teacher, jgz_nurse, school_token, jgz_token)  # no commit here: the delivery stays pending
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING
    assert Client().delete(f"{HOOKS}{sub_id}/", **school_token).status_code == 204
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.FAILED
    assert webhooks.deliver_due() == {"delivered": 0, "failed": 0, "pending": 0}
    assert receiver.calls == []


def test_feed_has_a_fixed_number_of_queries(
    teacher: User,
    jgz_nurse: User,
    school_token: dict[str, str],
    jgz_token: dict[str, str],
    django_assert_max_num_queries: Any,
) -> None:
    client = Client()
    for bsn in ("999994669", "999992740", "999990019", "999990925"):
        post(client, SIGNALS, row(bsn=bsn, professional=teacher.pk), **school_token)
        post(client, SIGNALS, row(bsn=bsn, professional=jgz_nurse.pk), **jgz_token)
    with django_assert_max_num_queries(8):
        body = client.get(FEED, **school_token).json()
    assert len(body["results"]) == 4
