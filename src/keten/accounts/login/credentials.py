"""Ending what lets a person in: sessions, standing personal tokens, open set-up links.

Every session carries a hash of the user's password *and* security stamp
(:meth:`keten.accounts.models.User.get_session_auth_hash`); Django ends a session whose hash no
longer matches. A new stamp therefore ends every session of the person, on every device and for
every sign-in method (password or single sign-on), at their next request.

Standing personal tokens (today: the overleg calendar feed) live in apps above ``accounts``; they
listen to :data:`standing_tokens_revoke` and revoke what they hold for the user, inside the
caller's transaction, returning a count.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import SetupLink, User, new_security_stamp
from keten.core.errors import DomainError

#: Sent with ``user=`` inside the transaction that resets or deactivates an account. A receiver
#: revokes the user's standing tokens of its app and returns ``(label, count)``.
standing_tokens_revoke = Signal()


def _dutch(error: ValidationError) -> str:
    """Django's own messages are not all translated (the length message changed in Django 5.2)."""
    params = error.params or {}
    messages = {
        "password_too_short": _("Dit wachtwoord is te kort: gebruik minstens %(n)d tekens.")
        % {"n": params.get("min_length", 12)},
        "password_too_common": _("Dit wachtwoord wordt te vaak gebruikt. Kies een ander wachtwoord."),
        "password_entirely_numeric": _("Een wachtwoord mag niet alleen uit cijfers bestaan."),
        "password_too_similar": _("Dit wachtwoord lijkt te veel op uw naam, gebruikersnaam of e-mailadres."),
    }
    return str(messages.get(error.code or "", " ".join(error.messages)))


def new_password_check(*, password: str, user: User, field: str = "password1") -> None:
    """Refuse a password the validators of ``AUTH_PASSWORD_VALIDATORS`` refuse, with Dutch messages."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(_dutch(error) for error in exc.error_list), field=field) from exc


def security_stamp_rotate(*, user: User) -> None:
    """Give the user a new security stamp: every existing session of theirs stops being valid."""
    stamp = new_security_stamp()
    User.objects.filter(pk=user.pk).update(security_stamp=stamp)
    user.security_stamp = stamp


def setup_links_revoke(*, user: User) -> int:
    """Revoke the user's unused set-up links; returns how many."""
    return SetupLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def access_end(*, user: User) -> dict[str, Any]:
    """End every session, set-up link and standing personal token of ``user`` (call inside a transaction).

    Returns what was revoked, for the audit event of the calling service (no secrets in it).
    """
    security_stamp_rotate(user=user)
    revoked: dict[str, int] = {"setup_links": setup_links_revoke(user=user)}
    for _receiver, response in standing_tokens_revoke.send(sender=User, user=user):
        if response:
            label, count = cast(tuple[str, int], response)
            revoked[str(label)] = int(count)
    return {"sessions_ended": True, "revoked": revoked}
