"""Who may do what in an overleg: the overleg's permissions in the one policy (``keten.core.policy``).

Registered with ``rules`` when the app loads, so :func:`keten.core.policy.allows` answers them like
every other permission. Case content is only ever shown to case roles, and then only to:

* the professional who registered the case (their own registrations),
* the chair of the overleg (the triage queue and every case of the overleg they chair),
* attendees of a meeting on whose agenda the case is (not when recorded absent),
* the casusregisseur of the case.

An agreement is also visible to its owner: the person, or a member of the owning organisation.
Everyone else gets a 404. Row-level filters in ``selectors.py`` mirror these predicates as
querysets (:func:`registration_visibility_q`).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q

from keten.accounts.models import OrganisationType, Role
from keten.core.policy import has_case_role, has_membership, role_of
from keten.dossiers.rules import can_change_dossier


def _uid(user: Any) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def _same(user_id: int | None, user: Any) -> bool:
    return user_id is not None and user_id == _uid(user)


def _org_id(user: Any) -> int | None:
    membership = getattr(user, "active_membership", None) if _uid(user) else None
    return membership.organisation_id if membership is not None else None


def attendee_q(user_id: int | None) -> Q:
    """Attendance rows that let a user see a meeting's cases: on the list and not recorded absent."""
    return Q(user_id=user_id) & (Q(present__isnull=True) | Q(present=True))


def user_attends_meeting(user: Any, meeting: Any) -> bool:
    from keten.overleg.models import Attendance

    uid = _uid(user)
    if uid is None or meeting is None:
        return False
    return Attendance.objects.filter(attendee_q(uid), meeting_id=meeting.pk).exists()


def invited_membership_q(overleg_type: Any) -> Q:
    """Memberships (as a filter on Membership) that make someone an invited participant of an overleg:
    an active case role of an active user at an active organisation that takes part in it (the lead
    organisation or a member). Only they can be put on a meeting's attendance list — the list that
    gives access to the cases on its agenda."""
    return Q(
        is_active=True,
        user__is_active=True,
        role__in=_case_roles(),
        organisation__is_active=True,
    ) & (Q(organisation_id=overleg_type.lead_organisation_id) | Q(organisation__overleg_types=overleg_type.pk))


def registration_visibility_q(user: Any) -> Q:
    """The registrations (as a filter on CaseRegistration) whose content the user may see."""
    from keten.overleg.models import AgendaItem, AgendaState, Attendance

    uid = _uid(user)
    if uid is None or role_of(user) not in _case_roles():
        return Q(pk__in=[])
    attended = AgendaItem.objects.filter(
        registration_id=OuterRef("pk"),
        state=AgendaState.ON_AGENDA,
        meeting__in=Attendance.objects.filter(attendee_q(uid)).values("meeting_id"),
    )
    return Q(registered_by_id=uid) | Q(overleg_type__chair_id=uid) | Q(casusregisseur_id=uid) | Q(Exists(attended))


def _case_roles() -> frozenset[str]:
    from keten.accounts.models import CASE_ROLES

    return CASE_ROLES


@rules.predicate
def is_registrant(user: Any, registration: Any) -> bool:
    return registration is not None and registration.registered_by_id == _uid(user)


@rules.predicate
def chairs_registration(user: Any, registration: Any) -> bool:
    return registration is not None and _same(registration.overleg_type.chair_id, user)


@rules.predicate
def is_casusregisseur(user: Any, registration: Any) -> bool:
    return registration is not None and _same(registration.casusregisseur_id, user)


@rules.predicate
def attends_agenda_of(user: Any, registration: Any) -> bool:
    """On the attendance list (not absent) of a meeting that has this case on its agenda."""
    from keten.overleg.models import AgendaItem, AgendaState, Attendance

    uid = _uid(user)
    if uid is None or registration is None:
        return False
    return AgendaItem.objects.filter(
        registration_id=registration.pk,
        state=AgendaState.ON_AGENDA,
        meeting__in=Attendance.objects.filter(attendee_q(uid)).values("meeting_id"),
    ).exists()


