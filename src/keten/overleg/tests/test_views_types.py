"""Overleg pages over HTTP: setting up an overleg (municipality only) and planning an extra meeting."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role
from keten.overleg.models import (
    Meeting,
    OverlegType,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.view_helpers import ClientFor, html_of
from keten.testing.factories import OrganisationFactory, make_user

pytestmark = pytest.mark.django_db


def _type_post(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Wijk-casusoverleg Noord",
        "kind": "wijk",
        "lead_organisation": world.wijkteam.pk,
        "members": [world.wijkteam.pk, world.politie.pk],
        "chair": world.registrant.pk,
        "weekdays": [3],
        "start_time": "14:00",
        "duration_minutes": 60,
        "location": "Wijkcentrum Noord",
        "online_link": "",
        "convenant": "",
        "privacy_basis": "Toestemming van ouders, vastgelegd per casus.",
        "is_active": "on",
    }
    data.update(overrides)
    return data


# --- set-up and figures ----------------------------------------------------------------------------


def test_municipality_sets_up_an_overleg_with_steps(client_for: ClientFor, world: World) -> None:
    client = client_for(world.beleid)
    assert client.get("/overleg/inrichting/").status_code == 200
    assert client.get("/overleg/inrichting/nieuw/").status_code == 200
    response = client.post("/overleg/inrichting/nieuw/", _type_post(world, privacy_basis=""))
    assert response.status_code == 422
    assert "grondslag" in html_of(response)
    response = client.post("/overleg/inrichting/nieuw/", _type_post(world))
    assert response.status_code == 302
    overleg = OverlegType.objects.get(name="Wijk-casusoverleg Noord")
    assert overleg.weekdays == [3]
    url = f"/overleg/inrichting/{overleg.pk}/"
    assert client.post(url + "processtappen/", {"step-name": "", "step-criteria": ""}).status_code == 422
    response = client.post(url + "processtappen/", {"step-name": "Signalering", "step-criteria": "Zorgen van 2"})
    assert response.status_code == 302
    assert overleg.steps.count() == 1
    response = client.post(url, {**_type_post(world, name="Wijkoverleg Noord"), "version": overleg.version})
    assert response.status_code == 302
    overleg.refresh_from_db()
    assert overleg.name == "Wijkoverleg Noord"
    response = client.post(url, {**_type_post(world), "version": 1})
    assert response.status_code == 409


def test_set_up_is_404_for_professionals(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    assert client.get("/overleg/inrichting/").status_code == 404
    assert client.post("/overleg/inrichting/nieuw/", _type_post(world)).status_code == 404
    assert client.post(f"/overleg/inrichting/{world.overleg.pk}/", _type_post(world)).status_code == 404
    assert not OverlegType.objects.filter(name="Wijk-casusoverleg Noord").exists()


def test_chair_plans_an_extra_meeting(client_for: ClientFor, world: World) -> None:
    client = client_for(world.chair)
    url = f"/overleg/inrichting/{world.overleg.pk}/"
    assert client.get(url).status_code == 200
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url + "bijeenkomsten/", {"m-starts_at": past, "m-location": ""})
    assert response.status_code == 422
    assert "verleden" in html_of(response)
    future = (timezone.localtime() + dt.timedelta(days=9)).replace(hour=9, minute=0).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url + "bijeenkomsten/", {"m-starts_at": future, "m-location": "Stadhuis"})
    assert response.status_code == 302
    assert Meeting.objects.filter(location="Stadhuis").exists()
    assert client_for(world.member).post(url + "bijeenkomsten/", {"m-starts_at": future}).status_code == 404


def test_organisation_type_of_gemeente_matters_for_set_up(client_for: ClientFor, world: World) -> None:
    """A beleidsmedewerker outside a gemeente organisation cannot set up overleg types."""
    other = OrganisationFactory(
        name="Adviesbureau", type=OrganisationType.WELZIJN, municipality=world.wijkteam.municipality
    )
    advisor = make_user(Role.BELEIDSMEDEWERKER, other, username="advies")
    assert client_for(advisor).get("/overleg/inrichting/").status_code == 404


def test_set_up_page_links_only_the_meetings_its_viewer_may_open(client_for: ClientFor, world: World) -> None:
    """The gemeente manages the overleg but is not invited to its meetings: listed, not linked."""
    meeting_url = f"/overleg/bijeenkomsten/{world.next_meeting.pk}/"
    page = html_of(client_for(world.beleid).get(f"/overleg/inrichting/{world.overleg.pk}/"))
    assert timezone.localtime(world.next_meeting.starts_at).strftime("%H:%M") in page
    assert meeting_url not in page
    assert client_for(world.beleid).get(meeting_url).status_code == 404
    # The chair opens the meeting, so the chair's page links it.
    chair_page = html_of(client_for(world.chair).get(f"/overleg/inrichting/{world.overleg.pk}/"))
    assert f'href="{meeting_url}"' in chair_page
    assert client_for(world.chair).get(meeting_url).status_code == 200


def test_overview_links_an_overleg_only_for_whom_may_open_it(client_for: ClientFor, world: World) -> None:
    """A beheerder of a member organisation manages overleggen in general but not this one (led by VT)."""
    type_url = f"/overleg/inrichting/{world.overleg.pk}/"
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, world.politie, username="beheer-politie")
    client = client_for(beheerder)
    page = html_of(client.get("/overleg/"))
    assert world.overleg.name in page
    assert type_url not in page
    assert client.get(type_url).status_code == 404
    for person in (world.beleid, world.chair):
        assert f'href="{type_url}"' in html_of(client_for(person).get("/overleg/"))
        assert client_for(person).get(type_url).status_code == 200
