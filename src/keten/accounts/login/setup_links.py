"""Set-up links: how a person gets (back) into their account without anyone else choosing a password.

A beheerder never sees or chooses a password. A new account, and an approved reset, get a
single-use link valid for :data:`LINK_VALIDITY`; it is e-mailed to the address on the account after
the transaction commits, and only the SHA-256 hash of its token is stored. The person opens it
without signing in, chooses a password and enrols a new authenticator app; the link is then spent.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.login import enrolment
from keten.accounts.login.credentials import new_password_check, security_stamp_rotate, setup_links_revoke
from keten.accounts.models import SetupLink, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import hash_token
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction

logger = logging.getLogger(__name__)

LINK_VALIDITY = timedelta(hours=24)


def setup_link_url(token: str) -> str:
    return f"{settings.KETEN_BASE_URL}{reverse('accounts:setup_link', args=[token])}"


def _send_link(*, username: str, email: str, token: str, purpose: str) -> None:
    """The e-mail with the link: no client data, and the link goes only to the account's own address."""
    if purpose == SetupLink.Purpose.NEW_ACCOUNT:
        subject = _("Uw account in Keten")
        intro = _("Er is een account in Keten voor u aangemaakt.")
    else:
        subject = _("Herstel van uw account in Keten")
        intro = _(
            "Uw functioneel beheerder heeft uw account in Keten hersteld. Uw oude wachtwoord en uw oude "
            "authenticator-app werken niet meer."
        )
    body = _(
        "%(intro)s\n\n"
        "Uw gebruikersnaam: %(username)s\n\n"
        "Open binnen 24 uur deze link om een wachtwoord te kiezen en tweestapsverificatie in te stellen. "
        "De link werkt één keer:\n%(url)s\n\n"
        "Heeft u hier niet om gevraagd? Open de link dan niet en neem contact op met uw functioneel beheerder."
    ) % {"intro": intro, "username": username, "url": setup_link_url(token)}
    try:
        send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=[email])
    except Exception:  # the link stays valid; a beheerder can issue a new one
        logger.exception("set-up link e-mail could not be sent (user %s)", username)


def setup_link_issue(*, actor: Actor | None, user: User, purpose: str, operator: str = "") -> SetupLink:
    """Make a new link for ``user`` (older open links stop working) and mail it after the commit.

    Call inside the transaction of the use case that needs the link; the caller has checked the rules.
    """
    if not user.email:
        raise DomainError(_("Dit account heeft geen e-mailadres. Vul eerst een e-mailadres in."), field="email")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        replaced = setup_links_revoke(user=user)
        link = SetupLink.objects.create(
            user=user,
            purpose=purpose,
            token_hash=hash_token(token),
            email=user.email,
            created_by=actor.user if actor is not None else None,
            created_at=now,
            expires_at=now + LINK_VALIDITY,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="setup_link",
            object_id=link.pk,
            details={"user": user.pk, "purpose": purpose, "replaced": replaced},
            user_label=operator,
        )
        username, email = user.username, user.email
        transaction.on_commit(lambda: _send_link(username=username, email=email, token=token, purpose=purpose))
    return link


def setup_link_complete(*, link: SetupLink, password: str, hex_key: str, code: str) -> list[str]:
    """The person chose a password and proved their new app: save both and spend the link.

    ``link`` comes from :func:`keten.accounts.selectors.setup_link_for_token`. Returns the new backup
    codes (shown once). Bad input raises DomainError and changes nothing.
    """
    user = link.user
    new_password_check(password=password, user=user)
    last_t = enrolment.matching_step(hex_key, code)
    if last_t is None:
        raise DomainError(_("Deze code klopt niet. Vul de code in die uw app nu toont."), field="code")
    with transaction.atomic():
        locked = SetupLink.objects.select_for_update().filter(pk=link.pk).first()
        now = timezone.now()
        if locked is None or locked.used_at or locked.revoked_at or locked.expires_at <= now:
            raise NotFoundError
        person = User.objects.select_for_update().get(pk=user.pk)
        if not person.is_active:
            raise NotFoundError
        person.set_password(password)
        person.save(update_fields=["password"])
        _device, codes = enrolment.device_install(user=person, hex_key=hex_key, last_t=last_t)
        SetupLink.objects.filter(pk=locked.pk).update(used_at=now)
        setup_links_revoke(user=person)
        security_stamp_rotate(user=person)
        actor = Actor(user=person, membership=person.active_membership)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="user",
            object_id=person.pk,
            details={"changed": ["password"], "by": "setup_link"},
        )
        audit.record(
            actor=actor,
            action=AuditAction.MFA_ENROL,
            object_type="user",
            object_id=person.pk,
            details={"setup_link": locked.pk},
        )
    return codes
