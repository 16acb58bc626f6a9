"""What a signed-in person does with their own account: change the password, replace the authenticator app.

Both need proof beyond the session: a current second-factor code (and for the password, the current
password), so that someone who took over a session cannot lock the owner out or make the account
their own. Both end every other session of the person.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.login import enrolment
from keten.accounts.login.credentials import new_password_check, security_stamp_rotate
from keten.accounts.models import User
from keten.core import audit, ratelimit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction

#: Wrong attempts of the current password or code per person per hour, on these pages together.
ATTEMPTS_PER_HOUR = 10


def _owner(actor: Actor) -> User:
    if actor.user is None or not actor.user.is_authenticated:
        raise NotFoundError
    return actor.user


def _count_attempt(user: User) -> None:
    if not ratelimit.hit(f"own-account:user:{user.pk}", limit=ATTEMPTS_PER_HOUR, window_seconds=3600).allowed:
        raise DomainError(
            _("Te veel pogingen. Probeer het over een uur opnieuw, of neem contact op met uw functioneel beheerder."),
        )


def _refuse_code(actor: Actor, user: User, *, field: str, step: str) -> DomainError:
    audit.record(
        actor=actor, action=AuditAction.LOGIN_FAILED, object_type="user", object_id=user.pk, details={"step": step}
    )
    return DomainError(_("Deze code klopt niet of is verlopen. Vul de code in die uw app nu toont."), field=field)


def own_password_change(*, actor: Actor, current_password: str, code: str, new_password: str) -> None:
    """Change the actor's password: the current password and a current code from their app (or a backup code)."""
    user = _owner(actor)
    _count_attempt(user)
    if not user.check_password(current_password):
        raise DomainError(_("Uw huidige wachtwoord klopt niet."), field="current_password")
    new_password_check(password=new_password, user=user)
    if not enrolment.has_device(user):
        raise DomainError(
            _("U heeft geen authenticator-app gekoppeld. Vraag uw functioneel beheerder om een instellink."),
            field="code",
        )
    if match_token(user, (code or "").replace(" ", "")) is None:
        raise _refuse_code(actor, user, field="code", step="password_change")
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=user.pk)
        person.set_password(new_password)
        person.save(update_fields=["password"])
        security_stamp_rotate(user=person)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="user",
            object_id=user.pk,
            details={"changed": ["password"], "by": "self"},
        )
    user.password, user.security_stamp = person.password, person.security_stamp


def own_device_replace(*, actor: Actor, current_code: str, hex_key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Replace the actor's authenticator app after a current code (or backup code) of the existing one.

    Returns the new device and ten new backup codes (the old ones stop working).
    """
    user = _owner(actor)
    if not enrolment.has_device(user):
        raise DomainError(
            _("U heeft nog geen authenticator-app gekoppeld. Vraag uw functioneel beheerder om een instellink."),
            field="current_code",
        )
    _count_attempt(user)
    last_t = enrolment.matching_step(hex_key, code)
    if last_t is None:
        raise DomainError(_("Deze code klopt niet. Vul de code in die uw nieuwe app nu toont."), field="code")
    if match_token(user, (current_code or "").replace(" ", "")) is None:
        raise _refuse_code(actor, user, field="current_code", step="device_replace")
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user).count()
        device, codes = enrolment.device_install(user=user, hex_key=hex_key, last_t=last_t)
        security_stamp_rotate(user=user)
        audit.record(
            actor=actor,
            action=AuditAction.MFA_ENROL,
            object_type="user",
            object_id=user.pk,
            details={"replaced": replaced},
        )
    return device, codes
