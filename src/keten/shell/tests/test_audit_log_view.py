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
    html = response.content.decode()
    assert "120 resultaten" in html
    assert "Pagina 1 van 3" in html
    assert 'rel="next" href="/audit/?action=view&amp;pagina=2"' in html


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


def _order(html: str, ids: list[str]) -> list[str]:
    return sorted((i for i in ids if f"dossier {i}<" in html), key=lambda i: html.index(f"dossier {i}<"))


def test_audit_log_sorts_pages_and_keeps_the_filters(client_for, officer, professional, outsider):
    actor = actor_for_user(professional)
    other = actor_for_user(outsider)
    for i, who in enumerate((actor, other, actor)):
        audit.record(actor=who, action=AuditAction.VIEW, object_type="dossier", object_id=f"D-{i}")
    ids = ["D-0", "D-1", "D-2"]
    client = client_for(officer)
    newest = client.get("/audit/", {"action": "view"}).content.decode()
    assert _order(newest, ids) == ["D-2", "D-1", "D-0"]
    assert 'aria-sort="descending"' in newest
    assert 'href="/audit/?action=view&amp;sorteer=object"' in newest
    by_object = client.get("/audit/", {"action": "view", "sorteer": "object"}).content.decode()
    assert _order(by_object, ids) == ["D-0", "D-1", "D-2"]
    narrowed = client.get("/audit/", {"professional": outsider.pk, "sorteer": "-object"}).content.decode()
    assert _order(narrowed, ids) == ["D-1"]
    assert "1 resultaat" in narrowed
    assert 'value="-object"' in narrowed  # the filter form keeps the order
    posted = client.post("/audit/", {"action": "view", "sorteer": "-object"})
    assert posted["Location"] == "/audit/?action=view&sorteer=-object"
    bad = client.get("/audit/", {"action": "view", "sorteer": "reason", "pagina": "999"})
    assert bad.status_code == 200
    assert _order(bad.content.decode(), ids) == ["D-2", "D-1", "D-0"]  # unknown sort: newest first, last page


def test_audit_log_paging_queries_do_not_grow(client_for, officer, professional):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = actor_for_user(professional)
    audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id="D-x")
    client = client_for(officer)
    client.get("/audit/")
    with CaptureQueriesContext(connection) as few:
        client.get("/audit/", {"action": "view", "sorteer": "medewerker"})
    for i in range(130):
        audit.record(actor=actor, action=AuditAction.VIEW, object_type="dossier", object_id=f"D-{i}")
    with CaptureQueriesContext(connection) as many:
        html = client.get("/audit/", {"action": "view", "sorteer": "medewerker", "pagina": "2"}).content.decode()
    assert "Pagina 2 van 3" in html
    assert len(many) == len(few)


def test_audit_log_empty_states(client_for, officer):
    client = client_for(officer)
    filtered = client.get("/audit/", {"action": "export"}).content.decode()
    assert "Niets gevonden met deze filters." in filtered
    assert 'href="/audit/">Filter wissen' in filtered
