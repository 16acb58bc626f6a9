"""Who may use and edit the sociale kaart: the network's rules and the row filters that implement them.

Registered with ``rules`` when the app loads and asked through :func:`keten.core.policy.allows`. The
sociale kaart holds no client data: it describes organisations, professionals and agreements.

* every member of an organisation reads the sociale kaart and the routekaart of their municipality;
  through the API also a partner system with the ``network:read`` scope (its organisation's
  municipality); the public routekaart and the public entries need no login at all;
* an organisation's entry is edited by a functioneel beheerder of the organisation or of the gemeente
  of its municipality, and by the members of the organisation a beheerder made editor of it —
  :func:`entries_editable_by` (``network/tests/test_rules_agree.py`` checks that the two agree);
* the import and export, and the postcode ranges, are for the functioneel beheerder of an active
  gemeente organisation, for their own municipality — :func:`postcode_ranges_managed_by`;
* agreements are recorded by beleidsmedewerkers and functioneel beheerders; the gap view is for
  beleidsmedewerkers and the gemeente's functioneel beheerder.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from keten.accounts.models import ApiClient, Organisation
from keten.accounts.rules import is_entry_beheerder, visible_organisations
from keten.core.policy import (
    has_case_role,
    has_membership,
    is_beleidsmedewerker,
    is_functioneel_beheerder,
    role_of,
    system_scope,
    works_for_gemeente,
)
from keten.network.models import OrganisationEntry, PostcodeRange

#: The scope a partner system's token needs to read the sociale kaart through the API.
NETWORK_READ_SCOPE = ApiClient.Scope.NETWORK_READ


def _membership(user: Any) -> Any:
    return user.active_membership if role_of(user) else None


# --- entries: the beheerders and the designated editors -------------------------------------------


@rules.predicate
def is_designated_editor(user: Any, organisation: Any) -> bool:
    """An active member of the organisation, acting for it, whom a beheerder made editor of its entry."""
    membership = _membership(user)
    if organisation is None or membership is None or membership.organisation_id != organisation.pk:
        return False
    return OrganisationEntry.objects.filter(organisation_id=organisation.pk, editors=user).exists()


manages_entry_of = is_entry_beheerder | is_designated_editor


def entries_editable_by(user: Any) -> QuerySet[Organisation]:
    """The organisations whose entry ``network.edit_entry`` allows the user to edit."""
    membership = _membership(user)
    if membership is None:
        return Organisation.objects.none()
    designated = OrganisationEntry.objects.filter(organisation_id=membership.organisation_id, editors=user)
    return Organisation.objects.filter(
        Q(pk__in=visible_organisations(user).values("pk")) | Q(pk__in=designated.values("organisation_id"))
    )


# --- the beheer of the kaart: import, export, postcode ranges --------------------------------------


@rules.predicate
def acts_for_active_organisation(user: Any) -> bool:
    membership = _membership(user)
    return membership is not None and bool(membership.organisation.is_active)


may_import = is_functioneel_beheerder & works_for_gemeente & acts_for_active_organisation


@rules.predicate
def range_of_own_municipality(user: Any, postcode_range: Any) -> bool:
    membership = _membership(user)
    if postcode_range is None or membership is None:
        return False
    return bool(postcode_range.wijk.municipality_id == membership.organisation.municipality_id)


def postcode_ranges_managed_by(user: Any) -> QuerySet[PostcodeRange]:
    """The postcode ranges ``network.manage_postcode_range`` allows: of the beheerder's own municipality."""
    if not may_import(user):
        return PostcodeRange.objects.none()
    return PostcodeRange.objects.filter(wijk__municipality_id=_membership(user).organisation.municipality_id)


# --- the permissions ------------------------------------------------------------------------------

#: The sociale kaart and routekaart pages of one's own municipality, and the agreements.
rules.add_perm("network.view", has_membership)
#: The sociale kaart through the API (organisations with the whole entry, professionals).
rules.add_perm("network.read", has_membership)
rules.add_perm("network.edit_entry", manages_entry_of)
rules.add_perm("network.manage_entry_editors", is_entry_beheerder)
rules.add_perm("network.manage_agreements", is_functioneel_beheerder | is_beleidsmedewerker)
rules.add_perm("network.request_contact", has_case_role)
rules.add_perm("network.view_gaps", is_beleidsmedewerker | (is_functioneel_beheerder & works_for_gemeente))
rules.add_perm("network.import", may_import)
rules.add_perm("network.manage_postcode_range", may_import & range_of_own_municipality)

# A partner system reads the sociale kaart of its organisation's municipality (no object rules: the
# API's selectors scope every row to that municipality). Everything else stays closed to systems.
system_scope("network.read", NETWORK_READ_SCOPE)
