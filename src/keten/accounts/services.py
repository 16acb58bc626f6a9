"""Writes of the functioneel beheerder: organisations, teams, wijken, professionals, roles, API clients.

Each function is one use case in one transaction and writes its audit event inside that
transaction. What a beheerder manages is scoped by the rules ``accounts.*`` in
``keten.accounts.rules``, asked through :func:`keten.core.policy.allows`: the accounts of their own organisation;
the gemeente's beheerder also the organisations, teams and wijken of the municipality. Anything
outside the scope raises :class:`NotFoundError` (the views answer 404). Bad input raises a
:class:`DomainError` with a Dutch message and the name of the field; nothing is written then.

Resets of accounts are in :mod:`keten.accounts.resets`, set-up links in :mod:`keten.accounts.setup_links`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts import rules as account_rules
from keten.accounts import selectors
from keten.accounts.credentials import access_end, setup_links_revoke
from keten.accounts.models import (
    ApiClient,
    EmailChange,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    SetupLink,
    Team,
    User,
    Wijk,
)
from keten.accounts.setup_links import setup_link_issue
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import hash_token
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.core.state import check_state, state_token

logger = logging.getLogger(__name__)

TOKEN_PREFIX_LENGTH = 8


# --- helpers ----------------------------------------------------------------------------------


def _municipality_id(actor: Actor) -> int:
    """The municipality of the gemeente's beheerder (creating organisations and wijken); 404 for anyone else."""
    return selectors.municipality_scope(actor=actor).municipality_id


def _check_organisation(actor: Actor, organisation: Organisation, permission: str) -> int:
    """404 unless the policy allows ``permission`` on this organisation; returns its municipality."""
    if not allows(permission, actor, organisation):
        raise NotFoundError
    return organisation.municipality_id


def _check_user(actor: Actor, user: User) -> selectors.BeheerScope:
    """404 unless the actor manages this account (an active membership in their organisation)."""
    if not allows("accounts.manage_account", actor, user):
        raise NotFoundError
    return selectors.beheer_scope(actor=actor)


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("Vul %(label)s in.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise DomainError(
            _("%(label)s is maximaal %(n)d tekens.") % {"label": label.capitalize(), "n": max_length}, field=field
        )
    return value


