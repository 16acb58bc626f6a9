"""Who may see and change a dossier: the dossiers' rules, registered with the one policy.

Asked through :func:`keten.core.policy.allows`. The row filters that implement the same rules for
lists sit beside them, so that a rule and its query cannot drift apart.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from keten.core.actor import acts_through_system
from keten.core.policy import has_case_role, is_aandachtsfunctionaris, is_privacy_officer
from keten.dossiers.models import BreakGlassAccess, CaseTeamMember


@rules.predicate
def is_on_case_team(user: Any, dossier: Any) -> bool:
    if dossier is None or getattr(user, "pk", None) is None:
        return False
    return CaseTeamMember.objects.filter(dossier=dossier, user=user, ended_at__isnull=True).exists()


@rules.predicate
def has_break_glass_access(user: Any, dossier: Any) -> bool:
    # A grant is personal: a system acting for the professional never goes through it.
    if dossier is None or getattr(user, "pk", None) is None or acts_through_system(user):
        return False
    return BreakGlassAccess.objects.filter(dossier=dossier, user=user, expires_at__gt=timezone.now()).exists()


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


may_review_break_glass = is_aandachtsfunctionaris | is_privacy_officer
can_view_dossier = has_case_role & (is_on_case_team | has_break_glass_access)
can_change_dossier = has_case_role & is_on_case_team

rules.add_perm("dossiers.view_dossier", can_view_dossier)
rules.add_perm("dossiers.change_dossier", can_change_dossier)
rules.add_perm("dossiers.add_dossier", has_case_role)
rules.add_perm("dossiers.break_glass", has_case_role)
rules.add_perm("dossiers.review_break_glass", may_review_break_glass)
rules.add_perm("dossiers.review_break_glass_grant", may_review_break_glass & may_review_grant)
rules.add_perm("dossiers.request_access", has_case_role)
rules.add_perm("dossiers.view_access_requests", has_case_role)
rules.add_perm("dossiers.decide_access_request", has_case_role & decides_access_request)
