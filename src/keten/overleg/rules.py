"""Who may do what in an overleg: the overleg's permissions in the one policy (``keten.core.policy``).

Registered with ``rules`` when the app loads, so :func:`keten.core.policy.allows` answers them like
every other permission. Case content is only ever shown to case roles, and then only to:

* the professional who registered the case (their own registrations),
* the chair of the overleg (the triage queue and every case of the overleg they chair),
* attendees of a meeting on whose agenda the case is (not when recorded absent),
* the casusregisseur of the case.

An agreement is also visible to its owner: the person, or a member of the owning organisation.
Everyone else gets a 404. A meeting itself (overleg name, time, place: no client data) is seen by its
chair, by whoever is on its attendance list, and by the members of the lead and member organisations.

Each rule that decides which rows someone sees has its row filter (a ``Q``) right beside it, so that
the two cannot drift apart (``overleg/tests/test_rules_agree.py`` checks that they agree):

* ``overleg.view_registration`` — :func:`registration_visibility_q`;
* ``overleg.triage`` — :func:`triage_q` (the cases of the overleggen the user chairs);
* ``overleg.view_meeting`` — :func:`meeting_visibility_q`;
* ``overleg.view_meeting_cases`` — :func:`meeting_cases_q` (chair, or on the list and not absent);
* ``overleg.view_agreement`` — :func:`agreement_visibility_q` (owner: :func:`agreement_owner_q`);
* only an invited participant can be put on an attendance list — :func:`invited_membership_q`.

The overleg API is for a person's browser session only (every decision is in a person's name): no
permission here is opened to partner systems (no ``system_scope``), so a system token reaches none.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q

from keten.accounts.models import OrganisationType, Role
from keten.core.policy import has_case_role, has_membership, organisation_id_of, role_of, user_id_of
from keten.dossiers.rules import can_change_dossier
from keten.overleg.models import AgendaItem, AgendaState, Attendance, CaseRegistration

NOTHING = Q(pk__in=[])


def _same(user_id: int | None, user: Any) -> bool:
    return user_id is not None and user_id == user_id_of(user)


def _case_roles() -> frozenset[str]:
    from keten.accounts.models import CASE_ROLES

    return CASE_ROLES


def _in_case_role(user: Any) -> bool:
    return user_id_of(user) is not None and role_of(user) in _case_roles()


# --- the attendance list --------------------------------------------------------------------------


def attendee_q(user_id: int | None) -> Q:
    """Attendance rows that let a user see a meeting's cases: on the list and not recorded absent."""
    return Q(user_id=user_id) & (Q(present__isnull=True) | Q(present=True))


def user_attends_meeting(user: Any, meeting: Any) -> bool:
    uid = user_id_of(user)
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


# --- registrations (cases) ------------------------------------------------------------------------


@rules.predicate
def is_registrant(user: Any, registration: Any) -> bool:
    return registration is not None and registration.registered_by_id == user_id_of(user)


@rules.predicate
def chairs_registration(user: Any, registration: Any) -> bool:
    return registration is not None and _same(registration.overleg_type.chair_id, user)


@rules.predicate
def is_casusregisseur(user: Any, registration: Any) -> bool:
    return registration is not None and _same(registration.casusregisseur_id, user)


def _attended_agenda_items(uid: int) -> Any:
    return AgendaItem.objects.filter(
        state=AgendaState.ON_AGENDA,
        meeting__in=Attendance.objects.filter(attendee_q(uid)).values("meeting_id"),
    )


@rules.predicate
def attends_agenda_of(user: Any, registration: Any) -> bool:
    """On the attendance list (not absent) of a meeting that has this case on its agenda."""
    uid = user_id_of(user)
    if uid is None or registration is None:
        return False
    return _attended_agenda_items(uid).filter(registration_id=registration.pk).exists()


can_view_registration = has_case_role & (is_registrant | chairs_registration | is_casusregisseur | attends_agenda_of)