def _email(value: str, *, field: str = "email", required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise DomainError(_("Vul het e-mailadres in."), field=field)
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise DomainError(_("Vul een geldig e-mailadres in."), field=field) from exc
    if len(value) > 254:
        raise DomainError(_("Het e-mailadres is te lang."), field=field)
    return value


def _phone(value: str, *, field: str = "phone") -> str:
    value = (value or "").strip()
    if len(value) > 40:
        raise DomainError(_("Het telefoonnummer is maximaal 40 tekens."), field=field)
    if value and not all(c.isdigit() or c in " +-()" for c in value):
        raise DomainError(
            _("Een telefoonnummer bestaat uit cijfers, spaties en de tekens + - ( )."),
            field=field,
        )
    return value


def _wijken_of(municipality_id: int, wijk_ids: Iterable[int], *, field: str = "wijken") -> list[Wijk]:
    ids = set(wijk_ids)
    wijken = list(Wijk.objects.filter(pk__in=ids, municipality_id=municipality_id))
    if len(wijken) != len(ids):
        raise DomainError(_("Kies alleen wijken van uw eigen gemeente."), field=field)
    return wijken


def _role(value: str, *, field: str = "role") -> str:
    if value not in Role.values:
        raise DomainError(_("Kies een geldige rol."), field=field)
    return value


def _acting_role_after(
    user: User,
    *,
    ended: Iterable[int] = (),
    reactivated: Iterable[int] = (),
    role_changes: dict[int, str] | None = None,
    inactive_organisations: Iterable[int] = (),
) -> str:
    """The role the user would act in after a change (their first active membership, by id)."""
    ended_ids, back_ids = set(ended), set(reactivated)
    off_orgs = set(inactive_organisations)
    changes = role_changes or {}
    for membership in Membership.objects.filter(user=user, organisation__is_active=True).order_by("id"):
        active = (membership.is_active or membership.pk in back_ids) and membership.pk not in ended_ids
        if active and membership.organisation_id not in off_orgs:
            return changes.get(membership.pk, membership.role)
    return ""


def _guard_own_beheer(actor: Actor, user: User, **change: object) -> None:
    """Refuse a change that would take away the actor's own role as functioneel beheerder."""
    if actor.user is None or user.pk != actor.user.pk:
        return
    if _acting_role_after(user, **change) != Role.FUNCTIONEEL_BEHEERDER:  # type: ignore[arg-type]
        raise DomainError(
            _(
                "Hiermee verliest u zelf uw rol als functioneel beheerder. "
                "Laat een andere functioneel beheerder deze wijziging doen."
            ),
            field="role",
        )


def _record(actor: Actor, action: str, object_type: str, object_id: int | str, **details: object) -> None:
    audit.record(actor=actor, action=action, object_type=object_type, object_id=object_id, details=details)


def _set_active(actor: Actor, obj: Organisation | User | Membership, *, active: bool, object_type: str) -> None:
    """Switch ``is_active`` in one transaction with its audit event, and mirror it on the instance."""
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(is_active=active)
        _record(actor, AuditAction.UPDATE, object_type, obj.pk, is_active=active)
    obj.is_active = active


# --- organisations ----------------------------------------------------------------------------


@dataclass
class OrganisationData:
    name: str
    type: str
    wijk_ids: list[int]
    phone: str = ""
    email: str = ""


def _clean_organisation(
    municipality_id: int, data: OrganisationData, *, exclude_pk: int | None = None
) -> tuple[str, list[Wijk], str, str]:
    name = _text(data.name, field="name", label=_("de naam"), max_length=200)
    if data.type not in OrganisationType.values:
        raise DomainError(_("Kies een geldige soort organisatie."), field="type")
    duplicate = Organisation.objects.filter(municipality_id=municipality_id, name__iexact=name)
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(_("Er is in uw gemeente al een organisatie met deze naam."), field="name")
    wijken = _wijken_of(municipality_id, data.wijk_ids)
    return name, wijken, _phone(data.phone), _email(data.email)


def organisation_create(*, actor: Actor, data: OrganisationData) -> Organisation:
    municipality_id = _municipality_id(actor)
    name, wijken, phone, email = _clean_organisation(municipality_id, data)
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, type=data.type, municipality_id=municipality_id, phone=phone, email=email
        )
        organisation.wijken.set(wijken)
        _record(actor, AuditAction.CREATE, "organisation", organisation.pk, name=name, type=data.type)
    return organisation


def _organisation_values(organisation: Organisation) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "type": organisation.type,
        "phone": organisation.phone,
        "email": organisation.email,
        "wijken": sorted(organisation.wijken.values_list("pk", flat=True)),
    }


def organisation_state(organisation: Organisation) -> str:
    """What the edit form carries, to detect someone else's change (see ``keten.core.state``)."""
    return state_token(_organisation_values(organisation))


def organisation_update(
    *, actor: Actor, organisation: Organisation, data: OrganisationData, expected_state: str | None = None
) -> Organisation:
    """ConflictError when ``expected_state`` is given and the organisation changed since."""
    municipality_id = _check_organisation(actor, organisation, "accounts.change_organisation")
    name, wijken, phone, email = _clean_organisation(municipality_id, data, exclude_pk=organisation.pk)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = _organisation_values(organisation)
        check_state(before, expected_state)
        after = {
            "name": name,
            "type": data.type,
            "phone": phone,
            "email": email,
            "wijken": sorted(w.pk for w in wijken),
        }
        organisation.name, organisation.type, organisation.phone, organisation.email = name, data.type, phone, email
        organisation.save(update_fields=["name", "type", "phone", "email"])
        organisation.wijken.set(wijken)
        changed = sorted(k for k in after if after[k] != before[k])
        _record(actor, AuditAction.UPDATE, "organisation", organisation.pk, changed=changed)
    return organisation


