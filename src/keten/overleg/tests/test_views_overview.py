"""Overleg pages over HTTP: the start page, the menu and dashboard links, the calendar download and the
municipality's figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from keten.core.models import AuditAction, AuditEvent
from keten.overleg.models import (
    CaseRegistration,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.view_helpers import ClientFor, html_of

pytestmark = pytest.mark.django_db


# --- overview, menu, dossier and dashboard links -------------------------------------------------


def test_overview_lists_types_meetings_and_own_registrations(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    register()
    html = html_of(client_for(world.registrant).get("/overleg/"))
    assert "Afstemmingsoverleg straf–zorg" in html
    assert "Gezin Bakker" in html  # own registration
    assert "Mijn afspraken" in html
    chair_html = html_of(client_for(world.chair).get("/overleg/"))
    assert "Aanmeldingen beoordelen (triage)" in chair_html
    assert f"/overleg/bijeenkomsten/{world.next_meeting.pk}/" in chair_html
    beleid_html = html_of(client_for(world.beleid).get("/overleg/"))
    assert "Gezin Bakker" not in beleid_html
    assert "Overleg in cijfers" in beleid_html
    assert "Overleggen inrichten" in beleid_html


def test_menu_dossier_and_dashboard_link_to_the_overleg(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    dashboard = html_of(client.get("/"))
    assert 'href="/overleg/"' in dashboard
    assert 'href="/overleg/afspraken/"' in dashboard
    dossier_page = html_of(client.get(f"/dossiers/{world.dossier.reference}/overleg/"))
    assert f"/overleg/aanmelden/dossier/{world.dossier.reference}/" in dossier_page


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get("/overleg/")
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


# --- calendar and minutes --------------------------------------------------------------------------


def test_calendar_holds_meetings_without_client_data(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    response = client_for(world.member).get("/overleg/agenda.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert "Afstemmingsoverleg straf" in body
    assert "Bakker" not in body
    assert "veiligheid" not in body.lower()
    assert AuditEvent.objects.filter(object_type="overleg.calendar", action=AuditAction.EXPORT).exists()


def test_figures_for_the_municipality_only(client_for: ClientFor, world: World, admitted: CaseRegistration) -> None:
    response = client_for(world.beleid).get("/overleg/cijfers/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Afstemmingsoverleg straf–zorg" in html
    assert 'x<span class="keten-visually-hidden"> (niet getoond)</span>' in html  # a hidden count
    assert "Gezin Bakker" not in html
    assert 'data-chart-source="table-registered"' in html
    for user in (world.registrant, world.chair):
        assert client_for(user).get("/overleg/cijfers/").status_code == 404
