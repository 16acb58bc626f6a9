"""Existence look-ups in the dossier and person forms: a person known in a dossier the user cannot see
is a "hit" — audited with the family pseudonym, limited per user, only within the own municipality —
and the user may ask the regievoerder for access instead of learning a bare fact."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from keten.accounts.models import Role
from keten.core.models import AuditEvent, RateCounter
from keten.dossiers import models
from keten.dossiers.models import CaseTeamMember, Person
from keten.notifications.models import Notification
from keten.testing.auth import login_verified
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

BSN = "999994669"  # the BSN of the child in the ``dossier`` fixture (Gezin Bakker)
KNOWN = "bekend in Keten"
TOO_MANY = "te vaak"
REQUESTS = "/dossiers/toegangsverzoeken/"


def _create(client: Client, bsn: str = BSN, **extra: str):
    data = {"family_name": "Gezin Nieuw", "relation": "kind", "first_name": "Sam", "last_name": "Nieuw", "bsn": bsn}
    data.update(extra)
    return client.post("/dossiers/nieuw/", data)


def _elsewhere_user(role: str = Role.PROFESSIONAL):
    municipality = MunicipalityFactory(name="Gemeente Elders", cbs_code="GM0002")
    return make_user(role, OrganisationFactory(municipality=municipality))


def _hits():
    return AuditEvent.objects.filter(object_type="person_lookup")


# --- audited, limited, scoped ---------------------------------------------------------------


def test_a_hidden_bsn_hit_is_audited_with_the_family_pseudonym(client_for, outsider, dossier):
    response = _create(client_for(outsider))
    assert response.status_code == 422
    assert KNOWN in response.content.decode()
    event = _hits().get()
    assert event.actor_id == outsider.pk
    assert event.client_pseudonym == dossier.family.pseudonym
    assert event.details == {"result": "hit", "field": "bsn"}
    assert BSN not in event.object_id + event.reason + str(event.details)
    # Nothing says where: no reference, family name or member.
    text = response.content.decode()
    assert dossier.reference not in text
    assert "Bakker" not in text


def test_a_hidden_name_and_birth_date_hit_is_audited_too(client_for, outsider, dossier):
    child = dossier.family.persons.get()
    data = {"first_name": child.first_name, "last_name": child.last_name, "date_of_birth": "2016-05-01", "bsn": ""}
    response = _create(client_for(outsider), **data)
    assert response.status_code == 422
    assert _hits().get().client_pseudonym == dossier.family.pseudonym


def test_the_person_form_and_a_bsn_change_count_as_hits(client_for, outsider, dossier):
    own = make_dossier(outsider)
    client = client_for(outsider)
    added = client.post(
        f"/dossiers/{own.reference}/personen/nieuw/",
        {"relation": "kind", "first_name": "Mo", "last_name": "Nieuw", "bsn": BSN},
    )
    assert added.status_code == 422
    person = own.family.persons.get()
    changed = client.post(
        f"/dossiers/{own.reference}/personen/{person.pseudonym}/",
        {"relation": "kind", "first_name": person.first_name, "last_name": "Jansen", "bsn": BSN, "version": "1"},
    )
    assert changed.status_code == 422
    assert KNOWN in changed.content.decode()
    assert list(_hits().values_list("client_pseudonym", flat=True)) == [dossier.family.pseudonym] * 2


def test_hits_are_limited_to_twenty_an_hour_then_refused_with_a_clear_message(client_for, outsider, dossier):
    client = client_for(outsider)
    for _ in range(20):
        assert KNOWN in _create(client).content.decode()
    refused = _create(client)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert TOO_MANY in text
    assert KNOWN not in text
    # Once over the limit every look-up is refused, found or not: the refusal itself tells nothing.
    assert TOO_MANY in _create(client, bsn="999990019").content.decode()
    assert Person.objects.count() == 1
    assert _hits().filter(details__result="hit").count() == 20
    assert _hits().filter(details__result="refused").count() == 2
    api = client.post(
        "/api/v1/dossiers/",
        {
            "family_name": "Gezin Nieuw",
            "persons": [{"relation": "kind", "first_name": "S", "last_name": "N", "bsn": BSN}],
        },
        content_type="application/json",
    )
    assert api.status_code == 429
    body = api.json()
    assert body["code"] == "throttled"
    assert TOO_MANY in body["detail"]
    assert set(body) == {"status", "code", "detail", "errors", "request_id"}


def test_the_limit_is_per_user(client_for, outsider, dossier):
    for _ in range(21):
        _create(client_for(outsider))
    colleague = make_user(Role.PROFESSIONAL, outsider.active_membership.organisation)
    assert KNOWN in _create(client_for(colleague)).content.decode()


def test_a_bsn_known_only_in_another_municipality_is_not_a_hit(client_for, dossier):
    stranger = _elsewhere_user()
    response = _create(client_for(stranger))
    assert response.status_code == 302
    assert not _hits().exists()
    assert Person.objects.filter(bsn_index=dossier.family.persons.get().bsn_index).count() == 2
    # And within that other municipality the BSN is now known like any other.
    colleague = make_user(Role.PROFESSIONAL, stranger.active_membership.organisation)
    assert KNOWN in _create(client_for(colleague)).content.decode()


def test_visible_duplicates_are_listed_and_not_counted_as_hits(client_for, professional, dossier):
    response = _create(client_for(professional))
    assert response.status_code == 422
    assert dossier.reference in response.content.decode()
    assert not _hits().exists()


@pytest.mark.django_db(transaction=True)
def test_the_hit_and_its_count_survive_the_refused_request():
    organisation = OrganisationFactory(name="Wijkteam Noord")
    owner = make_user(Role.PROFESSIONAL, organisation)
    dossier = make_dossier(owner, bsn=BSN)
    outsider = make_user(Role.PROFESSIONAL, organisation)
    response = _create(login_verified(Client(), outsider))
    assert response.status_code == 422
    assert _hits().get().client_pseudonym == dossier.family.pseudonym
    assert RateCounter.objects.filter(key=f"existence:user:{outsider.pk}").get().count == 1


# --- asking the regievoerder for access -----------------------------------------------------


def _ask(client: Client, motivation: str = "Ik ben de nieuwe jeugdarts van dit kind."):
    refused = _create(client)
    text = refused.content.decode()
    assert "Vraag de regievoerder om toegang" in text
    token = re.search(r'name="token" value="([^"]+)"', text)
    assert token is not None
    return client.post(f"{REQUESTS}nieuw/", {"token": token.group(1), "motivation": motivation})


def test_requester_asks_and_the_regievoerder_accepts(
    client_for, professional, outsider, dossier, django_capture_on_commit_callbacks
):
    requester = client_for(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        asked = _ask(requester)
    assert asked.status_code == 302
    request = models.AccessRequest.objects.get()
    assert (request.requester_id, request.dossier_id, request.status) == (outsider.pk, dossier.pk, "open")
    told = Notification.objects.get(kind="access_request", recipient=professional)
    assert told.link == REQUESTS
    assert "Ik ben de nieuwe jeugdarts" not in told.title + told.body
    # The requester learns nothing of the dossier before it is accepted.
    mine = requester.get(REQUESTS).content.decode()
    for secret in (dossier.reference, "Bakker", professional.last_name, dossier.family.pseudonym):
        assert secret not in mine
    assert "Ik ben de nieuwe jeugdarts" in mine
    # The regievoerder sees the request and accepts it.
    regie = client_for(professional)
    listed = regie.get(REQUESTS).content.decode()
    assert dossier.reference in listed
    assert outsider.last_name in listed
    with django_capture_on_commit_callbacks(execute=True):
        accepted = regie.post(f"{REQUESTS}{request.pk}/beslissen/", {"decision": "accept", "case_role": "hulpverlener"})
    assert accepted.status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted"
    assert request.decided_by_id == professional.pk
    assert request.decided_at is not None
    assert CaseTeamMember.objects.filter(dossier=dossier, user=outsider, ended_at__isnull=True).exists()
    assert Notification.objects.filter(kind="access_request_decided", recipient=outsider).exists()
    assert requester.get(f"/dossiers/{dossier.reference}/").status_code == 200
    assert dossier.reference in requester.get(REQUESTS).content.decode()
    steps = list(AuditEvent.objects.filter(object_type="access_request").order_by("id"))
    assert [e.details["step"] for e in steps] == ["requested", "accepted"]
    assert {e.client_pseudonym for e in steps} == {dossier.family.pseudonym}


def test_the_regievoerder_declines_and_the_requester_learns_it(
    client_for, professional, outsider, dossier, django_capture_on_commit_callbacks
):
    requester = client_for(outsider)
    _ask(requester)
    request = models.AccessRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        declined = client_for(professional).post(f"{REQUESTS}{request.pk}/beslissen/", {"decision": "decline"})
    assert declined.status_code == 302
    request.refresh_from_db()
    assert request.status == "declined"
    assert not CaseTeamMember.objects.filter(dossier=dossier, user=outsider).exists()
    outcome = Notification.objects.get(kind="access_request_decided", recipient=outsider)
    assert dossier.reference not in outcome.title + outcome.body + outcome.link
    mine = requester.get(REQUESTS).content.decode()
    assert "Afgewezen" in mine
    assert dossier.reference not in mine
    # A decided request cannot be decided again.
    again = client_for(professional).post(f"{REQUESTS}{request.pk}/beslissen/", {"decision": "accept"})
    assert again.status_code == 422
    assert models.AccessRequest.objects.get().status == "declined"


def test_a_request_needs_a_motivation_and_a_fresh_token(client_for, outsider, dossier):
    client = client_for(outsider)
    assert _ask(client, motivation="").status_code == 422
    forged = client.post(f"{REQUESTS}nieuw/", {"token": "verzonnen", "motivation": "Ik wil graag toegang."})
    assert forged.status_code == 422
    assert not models.AccessRequest.objects.exists()


def test_only_the_regievoerder_decides(client_for, professional, outsider, dossier):
    _ask(client_for(outsider))
    request = models.AccessRequest.objects.get()
    team_member = make_user(Role.PROFESSIONAL, professional.active_membership.organisation)
    CaseTeamMember.objects.create(
        dossier=dossier,
        user=team_member,
        organisation=professional.active_membership.organisation,
        case_role="hulpverlener",
    )
    others = [
        outsider,  # the requester
        make_user(Role.PROFESSIONAL, professional.active_membership.organisation),  # not on the case team
        team_member,  # on the case team, not the regievoerder
        _elsewhere_user(),  # another municipality
        _elsewhere_user(Role.AANDACHTSFUNCTIONARIS),
    ]
    for user in others:
        client = client_for(user)
        assert client.post(f"{REQUESTS}{request.pk}/beslissen/", {"decision": "accept"}).status_code == 404
        assert dossier.reference not in client.get(REQUESTS).content.decode()
    assert models.AccessRequest.objects.get().status == "open"


ROLES = [*Role.values, "superuser"]


@pytest.mark.parametrize("role", ROLES)
def test_access_request_pages_only_for_case_roles(role, client_for, outsider, dossier):
    _ask(client_for(outsider))
    request = models.AccessRequest.objects.get()
    if role == "superuser":
        user = make_user(Role.FUNCTIONEEL_BEHEERDER, OrganisationFactory(), is_superuser=True, is_staff=True)
    else:
        user = make_user(role, OrganisationFactory())
    client = login_verified(Client(), user)
    case_role = role in (Role.PROFESSIONAL, Role.AANDACHTSFUNCTIONARIS, Role.TEAMLEIDER, Role.VEILIG_THUIS)
    assert client.get(REQUESTS).status_code == (200 if case_role else 404)
    response = client.post(f"{REQUESTS}nieuw/", {"token": "x", "motivation": "Graag toegang tot dit dossier."})
    assert response.status_code == (422 if case_role else 404)
    # Nobody but the dossier's regievoerder decides, whatever their role.
    assert client.post(f"{REQUESTS}{request.pk}/beslissen/", {"decision": "accept"}).status_code == 404
    assert dossier.reference not in client.get(REQUESTS).content.decode()


def test_asking_twice_for_the_same_dossier_is_refused_with_a_clear_message(client_for, outsider, dossier):
    client = client_for(outsider)
    assert _ask(client).status_code == 302
    again = _ask(client)
    assert again.status_code == 422
    assert "al om toegang gevraagd" in again.content.decode()
    assert models.AccessRequest.objects.count() == 1
