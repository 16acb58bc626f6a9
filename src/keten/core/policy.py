"""Who may do what: the one place where access rules live.

Rules are ``rules`` predicates over (user, object), registered as permissions so that templates,
views and the API all ask the same question. Row-level filtering (which dossiers an actor may see at
all) lives in each app's ``selectors.py`` and uses :func:`may_see_client_data`. There is no setting,
flag or role that switches these checks off; a superuser is not special here.
"""

from __future__ import annotations

from typing import Any

import rules

from keten.accounts.models import CASE_ROLES, Membership, OrganisationType, Role
from keten.core.actor import acts_through_system


def role_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    membership = getattr(user, "active_membership", None)
    return membership.role if membership is not None else ""


def may_see_client_data(user: Any) -> bool:
    """Only case roles can ever see client data, and then only on the case team (see selectors)."""
    return role_of(user) in CASE_ROLES


@rules.predicate
def has_case_role(user: Any) -> bool:
    return may_see_client_data(user)


def _has_role(*roles: str) -> Any:
    @rules.predicate(name=f"has_role({','.join(roles)})")
    def predicate(user: Any) -> bool:
        return role_of(user) in roles

    return predicate


is_aandachtsfunctionaris = _has_role(Role.AANDACHTSFUNCTIONARIS)
is_functioneel_beheerder = _has_role(Role.FUNCTIONEEL_BEHEERDER)
is_beleidsmedewerker = _has_role(Role.BELEIDSMEDEWERKER)
is_teamleider = _has_role(Role.TEAMLEIDER)


@rules.predicate
def works_for_gemeente(user: Any) -> bool:
    """Acting for the gemeente organisation of a municipality."""
    membership = getattr(user, "active_membership", None) if role_of(user) else None
    return membership is not None and membership.organisation.type == OrganisationType.GEMEENTE


@rules.predicate
def is_on_case_team(user: Any, dossier: Any) -> bool:
    if dossier is None:
        return False
    from keten.dossiers.selectors import user_is_on_case_team

    return user_is_on_case_team(user, dossier)


@rules.predicate
def has_break_glass_access(user: Any, dossier: Any) -> bool:
    # A grant is personal: a system acting for the professional never goes through it.
    if dossier is None or acts_through_system(user):
        return False
    from keten.dossiers.selectors import user_has_break_glass

    return user_has_break_glass(user, dossier)


@rules.predicate
def may_review_grant(user: Any, grant: Any) -> bool:
    """A break-the-glass grant in the user's review queue (see ``dossiers.break_glass.reviewable_grants``)."""
    if grant is None:
        return False
    from keten.dossiers.break_glass import user_may_review

    return user_may_review(user, grant.pk)


@rules.predicate
def decides_access_request(user: Any, request: Any) -> bool:
    """The regievoerder of the requested dossier (see ``dossiers.access_requests.requests_to_decide``)."""
    if request is None:
        return False
    from keten.dossiers.access_requests import user_decides

    return user_decides(user, request.pk)


#: The privacy officer is a role of the gemeente organisation only; it never sees client data.
is_privacy_officer = _has_role(Role.PRIVACY_OFFICER) & works_for_gemeente
may_review_break_glass = is_aandachtsfunctionaris | is_privacy_officer

can_view_dossier = has_case_role & (is_on_case_team | has_break_glass_access)
can_change_dossier = has_case_role & is_on_case_team


@rules.predicate
def has_membership(user: Any) -> bool:
    return role_of(user) != ""


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
def is_designated_editor(user: Any, organisation: Any) -> bool:
    """An active member of the organisation, acting for it, whom a beheerder made editor of its entry."""
    if organisation is None or role_of(user) == "":
        return False
    if user.active_membership.organisation_id != organisation.pk:
        return False
    from keten.network.models import OrganisationEntry

    return OrganisationEntry.objects.filter(organisation_id=organisation.pk, editors=user).exists()


manages_entry_of = is_entry_beheerder | is_designated_editor


# --- account management (functioneel beheerder) --------------------------------------------------
# Row filters implementing the same rules: ``keten.accounts.selectors`` (``managed_users``,
# ``visible_organisations``); keep both in step.


def beheer_membership(user: Any) -> Any:
    """The acting membership of a functioneel beheerder (None for anyone else)."""
    if role_of(user) != Role.FUNCTIONEEL_BEHEERDER:
        return None
    return user.active_membership


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


@rules.predicate
def can_view_traject_dossier(user: Any, traject: Any) -> bool:
    return traject is not None and bool(can_view_dossier(user, traject.dossier))


@rules.predicate
def can_change_traject_dossier(user: Any, traject: Any) -> bool:
    return traject is not None and bool(can_change_dossier(user, traject.dossier))


@rules.predicate
def is_consulted_on(user: Any, traject: Any) -> bool:
    """Asked for collegiale consultatie on this traject (sees the traject, without names when anonymous).

    A consultation is asked of the person: a system acting for them never sees the traject through it."""
    if traject is None or acts_through_system(user):
        return False
    from keten.meldcode.selectors import user_is_consulted

    return user_is_consulted(user, traject)


@rules.predicate
def is_consultation_addressee(user: Any, consultation: Any) -> bool:
    return consultation is not None and consultation.requested_to_id == getattr(user, "pk", None)


rules.add_perm("dossiers.view_dossier", can_view_dossier)
rules.add_perm("dossiers.change_dossier", can_change_dossier)
rules.add_perm("dossiers.add_dossier", has_case_role)
rules.add_perm("dossiers.break_glass", has_case_role)
rules.add_perm("dossiers.review_break_glass", may_review_break_glass)
rules.add_perm("dossiers.review_break_glass_grant", may_review_break_glass & may_review_grant)
rules.add_perm("dossiers.request_access", has_case_role)
rules.add_perm("dossiers.view_access_requests", has_case_role)
rules.add_perm("dossiers.decide_access_request", has_case_role & decides_access_request)
rules.add_perm("core.view_auditlog", is_aandachtsfunctionaris | is_functioneel_beheerder)
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
rules.add_perm("core.view_aggregates", is_beleidsmedewerker | is_functioneel_beheerder)
rules.add_perm("core.view_team_workload", is_teamleider)
rules.add_perm("network.view", has_membership)
rules.add_perm("network.edit_entry", manages_entry_of)
rules.add_perm("network.manage_entry_editors", is_entry_beheerder)
rules.add_perm("network.manage_agreements", is_functioneel_beheerder | is_beleidsmedewerker)
rules.add_perm("network.request_contact", has_case_role)
rules.add_perm("network.view_gaps", is_beleidsmedewerker | (is_functioneel_beheerder & works_for_gemeente))

rules.add_perm("verwijsindex.register", has_case_role)
rules.add_perm("verwijsindex.manage", is_functioneel_beheerder & works_for_gemeente)
rules.add_perm("meldcode.view_traject", has_case_role & (can_view_traject_dossier | is_consulted_on))
rules.add_perm("meldcode.change_traject", has_case_role & can_change_traject_dossier)
rules.add_perm("meldcode.answer_consultation", has_case_role & is_consultation_addressee)
rules.add_perm("meldcode.view_organisation_trajecten", is_aandachtsfunctionaris)
rules.add_perm("meldcode.manage_checklists", is_functioneel_beheerder)


def allows(permission: str, user: Any, obj: Any = None) -> bool:
    """Ask the policy. Deliberately *not* ``user.has_perm``: Django lets superusers pass that."""
    return bool(rules.has_perm(permission, user, obj))
