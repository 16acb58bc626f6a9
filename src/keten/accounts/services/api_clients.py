"""System clients (API tokens) of an organisation: register, change the rights, revoke."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from keten.accounts.models import ApiClient, Organisation
from keten.accounts.services.changes import record
from keten.accounts.services.checks import check_organisation
from keten.accounts.services.validation import clean_text
from keten.core import audit
from keten.core.actor import Actor
from keten.core.crypto import hash_token
from keten.core.errors import DomainError
from keten.core.models import AuditAction

TOKEN_PREFIX_LENGTH = 8


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
    name = clean_text(name, field="name", label=_("de naam"), max_length=120)
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
    check_organisation(actor, organisation, "accounts.manage_api_clients")
    return _api_client_create(actor=actor, organisation=organisation, name=name, scopes=scopes)


def api_client_create_by_operator(
    *, organisation: Organisation, name: str, scopes: Iterable[str], operator: str
) -> tuple[ApiClient, str]:
    """The same use case for the server operator (``manage.py create_api_client``); audited under ``operator``."""
    label = clean_text(operator, field="operator", label=_("de beheerder"), max_length=100)
    return _api_client_create(actor=None, organisation=organisation, name=name, scopes=scopes, operator=label)


def api_client_update_scopes(*, actor: Actor, api_client: ApiClient, scopes: Iterable[str]) -> ApiClient:
    check_organisation(actor, api_client.organisation, "accounts.manage_api_clients")
    if not api_client.is_active:
        raise DomainError(_("Deze koppeling is ingetrokken."), field="scopes")
    clean_scopes = _clean_scopes(scopes)
    with transaction.atomic():
        ApiClient.objects.filter(pk=api_client.pk).update(scopes=clean_scopes)
        record(
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
    check_organisation(actor, api_client.organisation, "accounts.manage_api_clients")
    if not api_client.is_active:
        raise DomainError(_("Deze koppeling is al ingetrokken."), field="api_client")
    with transaction.atomic():
        ApiClient.objects.filter(pk=api_client.pk).update(is_active=False)
        record(actor, AuditAction.DELETE, "api_client", api_client.pk, token_prefix=api_client.token_prefix)
    api_client.is_active = False
    return api_client
