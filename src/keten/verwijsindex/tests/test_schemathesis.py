"""Property-based run of the verwijsindex API against its own OpenAPI description: never a server error.

The schema is generated from the code (as ``docs/api/openapi.yaml`` is) and limited to the
verwijsindex paths; requests go through Django's WSGI application with a system token that has
both verwijsindex scopes, so the generated calls reach the services.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings

from keten.accounts.models import User
from keten.verwijsindex.tests.test_api import token
from keten.verwijsindex.webhooks import sending

EXAMPLES = 12


def _schema() -> Any:
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    included = loaded.include(path_regex=r"^/api/v1/verwijsindex/")
    included.app = get_wsgi_application()
    return included


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """Like Django's test client: the WSGI handler must not close the connection that holds the test's
    transaction after each request (it would on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError("no network in tests")

    def unknown(*args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "no name resolution in tests")

    monkeypatch.setattr(sending, "_post", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", unknown)  # webhook registration resolves the address


@pytest.fixture
def auth(jgz_nurse: User, teacher: User) -> dict[str, str]:
    headers = token(
        jgz_nurse.active_membership.organisation, ["verwijsindex:write", "verwijsindex:read"], "vi-fuzz-0001"
    )
    return {"Authorization": headers["HTTP_AUTHORIZATION"]}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_verwijsindex_api_never_answers_a_server_error(case: Any, auth: dict[str, str]) -> None:
    response = case.call(headers=auth)
    assert response.status_code != 401  # the token is valid: the calls reach the views
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:500])
