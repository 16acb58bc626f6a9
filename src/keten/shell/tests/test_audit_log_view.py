"""The audit log page: own organisation only, filters, BSN never in the URL."""

from __future__ import annotations

import pytest

from keten.accounts.models import Role
from keten.core import audit
from keten.core.actor import actor_for_user
from keten.core.models import AuditAction
from keten.testing.factories import make_dossier, make_user

pytestmark = pytest.mark.django_db


def test_officer_sees_own_organisation_only(client_for, officer, professional, dossier):
    stranger = make_user(Role.PROFESSIONAL)
    other = make_dossier(stranger)
    audit.record(
        actor=actor_for_user(stranger),
        action=AuditAction.VIEW,
        object_type="dossier",
        object_id=other.reference,
        client_pseudonym=other.family.pseudonym,
    )
    client_for(professional).get(f"/dossiers/{dossier.reference}/")
    page = client_for(officer).get("/audit/").content.decode()
    assert dossier.reference in page
    assert other.reference not in page


def test_bsn_filter_is_posted_and_becomes_a_pseudonym(client_for, officer, professional, dossier):
    client_for(professional).get(f"/dossiers/{dossier.reference}/")
    client = client_for(officer)
    response = client.post("/audit/", {"client": "999994669"})
    assert response.status_code == 302
    assert "999994669" not in response["Location"]
    assert dossier.family.pseudonym in response["Location"]
    filtered = client.get(response["Location"]).content.decode()
    assert dossier.reference in filtered
    refused = client.get("/audit/", {"client": "999994669"})
    assert "filterformulier" in refused.content.decode()


def test_filters_by_professional_action_and_period(client_for, officer, professional, outsider, dossier):
    client_for(professional).get(f"/dossiers/{dossier.reference}/")
    client = client_for(officer)
    by_other = client.get("/audit/", {"professional": outsider.pk, "action": "view"}).content.decode()
    assert dossier.reference not in by_other
    by_prof = client.get("/audit/", {"professional": professional.pk, "action": "view"}).content.decode()
    assert dossier.reference in by_prof
    bad_period = client.post("/audit/", {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert bad_period.status_code == 422
    assert "einddatum" in bad_period.content.decode()
    future = client.get("/audit/", {"date_from": "2099-01-01"}).content.decode()
    assert dossier.reference not in future


def test_audit_page_uses_constant_queries(client_for, officer, professional, django_assert_max_num_queries):
    actor = actor_for_user(professional)
    for i in range(120):
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id=f"D-{i}")
    client = client_for(officer)
    with django_assert_max_num_queries(20):
        response = client.get("/audit/", {"action": "view"})
    assert response.status_code == 200
    assert "Oudere gebeurtenissen" in response.content.decode()


def test_family_filter_finds_list_reads_that_showed_the_family(client_for, officer, professional, dossier):
    from keten.core.models import AuditEvent, AuditEventClient
    from keten.shell.selectors import AuditFilter, audit_events

    other_family = make_dossier(professional)
    client_for(professional).get("/dossiers/")  # the list shows both families
    listed = AuditEvent.objects.filter(object_type="dossier_list").latest("id")
    assert set(listed.clients.values_list("pseudonym", flat=True)) == {
        dossier.family.pseudonym,
        other_family.family.pseudonym,
    }
    officer_actor = actor_for_user(officer)
    found = list(audit_events(actor=officer_actor, filters=AuditFilter(client=dossier.family.pseudonym)))
    assert listed in found
    stranger = make_dossier(make_user(Role.PROFESSIONAL))
    assert listed not in list(audit_events(actor=officer_actor, filters=AuditFilter(client=stranger.family.pseudonym)))
    # Like the events, the rows cannot be changed or removed.
    row = AuditEventClient.objects.filter(event=listed).first()
    with pytest.raises(RuntimeError):
        row.delete()
    with pytest.raises(RuntimeError):
        AuditEventClient.objects.filter(event=listed).delete()
    with pytest.raises(RuntimeError):
        AuditEventClient.objects.filter(event=listed).update(pseudonym="G-X")
