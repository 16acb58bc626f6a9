"""A reset or a deactivation ends every session and every standing personal token (issue 13, hole 2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from keten.accounts import services
from keten.accounts.models import User
from keten.core.mfa import OIDC_BACKEND
from keten.overleg.calendar.services import calendar_feed_create
from keten.overleg.models import CalendarFeed

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso(settings):
    settings.KETEN_OIDC_ENABLED = True
    settings.KETEN_OIDC_TRUSTS_MFA = True
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]


def _sso_client(user: User) -> Client:
    """A session made by a single sign-on whose provider is trusted for the second factor."""
    client = Client()
    client.force_login(user, backend=OIDC_BACKEND)
    return client


def test_deactivation_ends_a_single_sign_on_session(sso, client_for, beheerder, gemeente_worker):
    client = _sso_client(gemeente_worker)
    assert client.get(reverse("shell:dashboard")).status_code == 200
    client_for(beheerder).post(reverse("accounts:beheer_user_deactivate", args=[gemeente_worker.pk]))
    response = client.get(reverse("shell:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


def test_a_reset_ends_every_session(sso, client_for, beheerder, gemeente_worker):
    sessions = [client_for(gemeente_worker), _sso_client(gemeente_worker)]
    for client in sessions:
        assert client.get(reverse("shell:dashboard")).status_code == 200
    client_for(beheerder).post(
        reverse("accounts:beheer_user_reset", args=[gemeente_worker.pk]), {"reason": "Account misschien misbruikt"}
    )
    for client in sessions:
        response = client.get(reverse("shell:dashboard"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor:login"))


def test_a_reset_and_a_deactivation_revoke_the_calendar_feed(actor_of, beheerder, gemeente_worker, gemeente_org):
    from keten.accounts.services.resets import account_reset

    def feed() -> str:
        return calendar_feed_create(actor=actor_of(gemeente_worker))

    token = feed()
    account_reset(actor=actor_of(beheerder), user=gemeente_worker, reason="Account misschien misbruikt")
    assert not CalendarFeed.objects.filter(user=gemeente_worker, revoked_at__isnull=True).exists()
    assert Client().get(reverse("overleg:calendar_feed", args=[token])).status_code == 404

    feed()
    services.user_deactivate(actor=actor_of(beheerder), user=User.objects.get(pk=gemeente_worker.pk))
    assert not CalendarFeed.objects.filter(user=gemeente_worker, revoked_at__isnull=True).exists()


def test_the_session_hash_depends_on_the_security_stamp(gemeente_worker):
    from keten.accounts.login.credentials import security_stamp_rotate

    before = gemeente_worker.get_session_auth_hash()
    security_stamp_rotate(user=gemeente_worker)
    person = User.objects.get(pk=gemeente_worker.pk)
    assert person.get_session_auth_hash() != before
    assert person.password == gemeente_worker.password
