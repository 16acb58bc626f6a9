"""API throttles: counted in the database (seen by every worker process), per trusted client address."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from rest_framework.request import Request

from keten.accounts.models import Wijk
from keten.network.api.views import PublicRateThrottle
from keten.testing.factories import WijkFactory

pytestmark = pytest.mark.django_db

ROUTE = "/api/v1/network/routekaart/"
ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}


@pytest.fixture
def wijk() -> Wijk:
    return WijkFactory(name="Noord")


def _anonymous(remote: str = "198.51.100.7", forwarded: str | None = None) -> Request:
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = Request(RequestFactory().get(ROUTE, **meta))
    request.user = None  # type: ignore[assignment]
    return request


@override_settings(KETEN_API_ANON_RATE="3/minute")
def test_throttle_counts_are_shared_between_instances_and_survive_a_cleared_cache() -> None:
    # Each request gets a fresh throttle instance, as in another worker process.
    assert all(PublicRateThrottle().allow_request(_anonymous(), None) for _ in range(2))
    cache.clear()  # a restart, or another process with its own local-memory cache
    from keten.core.localcache import clear_all

    clear_all()
    assert PublicRateThrottle().allow_request(_anonymous(), None)
    refused = PublicRateThrottle()
    assert not refused.allow_request(_anonymous(), None)
    wait = refused.wait()
    assert wait is not None
    assert 0 < wait <= 60
    # Another address has its own count.
    assert PublicRateThrottle().allow_request(_anonymous("198.51.100.8"), None)


@override_settings(KETEN_API_ANON_RATE="3/minute", KETEN_TRUSTED_PROXIES=[])
def test_a_spoofed_forwarded_for_does_not_give_a_fresh_count(wijk: Wijk) -> None:
    statuses = [
        Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
        .get(ROUTE, {"wijk": wijk.pk})
        .status_code
        for i in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


@override_settings(KETEN_API_ANON_RATE="2/minute", KETEN_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_client_has_its_own_count(wijk: Wijk) -> None:
    def call(client_address: str) -> int:
        client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address)
        return client.get(ROUTE, {"wijk": wijk.pk}).status_code

    assert [call("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert call("203.0.113.2") == 200


@override_settings(KETEN_API_ANON_RATE="1/hour")
def test_the_api_answers_the_uniform_429_with_retry_after(wijk: Wijk) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.get(ROUTE, {"wijk": wijk.pk}).status_code == 200
    response = client.get(ROUTE, {"wijk": wijk.pk})
    assert response.status_code == 429
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["status"] == 429
    assert body["code"] == "throttled"
    assert body["detail"] == "Te veel verzoeken. Wacht even en probeer het dan opnieuw."
    assert body["errors"] == {}
    assert body["request_id"] == response["X-Request-ID"]
    assert 0 < int(response["Retry-After"]) <= 3600


def test_old_windows_are_purged_by_the_daily_command() -> None:
    import io
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from keten.core import ratelimit
    from keten.core.models import RateCounter

    ratelimit.hit("api:network_public:ip:198.51.100.7", limit=5, window_seconds=60)
    ratelimit.hit(
        "api:network_public:ip:198.51.100.7", limit=5, window_seconds=60, now=timezone.now() - timedelta(days=2)
    )
    out = io.StringIO()
    call_command("purge_rate_counters", stdout=out)
    assert out.getvalue().strip() == "rate counters purged: 1"
    assert RateCounter.objects.count() == 1
