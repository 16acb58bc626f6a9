"""Overleg pages over HTTP: one agreement (closing, concurrent edits 409), "my agreements"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from keten.core.models import AuditAction, AuditEvent
from keten.overleg.agreements import services as agreement_services
from keten.overleg.models import (
    Agreement,
    AgreementStatus,
    CaseRegistration,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.view_helpers import ActorOf, ClientFor, agenda_item_of, agreement_on, html_of, stranger

pytestmark = pytest.mark.django_db


# --- agreements -----------------------------------------------------------------------------------


def test_agreement_page_close_with_result_and_conflict(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = agreement_on(world, actor_of, agenda_item_of(admitted))
    client = client_for(world.member)
    url = f"/overleg/afspraken/{agreement.pk}/"
    page = html_of(client.get(url))
    assert "Huisbezoek afleggen" in page
    assert AuditEvent.objects.filter(object_type="overleg.agreement", action=AuditAction.VIEW).exists()
    # Someone else changed it meanwhile: the stale version is a conflict, nothing closed.
    agreement_services.agreement_update(
        actor=actor_of(world.chair), agreement=agreement, expected_version=1, what="Huisbezoek en schoolgesprek"
    )
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "Huisbezoek gedaan.", "c-version": 1})
    assert response.status_code == 409
    assert "Iemand anders heeft" in html_of(response)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "", "c-version": 2})
    assert response.status_code == 422
    assert "Beschrijf het resultaat" in html_of(response)
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "Huisbezoek gedaan.", "c-version": 2})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE
    assert "Uitgevoerd" in html_of(client.get(url))


def test_agreement_update_conflict_keeps_the_input(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = agreement_on(world, actor_of, agenda_item_of(admitted))
    agreement_services.agreement_update(
        actor=actor_of(world.chair), agreement=agreement, expected_version=1, what="Anders"
    )
    response = client_for(world.member).post(
        f"/overleg/afspraken/{agreement.pk}/wijzigen/",
        {
            "u-what": "Mijn eigen tekst",
            "u-owner": f"u{world.member.pk}",
            "u-due_on": agreement.due_on.isoformat(),
            "u-version": 1,
        },
    )
    assert response.status_code == 409
    assert "Mijn eigen tekst" in html_of(response)
    agreement.refresh_from_db()
    assert agreement.what == "Anders"


def test_agreement_pages_are_404_for_outsiders(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = agreement_on(world, actor_of, agenda_item_of(admitted))
    for user in (world.outsider, world.beleid, stranger()):
        client = client_for(user)
        assert client.get(f"/overleg/afspraken/{agreement.pk}/").status_code == 404
        assert (
            client.post(
                f"/overleg/afspraken/{agreement.pk}/afronden/",
                {"c-status": "done", "c-result": "Zomaar afgerond.", "c-version": 1},
            ).status_code
            == 404
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN


def test_my_agreements_flags_overdue_ones(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = agreement_on(world, actor_of, agenda_item_of(admitted))
    Agreement.objects.filter(pk=agreement.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    page = html_of(client_for(world.member).get("/overleg/afspraken/"))
    assert "Huisbezoek afleggen" in page
    assert "verlopen" in page
    assert "1 afspraak is verlopen" in page
    assert AuditEvent.objects.filter(object_type="overleg.my_agreements").exists()
    chair_page = html_of(client_for(world.chair).get("/overleg/afspraken/"))
    assert "Verlopen afspraken in overleggen die u voorzit" in chair_page
    assert "Huisbezoek afleggen" not in html_of(client_for(world.outsider).get("/overleg/afspraken/"))
    assert client_for(world.beleid).get("/overleg/afspraken/").status_code == 404


def test_my_agreements_are_paged_with_counts_over_all(
    client_for: ClientFor,
    world: World,
    admitted: CaseRegistration,
    actor_of: ActorOf,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keten.overleg.agreements import views

    monkeypatch.setattr(views, "AGREEMENTS_PAGE_SIZE", 2)
    item = agenda_item_of(admitted)
    for n in range(3):
        due = timezone.localdate() + dt.timedelta(days=n)
        agreement_on(world, actor_of, item, what=f"Afspraak nummer {n}", due_on=due)
    late = agreement_on(world, actor_of, item, what="Afspraak te laat")
    Agreement.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_for(world.member)
    first = html_of(client.get("/overleg/afspraken/"))
    second = html_of(client.get("/overleg/afspraken/", {"pagina": "2"}))
    assert "4 open afspraken" in first
    assert "1 afspraak is verlopen" in second  # the counts cover every page
    assert "Pagina 1 van 2" in first
    assert "Afspraak te laat" in first  # earliest due first
    assert "Afspraak nummer 2" in second
    assert "Afspraak nummer 2" not in first
    assert client.get("/overleg/afspraken/", {"pagina": "x"}).status_code == 200
    assert "Afspraak nummer 2" in html_of(client.get("/overleg/afspraken/", {"pagina": "9"}))


def test_my_agreements_sort_filter_and_bad_parameters(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    item = agenda_item_of(admitted)
    today = timezone.localdate()
    agreement_on(world, actor_of, item, what="Afspraak later", due_on=today + dt.timedelta(days=20))
    agreement_on(world, actor_of, item, what="Afspraak gauw", due_on=today + dt.timedelta(days=3))
    late = agreement_on(world, actor_of, item, what="Afspraak te laat")
    Agreement.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=1))
    client = client_for(world.member)

    def order(html: str) -> list[str]:
        shown = [w for w in ("Afspraak later", "Afspraak gauw", "Afspraak te laat") if w in html]
        return sorted(shown, key=html.index)

    default = html_of(client.get("/overleg/afspraken/"))
    assert order(default) == ["Afspraak te laat", "Afspraak gauw", "Afspraak later"]
    assert "3 resultaten" in default
    assert 'aria-sort="ascending"' in default
    latest = html_of(client.get("/overleg/afspraken/", {"sorteer": "-datum"}))
    assert order(latest) == ["Afspraak later", "Afspraak gauw", "Afspraak te laat"]
    assert 'aria-sort="descending"' in latest
    week = html_of(client.get("/overleg/afspraken/", {"termijn": "week"}))
    assert order(week) == ["Afspraak gauw"]
    assert "1 resultaat" in week
    assert "3 open afspraken" in week  # the headline counts all open agreements
    overdue = html_of(client.get("/overleg/afspraken/", {"termijn": "verlopen", "sorteer": "-datum"}))
    assert order(overdue) == ["Afspraak te laat"]
    assert 'href="/overleg/afspraken/?termijn=verlopen&amp;sorteer=wie"' in overdue
    organisation = html_of(client.get("/overleg/afspraken/", {"wie": "organisatie"}))
    assert "Niets gevonden met deze filters." in organisation
    assert 'href="/overleg/afspraken/">Filter wissen' in organisation
    bad = client.get("/overleg/afspraken/", {"termijn": "gisteren", "wie": "x", "sorteer": "what", "pagina": "-4"})
    assert bad.status_code == 200
    html = html_of(bad)
    assert "er is niet gefilterd op termijn" in html
    assert "er is niet gefilterd op wie" in html
    assert order(html) == ["Afspraak te laat", "Afspraak gauw", "Afspraak later"]


def test_my_agreements_empty_state_and_scope(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    empty = html_of(client_for(world.member).get("/overleg/afspraken/"))
    assert "U heeft geen open afspraken." in empty
    assert 'href="/overleg/"' in empty
    agreement_on(world, actor_of, agenda_item_of(admitted))
    outsider = html_of(client_for(world.outsider).get("/overleg/afspraken/", {"sorteer": "wie"}))
    assert "Huisbezoek afleggen" not in outsider
    assert "0 resultaten" in outsider


def test_my_agreements_queries_do_not_grow(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = agenda_item_of(admitted)
    agreement_on(world, actor_of, item, due_on=timezone.localdate() + dt.timedelta(days=1))
    client = client_for(world.member)
    client.get("/overleg/afspraken/")
    with CaptureQueriesContext(connection) as few:
        client.get("/overleg/afspraken/", {"termijn": "week", "sorteer": "-wie"})
    for n in range(12):
        agreement_on(world, actor_of, item, what=f"Afspraak {n}", due_on=timezone.localdate() + dt.timedelta(days=1))
    client.get("/overleg/afspraken/")  # new agreements refill the per-user caches once
    with CaptureQueriesContext(connection) as many:
        assert client.get("/overleg/afspraken/", {"termijn": "week", "sorteer": "-wie"}).status_code == 200
    assert len(many) == len(few)