def registration_visibility_q(user: Any) -> Q:
    """:data:`can_view_registration` as a filter on CaseRegistration: the registrations whose content
    the user may see (registrant, chair, casusregisseur, or attendee of a meeting with it on its agenda)."""
    uid = user_id_of(user)
    if uid is None or not _in_case_role(user):
        return NOTHING
    attended = _attended_agenda_items(uid).filter(registration_id=OuterRef("pk"))
    return Q(registered_by_id=uid) | Q(overleg_type__chair_id=uid) | Q(casusregisseur_id=uid) | Q(Exists(attended))


can_triage = has_case_role & chairs_registration


def triage_q(user: Any) -> Q:
    """:data:`can_triage` as a filter on CaseRegistration: the cases of the overleggen the user chairs
    (the triage queue is those still waiting for a decision)."""
    uid = user_id_of(user)
    if uid is None or not _in_case_role(user):
        return NOTHING
    return Q(overleg_type__chair_id=uid)


#: Naming the casusregisseur of a case: its chair, or an attendee of a meeting with it on the agenda.
can_name_casusregisseur = has_case_role & (chairs_registration | attends_agenda_of)


# --- meetings -------------------------------------------------------------------------------------


@rules.predicate
def chairs_meeting(user: Any, meeting: Any) -> bool:
    return meeting is not None and _same(meeting.overleg_type.chair_id, user)


@rules.predicate
def attends_meeting(user: Any, meeting: Any) -> bool:
    return user_attends_meeting(user, meeting)


@rules.predicate
def on_meeting_list(user: Any, meeting: Any) -> bool:
    """On the meeting's attendance list at all (also when recorded absent): it is in their calendar."""
    uid = user_id_of(user)
    if uid is None or meeting is None:
        return False
    return Attendance.objects.filter(user_id=uid, meeting_id=meeting.pk).exists()


@rules.predicate
def member_organisation_of_meeting(user: Any, meeting: Any) -> bool:
    """Works for a member organisation (or the lead organisation) of the meeting's overleg."""
    org_id = organisation_id_of(user)
    if meeting is None or org_id is None:
        return False
    overleg_type = meeting.overleg_type
    return bool(org_id == overleg_type.lead_organisation_id or overleg_type.members.filter(pk=org_id).exists())


can_view_meeting = has_membership & (chairs_meeting | on_meeting_list | member_organisation_of_meeting)


def meeting_visibility_q(user: Any) -> Q:
    """:data:`can_view_meeting` as a filter on Meeting (calendar data only). It joins the member
    organisations: the caller takes ``distinct()``."""
    uid = user_id_of(user)
    org_id = organisation_id_of(user)
    if uid is None or org_id is None:
        return NOTHING
    return (
        Q(overleg_type__chair_id=uid)
        | Q(pk__in=Attendance.objects.filter(user_id=uid).values("meeting_id"))
        | Q(overleg_type__lead_organisation_id=org_id)
        | Q(overleg_type__members=org_id)
    )


can_view_meeting_cases = has_case_role & (chairs_meeting | attends_meeting)


def meeting_cases_q(user: Any) -> Q:
    """:data:`can_view_meeting_cases` as a filter on Meeting: the meetings of which the user sees every
    case on the agenda (the chair, or on the list and not recorded absent)."""
    uid = user_id_of(user)
    if uid is None or not _in_case_role(user):
        return NOTHING
    return Q(overleg_type__chair_id=uid) | Q(pk__in=Attendance.objects.filter(attendee_q(uid)).values("meeting_id"))


can_manage_meeting = has_case_role & chairs_meeting


@rules.predicate
def chairs_item(user: Any, item: Any) -> bool:
    return item is not None and bool(chairs_meeting(user, item.meeting))


@rules.predicate
def attends_item(user: Any, item: Any) -> bool:
    return item is not None and user_attends_meeting(user, item.meeting)


can_record_discussion = has_case_role & (chairs_item | attends_item)


# --- agreements -----------------------------------------------------------------------------------


@rules.predicate
def owns_agreement(user: Any, agreement: Any) -> bool:
    if agreement is None or user_id_of(user) is None:
        return False
    if agreement.owner_user_id is not None and agreement.owner_user_id == user_id_of(user):
        return True
    return agreement.owner_organisation_id is not None and agreement.owner_organisation_id == organisation_id_of(user)


