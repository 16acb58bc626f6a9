"""Overleg pages over HTTP: registering a case (from a dossier or a match), the chair's triage, the case
page with leaving the overleg and the casusregisseur: 404 for everyone else, bad input 422, nothing written."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from keten.core.models import AuditAction, AuditEvent
from keten.overleg.meetings import services as meeting_services
from keten.overleg.models import (
    AgendaItem,
    CaseRegistration,
    RegistrationStatus,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.view_helpers import ActorOf, ClientFor, agenda_item_of, html_of, stranger
from keten.testing.factories import make_dossier

pytestmark = pytest.mark.django_db


def _registration_post(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "overleg": world.overleg.pk,
        "process_step": world.steps[0].pk,
        "criteria": "Zorgen bij twee partners",
        "reason": "Zorgen over de veiligheid van de kinderen na een incident.",
        "goal": "Afspraken over bescherming en hulp.",
        "partners": [world.politie.pk],
        "family_informed": "ja",
        "family_not_informed_reason": "",
    }
    data.update(overrides)
    return data


def _match_for(world: World, actor_of: ActorOf) -> Any:
    from keten.verwijsindex import services as vi

    def _registration() -> vi.Registration:
        return vi.Registration(
            identity=vi.Identity(
                bsn="999994669", first_name="Noor", last_name="Bakker", date_of_birth=dt.date(2014, 3, 2)
            ),
            risk_categories=["c"],
            criteria_confirmed=True,
            parents_informed_on=timezone.localdate(),
            youth_informed_on=timezone.localdate(),
        )

    vi.signal_register(actor=actor_of(world.registrant), data=_registration())
    result = vi.signal_register(actor=actor_of(world.member), data=_registration())
    assert result.matches
    return result.matches[0]


# --- registering a case ----------------------------------------------------------------------


def _registration_post(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "overleg": world.overleg.pk,
        "process_step": world.steps[0].pk,
        "criteria": "Zorgen bij twee partners",
        "reason": "Zorgen over de veiligheid van de kinderen na een incident.",
        "goal": "Afspraken over bescherming en hulp.",
        "partners": [world.politie.pk],
        "family_informed": "ja",
        "family_not_informed_reason": "",
    }
    data.update(overrides)
    return data


def test_register_from_dossier_creates_a_registration_and_tells_the_chair(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    url = f"/overleg/aanmelden/dossier/{world.dossier.reference}/"
    page = html_of(client.get(url))
    assert "Reden van aanmelding" in page
    assert "Signalering" in page
    assert AuditEvent.objects.filter(
        object_type="overleg.register_form", client_pseudonym=world.dossier.family.pseudonym
    ).exists()
    response = client.post(url, _registration_post(world))
    registration = CaseRegistration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/overleg/aanmeldingen/{registration.pk}/"
    assert registration.status == RegistrationStatus.AANGEMELD
    assert list(registration.invited_organisations.all()) == [world.politie]
    assert world.chair.notifications.filter(kind="overleg.registration").exists()


def test_register_with_bad_input_shows_dutch_messages_and_writes_nothing(client_for: ClientFor, world: World) -> None:
    client = client_for(world.registrant)
    url = f"/overleg/aanmelden/dossier/{world.dossier.reference}/"
    response = client.post(url, _registration_post(world, reason="kort"))
    assert response.status_code == 422
    assert "waarom u de casus aanmeldt" in html_of(response)
    response = client.post(url, _registration_post(world, family_informed="nee"))
    assert response.status_code == 422
    assert "waarom het gezin niet" in html_of(response)
    response = client.post(url, _registration_post(world, process_step=""))
    assert response.status_code == 422
    assert "processtap" in html_of(response)
    assert not CaseRegistration.objects.exists()


def test_register_a_dossier_the_professional_may_not_see_is_404(client_for: ClientFor, world: World) -> None:
    url = f"/overleg/aanmelden/dossier/{world.dossier.reference}/"
    for user in (world.outsider, world.beleid, stranger()):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).post(url, _registration_post(world)).status_code == 404
    assert not CaseRegistration.objects.exists()


def test_register_from_a_match_prefills_partners_and_links_the_match(
    client_for: ClientFor, world: World, actor_of: ActorOf
) -> None:
    match = _match_for(world, actor_of)
    client = client_for(world.registrant)
    url = f"/overleg/aanmelden/match/{match.pk}/"
    page = html_of(client.get(url))
    assert "Aangemeld vanuit een match in de verwijsindex" in page
    assert world.dossier.reference in page
    assert re.search(rf'name="partners" value="{world.politie.pk}"[^>]*checked', page)
    # A dossier the professional is not on the case team of is refused next to the field.
    foreign = make_dossier(world.member)
    response = client.post(url, _registration_post(world, dossier=foreign.reference))
    assert response.status_code == 422
    assert not CaseRegistration.objects.exists()
    response = client.post(url, _registration_post(world, dossier=world.dossier.reference))
    assert response.status_code == 302
    registration = CaseRegistration.objects.get()
    assert registration.match_id == match.pk
    assert registration.dossier == world.dossier


def test_register_from_a_match_is_for_its_coordinator_only(
    client_for: ClientFor, world: World, actor_of: ActorOf
) -> None:
    match = _match_for(world, actor_of)
    response = client_for(world.member).get(f"/overleg/aanmelden/match/{match.pk}/")
    assert response.status_code == 403
    assert "coördinator" in html_of(response)
    assert client_for(world.outsider).get(f"/overleg/aanmelden/match/{match.pk}/").status_code == 404


# --- triage ------------------------------------------------------------------------------------


def test_triage_admit_puts_the_case_on_the_agenda(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    registration = register()
    client = client_for(world.chair)
    page = html_of(client.get("/overleg/triage/"))
    assert "Gezin Bakker" in page
    assert "Zorgen over veiligheid" in page
    assert AuditEvent.objects.filter(object_type="overleg.triage_queue", action=AuditAction.VIEW).exists()
    response = client.post(
        f"/overleg/triage/{registration.pk}/toelaten/",
        {
            f"admit{registration.pk}-meeting": world.next_meeting.pk,
            f"admit{registration.pk}-casusregisseur": world.registrant.pk,
            f"admit{registration.pk}-version": registration.version,
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.TOEGELATEN
    assert registration.casusregisseur == world.registrant
    assert AgendaItem.objects.filter(meeting=world.next_meeting, registration=registration).exists()


def test_triage_refuses_a_cancelled_meeting_and_a_short_reason(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration], actor_of: ActorOf
) -> None:
    registration = register()
    meeting_services.meeting_cancel(actor=actor_of(world.chair), meeting=world.next_meeting, reason="Voorzitter ziek")
    client = client_for(world.chair)
    response = client.post(
        f"/overleg/triage/{registration.pk}/toelaten/", {f"admit{registration.pk}-meeting": world.next_meeting.pk}
    )
    assert response.status_code == 422
    assert "afgelast" in html_of(response)
    response = client.post(f"/overleg/triage/{registration.pk}/afwijzen/", {f"decline{registration.pk}-reason": "nee"})
    assert response.status_code == 422
    assert "reden van de afwijzing" in html_of(response)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AANGEMELD
    assert not AgendaItem.objects.exists()


def test_triage_decline_tells_the_registrant(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    registration = register()
    response = client_for(world.chair).post(
        f"/overleg/triage/{registration.pk}/afwijzen/",
        {f"decline{registration.pk}-reason": "Past beter in het wijk-casusoverleg."},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AFGEWEZEN
    assert world.registrant.notifications.filter(kind="overleg.declined").exists()


def test_only_the_chair_triages(client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]) -> None:
    registration = register()
    for user in (world.member, world.registrant, world.outsider, stranger()):
        client = client_for(user)
        assert "Gezin Bakker" not in html_of(client.get("/overleg/triage/"))
        assert (
            client.post(
                f"/overleg/triage/{registration.pk}/toelaten/",
                {f"admit{registration.pk}-meeting": world.next_meeting.pk},
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/overleg/triage/{registration.pk}/afwijzen/",
                {f"decline{registration.pk}-reason": "Past beter elders, echt waar."},
            ).status_code
            == 404
        )
    assert client_for(world.beleid).get("/overleg/triage/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.AANGEMELD


# --- one registration -------------------------------------------------------------------------


def test_registration_page_and_leaving_the_overleg(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    client = client_for(world.chair)
    url = f"/overleg/aanmeldingen/{admitted.pk}/"
    page = html_of(client.get(url))
    assert "Casus uit het overleg halen" in page
    assert AuditEvent.objects.filter(object_type="overleg.registration", object_id=str(admitted.pk)).exists()
    response = client.post(url + "afsluiten/", {"close-reason": "kort", "close-follow_up": "Wijkteam"})
    assert response.status_code == 422
    response = client.post(
        url + "afsluiten/",
        {
            "close-reason": "Veiligheid is hersteld, hulp loopt.",
            "close-follow_up": "De wijkcoach blijft in contact.",
            "close-follow_up_organisation": world.wijkteam.pk,
            "close-version": admitted.version,
        },
    )
    assert response.status_code == 302
    admitted.refresh_from_db()
    assert admitted.status == RegistrationStatus.AFGESLOTEN
    assert admitted.follow_up_organisation == world.wijkteam
    assert "De wijkcoach blijft in contact." in html_of(client.get(url))


def test_registration_page_is_404_for_outsiders(
    client_for: ClientFor, world: World, register: Callable[..., CaseRegistration]
) -> None:
    registration = register()
    assert client_for(world.registrant).get(f"/overleg/aanmeldingen/{registration.pk}/").status_code == 200
    for user in (world.outsider, world.member, world.beleid, stranger()):
        assert client_for(user).get(f"/overleg/aanmeldingen/{registration.pk}/").status_code == 404


def test_casusregisseur_from_the_item_page_returns_there(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    item = agenda_item_of(admitted)
    response = client_for(world.chair).post(
        f"/overleg/aanmeldingen/{admitted.pk}/casusregisseur/",
        {
            "regie-casusregisseur": world.member.pk,
            "regie-version": admitted.version,
            "next": f"/overleg/agendapunten/{item.pk}/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/overleg/agendapunten/{item.pk}/"
    admitted.refresh_from_db()
    assert admitted.casusregisseur == world.member