def organisation_deactivate(*, actor: Actor, organisation: Organisation) -> Organisation:
    """Switch an organisation off: its members can no longer act in it and its API clients stop working."""
    _check_organisation(actor, organisation, "accounts.change_organisation")
    if not organisation.is_active:
        raise DomainError(_("Deze organisatie is al gedeactiveerd."), field="organisation")
    assert actor.user is not None
    _guard_own_beheer(actor, actor.user, inactive_organisations=[organisation.pk])
    _set_active(actor, organisation, active=False, object_type="organisation")
    return organisation


def organisation_reactivate(*, actor: Actor, organisation: Organisation) -> Organisation:
    _check_organisation(actor, organisation, "accounts.change_organisation")
    if organisation.is_active:
        raise DomainError(_("Deze organisatie is al actief."), field="organisation")
    _set_active(actor, organisation, active=True, object_type="organisation")
    return organisation


# --- teams and wijken -------------------------------------------------------------------------


def _clean_team(organisation: Organisation, name: str, wijk_id: int | None, *, exclude_pk: int | None = None) -> str:
    name = _text(name, field="name", label=_("de naam"), max_length=200)
    duplicate = Team.objects.filter(organisation=organisation, name__iexact=name)
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise DomainError(_("Deze organisatie heeft al een team met deze naam."), field="name")
    if wijk_id is not None:
        _wijken_of(organisation.municipality_id, [wijk_id], field="wijk")
    return name


def team_create(*, actor: Actor, organisation: Organisation, name: str, wijk_id: int | None = None) -> Team:
    _check_organisation(actor, organisation, "accounts.manage_teams")
    name = _clean_team(organisation, name, wijk_id)
    with transaction.atomic():
        team = Team.objects.create(organisation=organisation, name=name, wijk_id=wijk_id)
        _record(actor, AuditAction.CREATE, "team", team.pk, organisation=organisation.pk, name=name)
    return team


def team_state(team: Team) -> str:
    return state_token({"name": team.name, "wijk": team.wijk_id})


def team_update(
    *, actor: Actor, team: Team, name: str, wijk_id: int | None = None, expected_state: str | None = None
) -> Team:
    """ConflictError when ``expected_state`` is given and the team changed since."""
    _check_organisation(actor, team.organisation, "accounts.manage_teams")
    name = _clean_team(team.organisation, name, wijk_id, exclude_pk=team.pk)
    with transaction.atomic():
        team = Team.objects.select_for_update().select_related("organisation").get(pk=team.pk)
        check_state({"name": team.name, "wijk": team.wijk_id}, expected_state)
        changed = [f for f, new, old in (("name", name, team.name), ("wijk", wijk_id, team.wijk_id)) if new != old]
        Team.objects.filter(pk=team.pk).update(name=name, wijk_id=wijk_id)
        _record(actor, AuditAction.UPDATE, "team", team.pk, changed=changed)
    team.refresh_from_db()
    return team


def wijk_create(*, actor: Actor, name: str, code: str) -> Wijk:
    municipality_id = _municipality_id(actor)
    name = _text(name, field="name", label=_("de naam"), max_length=120)
    code = _text(code, field="code", label=_("de code"), max_length=20)
    if Wijk.objects.filter(municipality_id=municipality_id, name__iexact=name).exists():
        raise DomainError(_("Er is in uw gemeente al een wijk met deze naam."), field="name")
    if Wijk.objects.filter(municipality_id=municipality_id, code__iexact=code).exists():
        raise DomainError(_("Er is in uw gemeente al een wijk met deze code."), field="code")
    with transaction.atomic():
        wijk = Wijk.objects.create(municipality_id=municipality_id, name=name, code=code)
        _record(actor, AuditAction.CREATE, "wijk", wijk.pk, name=name, code=code)
    return wijk