def agreement_owner_q(user: Any) -> Q:
    """:func:`owns_agreement` as a filter on Agreement: owned by the user, or by the organisation the
    user acts for."""
    uid = user_id_of(user)
    if uid is None:
        return NOTHING
    org_id = organisation_id_of(user)
    owned = Q(owner_user_id=uid)
    return owned | Q(owner_organisation_id=org_id) if org_id is not None else owned


@rules.predicate
def sees_agreement_case(user: Any, agreement: Any) -> bool:
    return agreement is not None and bool(can_view_registration(user, agreement.registration))


can_view_agreement = has_case_role & (owns_agreement | sees_agreement_case)


def agreement_visibility_q(user: Any, *, dossiers: Any = None) -> Q:
    """:data:`can_view_agreement` as a filter on Agreement: owned, or of a case the user may see.

    ``dossiers`` (a queryset or ids): the caller looks only at agreements of these dossiers' cases —
    the cases the user may see are then looked for among those only, instead of among every case.
    """
    if not _in_case_role(user):
        return NOTHING
    cases = CaseRegistration.objects.all()
    if dossiers is not None:
        cases = cases.filter(dossier__in=dossiers)
    visible_cases = cases.filter(registration_visibility_q(user)).values("pk")
    return agreement_owner_q(user) | Q(registration_id__in=visible_cases)


# --- overleg types (set-up data, no client data) --------------------------------------------------


@rules.predicate
def manages_overleg_type(user: Any, overleg_type: Any) -> bool:
    """A functioneel beheerder or beleidsmedewerker of the gemeente, or a beheerder of the lead organisation."""
    membership = getattr(user, "active_membership", None) if user_id_of(user) else None
    if membership is None or role_of(user) not in (Role.FUNCTIONEEL_BEHEERDER, Role.BELEIDSMEDEWERKER):
        return False
    org = membership.organisation
    if overleg_type is None:
        return bool(org.type == OrganisationType.GEMEENTE or role_of(user) == Role.FUNCTIONEEL_BEHEERDER)
    if org.type == OrganisationType.GEMEENTE and org.municipality_id == overleg_type.municipality_id:
        return True
    return bool(role_of(user) == Role.FUNCTIONEEL_BEHEERDER and org.pk == overleg_type.lead_organisation_id)


@rules.predicate
def chairs_overleg_type(user: Any, overleg_type: Any) -> bool:
    return overleg_type is not None and _same(overleg_type.chair_id, user)


@rules.predicate
def may_register_dossier(user: Any, dossier: Any) -> bool:
    return dossier is not None and bool(can_change_dossier(user, dossier))


# --- the permissions ------------------------------------------------------------------------------

#: The overleg pages at all (the overview, the calendar, meetings): anyone acting in a role.
rules.add_perm("overleg.use", has_membership)
#: The pages that show or record cases at all (which case: the object rules below): a case role.
rules.add_perm("overleg.work_on_cases", has_case_role)
rules.add_perm("overleg.register", has_case_role & may_register_dossier)
rules.add_perm("overleg.view_registration", can_view_registration)
rules.add_perm("overleg.triage", can_triage)
rules.add_perm("overleg.close_registration", can_triage | (has_case_role & is_casusregisseur))
rules.add_perm("overleg.name_casusregisseur", can_name_casusregisseur)
rules.add_perm("overleg.view_meeting", can_view_meeting)
rules.add_perm("overleg.view_meeting_cases", can_view_meeting_cases)
rules.add_perm("overleg.manage_meeting", can_manage_meeting)
rules.add_perm("overleg.record_discussion", can_record_discussion)
rules.add_perm("overleg.view_agreement", can_view_agreement)
rules.add_perm("overleg.change_agreement", can_view_agreement)
#: Setting up overleggen: without an object, whether the user manages any (the set-up pages).
rules.add_perm("overleg.manage_type", manages_overleg_type)
#: An overleg's set-up page (read) and planning an extra meeting: its managers and its chair.
rules.add_perm("overleg.view_type", has_membership & (manages_overleg_type | chairs_overleg_type))
rules.add_perm("overleg.plan_meeting", has_membership & (manages_overleg_type | chairs_overleg_type))
