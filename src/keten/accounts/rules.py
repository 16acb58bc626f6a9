"""Who manages which organisation, team and account: the accounts' rules, registered with the one policy.

Asked through :func:`keten.core.policy.allows`. The row filters that implement the same rules for
the beheer lists (``managed_users``, ``visible_organisations``) sit in ``keten.accounts.selectors``
for now; keep both in step (``tests/test_account_rules_agree.py`` checks that they agree).
"""

from __future__ import annotations

from typing import Any

import rules

from keten.accounts.models import Membership, OrganisationType, Role
from keten.core.policy import is_functioneel_beheerder, role_of, works_for_gemeente


def beheer_membership(user: Any) -> Any:
    """The acting membership of a functioneel beheerder (None for anyone else)."""
    if role_of(user) != Role.FUNCTIONEEL_BEHEERDER:
        return None
    return user.active_membership


@rules.predicate
def is_entry_beheerder(user: Any, organisation: Any) -> bool:
    """Functioneel beheerder of the organisation itself or of the gemeente organisation of its municipality."""
    if organisation is None or role_of(user) != Role.FUNCTIONEEL_BEHEERDER:
        return False
    own = user.active_membership.organisation
    if own.pk == organisation.pk:
        return True
    return bool(own.type == OrganisationType.GEMEENTE and own.municipality_id == organisation.municipality_id)


@rules.predicate
def manages_municipality_of(user: Any, organisation: Any) -> bool:
    """The gemeente's beheerder, for an organisation of their own municipality: its name, type and status."""
    membership = beheer_membership(user)
    if organisation is None or membership is None:
        return False
    own = membership.organisation
    return bool(own.type == OrganisationType.GEMEENTE and own.municipality_id == organisation.municipality_id)


@rules.predicate
def manages_account(user: Any, person: Any) -> bool:
    """A beheerder manages the account of someone with an *active* membership in the beheerder's organisation.

    Never through a past membership; the gemeente's beheerder manages the accounts of the gemeente
    organisation only (its scope over other organisations is their data, teams and wijken).
    """
    membership = beheer_membership(user)
    if person is None or membership is None:
        return False
    return Membership.objects.filter(
        user_id=person.pk, organisation_id=membership.organisation_id, is_active=True
    ).exists()


@rules.predicate
def may_decide_reset(user: Any, reset_request: Any) -> bool:
    """A second beheerder over the same account: neither the requester nor the person, and still pending."""
    if reset_request is None or reset_request.status != "pending":
        return False
    if getattr(user, "pk", None) in (reset_request.requested_by_id, reset_request.user_id):
        return False
    return bool(manages_account(user, reset_request.user))


# The beheer pages at all; what a beheerder manages there is scoped by the rules below.
rules.add_perm("accounts.manage", is_functioneel_beheerder)
rules.add_perm("accounts.manage_municipality", is_functioneel_beheerder & works_for_gemeente)
rules.add_perm("accounts.view_organisation", is_entry_beheerder)
rules.add_perm("accounts.change_organisation", manages_municipality_of)
rules.add_perm("accounts.manage_teams", is_entry_beheerder)
rules.add_perm("accounts.manage_api_clients", is_entry_beheerder)
rules.add_perm("accounts.manage_account", manages_account)
rules.add_perm("accounts.decide_reset", may_decide_reset)
rules.add_perm("accounts.change_own_account", rules.is_authenticated)