# --- professionals ----------------------------------------------------------------------------


@dataclass
class UserData:
    username: str
    first_name: str
    last_name: str
    email: str
    phone: str = ""
    job_title: str = ""


def _clean_user(data: UserData, *, exclude_pk: int | None = None) -> UserData:
    username = _text(data.username, field="username", label=_("de gebruikersnaam"), max_length=150)
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as exc:
        raise DomainError(
            _("Een gebruikersnaam bestaat uit letters, cijfers en de tekens @ . + - _ (geen spaties)."),
            field="username",
        ) from exc
    cleaned = UserData(
        username=username,
        first_name=_text(data.first_name, field="first_name", label=_("de voornaam"), max_length=150),
        last_name=_text(data.last_name, field="last_name", label=_("de achternaam"), max_length=150),
        email=_email(data.email, required=True),
        phone=_phone(data.phone),
        job_title=_text(data.job_title, field="job_title", label=_("de functie"), max_length=120, required=False),
    )
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk is not None else User.objects.all()
    if others.filter(username__iexact=username).exists():
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."), field="username")
    if others.filter(email__iexact=cleaned.email).exists():
        raise DomainError(_("Er is al een medewerker met dit e-mailadres."), field="email")
    return cleaned


def _clean_membership(
    scope: selectors.BeheerScope, organisation_id: int | None, team_id: int | None, role: str
) -> tuple[Organisation, Team | None, str]:
    """A role in the beheerder's own organisation (accounts of other organisations are theirs to manage)."""
    organisation = (
        Organisation.objects.filter(pk=organisation_id, is_active=True).first() if organisation_id is not None else None
    )
    if organisation is None or organisation.pk != scope.organisation_id:
        raise DomainError(_("Kies uw eigen organisatie."), field="organisation")
    team = None
    if team_id is not None:
        team = Team.objects.filter(pk=team_id, organisation=organisation).first()
        if team is None:
            raise DomainError(_("Dit team hoort niet bij de gekozen organisatie."), field="team")
    return organisation, team, _role(role)


