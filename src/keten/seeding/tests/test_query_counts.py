"""The list pages use a constant number of queries, however many rows they show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import Organisation, Role, User
from keten.core.models import AuditAction
from keten.dossiers.models import DossierNote
from keten.seeding.common import AuditChainWriter
from keten.testing.factories import make_dossier, make_user

pytestmark = pytest.mark.django_db

# Upper bounds: session, user, device, membership, the page's own reads, its audit write (with the
# chain lock on PostgreSQL), the unread-notifications badge and the menu's count of open
# verwijsindex matches (case roles).
DOSSIER_LIST_MAX_QUERIES = 13
AUDIT_LOG_MAX_QUERIES = 13


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_dossiers(user: User, colleague: User, n: int) -> None:
    for i in range(n):
        dossier = make_dossier(user, colleague)
        DossierNote.objects.create(dossier=dossier, author=user, text=f"Notitie {i}")


def test_dossier_list_queries_do_not_grow_with_rows(
    professional: User,
    organisation: Organisation,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    colleague = make_user(Role.PROFESSIONAL, organisation, username="colleague")
    client = client_for(professional)
    _add_dossiers(professional, colleague, 2)
    client.get("/dossiers/")  # first request of the session writes its last-seen stamp
    few = _count(client, "/dossiers/")
    _add_dossiers(professional, colleague, 20)
    with django_assert_max_num_queries(DOSSIER_LIST_MAX_QUERIES):
        response = client.get("/dossiers/")
    assert response.context["listing"].page.total == 22
    assert len(response.context["rows"]) == 22
    assert _count(client, "/dossiers/") == few


def _events(writer: AuditChainWriter, user: User, organisation: Organisation, n: int) -> None:
    start = timezone.now() - timedelta(days=1)
    for i in range(n):
        writer.add(
            occurred_at=start + timedelta(seconds=i),
            action=AuditAction.VIEW,
            actor_id=user.pk,
            actor_label=user.get_full_name(),
            organisation_id=organisation.pk,
            role=Role.PROFESSIONAL,
            object_type="dossier",
            object_id=f"D-TEST{i:06d}",
        )
    writer.flush()


def test_audit_log_queries_do_not_grow_with_rows(
    professional: User,
    officer: User,
    organisation: Organisation,
    client_for: Callable[[User], Client],
    django_assert_max_num_queries: Any,
) -> None:
    writer = AuditChainWriter()
    _events(writer, professional, organisation, 3)
    client = client_for(officer)
    client.get("/audit/")
    few = _count(client, "/audit/?action=view")
    _events(writer, professional, organisation, 120)
    for path in ("/audit/?action=view", f"/audit/?professional={professional.pk}"):
        with django_assert_max_num_queries(AUDIT_LOG_MAX_QUERIES):
            response = client.get(path)
        assert len(response.context["events"]) == 50
        assert response.context["listing"].next is not None  # more pages
    assert _count(client, "/audit/?action=view") == few
