"""Who may see and record a meldcode-traject: the meldcode's rules, registered with the one policy.

Asked through :func:`keten.core.policy.allows`.
"""

from __future__ import annotations

from typing import Any

import rules

from keten.core.actor import acts_through_system
from keten.core.policy import has_case_role, is_aandachtsfunctionaris, is_functioneel_beheerder
from keten.dossiers.rules import can_change_dossier, can_view_dossier
from keten.meldcode.models import Consultation


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
    if traject is None or acts_through_system(user) or getattr(user, "pk", None) is None:
        return False
    return Consultation.objects.filter(traject=traject, requested_to_id=user.pk).exists()


@rules.predicate
def is_consultation_addressee(user: Any, consultation: Any) -> bool:
    return consultation is not None and consultation.requested_to_id == getattr(user, "pk", None)


rules.add_perm("meldcode.view_traject", has_case_role & (can_view_traject_dossier | is_consulted_on))
rules.add_perm("meldcode.change_traject", has_case_role & can_change_traject_dossier)
rules.add_perm("meldcode.answer_consultation", has_case_role & is_consultation_addressee)
rules.add_perm("meldcode.view_organisation_trajecten", is_aandachtsfunctionaris)
rules.add_perm("meldcode.manage_checklists", is_functioneel_beheerder)
