"""Who may see and change a dossier: the dossiers' rules and the row filters that implement them.

Registered with ``rules`` when the app loads and asked through :func:`keten.core.policy.allows`. Each
rule that decides which rows someone sees has its row filter (a queryset or a list of ids) right
beside it, so that the two cannot drift apart (``dossiers/tests/test_rules_agree.py`` checks that
they agree):

* a dossier is seen by its case team and, while the grant lasts, by a break-the-glass reader —
  :func:`visible_dossier_ids`; a partner system (scope ``dossiers:read``) sees the dossiers on whose
  case team its organisation has an active member — :func:`dossiers_of_organisation_teams`;
* a dossier is changed (edit, notes, persons, case team, and everything recorded in it by other
  apps) by its case team only, never through break-the-glass — :func:`dossiers_of_team`;
* a break-the-glass grant is reviewed by an aandachtsfunctionaris of an organisation on (or once on)
  the case team or of the grantee's organisation, or by the gemeente's privacy officer; never by the
  grantee — :func:`reviewable_grants`;
* an access request is decided by the dossier's regievoerder (the whole case team when it has
  none) — :func:`requests_to_decide`.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q, QuerySet, Value
from django.utils import timezone

from keten.accounts.models import ApiClient
from keten.core.actor import Actor, acts_through_system
from keten.core.memo import active, keep, recall, remembered
from keten.core.policy import (
    has_case_role,
    is_aandachtsfunctionaris,
    is_privacy_officer,
    may_see_client_data,
    role_of,
    system_scope,
)
from keten.core.roles import OrganisationType, Role
from keten.dossiers.models import AccessRequest, BreakGlassAccess, CaseRole, CaseTeamMember, Dossier

#: The scope a partner system's token needs to read dossiers.
DOSSIERS_SCOPE = ApiClient.Scope.DOSSIERS_READ


def _user(who: Any) -> Any:
    """The user behind a user or an :class:`~keten.core.actor.Actor` (``None`` when anonymous)."""
    user = who.user if isinstance(who, Actor) else who
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) is not None else None


# --- seeing a dossier: the case team, and break-the-glass ------------------------------------------


@rules.predicate
def is_on_case_team(user: Any, dossier: Any) -> bool:
    if dossier is None or getattr(user, "pk", None) is None:
        return False
    dossier_id = getattr(dossier, "pk", dossier)
    team = recall(("dossiers.team_ids", user.pk))  # known when the page listed the visible dossiers
    if team is not None:
        return dossier_id in team
    return remembered(
        ("dossiers.on_case_team", user.pk, dossier_id),
        lambda: CaseTeamMember.objects.filter(dossier=dossier, user=user, ended_at__isnull=True).exists(),
    )


@rules.predicate
def has_break_glass_access(user: Any, dossier: Any) -> bool:
    # A grant is personal: a system acting for the professional never goes through it.
    if dossier is None or getattr(user, "pk", None) is None or acts_through_system(user):
        return False
    return remembered(
        ("dossiers.break_glass", user.pk, getattr(dossier, "pk", dossier)),
        lambda: BreakGlassAccess.objects.filter(dossier=dossier, user=user, expires_at__gt=timezone.now()).exists(),
    )


can_view_dossier = has_case_role & (is_on_case_team | has_break_glass_access)
can_change_dossier = has_case_role & is_on_case_team


def visible_dossier_ids(user: Any) -> list[int]:
    """``dossiers.view_dossier`` as rows: the ids of case-team dossiers plus live break-the-glass grants.

    Fetched as a short list first (a professional works on tens, not thousands, of dossiers), so
    that the dossier query itself is a primary-key look-up, whatever the number of families. A
    system acting for the professional: their case teams only.
    """
    user = _user(user)
    if user is None or not may_see_client_data(user):
        return []
    through_system = acts_through_system(user)

    def ids() -> tuple[int, ...]:
        team = CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values_list("dossier_id", flat=True)
        if through_system:
            ids = frozenset(team)
            keep(("dossiers.team_ids", user.pk), ids)
            return tuple(sorted(ids))
        glass = BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()).values_list(
            "dossier_id", Value(True)
        )
        rows = list(team.values_list("dossier_id", Value(False)).union(glass, all=True))
        # The case-team part answers is_on_case_team for the rest of the page.
        keep(("dossiers.team_ids", user.pk), frozenset(pk for pk, by_glass in rows if not by_glass))
        return tuple(sorted({pk for pk, _by_glass in rows}))

    return list(remembered(("dossiers.visible_ids", user.pk, through_system), ids))


def team_dossier_ids(who: Any) -> frozenset[int]:
    """:func:`dossiers_of_team` as ids. Inside a page that keeps the policy's answers
    (:func:`keten.core.memo.reading`) they come with :func:`visible_dossier_ids`, which the page's
    other blocks ask too: one query for both."""
    user = _user(who)
    if user is None or not may_see_client_data(user):
        return frozenset()
    key = ("dossiers.team_ids", user.pk)
    if active() and recall(key) is None:
        visible_dossier_ids(user)  # keeps the case-team part under ``key``
    return remembered(
        key,
        lambda: frozenset(
            CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values_list("dossier_id", flat=True)
        ),
    )


def dossiers_of_team(who: Any) -> QuerySet[Dossier]:
    """``dossiers.change_dossier`` as rows: the dossiers whose case team the user (or the actor's
    user) is an active member of — never through break-the-glass."""
    user = _user(who)
    if user is None or not may_see_client_data(user):
        return Dossier.objects.none()
    return Dossier.objects.filter(
        pk__in=CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values("dossier_id")
    )


# --- partner systems ------------------------------------------------------------------------------


def organisation_on_case_team(api_client: Any, dossier: Any) -> bool:
    """A system acting for its organisation reads a dossier when the organisation is on the case team."""
    if dossier is None or not isinstance(dossier, Dossier):
        return False
    return CaseTeamMember.objects.filter(
        dossier=dossier, organisation_id=api_client.organisation_id, ended_at__isnull=True
    ).exists()


def dossiers_of_organisation_teams(api_client: Any) -> QuerySet[Dossier]:
    """:func:`organisation_on_case_team` as rows, for a token with the dossiers scope (none without)."""
    if api_client is None or not api_client.has_scope(DOSSIERS_SCOPE):
        return Dossier.objects.none()
    return Dossier.objects.filter(
        pk__in=CaseTeamMember.objects.filter(organisation_id=api_client.organisation_id, ended_at__isnull=True).values(
            "dossier_id"
        )
    )


# --- break-the-glass review -----------------------------------------------------------------------


def reviewable_grants(user: Any) -> QuerySet[BreakGlassAccess]:
    """``dossiers.review_break_glass_grant`` as rows: the grants a user may review, never their own.

    An aandachtsfunctionaris: grants into dossiers on whose case team their organisation is or was,
    and grants by professionals of their organisation. A privacy officer of the gemeente: every
    grant into a dossier of the municipality. Nobody else.
    """
    role = role_of(user)
    membership = getattr(user, "active_membership", None) if role else None
    if membership is None:
        return BreakGlassAccess.objects.none()
    organisation = membership.organisation
    if role == Role.AANDACHTSFUNCTIONARIS:
        team_dossiers = CaseTeamMember.objects.filter(organisation_id=organisation.pk).values("dossier_id")
        rows = BreakGlassAccess.objects.filter(Q(dossier_id__in=team_dossiers) | Q(organisation_id=organisation.pk))
    elif role == Role.PRIVACY_OFFICER and organisation.type == OrganisationType.GEMEENTE:
        rows = BreakGlassAccess.objects.filter(dossier__family__municipality_id=organisation.municipality_id)
    else:
        return BreakGlassAccess.objects.none()
    return rows.exclude(user=user)


@rules.predicate
def may_review_grant(user: Any, grant: Any) -> bool:
    """The grant is in the user's review queue (:func:`reviewable_grants`)."""
    if grant is None or getattr(grant, "pk", None) is None:
        return False
    return reviewable_grants(user).filter(pk=grant.pk).exists()


