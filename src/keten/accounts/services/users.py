"""Professionals: create (with a set-up link), edit, deactivate and reactivate an account."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts import rules as account_rules
from keten.accounts import selectors
from keten.accounts.login.credentials import access_end, setup_links_revoke
from keten.accounts.login.setup_links import setup_link_issue
from keten.accounts.models import EmailChange, Membership, Organisation, Role, SetupLink, Team, User
from keten.accounts.services.changes import record, set_active
from keten.accounts.services.checks import check_user
from keten.accounts.services.memberships import clean_membership
from keten.accounts.services.validation import clean_email, clean_phone, clean_role, clean_text
from keten.core.actor import Actor
from keten.core.errors import DomainError
from keten.core.models import AuditAction
from keten.core.versions import bump

logger = logging.getLogger(__name__)

_USER_FIELDS = ("username", "first_name", "last_name", "email", "phone", "job_title")


@dataclass
class UserData:
    username: str
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    job_title: str = ""


def _clean_user(data: UserData, *, exclude_pk: int | None = None) -> UserData:
    username = clean_text(data.username, field="username", label=_("de gebruikersnaam"), max_length=150)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise DomainError(
            _("Een gebruikersnaam bestaat uit letters, cijfers en de tekens @ . + - _ (geen spaties)."),
            field="username",
        ) from exc
    cleaned = UserData(
        username=username,
        first_name=clean_text(data.first_name, field="first_name", label=_("de voornaam"), max_length=150),
        last_name=clean_text(data.last_name, field="last_name", label=_("de achternaam"), max_length=150),
        email=clean_email(data.email, required=True),
        phone=clean_phone(data.phone),
        job_title=clean_text(data.job_title, field="job_title", label=_("de functie"), max_length=120, required=False),
    )
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk is not None else User.objects.all()
    if others.filter(username__iexact=username).exists():
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."), field="username")
    if others.filter(email__iexact=cleaned.email).exists():
        raise DomainError(_("Er is al een medewerker met dit e-mailadres."), field="email")
    return cleaned


def _clean_new_account_place(
    actor: Actor, organisation_id: int | None, team_id: int | None, role: str
) -> tuple[Organisation, Team | None, str]:
    """Where a new account may start: the beheerder's own organisation, or — for the gemeente's
    beheerder only — as the first functioneel beheerder of an organisation that has none yet."""
    scope = selectors.beheer_scope(actor=actor)
    if organisation_id is None or organisation_id == scope.organisation_id:
        return clean_membership(scope, organisation_id, team_id, role)
    role = clean_role(role)
    # The row filter of accounts.appoint_first_beheerder (the gemeente's beheerder only).
    organisation = account_rules.organisations_without_beheerder(actor.user).filter(pk=organisation_id).first()
    if organisation is None or role != Role.FUNCTIONEEL_BEHEERDER:
        raise DomainError(
            _(
                "Kies uw eigen organisatie. Voor een andere organisatie maakt alleen de gemeente de eerste "
                "functioneel beheerder aan; die beheert daarna de accounts van die organisatie."
            ),
            field="organisation",
        )
    if team_id is not None:
        raise DomainError(_("Een eerste functioneel beheerder krijgt nog geen team."), field="team")
    return organisation, None, role


def user_create(*, actor: Actor, data: UserData, organisation_id: int | None, team_id: int | None, role: str) -> User:
    """Create a professional with a first membership, and e-mail them a set-up link.

    Nobody chooses or sees a password: the person chooses it through the link (valid 24 hours), where
    they also enrol their authenticator app.
    """
    cleaned = _clean_user(data)
    organisation, team, role = _clean_new_account_place(actor, organisation_id, team_id, role)
    try:
        with transaction.atomic():
            user = User(
                username=cleaned.username,
                first_name=cleaned.first_name,
                last_name=cleaned.last_name,
                email=cleaned.email,
                phone=cleaned.phone,
                job_title=cleaned.job_title,
            )
            user.set_unusable_password()
            user.save()
            membership = Membership.objects.create(user=user, organisation=organisation, team=team, role=role)
            record(actor, AuditAction.CREATE, "user", user.pk, username=user.username)
            record(
                actor,
                AuditAction.CREATE,
                "membership",
                membership.pk,
                user=user.pk,
                organisation=organisation.pk,
                team=team.pk if team else None,
                role=role,
            )
            setup_link_issue(actor=actor, user=user, purpose=SetupLink.Purpose.NEW_ACCOUNT)
    except IntegrityError as exc:  # a concurrent request took the username first
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."), field="username") from exc
    return user


def _tell_old_address(*, username: str, old_email: str) -> None:
    """Tell the previous address that the account's address changed (so a redirected link gets noticed)."""
    body = _(
        "Het e-mailadres van uw account in Keten (gebruikersnaam %(username)s) is zojuist gewijzigd door een "
        "functioneel beheerder. Berichten van Keten, zoals een link om uw account te herstellen, gaan voortaan "
        "naar het nieuwe adres.\n\nHeeft u hier niet om gevraagd? Neem dan direct contact op met uw "
        "functioneel beheerder of de privacy officer van uw organisatie."
    ) % {"username": username}
    try:
        send_mail(
            subject=_("Uw e-mailadres in Keten is gewijzigd"),
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[old_email],
        )
    except Exception:  # the change stands; the audit log has it
        logger.exception("e-mail change notice could not be sent (user %s)", username)


def user_update(*, actor: Actor, user: User, data: UserData, expected_version: int | None = None) -> User:
    """ConflictError when ``expected_version`` is given and the professional's details changed since.

    A changed e-mail address is kept in the account's history (shown to whoever approves a reset),
    revokes open set-up links and is announced to the old address after the commit.
    """
    check_user(actor, user)
    cleaned = _clean_user(data, exclude_pk=user.pk)
    fields = _USER_FIELDS
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            bump(locked, expected_version)
            changed = [f for f in fields if getattr(locked, f) != getattr(cleaned, f)]
            old_email = locked.email
            for field in fields:
                setattr(locked, field, getattr(cleaned, field))
            locked.save(update_fields=[*fields, "version"])
            details: dict[str, Any] = {"changed": changed}
            if old_email.lower() != cleaned.email.lower():
                EmailChange.objects.create(
                    user=locked,
                    old_email=old_email,
                    new_email=cleaned.email,
                    changed_by=actor.user,
                    changed_at=timezone.now(),
                )
                details["setup_links_revoked"] = setup_links_revoke(user=locked)
                if old_email:
                    username = locked.username
                    transaction.on_commit(lambda: _tell_old_address(username=username, old_email=old_email))
            record(actor, AuditAction.UPDATE, "user", user.pk, **details)
    except IntegrityError as exc:
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."), field="username") from exc
    return locked


def user_deactivate(*, actor: Actor, user: User) -> User:
    """Block a professional from signing in and end every session and standing token; memberships and history stay."""
    check_user(actor, user)
    if actor.user is not None and user.pk == actor.user.pk:
        raise DomainError(_("U kunt uw eigen account niet deactiveren."), field="user")
    if not user.is_active:
        raise DomainError(_("Deze medewerker is al gedeactiveerd."), field="user")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        ended = access_end(user=user)
        record(actor, AuditAction.UPDATE, "user", user.pk, is_active=False, **ended)
    user.is_active = False
    return user


def user_reactivate(*, actor: Actor, user: User) -> User:
    check_user(actor, user)
    if user.is_active:
        raise DomainError(_("Deze medewerker is al actief."), field="user")
    set_active(actor, user, active=True, object_type="user")
    return user
