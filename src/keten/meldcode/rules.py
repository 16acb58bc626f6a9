"""Who may see and record a meldcode-traject: the meldcode's rules and the row filters that implement them.

Registered with ``rules`` when the app loads and asked through :func:`keten.core.policy.allows`. Each
rule that decides which rows someone sees has its row filter (a queryset or ``Q``) right beside it,
so that the two cannot drift apart (``meldcode/tests/test_rules_agree.py`` checks that they agree):

* a traject is seen by the case team of its dossier (and a break-the-glass reader of it), and by
  whoever was asked for a consultation on it — :func:`trajecten_visible_to`;
* recording in a traject, or starting one in a dossier, is for the case team only;
* the names of the family are shown to whoever sees the dossier, and to a consultee only when asked
  with names; the organisation overview names only the trajecten on whose case team the
  aandachtsfunctionaris is or on which they were consulted with names — :func:`names_on_overview_q`;
* the aandachtsfunctionaris sees the trajecten of their own organisation in the overview (without
  names) — :func:`organisation_trajecten`;
* a consultation request is answered by its addressee, whose inbox it is in — :func:`consultation_inbox`;
* the checklists are managed by the functioneel beheerder of a gemeente organisation: they see the
  national versions (read-only) and those of their own municipality — :func:`checklists_visible_to` —
  and publish versions for their own municipality only — :func:`checklists_managed_by`. The beheerder
  of any other organisation, and of another municipality, has no part in them.

A consultation is asked of the person: a partner system acting for them never reaches a traject or a
request through it. Partner systems reach the meldcode only with the ``meldcode:write`` scope and
only for one of their professionals (see :func:`keten.core.policy.system_scope`).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet

from keten.accounts.models import ApiClient
from keten.core.actor import actor_for_user, acts_through_system
from keten.core.policy import (
    has_case_role,
    is_aandachtsfunctionaris,
    is_functioneel_beheerder,
    may_see_client_data,
    organisation_id_of,
    system_scope,
    user_id_of,
    works_for_gemeente,
)
from keten.dossiers.models import Dossier
from keten.dossiers.rules import can_change_dossier, can_view_dossier
from keten.dossiers.selectors import dossiers_of_team, visible_dossier_ids
from keten.meldcode.models import Checklist, Consultation, Traject

#: The scope a partner system's token needs for the meldcode API.
MELDCODE_SCOPE = ApiClient.Scope.MELDCODE_WRITE


# --- the dossier's row filters the meldcode builds on ---------------------------------------------
# The dossier rules (``can_view_dossier``, ``can_change_dossier``) come from ``keten.dossiers.rules``;
# the row filters that implement them are taken from ``keten.dossiers.selectors``, here only.


def _dossier_ids_visible_to(user: Any) -> list[int]:
    """Dossiers the user may see (``dossiers.view_dossier``): case team, plus break-the-glass."""
    return visible_dossier_ids(user)


def _dossiers_of_team(user: Any) -> QuerySet[Dossier]:
    """Dossiers the user may change (``dossiers.change_dossier``): the case team, no break-the-glass."""
    if user_id_of(user) is None:
        return Dossier.objects.none()
    return dossiers_of_team(actor_for_user(user))


# --- consultations: asked of a person -------------------------------------------------------------


@rules.predicate
def is_consultation_addressee(user: Any, consultation: Any) -> bool:
    """The request is addressed to the user (never to a system acting for them)."""
    if consultation is None or user_id_of(user) is None or acts_through_system(user):
        return False
    return bool(consultation.requested_to_id == user_id_of(user))


def consultations_to(user: Any, *, with_names: bool = False) -> QuerySet[Consultation]:
    """:func:`is_consultation_addressee` as rows: the requests addressed to the user (``with_names``:
    only those asked with the family's names); none for a system acting for the user. The user's id
    is the only parameter (the main menu compiles the count once, see ``keten.core.queries``)."""
    uid = user_id_of(user)
    if uid is None or acts_through_system(user):
        return Consultation.objects.none()
    found = Consultation.objects.filter(requested_to_id=uid)
    return found.filter(anonymous=False) if with_names else found


def consultation_inbox(user: Any) -> QuerySet[Consultation]:
    """The requests ``meldcode.answer_consultation`` allows: addressed to the user, in a case role."""
    return consultations_to(user) if may_see_client_data(user) else Consultation.objects.none()


@rules.predicate
def is_consulted_on(user: Any, traject: Any) -> bool:
    """Asked for collegiale consultatie on this traject (sees the traject, without names when anonymous)."""
    if traject is None or user_id_of(user) is None or acts_through_system(user):
        return False
    return Consultation.objects.filter(traject=traject, requested_to_id=user_id_of(user)).exists()


@rules.predicate
def is_consulted_with_names(user: Any, traject: Any) -> bool:
    """Asked for consultation on this traject with the family's names."""
    if traject is None or user_id_of(user) is None or acts_through_system(user):
        return False
    return Consultation.objects.filter(traject=traject, requested_to_id=user_id_of(user), anonymous=False).exists()


# --- trajecten ------------------------------------------------------------------------------------


@rules.predicate
def can_view_traject_dossier(user: Any, traject: Any) -> bool:
    return traject is not None and bool(can_view_dossier(user, traject.dossier))


@rules.predicate
def can_change_traject_dossier(user: Any, traject: Any) -> bool:
    return traject is not None and bool(can_change_dossier(user, traject.dossier))


@rules.predicate
def can_start_in_dossier(user: Any, dossier: Any) -> bool:
    return dossier is not None and bool(can_change_dossier(user, dossier))


can_view_traject = has_case_role & (can_view_traject_dossier | is_consulted_on)


@rules.predicate
def can_view_consultation_traject(user: Any, consultation: Any) -> bool:
    return consultation is not None and bool(can_view_traject(user, consultation.traject))


def trajecten_visible_to(user: Any) -> QuerySet[Traject]:
    """The trajecten ``meldcode.view_traject`` allows: in a dossier the user may see (case team or
    break-the-glass), or consulted on. A system acting for the user: their case teams only."""
    if user_id_of(user) is None or not may_see_client_data(user):
        return Traject.objects.none()
    visible = Q(dossier_id__in=_dossier_ids_visible_to(user))
    if not acts_through_system(user):
        visible |= Q(pk__in=consultations_to(user).values("traject_id"))
    return Traject.objects.filter(visible)


@rules.predicate
def names_on_overview(user: Any, traject: Any) -> bool:
    """The organisation overview names the child or family: on the case team (not through
    break-the-glass), or consulted with names."""
    return bool(can_change_traject_dossier(user, traject) or is_consulted_with_names(user, traject))


def names_on_overview_q(user: Any) -> Q:
    """:func:`names_on_overview` as a filter on Traject."""
    return Q(dossier_id__in=_dossiers_of_team(user).values("pk")) | Q(
        pk__in=consultations_to(user, with_names=True).values("traject_id")
    )


# --- the aandachtsfunctionaris' organisation overview ---------------------------------------------


@rules.predicate
def of_own_organisation(user: Any, traject: Any) -> bool:
    """Started by someone of the organisation the user acts for (never seen by a system acting for them)."""
    org_id = organisation_id_of(user)
    if traject is None or org_id is None or acts_through_system(user):
        return False
    return bool(traject.organisation_id == org_id)


def organisation_trajecten(user: Any) -> QuerySet[Traject]:
    """The trajecten ``meldcode.view_organisation_traject`` allows: for an aandachtsfunctionaris, all
    of their own organisation (the overview shows them without names, see :func:`names_on_overview_q`)."""
    org_id = organisation_id_of(user)
    if org_id is None or acts_through_system(user) or not is_aandachtsfunctionaris(user):
        return Traject.objects.none()
    return Traject.objects.filter(organisation_id=org_id)


# --- the checklist beheer: the gemeente's functioneel beheerder, for the own municipality ----------


def _checklist_municipality_id(user: Any) -> int | None:
    """The municipality whose checklists the user manages: that of the gemeente organisation a
    functioneel beheerder acts for. None for everyone else, and for a system acting for the user."""
    if user_id_of(user) is None or acts_through_system(user):
        return None
    if not (is_functioneel_beheerder(user) and works_for_gemeente(user)):
        return None
    return int(user.active_membership.organisation.municipality_id)


@rules.predicate
def manages_municipal_checklists(user: Any) -> bool:
    """``meldcode.manage_checklists``: the functioneel beheerder of a gemeente organisation."""
    return _checklist_municipality_id(user) is not None


@rules.predicate
def is_checklist_of_own_municipality(user: Any, checklist: Any) -> bool:
    """A version of the municipality the beheerder manages (never a national one, never another's)."""
    own = _checklist_municipality_id(user)
    if checklist is None or own is None or checklist.municipality_id is None:
        return False
    return bool(checklist.municipality_id == own)


@rules.predicate
def is_national_checklist(user: Any, checklist: Any) -> bool:
    """A national version (loaded from ``meldcode/data``): read by every checklist beheerder, changed by none."""
    return checklist is not None and checklist.municipality_id is None


def checklists_managed_by(user: Any) -> QuerySet[Checklist]:
    """The checklists ``meldcode.manage_checklist`` allows: the versions of the beheerder's own municipality."""
    own = _checklist_municipality_id(user)
    if own is None:
        return Checklist.objects.none()
    return Checklist.objects.filter(municipality_id=own)


def checklists_visible_to(user: Any) -> QuerySet[Checklist]:
    """The checklists ``meldcode.view_checklist`` allows: the national versions and the own municipality's."""
    own = _checklist_municipality_id(user)
    if own is None:
        return Checklist.objects.none()
    return Checklist.objects.filter(Q(municipality__isnull=True) | Q(municipality_id=own))


# --- the permissions ------------------------------------------------------------------------------

#: Working with meldcode-trajecten at all (the pages and API of one's own trajecten): a case role.
rules.add_perm("meldcode.view_trajecten", has_case_role)
#: Recording in meldcode-trajecten at all (the write pages and API); which traject: ``change_traject``.
rules.add_perm("meldcode.record_trajecten", has_case_role)
rules.add_perm("meldcode.view_traject", can_view_traject)
rules.add_perm("meldcode.view_traject_names", has_case_role & (can_view_traject_dossier | is_consulted_with_names))
rules.add_perm("meldcode.change_traject", has_case_role & can_change_traject_dossier)
rules.add_perm("meldcode.start_traject", has_case_role & can_start_in_dossier)
rules.add_perm(
    "meldcode.view_consultation", has_case_role & (is_consultation_addressee | can_view_consultation_traject)
)
rules.add_perm("meldcode.answer_consultation", has_case_role & is_consultation_addressee)
rules.add_perm("meldcode.view_organisation_trajecten", is_aandachtsfunctionaris)
rules.add_perm("meldcode.view_organisation_traject", is_aandachtsfunctionaris & of_own_organisation)
#: The checklist beheer at all (its pages): the functioneel beheerder of a gemeente organisation. A new
#: version they publish is one of their own municipality (see ``services.checklist_publish``).
rules.add_perm("meldcode.manage_checklists", manages_municipal_checklists)
#: Reading a version, and publishing a new one from it: national or of the own municipality.
rules.add_perm(
    "meldcode.view_checklist",
    manages_municipal_checklists & (is_national_checklist | is_checklist_of_own_municipality),
)
#: A version that is the beheerder's to manage: only one of their own municipality.
rules.add_perm("meldcode.manage_checklist", manages_municipal_checklists & is_checklist_of_own_municipality)

# A partner system reaches the meldcode only for one of its professionals (the ``Keten-Professional``
# header) and then only where that professional is on the case team: acting for its organisation it
# reaches no traject (no ``on_object``). Consultations, the organisation overview and the checklist
# beheer are personal or for other roles, and stay closed to every system.
for _permission in (
    "meldcode.view_trajecten",
    "meldcode.record_trajecten",
    "meldcode.view_traject",
    "meldcode.view_traject_names",
    "meldcode.change_traject",
    "meldcode.start_traject",
):
    system_scope(_permission, MELDCODE_SCOPE)