def _clean_new_account_place(
    actor: Actor, organisation_id: int | None, team_id: int | None, role: str
) -> tuple[Organisation, Team | None, str]:
    """Where a new account may start: the beheerder's own organisation, or — for the gemeente's
    beheerder only — as the first functioneel beheerder of an organisation that has none yet."""
    scope = selectors.beheer_scope(actor=actor)
    if organisation_id is None or organisation_id == scope.organisation_id:
        return _clean_membership(scope, organisation_id, team_id, role)
    role = _role(role)
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
            _record(actor, AuditAction.CREATE, "user", user.pk, username=user.username)
            _record(
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


_USER_FIELDS = ("username", "first_name", "last_name", "email", "phone", "job_title")


def user_state(user: User) -> str:
    return state_token({f: getattr(user, f) for f in _USER_FIELDS})


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


def user_update(*, actor: Actor, user: User, data: UserData, expected_state: str | None = None) -> User:
    """ConflictError when ``expected_state`` is given and the professional's details changed since.

    A changed e-mail address is kept in the account's history (shown to whoever approves a reset),
    revokes open set-up links and is announced to the old address after the commit.
    """
    _check_user(actor, user)
    cleaned = _clean_user(data, exclude_pk=user.pk)
    fields = _USER_FIELDS
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            check_state({f: getattr(locked, f) for f in fields}, expected_state)
            changed = [f for f in fields if getattr(locked, f) != getattr(cleaned, f)]
            old_email = locked.email
            for field in fields:
                setattr(locked, field, getattr(cleaned, field))
            locked.save(update_fields=list(fields))
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
            _record(actor, AuditAction.UPDATE, "user", user.pk, **details)
    except IntegrityError as exc:
        raise DomainError(_("Deze gebruikersnaam is al in gebruik. Kies een andere."), field="username") from exc
    return locked


def user_deactivate(*, actor: Actor, user: User) -> User:
    """Block a professional from signing in and end every session and standing token; memberships and history stay."""
    _check_user(actor, user)
    if actor.user is not None and user.pk == actor.user.pk:
        raise DomainError(_("U kunt uw eigen account niet deactiveren."), field="user")
    if not user.is_active:
        raise DomainError(_("Deze medewerker is al gedeactiveerd."), field="user")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        ended = access_end(user=user)
        _record(actor, AuditAction.UPDATE, "user", user.pk, is_active=False, **ended)
    user.is_active = False
    return user


def user_reactivate(*, actor: Actor, user: User) -> User:
    _check_user(actor, user)
    if user.is_active:
        raise DomainError(_("Deze medewerker is al actief."), field="user")
    _set_active(actor, user, active=True, object_type="user")
    return user


# --- memberships ------------------------------------------------------------------------------


def membership_add(
    *, actor: Actor, user: User, organisation_id: int | None, team_id: int | None, role: str
) -> Membership:
    """Give a professional a role in the beheerder's organisation (reactivates an ended membership with that role)."""
    scope = _check_user(actor, user)
    organisation, team, role = _clean_membership(scope, organisation_id, team_id, role)
    existing = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
    if existing is not None and existing.is_active:
        raise DomainError(_("Deze medewerker heeft deze rol al in deze organisatie."), field="role")
    if existing is not None:
        _guard_own_beheer(actor, user, reactivated=[existing.pk])
    with transaction.atomic():
        if existing is not None:
            Membership.objects.filter(pk=existing.pk).update(is_active=True, team=team)
            existing.refresh_from_db()
            membership = existing
            _record(actor, AuditAction.UPDATE, "membership", membership.pk, is_active=True, team=team_id)
        else:
            membership = Membership.objects.create(user=user, organisation=organisation, team=team, role=role)
            _record(
                actor,
                AuditAction.CREATE,
                "membership",
                membership.pk,
                user=user.pk,
                organisation=organisation.pk,
                team=team_id,
                role=role,
            )
    return membership


def _check_membership(actor: Actor, membership: Membership) -> None:
    """404 unless the membership is in the beheerder's organisation, of an account they manage."""
    if not allows("accounts.manage_membership", actor, membership):
        raise NotFoundError


def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """End a membership; the row stays (inactive) as history."""
    _check_membership(actor, membership)
    if not membership.is_active:
        raise DomainError(_("Dit lidmaatschap is al beëindigd."), field="membership")
    _guard_own_beheer(actor, membership.user, ended=[membership.pk])
    _set_active(actor, membership, active=False, object_type="membership")
    return membership


def membership_change_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    _check_membership(actor, membership)
    role = _role(role)
    if not membership.is_active:
        raise DomainError(_("De rol van een beëindigd lidmaatschap kan niet worden gewijzigd."), field="role")
    if role == membership.role:
        raise DomainError(_("Kies een andere rol dan de huidige."), field="role")
    if Membership.objects.filter(
        user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
    ).exists():
        raise DomainError(
            _(
                "Deze medewerker heeft deze rol al (of had die) in deze organisatie. Beëindig dit lidmaatschap "
                "en voeg de rol opnieuw toe."
            ),
            field="role",
        )
    _guard_own_beheer(actor, membership.user, role_changes={membership.pk: role})
    old_role = membership.role
    with transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(role=role)
        _record(actor, AuditAction.UPDATE, "membership", membership.pk, role=role, previous_role=old_role)
    membership.role = role
    return membership


# --- API clients ------------------------------------------------------------------------------


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(scopes))
    if not chosen:
        raise DomainError(_("Kies ten minste één recht."), field="scopes")
    unknown = [s for s in chosen if s not in ApiClient.Scope.values]
    if unknown:
        raise DomainError(_("Onbekend recht: %(scopes)s.") % {"scopes": ", ".join(unknown)}, field="scopes")
    return sorted(chosen)


