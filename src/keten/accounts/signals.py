"""Audit events for logins, failed logins and logouts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from keten.accounts.models import User
from keten.core import audit
from keten.core.actor import actor_for_user
from keten.core.models import AuditAction


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=actor_for_user(user), action=AuditAction.LOGIN, object_type="user", object_id=user.pk)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=actor_for_user(user), action=AuditAction.LOGOUT, object_type="user", object_id=user.pk)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    if user is not None:
        audit.record(actor=actor_for_user(user), action=AuditAction.LOGIN_FAILED, object_type="user", object_id=user.pk)
    else:
        # Unknown user name: record that it failed, never the typed name (it may be a password).
        audit.record(actor=None, action=AuditAction.LOGIN_FAILED, object_type="user", details={"known_user": False})
