"""Dossier access over HTTP: case team sees, everyone else gets 404, break-the-glass is audited."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from keten.core.models import AuditEvent
from keten.dossiers.models import BreakGlassAccess

pytestmark = pytest.mark.django_db


def _strip_tokens(content: bytes) -> str:
    """The page minus its per-request CSRF tokens and the requested path."""
    text = content.decode()
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    text = re.sub(r'name="next" type="hidden" value="[^"]+"', "", text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_case_team_member_opens_dossier_and_read_is_audited(client_for, professional, dossier):
    response = client_for(professional).get(f"/dossiers/{dossier.reference}/")
    assert response.status_code == 200
    assert "Gezin Bakker" in response.content.decode()
    event = AuditEvent.objects.filter(action="view", object_type="dossier").get()
    assert event.actor_id == professional.pk
    assert event.client_pseudonym == dossier.family.pseudonym
    assert "999994669" not in str(event.details) + event.object_id + event.reason


def test_outsider_gets_404_on_detail_list_search_and_api(client_for, outsider, dossier):
    client = client_for(outsider)
    assert client.get(f"/dossiers/{dossier.reference}/").status_code == 404
    listing = client.post("/dossiers/", {"q": "999994669"})
    assert listing.status_code == 200
    assert dossier.reference not in listing.content.decode()
    assert dossier.reference not in client.post("/dossiers/", {"q": "Bakker"}).content.decode()
    api = client.get(f"/api/v1/dossiers/{dossier.reference}/")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    assert client.get("/api/v1/dossiers/").json()["count"] == 0


def test_404_for_missing_and_hidden_dossier_look_the_same(client_for, outsider, dossier):
    client = client_for(outsider)
    hidden = client.get(f"/dossiers/{dossier.reference}/")
    missing = client.get("/dossiers/D-DOESNOTEXIST/")
    assert hidden.status_code == missing.status_code == 404
    assert _strip_tokens(hidden.content) == _strip_tokens(missing.content)


def test_break_the_glass_needs_reason_audits_and_notifies(
    client_for, professional, outsider, officer, dossier, django_capture_on_commit_callbacks
):
    client = client_for(outsider)
    refused = client.post("/dossiers/noodtoegang/", {"reference": dossier.reference, "reason": "kort"})
    assert refused.status_code == 422
    assert not AuditEvent.objects.filter(action="break_glass").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/dossiers/noodtoegang/",
            {"reference": dossier.reference, "reason": "Politie meldt acute onveiligheid, regievoerder onbereikbaar"},
        )
    assert response.status_code == 302
    assert client.get(f"/dossiers/{dossier.reference}/").status_code == 200
    event = AuditEvent.objects.get(action="break_glass")
    # The reason is kept encrypted with the grant (shown in the review queue), not in the audit event.
    grant = BreakGlassAccess.objects.get()
    assert grant.reason.startswith("Politie meldt")
    assert event.details == {"grant": grant.pk}
    assert "Politie" not in event.reason
    assert officer.notifications.filter(kind="break_glass").count() == 1
    # The regievoerder is told too (one e-mail each, without client data).
    assert professional.notifications.filter(kind="break_glass").count() == 1
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert "Bakker" not in message.body
        assert dossier.reference not in message.body


def test_search_is_posted_so_no_bsn_or_name_reaches_a_url(client_for, professional, dossier):
    client = client_for(professional)
    found = client.post("/dossiers/", {"q": "999994669"})
    assert dossier.reference in found.content.decode()
    assert client.post("/dossiers/", {"q": "bakker"}).content.decode().count(dossier.reference) >= 1
    # A query string is ignored: search terms are only accepted in the request body.
    ignored = client.get("/dossiers/", {"q": "nietbestaand"})
    assert dossier.reference in ignored.content.decode()
    assert 'method="post"' in found.content.decode()