@rules.predicate
def chairs_meeting(user: Any, meeting: Any) -> bool:
    return meeting is not None and _same(meeting.overleg_type.chair_id, user)


@rules.predicate
def attends_meeting(user: Any, meeting: Any) -> bool:
    return user_attends_meeting(user, meeting)


@rules.predicate
def member_organisation_of_meeting(user: Any, meeting: Any) -> bool:
    """Works for a member organisation (or the lead organisation) of the meeting's overleg."""
    org_id = _org_id(user)
    if meeting is None or org_id is None:
        return False
    overleg_type = meeting.overleg_type
    return bool(org_id == overleg_type.lead_organisation_id or overleg_type.members.filter(pk=org_id).exists())


@rules.predicate
def chairs_item(user: Any, item: Any) -> bool:
    return item is not None and bool(chairs_meeting(user, item.meeting))


@rules.predicate
def attends_item(user: Any, item: Any) -> bool:
    return item is not None and user_attends_meeting(user, item.meeting)


@rules.predicate
def owns_agreement(user: Any, agreement: Any) -> bool:
    if agreement is None or _uid(user) is None:
        return False
    if agreement.owner_user_id is not None and agreement.owner_user_id == _uid(user):
        return True
    return agreement.owner_organisation_id is not None and agreement.owner_organisation_id == _org_id(user)


@rules.predicate
def sees_agreement_case(user: Any, agreement: Any) -> bool:
    return agreement is not None and bool(can_view_registration(user, agreement.registration))


@rules.predicate
def manages_overleg_type(user: Any, overleg_type: Any) -> bool:
    """A functioneel beheerder or beleidsmedewerker of the gemeente, or a beheerder of the lead organisation."""
    membership = getattr(user, "active_membership", None) if _uid(user) else None
    if membership is None or role_of(user) not in (Role.FUNCTIONEEL_BEHEERDER, Role.BELEIDSMEDEWERKER):
        return False
    org = membership.organisation
    if overleg_type is None:
        return bool(org.type == OrganisationType.GEMEENTE or role_of(user) == Role.FUNCTIONEEL_BEHEERDER)
    if org.type == OrganisationType.GEMEENTE and org.municipality_id == overleg_type.municipality_id:
        return True
    return bool(role_of(user) == Role.FUNCTIONEEL_BEHEERDER and org.pk == overleg_type.lead_organisation_id)


@rules.predicate
def may_register_dossier(user: Any, dossier: Any) -> bool:
    return dossier is not None and bool(can_change_dossier(user, dossier))


can_view_registration = has_case_role & (is_registrant | chairs_registration | is_casusregisseur | attends_agenda_of)
can_triage = has_case_role & chairs_registration
can_view_meeting = has_membership & (chairs_meeting | attends_meeting | member_organisation_of_meeting)
can_view_meeting_cases = has_case_role & (chairs_meeting | attends_meeting)
can_manage_meeting = has_case_role & chairs_meeting
can_record_discussion = has_case_role & (chairs_item | attends_item)
can_view_agreement = has_case_role & (owns_agreement | sees_agreement_case)

rules.add_perm("overleg.register", has_case_role & may_register_dossier)
rules.add_perm("overleg.view_registration", can_view_registration)
rules.add_perm("overleg.triage", can_triage)
rules.add_perm("overleg.close_registration", can_triage | (has_case_role & is_casusregisseur))
rules.add_perm("overleg.view_meeting", can_view_meeting)
rules.add_perm("overleg.view_meeting_cases", can_view_meeting_cases)
rules.add_perm("overleg.manage_meeting", can_manage_meeting)
rules.add_perm("overleg.record_discussion", can_record_discussion)
rules.add_perm("overleg.view_agreement", can_view_agreement)
rules.add_perm("overleg.change_agreement", can_view_agreement)
rules.add_perm("overleg.manage_type", manages_overleg_type)