may_review_break_glass = is_aandachtsfunctionaris | is_privacy_officer


# --- access requests ------------------------------------------------------------------------------


def dossier_regievoerders(dossier: Dossier) -> list[Any]:
    """The dossier's regievoerder: its coordinator while on the case team, else the active members in
    the case role regievoerder (possibly nobody)."""
    active = CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True, user__is_active=True)
    if dossier.coordinator_id is not None:
        coordinator = active.filter(user_id=dossier.coordinator_id).select_related("user").first()
        if coordinator is not None:
            return [coordinator.user]
    return [m.user for m in active.filter(case_role=CaseRole.REGIEVOERDER).select_related("user").order_by("id")]


def deciders(dossier: Dossier) -> list[Any]:
    """Who decides requests for a dossier: its regievoerder, or its whole case team when it has none."""
    found = dossier_regievoerders(dossier)
    if found:
        return found
    members = CaseTeamMember.objects.filter(dossier=dossier, ended_at__isnull=True, user__is_active=True)
    return [m.user for m in members.select_related("user").order_by("id")]


def _decided_dossiers(user: Any) -> list[int]:
    """The dossiers whose requests the user decides: among those with a request, the (few) whose case
    team the user is on and where they are the regievoerder (or the team has none)."""
    user = _user(user)
    if user is None or not may_see_client_data(user):
        return []
    candidates = Dossier.objects.filter(
        pk__in=CaseTeamMember.objects.filter(user=user, ended_at__isnull=True).values("dossier_id")
    ).filter(pk__in=AccessRequest.objects.values("dossier_id"))
    return [d.pk for d in candidates if any(u.pk == user.pk for u in deciders(d))]


