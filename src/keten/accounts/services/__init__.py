"""Writes of the functioneel beheerder: organisations, teams, wijken, professionals, roles, API clients, resets.

Each function is one use case in one transaction and writes its audit event inside that
transaction. What a beheerder manages is scoped by the rules ``accounts.*`` in
``keten.accounts.rules``, asked through :func:`keten.core.policy.allows`: the accounts of their own organisation;
the gemeente's beheerder also the organisations, teams and wijken of the municipality. Anything
outside the scope raises :class:`NotFoundError` (the views answer 404). Bad input raises a
:class:`DomainError` with a Dutch message and the name of the field; nothing is written then.

One module per thing managed; the use cases are importable from here as well. Resets of accounts are in
:mod:`keten.accounts.services.resets`, set-up links in :mod:`keten.accounts.login.setup_links`.
"""

from keten.accounts.services.api_clients import (
    TOKEN_PREFIX_LENGTH,
    api_client_create,
    api_client_create_by_operator,
    api_client_revoke,
    api_client_update_scopes,
)
from keten.accounts.services.memberships import membership_add, membership_change_role, membership_end
from keten.accounts.services.organisations import (
    OrganisationData,
    organisation_create,
    organisation_deactivate,
    organisation_reactivate,
    organisation_update,
)
from keten.accounts.services.teams import team_create, team_update, wijk_create
from keten.accounts.services.users import UserData, user_create, user_deactivate, user_reactivate, user_update

__all__ = [
    "TOKEN_PREFIX_LENGTH",
    "OrganisationData",
    "UserData",
    "api_client_create",
    "api_client_create_by_operator",
    "api_client_revoke",
    "api_client_update_scopes",
    "membership_add",
    "membership_change_role",
    "membership_end",
    "organisation_create",
    "organisation_deactivate",
    "organisation_reactivate",
    "organisation_update",
    "team_create",
    "team_update",
    "user_create",
    "user_deactivate",
    "user_reactivate",
    "user_update",
    "wijk_create",
]
