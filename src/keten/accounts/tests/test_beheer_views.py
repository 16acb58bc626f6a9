"""Beheer pages over HTTP: forms with Dutch errors, POST-redirect-GET, secrets shown once."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.urls import reverse

from keten.accounts.models import ApiClient, Organisation, Role, User
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_overview_links_every_beheer_section(client_for, beheerder):
    content = client_for(beheerder).get(reverse("accounts:beheer")).content.decode()
    for name in ("beheer_organisations", "beheer_users", "beheer_wijken", "beheer_user_create"):
        assert reverse(f"accounts:{name}") in content


def test_new_organisation_is_offered_only_to_whom_may_make_one(client_for, beheerder, partner_beheerder):
    """The gemeente's beheer makes organisations; a partner organisation's beheerder only lists them."""
    create = reverse("accounts:beheer_organisation_create")
    listing = reverse("accounts:beheer_organisations")
    assert f'href="{create}"' in client_for(beheerder).get(listing).content.decode()
    assert client_for(beheerder).get(create).status_code == 200
    partner_page = client_for(partner_beheerder).get(listing)
    assert partner_page.status_code == 200
    assert create not in partner_page.content.decode()
    assert client_for(partner_beheerder).get(create).status_code == 404


def test_create_organisation_then_duplicate_shows_error_next_to_field(client_for, beheerder, wijk):
    client = client_for(beheerder)
    url = reverse("accounts:beheer_organisation_create")
    data = {"name": "Kinderopvang De Hoek", "type": "kinderopvang", "wijken": [wijk.pk], "email": "info@hoek.example"}
    response = client.post(url, data)
    organisation = Organisation.objects.get(name="Kinderopvang De Hoek")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:beheer_organisation", args=[organisation.pk])
    page = client.get(response["Location"]).content.decode()
    assert "is aangemaakt" in page
    assert wijk.name in page

    again = client.post(url, data)
    assert again.status_code == 422
    text = again.content.decode()
    assert "Er is in uw gemeente al een organisatie met deze naam." in text
    assert "utrecht-form-field--invalid" in text
    assert Organisation.objects.filter(name="Kinderopvang De Hoek").count() == 1


def test_empty_post_shows_required_errors(client_for, beheerder):
    response = client_for(beheerder).post(reverse("accounts:beheer_wijk_create"), {})
    assert response.status_code == 422
    assert "Controleer de volgende punten" in response.content.decode()


def test_create_professional_shows_no_password_and_mails_a_link(client_for, partner_beheerder, partner, team):
    from django.core import mail

    client = client_for(partner_beheerder)
    response = client.post(
        reverse("accounts:beheer_user_create"),
        {
            "username": "p.pieters",
            "first_name": "Petra",
            "last_name": "Pieters",
            "email": "p.pieters@jgz.example.org",
            "organisation": partner.pk,
            "team": team.pk,
            "role": Role.PROFESSIONAL,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="p.pieters")
    assert not user.has_usable_password()
    first = client.get(response["Location"])
    assert first["Cache-Control"].startswith("max-age=0")
    text = first.content.decode()
    assert "keten-secret" not in text
    assert "instellink" in text
    [message] = mail.outbox
    assert message.to == ["p.pieters@jgz.example.org"]
    assert "/account/instellen/" not in text


def test_create_professional_bad_input_creates_nothing(client_for, beheerder, partner, worker):
    client = client_for(beheerder)
    before = User.objects.count()
    response = client.post(
        reverse("accounts:beheer_user_create"),
        {
            "username": worker.username,
            "first_name": "Dubbel",
            "last_name": "Ganger",
            "email": "ander@example.org",
            "organisation": partner.pk,
            "role": Role.PROFESSIONAL,
        },
    )
    assert response.status_code == 422
    assert "Deze gebruikersnaam is al in gebruik" in response.content.decode()
    assert User.objects.count() == before


def test_search_professionals(client_for, partner_beheerder, worker):
    client = client_for(partner_beheerder)
    found = client.get(reverse("accounts:beheer_users"), {"q": worker.last_name}).content.decode()
    assert f">{worker.username}<" in found
    assert f">{partner_beheerder.username}<" not in found
    inactive = client.get(reverse("accounts:beheer_users"), {"status": "inactief"}).content.decode()
    assert f">{worker.username}<" not in inactive


def test_deactivate_yourself_is_refused_with_a_message(client_for, beheerder):
    client = client_for(beheerder)
    response = client.post(reverse("accounts:beheer_user_deactivate", args=[beheerder.pk]), follow=True)
    assert "U kunt uw eigen account niet deactiveren." in response.content.decode()
    beheerder.refresh_from_db()
    assert beheerder.is_active


def test_deactivated_professional_is_logged_out(client_for, partner_beheerder, worker):
    worker_client = client_for(worker)
    assert worker_client.get(reverse("shell:dashboard")).status_code == 200
    client_for(partner_beheerder).post(reverse("accounts:beheer_user_deactivate", args=[worker.pk]))
    response = worker_client.get(reverse("shell:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


def test_account_reset_needs_a_reason_and_ends_the_session(client_for, beheerder, gemeente_worker):
    worker_client = client_for(gemeente_worker)
    url = reverse("accounts:beheer_user_reset", args=[gemeente_worker.pk])
    refused = client_for(beheerder).post(url, {"reason": "kwijt"})
    assert refused.status_code == 422
    assert not AuditEvent.objects.filter(object_type="account_reset").exists()
    done = client_for(beheerder).post(url, {"reason": "Telefoon gestolen, gemeld bij de servicedesk"})
    assert done.status_code == 302
    event = AuditEvent.objects.get(object_type="account_reset")
    assert event.reason.startswith("Telefoon gestolen")
    response = worker_client.get(reverse("shell:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


def test_membership_role_change_and_end_over_http(client_for, partner_beheerder, worker, worker_membership):
    client = client_for(partner_beheerder)
    client.post(reverse("accounts:beheer_membership_role", args=[worker_membership.pk]), {"role": Role.TEAMLEIDER})
    worker_membership.refresh_from_db()
    assert worker_membership.role == Role.TEAMLEIDER
    client.post(reverse("accounts:beheer_membership_end", args=[worker_membership.pk]))
    worker_membership.refresh_from_db()
    assert not worker_membership.is_active


def test_own_last_beheer_role_cannot_be_ended_over_http(client_for, beheerder):
    own = beheerder.memberships.get()
    response = client_for(beheerder).post(reverse("accounts:beheer_membership_end", args=[own.pk]), follow=True)
    assert "Hiermee verliest u zelf uw rol als functioneel beheerder" in response.content.decode()
    own.refresh_from_db()
    assert own.is_active


# --- API clients --------------------------------------------------------------------------------


def _create_client_over_http(client, organisation: Organisation) -> tuple[ApiClient, str]:
    response = client.post(
        reverse("accounts:beheer_api_client_create", args=[organisation.pk]),
        {"name": "Cliëntsysteem JGZ", "scopes": ["organisations:read"]},
    )
    assert response.status_code == 302
    api_client = ApiClient.objects.get(name="Cliëntsysteem JGZ")
    page = client.get(response["Location"]).content.decode()
    token = page.split('id="keten-secret">', 1)[1].split("<", 1)[0]
    assert "keten-secret" not in client.get(response["Location"]).content.decode()
    return api_client, token


def test_api_client_token_authenticates_and_revoked_token_gets_uniform_401(client_for, beheerder, partner):
    from django.test import Client

    browser = client_for(beheerder)
    api_client, token = _create_client_over_http(browser, partner)
    assert api_client.token_hash == hash_token(token)
    assert token not in api_client.token_prefix + api_client.token_hash

    api = Client()
    ok = api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert ok.status_code == 200
    assert partner.name in [o["name"] for o in ok.json()["results"]]

    browser.post(reverse("accounts:beheer_api_client_revoke", args=[api_client.pk]))
    refused = api.get("/api/v1/organisations/", HTTP_AUTHORIZATION=f"Token {token}")
    assert refused.status_code == 401
    body = refused.json()
    assert set(body) == {"status", "code", "detail", "errors", "request_id"}
    assert body["status"] == 401
    assert body["code"] == "authentication_failed"


def test_api_client_scopes_form_rejects_empty_choice(client_for, beheerder, api_client):
    response = client_for(beheerder).post(reverse("accounts:beheer_api_client", args=[api_client.pk]), {})
    assert response.status_code == 422
    api_client.refresh_from_db()
    assert api_client.scopes == ["organisations:read"]


def _state_of(html: str) -> str:
    import re

    found = re.search(r'name="version" value="([0-9]+)"', html)
    assert found, "the edit form carries the version it was filled with"
    return found.group(1)


def test_two_beheerders_editing_the_same_organisation_get_a_conflict(client_for, beheerder, partner):
    url = reverse("accounts:beheer_organisation_edit", args=[partner.pk])
    first, second = client_for(beheerder), client_for(beheerder)
    state = _state_of(first.get(url).content.decode())
    assert _state_of(second.get(url).content.decode()) == state
    data = {"name": "JGZ Teststad", "type": partner.type, "phone": "020-1234567", "email": "", "version": state}
    assert first.post(url, data).status_code == 302
    late = second.post(url, {**data, "phone": "020-7654321"})
    assert late.status_code == 409
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in late.content.decode()
    partner.refresh_from_db()
    assert partner.phone == "020-1234567"  # the later save changed nothing
    fresh = _state_of(second.get(url).content.decode())
    assert second.post(url, {**data, "phone": "020-7654321", "version": fresh}).status_code == 302


def test_stale_team_and_professional_edits_are_refused(client_for, beheerder, partner_beheerder, team, worker):
    client = client_for(beheerder)
    team_url = reverse("accounts:beheer_team_edit", args=[team.pk])
    team_state = _state_of(client.get(team_url).content.decode())
    user_client = client_for(partner_beheerder)
    user_url = reverse("accounts:beheer_user_edit", args=[worker.pk])
    user_state = _state_of(user_client.get(user_url).content.decode())
    type(team).objects.filter(pk=team.pk).update(name="JGZ Noord-Oost", version=F("version") + 1)
    User.objects.filter(pk=worker.pk).update(last_name="Anders", version=F("version") + 1)
    assert client.post(team_url, {"name": "JGZ Zuid", "wijk": "", "version": team_state}).status_code == 409
    team.refresh_from_db()
    assert team.name == "JGZ Noord-Oost"
    user_data = {
        "username": worker.username,
        "first_name": "W",
        "last_name": "Erker",
        "email": worker.email,
        "phone": "",
        "job_title": "",
        "version": user_state,
    }
    assert user_client.post(user_url, user_data).status_code == 409
    worker.refresh_from_db()
    assert worker.last_name == "Anders"
