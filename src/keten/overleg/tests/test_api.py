"""Overleg API: the main reads and writes, uniform errors, 404 for outsiders, nothing half-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.overleg.models import AgendaItem, Agreement, CaseRegistration, RegistrationStatus
from keten.overleg.tests.conftest import World

ERROR_KEYS = {"status", "code", "detail", "errors", "request_id"}
ClientFor = Callable[[User], Client]
ActorOf = Callable[[User], Actor]
API = "/api/v1/overleg/"


def _post(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data, content_type="application/json")


def _register_payload(world: World, **kw: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "overleg_type": world.overleg.pk,
        "dossier": world.dossier.reference,
        "reason": "Zorgen over veiligheid van de kinderen na een incident.",
        "goal": "Afspraken over bescherming en hulp.",
        "process_step": world.steps[0].pk,
        "partners": [world.politie.pk],
    }
    payload.update(kw)
    return payload


def test_anonymous_gets_the_uniform_401(world: World) -> None:
    response = Client().get(API + "types/")
    assert response.status_code == 401
    assert set(response.json()) == ERROR_KEYS


def test_types_list(world: World, client_for: ClientFor) -> None:
    response = client_for(world.member).get(API + "types/")
    assert response.status_code == 200
    [row] = response.json()
    assert row["name"] == world.overleg.name
    assert row["weekdays"] == [2, 4]
    assert [s["name"] for s in row["steps"]] == ["Signalering", "Inzet hulp", "Monitoring"]


def test_register_admit_agree_close_flow(world: World, client_for: ClientFor) -> None:
    prof = client_for(world.registrant)
    response = _post(prof, API + "registrations/", _register_payload(world))
    assert response.status_code == 201, response.json()
    reg = response.json()
    assert reg["status"] == "aangemeld"
    assert reg["partners"] == [world.politie.pk]

    chair = client_for(world.chair)
    queue = chair.get(API + "registrations/?status=aangemeld").json()
    assert [r["id"] for r in queue] == [reg["id"]]
    response = _post(
        chair,
        API + f"registrations/{reg['id']}/admit/",
        {"meeting": world.now_meeting.pk, "version": reg["version"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "toegelaten"

    member = client_for(world.member)
    page = member.get(API + f"meetings/{world.now_meeting.pk}/").json()
    [row] = page["agenda"]
    assert row["goal"] == "Afspraken over bescherming en hulp."
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = _post(
        member,
        API + "agreements/",
        {"agenda_item": row["agenda_item"], "what": "Huisbezoek", "due_on": due, "owner_user": world.member.pk},
    )
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert agreement["meeting"] == world.now_meeting.pk

    mine = member.get(API + "agreements/").json()
    assert [a["id"] for a in mine] == [agreement["id"]]

    response = member.patch(
        API + f"agreements/{agreement['id']}/",
        {"version": 1, "what": "Huisbezoek met wijkagent"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert [h["kind"] for h in response.json()["history"]] == ["created", "updated"]
    # A second edit on the version loaded before: conflict, nothing changes.
    response = chair.patch(
        API + f"agreements/{agreement['id']}/", {"version": 1, "what": "Iets anders"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert set(response.json()) == ERROR_KEYS
    assert Agreement.objects.get(pk=agreement["id"]).what == "Huisbezoek met wijkagent"

    response = _post(
        member, API + f"agreements/{agreement['id']}/close/", {"version": 2, "status": "done", "result": "Gedaan"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"


def test_bad_input_gets_dutch_field_errors_and_writes_nothing(world: World, client_for: ClientFor) -> None:
    prof = client_for(world.registrant)
    response = _post(prof, API + "registrations/", _register_payload(world, reason="kort"))
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert "reason" in body["errors"]
    assert not CaseRegistration.objects.exists()


def test_registering_an_invisible_dossier_is_404(world: World, client_for: ClientFor) -> None:
    response = _post(client_for(world.outsider), API + "registrations/", _register_payload(world))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not CaseRegistration.objects.exists()


def test_agreement_without_owner_or_in_the_past(
    world: World, admitted: CaseRegistration, client_for: ClientFor
) -> None:
    item = AgendaItem.objects.get(registration=admitted)
    member = client_for(world.member)
    response = _post(
        member,
        API + "agreements/",
        {"agenda_item": item.pk, "what": "Huisbezoek", "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "owner" in response.json()["errors"]
    response = _post(
        member,
        API + "agreements/",
        {"agenda_item": item.pk, "what": "Huisbezoek", "due_on": "2020-01-01", "owner_user": world.member.pk},
    )
    assert response.status_code == 400
    assert "due_on" in response.json()["errors"]
    response = _post(
        client_for(world.outsider),
        API + "agreements/",
        {"agenda_item": item.pk, "what": "Huisbezoek", "due_on": "2030-01-01", "owner_user": world.member.pk},
    )
    assert response.status_code == 404
    assert not Agreement.objects.exists()


def test_outsiders_get_404_on_cases_and_triage(world: World, admitted: CaseRegistration, client_for: ClientFor) -> None:
    outsider = client_for(world.outsider)
    assert outsider.get(API + f"registrations/{admitted.pk}/").status_code == 404
    assert outsider.get(API + "registrations/").json() == []
    response = _post(
        client_for(world.member),
        API + f"registrations/{admitted.pk}/decline/",
        {"reason": "Nee dus, echt niet", "version": 2},
    )
    assert response.status_code == 404
    page = outsider.get(API + f"meetings/{world.now_meeting.pk}/").json()
    assert page["agenda"] == []
    assert page["hidden"] == 1
    admitted.refresh_from_db()
    assert admitted.status == RegistrationStatus.TOEGELATEN


def test_admit_on_a_cancelled_meeting(world: World, register: Callable, client_for: ClientFor) -> None:
    reg = register()
    from keten.overleg.models import Meeting, MeetingStatus

    Meeting.objects.filter(pk=world.next_meeting.pk).update(status=MeetingStatus.CANCELLED)
    response = _post(
        client_for(world.chair),
        API + f"registrations/{reg.pk}/admit/",
        {"meeting": world.next_meeting.pk, "version": 1},
    )
    assert response.status_code == 400
    assert "afgelast" in response.json()["errors"]["meeting"][0]


def test_meetings_list_and_reads_audited(world: World, admitted: CaseRegistration, client_for: ClientFor) -> None:
    member = client_for(world.member)
    rows = member.get(API + "meetings/?days=7").json()
    assert {r["id"] for r in rows} == {world.now_meeting.pk, world.next_meeting.pk}
    assert member.get(API + "meetings/?from=gisteren").status_code == 400
    before = AuditEvent.objects.filter(object_type="overleg.registration", action="view").count()
    assert member.get(API + f"registrations/{admitted.pk}/").status_code == 200
    assert AuditEvent.objects.filter(object_type="overleg.registration", action="view").count() == before + 1
