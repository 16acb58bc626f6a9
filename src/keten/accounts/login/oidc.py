"""OIDC single sign-on with the municipality's identity provider (mozilla-django-oidc).

Keten never creates accounts from the identity provider. An account is linked to the provider's
issuer + subject (:class:`~keten.accounts.models.OidcIdentity`) at the first sign-in; the e-mail
address is used only then, to find the account, and only when the provider says it is verified.
Afterwards only issuer + subject count: a changed address never re-links. A sign-in is refused, with
a Dutch message and an audit event, when its subject is linked to one account while its address
belongs to another, or when its address belongs to an account already linked to another subject.

Unless ``KETEN_OIDC_TRUSTS_MFA`` is set (the provider enforces its own second factor), Keten still
asks for its own TOTP code after the OIDC sign-in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from keten.accounts.models import OidcIdentity, User
from keten.core import audit
from keten.core.access import Access
from keten.core.actor import actor_for_user
from keten.core.models import AuditAction


class SignInRefusedError(Exception):
    """A single sign-on that Keten does not accept; ``reason`` goes to the audit log, ``message`` to the person."""

    def __init__(self, reason: str, message: str, user: User | None = None) -> None:
        super().__init__(reason)
        self.reason, self.message, self.user = reason, message, user


def _other_account() -> str:
    return _(
        "Inloggen is geweigerd: uw account bij de identity provider hoort bij een ander account in Keten dan het "
        "e-mailadres aangeeft. Neem contact op met uw functioneel beheerder."
    )


def oidc_user_for(*, issuer: str, subject: str, email: str, email_verified: bool) -> User:
    """The Keten account of this identity-provider account; links it on the first sign-in.

    Raises :class:`SignInRefusedError` when the sign-in must not be accepted.
    """
    matching = list(User.objects.filter(email__iexact=email)[:2]) if email else []
    identity = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if identity is not None:
        user = identity.user
        if any(other.pk != user.pk for other in matching):
            raise SignInRefusedError("subject_linked_to_other_account", _other_account(), user)
        if not user.is_active:
            raise SignInRefusedError(
                "account_inactive", _("Dit account is niet actief. Neem contact op met de functioneel beheerder."), user
            )
        OidcIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
        return user
    if not email_verified:
        raise SignInRefusedError(
            "email_not_verified",
            _(
                "Uw e-mailadres is niet bevestigd bij de identity provider. Bevestig het daar, of log in met uw "
                "gebruikersnaam en wachtwoord."
            ),
        )
    active = [user for user in matching if user.is_active]
    if len(matching) != 1 or len(active) != 1:
        raise SignInRefusedError(
            "no_account",
            _(
                "Er is geen (actief) account in Keten met het e-mailadres van uw gemeentelijke account. Neem contact "
                "op met uw functioneel beheerder."
            ),
        )
    user = active[0]
    if OidcIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise SignInRefusedError(
            "account_linked_to_other_subject",
            _(
                "Inloggen is geweigerd: dit account in Keten is al gekoppeld aan een ander account bij de identity "
                "provider. Neem contact op met uw functioneel beheerder."
            ),
            user,
        )
    try:
        with transaction.atomic():
            OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject, last_login_at=timezone.now())
            audit.record(
                actor=actor_for_user(user),
                action=AuditAction.CREATE,
                object_type="oidc_identity",
                object_id=user.pk,
                details={"issuer": issuer},
            )
    except IntegrityError as exc:  # a second sign-in linked it at the same moment
        raise SignInRefusedError("link_conflict", _other_account(), user) from exc
    return user


class KetenOIDCBackend(OIDCAuthenticationBackend):
    def get_or_create_user(self, access_token: Any, id_token: Any, payload: dict[str, Any]) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        issuer, subject = str(payload.get("iss") or ""), str(payload.get("sub") or "")
        try:
            if not issuer or not subject or str(claims.get("sub") or subject) != subject:
                raise SignInRefusedError(
                    "invalid_claims",
                    _("Inloggen met het gemeentelijke account is niet gelukt. Probeer het opnieuw."),
                )
            return oidc_user_for(
                issuer=issuer,
                subject=subject,
                email=str(claims.get("email") or ""),
                email_verified=claims.get("email_verified") is True,
            )
        except SignInRefusedError as refused:
            audit.record(
                actor=None,
                action=AuditAction.LOGIN_FAILED,
                object_type="user",
                object_id=refused.user.pk if refused.user is not None else "",
                details={"step": "oidc", "reason": refused.reason, "issuer": issuer},
            )
            request = getattr(self, "request", None)
            if request is not None:
                messages.error(request, refused.message)
            return None

    def create_user(self, claims: dict[str, Any]) -> None:
        return None

    def get_user(self, user_id: Any) -> User | None:
        """A deactivated account has no session, whatever the sign-in method (like Django's ModelBackend)."""
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class _EnabledOnly:
    """OIDC endpoints exist only when single sign-on is switched on."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.KETEN_OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc, no-any-return]


@method_decorator(login_not_required, name="dispatch")
class KetenOIDCRequestView(_EnabledOnly, OIDCAuthenticationRequestView):
    keten_access = Access(
        public=True,
        why="starts single sign-on: redirects to the municipality's identity provider with a fresh state and nonce",
    )


@method_decorator(login_not_required, name="dispatch")
class KetenOIDCCallbackView(_EnabledOnly, OIDCAuthenticationCallbackView):
    keten_access = Access(
        public=True,
        why="the identity provider's answer: signs in only with a valid code for the state of this browser, and "
        "only an account linked on issuer and subject; Keten's own second factor follows unless the provider is "
        "trusted for it",
    )
