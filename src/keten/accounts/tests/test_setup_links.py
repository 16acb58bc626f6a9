"""Set-up links (issue 13, hole 2): a reset or a new account never shows or chooses a password.

The beheerder issues a single-use link, valid for 24 hours, that is e-mailed to the address on the
account; only a hash of its token is stored. The person opens it without signing in, chooses a
password and enrols a new authenticator app.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts import services
from keten.accounts.models import Role, SetupLink, User
from keten.core.crypto import hash_token
from keten.core.models import AuditEvent
from keten.testing.otp import code_for_key, links_in_outbox, secret_on_page, setup_link_path

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "paarse-olifant-danst-traag-42"


def _reset(client: Client, person: User):
    return client.post(
        reverse("accounts:beheer_user_reset", args=[person.pk]), {"reason": "Telefoon kwijt, teruggebeld"}
    )


def _complete(token: str, *, password: str = NEW_PASSWORD, client: Client | None = None):
    client = client or Client()
    page = client.get(setup_link_path(token))
    assert page.status_code == 200, page.content.decode()[:500]
    key = secret_on_page(page.content.decode())
    data = {"password1": password, "password2": password, "code": code_for_key(key)}
    return client, key, client.post(setup_link_path(token), data)


def test_reset_sends_a_link_and_never_shows_a_password(client_for, beheerder, gemeente_worker):
    browser = client_for(beheerder)
    response = _reset(browser, gemeente_worker)
    assert response.status_code == 302
    detail = browser.get(response["Location"]).content.decode()
    [token] = links_in_outbox(to=gemeente_worker.email)
    assert token not in detail
    assert "keten-secret" not in detail  # no password or secret block on the beheerder's page
    assert gemeente_worker.email in detail  # says where the link went
    # Only the token's hash is stored, and the audit log holds neither.
    link = SetupLink.objects.get(user=gemeente_worker)
    assert link.token_hash == hash_token(token)
    assert link.expires_at - link.created_at == timedelta(hours=24)
    assert not AuditEvent.objects.filter(details__icontains=token).exists()
    assert token not in json.dumps(list(SetupLink.objects.values()), default=str)
    event = AuditEvent.objects.get(object_type="setup_link")
    assert event.actor_id == beheerder.pk
    # The old password and the old authenticator app stop working at once.
    person = User.objects.get(pk=gemeente_worker.pk)
    assert not person.has_usable_password()
    assert not TOTPDevice.objects.filter(user=person).exists()


def test_the_person_chooses_a_password_and_enrols_a_new_app_through_the_link(client_for, beheerder, gemeente_worker):
    _reset(client_for(beheerder), gemeente_worker)
    [token] = links_in_outbox(to=gemeente_worker.email)
    _client, key, done = _complete(token)
    assert done.status_code == 200
    text = done.content.decode()
    assert text.count('<code class="utrecht-code">') == 10  # backup codes, shown once
    assert done["Cache-Control"].startswith("max-age=0")
    person = User.objects.get(pk=gemeente_worker.pk)
    assert person.check_password(NEW_PASSWORD)
    device = TOTPDevice.objects.get(user=person)
    assert device.confirmed
    assert device.bin_key == key
    assert StaticToken.objects.filter(device__user=person).count() == 10
    assert AuditEvent.objects.filter(action="mfa_enrol", actor=person).exists()
    # Single use: the link is spent.
    again = Client().get(setup_link_path(token))
    assert again.status_code == 404
    assert "werkt niet" in again.content.decode()


def test_bad_input_on_the_link_page_shows_dutch_errors_and_changes_nothing(client_for, beheerder, gemeente_worker):
    _reset(client_for(beheerder), gemeente_worker)
    [token] = links_in_outbox()
    client = Client()
    key = secret_on_page(client.get(setup_link_path(token)).content.decode())
    cases = [
        ({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x", "code": code_for_key(key)}, "password2"),
        ({"password1": "kort", "password2": "kort", "code": code_for_key(key)}, "password1"),
        ({"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "code": "000000"}, "code"),
        ({}, "password1"),
    ]
    for data, _field in cases:
        if data.get("code") == "000000" and code_for_key(key) == "000000":  # pragma: no cover
            continue
        response = client.post(setup_link_path(token), data)
        assert response.status_code == 422, data
        assert "Controleer de volgende punten" in response.content.decode()
    person = User.objects.get(pk=gemeente_worker.pk)
    assert not person.has_usable_password()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert SetupLink.objects.get(user=person).used_at is None


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked", "inactive"])
def test_a_link_that_does_not_work_answers_one_plain_page(case, client_for, beheerder, gemeente_worker):
    _reset(client_for(beheerder), gemeente_worker)
    [token] = links_in_outbox()
    if case == "unknown":
        token = token[:-4] + "AAAA"
    elif case == "expired":
        SetupLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        _reset(client_for(beheerder), gemeente_worker)  # a newer link replaces the older one
    else:
        User.objects.filter(pk=gemeente_worker.pk).update(is_active=False)
    client = Client()
    for response in (client.get(setup_link_path(token)), client.post(setup_link_path(token), {"code": "123456"})):
        assert response.status_code == 404
        text = response.content.decode()
        assert "werkt niet" in text
        assert "password1" not in text
    assert not User.objects.get(pk=gemeente_worker.pk).has_usable_password()


def test_the_link_page_is_rate_limited(settings):
    client = Client()
    statuses = [client.get(setup_link_path(f"onbekend{i}")).status_code for i in range(40)]
    assert statuses[0] == 404
    assert statuses[-1] == 429
    assert "Te veel pogingen" in client.get(setup_link_path("nogeen")).content.decode()


def test_a_new_account_gets_a_link_instead_of_a_password(client_for, partner_beheerder, partner):
    browser = client_for(partner_beheerder)
    response = browser.post(
        reverse("accounts:beheer_user_create"),
        {
            "username": "p.pieters",
            "first_name": "Petra",
            "last_name": "Pieters",
            "email": "p.pieters@jgz.example.org",
            "organisation": partner.pk,
            "role": Role.PROFESSIONAL,
        },
    )
    assert response.status_code == 302
    person = User.objects.get(username="p.pieters")
    assert not person.has_usable_password()
    [token] = links_in_outbox(to="p.pieters@jgz.example.org")
    assert token not in browser.get(response["Location"]).content.decode()
    assert "p.pieters" in mail.outbox[-1].body  # the username to sign in with later
    _client, _key, done = _complete(token)
    assert done.status_code == 200
    assert User.objects.get(pk=person.pk).check_password(NEW_PASSWORD)


def test_the_mail_is_sent_only_after_the_commit(
    actor_of, partner_beheerder, partner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_create(
            actor=actor_of(partner_beheerder),
            data=services.UserData(username="n.nieuw", first_name="N", last_name="Nieuw", email="n@example.org"),
            organisation_id=partner.pk,
            team_id=None,
            role=Role.PROFESSIONAL,
        )
    assert mail.outbox == []
    assert callbacks
    for callback in callbacks:
        callback()
    assert links_in_outbox(to="n@example.org")


def test_completing_a_link_while_someone_else_is_signed_in_ends_that_session(
    client_for, beheerder, gemeente_worker, professional
):
    _reset(client_for(beheerder), gemeente_worker)
    [token] = links_in_outbox()
    shared = client_for(professional)
    _client, _key, done = _complete(token, client=shared)
    assert done.status_code == 200
    assert shared.get(reverse("shell:dashboard")).status_code == 302