def _new_token() -> tuple[str, str, str]:
    """A fresh token, its recognisable prefix and its hash (retrying the rare prefix collision)."""
    for _attempt in range(10):
        token = secrets.token_urlsafe(32)
        prefix = token[:TOKEN_PREFIX_LENGTH]
        if not ApiClient.objects.filter(token_prefix=prefix).exists():
            return token, prefix, hash_token(token)
    raise DomainError(_("Er kon geen token worden gemaakt. Probeer het opnieuw."))  # pragma: no cover


def _api_client_create(
    *, actor: Actor | None, organisation: Organisation, name: str, scopes: Iterable[str], operator: str = ""
) -> tuple[ApiClient, str]:
    name = _text(name, field="name", label=_("de naam"), max_length=120)
    clean_scopes = _clean_scopes(scopes)
    if not organisation.is_active:
        raise DomainError(_("Een gedeactiveerde organisatie kan geen koppeling krijgen."), field="organisation")
    if ApiClient.objects.filter(organisation=organisation, name__iexact=name, is_active=True).exists():
        raise DomainError(_("Deze organisatie heeft al een actieve koppeling met deze naam."), field="name")
    token, prefix, token_hash = _new_token()
    with transaction.atomic():
        client = ApiClient.objects.create(
            organisation=organisation, name=name, token_prefix=prefix, token_hash=token_hash, scopes=clean_scopes
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="api_client",
            object_id=client.pk,
            details={"organisation": organisation.pk, "scopes": clean_scopes, "token_prefix": prefix},
            user_label=operator,
        )
    return client, token


def api_client_create(
    *, actor: Actor, organisation: Organisation, name: str, scopes: Iterable[str]
) -> tuple[ApiClient, str]:
    """Register a partner system. Returns the client and its token, which is never stored or shown again."""
    _check_organisation(actor, organisation, "accounts.manage_api_clients")
    return _api_client_create(actor=actor, organisation=organisation, name=name, scopes=scopes)


def api_client_create_by_operator(
    *, organisation: Organisation, name: str, scopes: Iterable[str], operator: str
) -> tuple[ApiClient, str]:
    """The same use case for the server operator (``manage.py create_api_client``); audited under ``operator``."""
    label = _text(operator, field="operator", label=_("de beheerder"), max_length=100)
    return _api_client_create(actor=None, organisation=organisation, name=name, scopes=scopes, operator=label)


def api_client_update_scopes(*, actor: Actor, api_client: ApiClient, scopes: Iterable[str]) -> ApiClient:
    _check_organisation(actor, api_client.organisation, "accounts.manage_api_clients")
    if not api_client.is_active:
        raise DomainError(_("Deze koppeling is ingetrokken."), field="scopes")
    clean_scopes = _clean_scopes(scopes)
    with transaction.atomic():
        ApiClient.objects.filter(pk=api_client.pk).update(scopes=clean_scopes)
        _record(
            actor,
            AuditAction.UPDATE,
            "api_client",
            api_client.pk,
            scopes=clean_scopes,
            previous_scopes=api_client.scopes,
        )
    api_client.scopes = clean_scopes
    return api_client


def api_client_revoke(*, actor: Actor, api_client: ApiClient) -> ApiClient:
    """Withdraw a partner system's token at once; the row stays for the audit trail."""
    _check_organisation(actor, api_client.organisation, "accounts.manage_api_clients")
    if not api_client.is_active:
        raise DomainError(_("Deze koppeling is al ingetrokken."), field="api_client")
    with transaction.atomic():
        ApiClient.objects.filter(pk=api_client.pk).update(is_active=False)
        _record(actor, AuditAction.DELETE, "api_client", api_client.pk, token_prefix=api_client.token_prefix)
    api_client.is_active = False
    return api_client
