"""Permission matrix: every role × every dossier action × on / off the case team.

Client data is reachable only for case roles on the case team (or with break-the-glass). For
everything else the answer is 404, as if the dossier did not exist. A superuser is not special.
"""

from __future__ import annotations

import pytest
from django.test import Client

from keten.accounts.models import CASE_ROLES, Role
from keten.dossiers.models import CaseRole, CaseTeamMember
from keten.testing.auth import login_verified
from keten.testing.factories import OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

ROLES = [*Role.values, "superuser"]

# action -> (method, path template, data)
ACTIONS = {
    "detail": ("get", "/dossiers/{ref}/", None),
    "edit": ("post", "/dossiers/{ref}/wijzigen/", {"summary": "x", "status": "open", "version": "1"}),
    "note": ("post", "/dossiers/{ref}/notities/nieuw/", {"text": "Gesprek gevoerd met school."}),
    "person_form": ("get", "/dossiers/{ref}/personen/nieuw/", None),
    "team_form": ("get", "/dossiers/{ref}/casusteam/nieuw/", None),
    "api_detail": ("get", "/api/v1/dossiers/{ref}/", None),
    "api_note": ("post", "/api/v1/dossiers/{ref}/notes/", {"text": "Via de API."}),
}
SUCCESS = {
    "detail": 200,
    "edit": 302,
    "note": 302,
    "person_form": 200,
    "team_form": 200,
    "api_detail": 200,
    "api_note": 201,
}


def _user_for(role: str):
    organisation = OrganisationFactory()
    if role == "superuser":
        return make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, is_superuser=True, is_staff=True)
    return make_user(role, organisation)


@pytest.mark.parametrize("on_team", [True, False], ids=["on-team", "off-team"])
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_dossier_actions(role, action, on_team):
    owner = make_user(Role.PROFESSIONAL)
    dossier = make_dossier(owner)
    user = _user_for(role)
    if on_team:
        # Put the user on the team directly (the service would refuse non-case roles): the policy
        # must still hold when the data says otherwise.
        CaseTeamMember.objects.create(
            dossier=dossier,
            user=user,
            organisation=user.active_membership.organisation,
            case_role=CaseRole.HULPVERLENER,
        )
    method, path, data = ACTIONS[action]
    client = login_verified(Client(), user)
    url = path.format(ref=dossier.reference)
    if action.startswith("api_"):
        response = getattr(client, method)(url, data=data, content_type="application/json")
    else:
        response = getattr(client, method)(url, data=data)
    allowed = on_team and role in CASE_ROLES
    expected = SUCCESS[action] if allowed else 404
    assert response.status_code == expected, (role, action, on_team, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_list_search_and_api_list_only_show_team_dossiers(role):
    user = _user_for(role)
    mine = make_dossier(user) if role in CASE_ROLES else None
    other = make_dossier(make_user(Role.PROFESSIONAL), bsn="999990019")
    client = login_verified(Client(), user)
    page = client.get("/dossiers/", {"q": ""})
    api = client.get("/api/v1/dossiers/")
    search = client.post("/dossiers/", {"q": "999990019"})
    if role in CASE_ROLES:
        assert page.status_code == 200
        assert mine.reference in page.content.decode()
        assert [r["reference"] for r in api.json()["results"]] == [mine.reference]
        assert other.reference not in search.content.decode()
    else:
        assert page.status_code == 404
        assert api.json()["count"] == 0
        assert search.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_break_the_glass_only_for_case_roles(role):
    dossier = make_dossier(make_user(Role.PROFESSIONAL))
    client = login_verified(Client(), _user_for(role))
    response = client.post(
        "/dossiers/noodtoegang/", {"reference": dossier.reference, "reason": "Acute zorg, regievoerder afwezig"}
    )
    assert response.status_code == (302 if role in CASE_ROLES else 404)


@pytest.mark.parametrize("role", ROLES)
def test_audit_log_only_for_aandachtsfunctionaris_and_beheerder(role):
    client = login_verified(Client(), _user_for(role))
    allowed = role in {Role.AANDACHTSFUNCTIONARIS, Role.FUNCTIONEEL_BEHEERDER, "superuser"}
    assert client.get("/audit/").status_code == (200 if allowed else 404)


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_never_shows_client_data_to_non_case_roles(role):
    user = _user_for(role)
    make_dossier(make_user(Role.PROFESSIONAL), family_name="Gezin Zichtbaarniet")
    response = login_verified(Client(), user).get("/")
    assert response.status_code == 200
    assert "Zichtbaarniet" not in response.content.decode()
