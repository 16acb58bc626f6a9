"""Overleg pages over HTTP: one agreement (closing, concurrent edits 409), "my agreements"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.core.models import AuditAction, AuditEvent
from keten.overleg.agreements import services as agreement_services
from keten.overleg.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    CaseRegistration,
)
from keten.overleg.tests.conftest import World
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]


def _html(response: Any) -> str:
    return str(response.content.decode())


def _stranger() -> User:
    """A professional of another municipality: sees nothing of this one."""
    other = OrganisationFactory(name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders"))
    return make_user(Role.PROFESSIONAL, other, username="elders")


def _agreement(world: World, actor_of: ActorOf, item: AgendaItem, **kwargs: Any) -> Agreement:
    values: dict[str, Any] = {
        "what": "Huisbezoek afleggen en veiligheidsplan bespreken",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "owner_user_id": world.member.pk,
    }
    values.update(kwargs)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)


def _item(registration: CaseRegistration) -> AgendaItem:
    return AgendaItem.objects.get(registration=registration, state="on_agenda")


# --- agreements -----------------------------------------------------------------------------------


def test_agreement_page_close_with_result_and_conflict(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
    client = client_for(world.member)
    url = f"/overleg/afspraken/{agreement.pk}/"
    page = _html(client.get(url))
    assert "Huisbezoek afleggen" in page
    assert AuditEvent.objects.filter(object_type="overleg.agreement", action=AuditAction.VIEW).exists()
    # Someone else changed it meanwhile: the stale version is a conflict, nothing closed.
    agreement_services.agreement_update(
        actor=actor_of(world.chair), agreement=agreement, expected_version=1, what="Huisbezoek en schoolgesprek"
    )
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "Huisbezoek gedaan.", "c-version": 1})
    assert response.status_code == 409
    assert "Iemand anders heeft" in _html(response)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "", "c-version": 2})
    assert response.status_code == 422
    assert "Beschrijf het resultaat" in _html(response)
    response = client.post(url + "afronden/", {"c-status": "done", "c-result": "Huisbezoek gedaan.", "c-version": 2})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DONE
    assert "Uitgevoerd" in _html(client.get(url))


def test_agreement_update_conflict_keeps_the_input(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
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
    assert "Mijn eigen tekst" in _html(response)
    agreement.refresh_from_db()
    assert agreement.what == "Anders"


def test_agreement_pages_are_404_for_outsiders(
    client_for: ClientFor, world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = _agreement(world, actor_of, _item(admitted))
    for user in (world.outsider, world.beleid, _stranger()):
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
    agreement = _agreement(world, actor_of, _item(admitted))
    Agreement.objects.filter(pk=agreement.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    page = _html(client_for(world.member).get("/overleg/afspraken/"))
    assert "Huisbezoek afleggen" in page
    assert "verlopen" in page
    assert "1 afspraak is verlopen" in page
    assert AuditEvent.objects.filter(object_type="overleg.my_agreements").exists()
    chair_page = _html(client_for(world.chair).get("/overleg/afspraken/"))
    assert "Verlopen afspraken in overleggen die u voorzit" in chair_page
    assert "Huisbezoek afleggen" not in _html(client_for(world.outsider).get("/overleg/afspraken/"))
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
    item = _item(admitted)
    for n in range(3):
        due = timezone.localdate() + dt.timedelta(days=n)
        _agreement(world, actor_of, item, what=f"Afspraak nummer {n}", due_on=due)
    late = _agreement(world, actor_of, item, what="Afspraak te laat")
    Agreement.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    client = client_for(world.member)
    first = _html(client.get("/overleg/afspraken/"))
    second = _html(client.get("/overleg/afspraken/", {"pagina": "2"}))
    assert "4 open afspraken" in first
    assert "1 afspraak is verlopen" in second  # the counts cover every page
    assert "Pagina 1 van 2" in first
    assert "Afspraak te laat" in first  # earliest due first
    assert "Afspraak nummer 2" in second
    assert "Afspraak nummer 2" not in first
    assert client.get("/overleg/afspraken/", {"pagina": "x"}).status_code == 200
    assert "Afspraak nummer 2" in _html(client.get("/overleg/afspraken/", {"pagina": "9"}))
