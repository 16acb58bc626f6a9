"""Resetting someone's account: password and second factor, through a set-up link, with four eyes where it matters.

A reset wipes the password and every authenticator app and backup code, ends every session and
standing personal token, and e-mails a set-up link to the address on the account
(:mod:`keten.accounts.login.setup_links`). The beheerder never sees a password or the link.

Four eyes: when the person can see client data (a case role in any active membership), is a
functioneel beheerder (a second pair of eyes themselves), or had their e-mail address changed in the
last :data:`RECENT_EMAIL_CHANGE`, a reset is first a :class:`ResetRequest`. A second, different
beheerder who manages the same account approves it within :data:`REQUEST_VALIDITY`; only then is the
link issued, to the address the request was made for. Requests, approvals and declines are audited.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.login import enrolment
from keten.accounts.login.credentials import access_end
from keten.accounts.login.setup_links import setup_link_issue
from keten.accounts.models import CASE_ROLES, EmailChange, Membership, ResetRequest, Role, SetupLink, User
from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 2000
REQUEST_VALIDITY = timedelta(days=7)
RECENT_EMAIL_CHANGE = timedelta(days=7)
#: Roles whose reset needs a second beheerder.
FOUR_EYES_ROLES: frozenset[str] = frozenset(CASE_ROLES | {Role.FUNCTIONEEL_BEHEERDER})


def needs_four_eyes(user: User) -> bool:
    """Can this person see client data, or approve resets themselves, or was their address just changed?"""
    roles = Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).values_list(
        "role", flat=True
    )
    if FOUR_EYES_ROLES & set(roles):
        return True
    return EmailChange.objects.filter(user=user, changed_at__gte=timezone.now() - RECENT_EMAIL_CHANGE).exists()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LENGTH:
        raise DomainError(
            _("Geef een reden van minstens %(n)d tekens, bijvoorbeeld: telefoon kwijt.") % {"n": MIN_REASON_LENGTH},
            field="reason",
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("De reden is maximaal %(n)d tekens.") % {"n": MAX_REASON_LENGTH}, field="reason")
    return reason


def _reset_now(
    *, actor: Actor | None, user: User, reason: str, request: ResetRequest | None = None, operator: str = ""
) -> SetupLink:
    """Wipe the credentials, end every session and token, and issue the link (inside a transaction)."""
    person = User.objects.select_for_update().get(pk=user.pk)
    person.set_unusable_password()
    person.save(update_fields=["password"])
    devices = enrolment.devices_remove(user=person)
    ended = access_end(user=person)
    details: dict[str, Any] = {"devices": devices, **ended}
    if request is not None:
        details["reset_request"] = request.pk
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="account_reset",
        object_id=person.pk,
        reason=reason,
        details=details,
        user_label=operator,
    )
    return setup_link_issue(actor=actor, user=person, purpose=SetupLink.Purpose.RESET, operator=operator)


def _expire_old_requests(user: User) -> None:
    cutoff = timezone.now() - REQUEST_VALIDITY
    for old in ResetRequest.objects.filter(user=user, status=ResetRequest.Status.PENDING, created_at__lt=cutoff):
        ResetRequest.objects.filter(pk=old.pk).update(status=ResetRequest.Status.EXPIRED, decided_at=timezone.now())
        audit.record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="reset_request",
            object_id=old.pk,
            details={"decision": "expired", "user": user.pk},
        )


def account_reset(*, actor: Actor, user: User, reason: str) -> ResetRequest | SetupLink:
    """Reset ``user``'s account, or ask a second beheerder to approve it (see the module text).

    Returns the pending request, or the link that was issued at once.
    """
    if not allows("accounts.manage_account", actor, user):  # 404 outside the actor's scope
        raise NotFoundError
    reason = _clean_reason(reason)
    if actor.user is not None and user.pk == actor.user.pk:
        raise DomainError(
            _("Uw eigen account herstelt u niet via beheer. Wijzig uw wachtwoord of app onder Mijn account."),
            field="reason",
        )
    person = User.objects.get(pk=user.pk)
    if not person.is_active:
        raise DomainError(_("Dit account is gedeactiveerd. Activeer het eerst."), field="reason")
    if not person.email:
        raise DomainError(_("Dit account heeft geen e-mailadres. Vul eerst een e-mailadres in."), field="reason")
    with transaction.atomic():
        _expire_old_requests(person)
        if not needs_four_eyes(person):
            return _reset_now(actor=actor, user=person, reason=reason)
        if ResetRequest.objects.filter(user=person, status=ResetRequest.Status.PENDING).exists():
            raise DomainError(_("Er wacht al een herstelverzoek voor deze medewerker op goedkeuring."), field="reason")
        assert actor.user is not None
        request = ResetRequest.objects.create(
            user=person, requested_by=actor.user, reason=reason, email=person.email, created_at=timezone.now()
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="reset_request",
            object_id=request.pk,
            reason=reason,
            details={"user": person.pk},
        )
    return request


def _locked_pending(reset_request: ResetRequest) -> ResetRequest:
    locked = ResetRequest.objects.select_for_update().select_related("user").get(pk=reset_request.pk)
    if locked.status != ResetRequest.Status.PENDING:
        raise DomainError(_("Over dit verzoek is al besloten."), field="decision")
    return locked


def reset_request_approve(*, actor: Actor, reset_request: ResetRequest) -> SetupLink:
    """The second beheerder approves: the reset happens and the link goes to the address of the request."""
    if not allows("accounts.view_reset_request", actor, reset_request):  # 404 outside the scope
        raise NotFoundError
    with transaction.atomic():
        request = _locked_pending(reset_request)
        if actor.user is None or actor.user.pk in (request.requested_by_id, request.user_id):
            raise DomainError(
                _("Dit verzoek moet worden goedgekeurd door een andere functioneel beheerder dan de aanvrager."),
                field="decision",
            )
        if request.created_at < timezone.now() - REQUEST_VALIDITY:
            raise DomainError(
                _(
                    "Dit verzoek is ouder dan %(days)d dagen en kan niet meer worden goedgekeurd. Vraag zo nodig "
                    "een nieuw herstel aan."
                )
                % {"days": REQUEST_VALIDITY.days},
                field="decision",
            )
        person = request.user
        if not person.is_active:
            raise DomainError(_("Dit account is gedeactiveerd. Activeer het eerst."), field="decision")
        if person.email.lower() != request.email.lower():
            raise DomainError(
                _(
                    "Het e-mailadres van de medewerker is gewijzigd sinds het verzoek. Wijs dit verzoek af en laat "
                    "zo nodig een nieuw verzoek indienen."
                ),
                field="decision",
            )
        ResetRequest.objects.filter(pk=request.pk).update(
            status=ResetRequest.Status.APPROVED, decided_by=actor.user, decided_at=timezone.now()
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="reset_request",
            object_id=request.pk,
            details={"decision": "approved", "user": person.pk, "requested_by": request.requested_by_id},
        )
        return _reset_now(actor=actor, user=person, reason=request.reason, request=request)


def reset_request_decline(*, actor: Actor, reset_request: ResetRequest, reason: str = "") -> ResetRequest:
    """Decline (or, by the requester, withdraw) a pending request; nothing happens to the account."""
    if not allows("accounts.view_reset_request", actor, reset_request):
        raise NotFoundError
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise DomainError(_("De toelichting is maximaal %(n)d tekens.") % {"n": MAX_REASON_LENGTH}, field="reason")
    with transaction.atomic():
        request = _locked_pending(reset_request)
        if actor.user is None or actor.user.pk == request.user_id:
            raise NotFoundError
        now = timezone.now()
        ResetRequest.objects.filter(pk=request.pk).update(
            status=ResetRequest.Status.DECLINED, decided_by=actor.user, decided_at=now, decision_reason=reason
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="reset_request",
            object_id=request.pk,
            reason=reason,
            details={
                "decision": "declined",
                "user": request.user_id,
                "withdrawn": actor.user.pk == request.requested_by_id,
            },
        )
        request.refresh_from_db()
    return request


def account_reset_by_operator(*, user: User, operator: str, reason: str) -> SetupLink:
    """The same reset for the server operator (``manage.py account_setup_link``), without four eyes.

    For an organisation without a second beheerder, or the very first account of an installation;
    audited under ``operator``. The operator already holds the database, so four eyes add nothing.
    """
    operator = (operator or "").strip()[:100]
    if not operator:
        raise DomainError(_("Geef aan wie dit commando uitvoert."), field="operator")
    reason = _clean_reason(reason)
    person = User.objects.get(pk=user.pk)
    if not person.is_active:
        raise DomainError(_("Dit account is gedeactiveerd. Activeer het eerst."), field="user")
    with transaction.atomic():
        return _reset_now(actor=None, user=person, reason=reason, operator=operator)