def requests_to_decide(user: Any) -> QuerySet[AccessRequest]:
    """``dossiers.decide_access_request`` as rows: requests for the dossiers the user decides on
    (open and decided)."""
    ids = _decided_dossiers(user)
    return AccessRequest.objects.filter(dossier_id__in=ids) if ids else AccessRequest.objects.none()


@rules.predicate
def decides_access_request(user: Any, request: Any) -> bool:
    """The user decides requests for the requested dossier (:func:`requests_to_decide`)."""
    if request is None or getattr(request, "pk", None) is None:
        return False
    return requests_to_decide(user).filter(pk=request.pk).exists()


# --- the permissions ------------------------------------------------------------------------------

#: Working with dossiers at all (the list, a dossier's page and its API); which dossier: ``view_dossier``.
rules.add_perm("dossiers.view_dossiers", has_case_role)
rules.add_perm("dossiers.view_dossier", can_view_dossier)
rules.add_perm("dossiers.change_dossier", can_change_dossier)
rules.add_perm("dossiers.add_dossier", has_case_role)
rules.add_perm("dossiers.break_glass", has_case_role)
rules.add_perm("dossiers.review_break_glass", may_review_break_glass)
rules.add_perm("dossiers.review_break_glass_grant", may_review_break_glass & may_review_grant)
rules.add_perm("dossiers.request_access", has_case_role)
rules.add_perm("dossiers.view_access_requests", has_case_role)
rules.add_perm("dossiers.decide_access_request", has_case_role & decides_access_request)

# A partner system with ``dossiers:read`` reads the dossiers on whose case team its organisation has
# an active member (a dossier's page; the list and search through :func:`dossiers_of_organisation_teams`).
# It changes nothing: writing, break-the-glass, reviews and access requests stay closed to every system.
system_scope("dossiers.view_dossiers", DOSSIERS_SCOPE)
system_scope("dossiers.view_dossier", DOSSIERS_SCOPE, on_object=organisation_on_case_team)
