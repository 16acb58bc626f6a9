"""Who may use and edit the sociale kaart: the network's rules, registered with the one policy.

Asked through :func:`keten.core.policy.allows`.
"""

from __future__ import annotations

from typing import Any

import rules

from keten.accounts.rules import is_entry_beheerder
from keten.core.policy import (
    has_case_role,
    has_membership,
    is_beleidsmedewerker,
    is_functioneel_beheerder,
    role_of,
    works_for_gemeente,
)
from keten.network.models import OrganisationEntry


@rules.predicate
def is_designated_editor(user: Any, organisation: Any) -> bool:
    """An active member of the organisation, acting for it, whom a beheerder made editor of its entry."""
    if organisation is None or role_of(user) == "":
        return False
    if user.active_membership.organisation_id != organisation.pk:
        return False
    return OrganisationEntry.objects.filter(organisation_id=organisation.pk, editors=user).exists()


manages_entry_of = is_entry_beheerder | is_designated_editor

rules.add_perm("network.view", has_membership)
rules.add_perm("network.edit_entry", manages_entry_of)
rules.add_perm("network.manage_entry_editors", is_entry_beheerder)
rules.add_perm("network.manage_agreements", is_functioneel_beheerder | is_beleidsmedewerker)
rules.add_perm("network.request_contact", has_case_role)
rules.add_perm("network.view_gaps", is_beleidsmedewerker | (is_functioneel_beheerder & works_for_gemeente))
