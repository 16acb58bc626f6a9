"""Who may see and record what in the verwijsindex: its rules and the row filters that implement them.

Registered with ``rules`` when the app loads and asked through :func:`keten.core.policy.allows`. Each
rule that decides which rows someone sees has its row filter (a queryset) right beside it, so that the
two cannot drift apart (``verwijsindex/tests/test_rules_agree.py`` checks that they agree):

* a signal (a registration) is seen and changed (withdrawn, notice recorded) by the professional who
  registered it, in a case role — :func:`signals_visible_to`; a partner system acting for its
  organisation sees and withdraws its organisation's signals — :func:`signals_of_system`;
* a match is seen by the professionals it brings together (with an active signal in it) and by the
  regievoerder of a municipality one of them registered in — :func:`matches_visible_to`; it is worked
  on (contact, afgestemd, coordinator) by those professionals — :func:`matches_to_act_on` — and the
  invitation to a case conference is for its coordinator (:func:`is_match_coordinator`);
* the regie overview is for whoever is regievoerder of the municipality today —
  :func:`regie_matches`; the verwijsindex beheer for the gemeente's functioneel beheerder.

Partner systems reach the verwijsindex API with ``verwijsindex:read`` (reading signals, the feed and
their webhooks) and ``verwijsindex:write`` (registering, withdrawing, and reading back their own
signals); see
:func:`keten.core.policy.system_scope`. Webhooks belong to the system only: no browser session
registers one.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Exists, OuterRef, Q, QuerySet

from keten.accounts.models import ApiClient
from keten.core.memo import remembered
from keten.core.policy import (
    has_case_role,
    has_membership,
    is_functioneel_beheerder,
    may_see_client_data,
    role_of,
    system_scope,
    user_id_of,
    works_for_gemeente,
)
from keten.verwijsindex.models import Match, MatchParticipant, Regievoerder, Signal, SignalStatus

#: The scopes of a partner system's token for the verwijsindex API.
READ_SCOPE = ApiClient.Scope.VERWIJSINDEX_READ
WRITE_SCOPE = ApiClient.Scope.VERWIJSINDEX_WRITE


def _municipality_id(user: Any) -> int | None:
    membership = getattr(user, "active_membership", None) if role_of(user) else None
    return membership.organisation.municipality_id if membership is not None else None


# --- signals: seen and changed by whoever registered them -----------------------------------------


@rules.predicate
def is_registrant(user: Any, signal: Any) -> bool:
    """The user registered the signal (it is in their name)."""
    return signal is not None and user_id_of(user) is not None and signal.professional_id == user_id_of(user)


def signals_visible_to(user: Any) -> QuerySet[Signal]:
    """The signals ``verwijsindex.view_signal`` (and ``change_signal``) allows: the user's own, in a case role."""
    uid = user_id_of(user)
    if uid is None or not may_see_client_data(user):
        return Signal.objects.none()
    return Signal.objects.filter(professional_id=uid)


def signal_of_system(client: Any, signal: Any) -> bool:
    """A partner system acting for its organisation: a signal registered for that organisation."""
    return signal is not None and client is not None and signal.organisation_id == client.organisation_id


def signals_of_system(client: Any) -> QuerySet[Signal]:
    """:func:`signal_of_system` as rows: the signals of the system's organisation."""
    return Signal.objects.filter(organisation_id=client.organisation_id)


# --- matches: the professionals it brings together, their coordinator, the regievoerder ----------


def _taking_part(uid: int | None) -> QuerySet[MatchParticipant]:
    return MatchParticipant.objects.filter(
        match_id=OuterRef("pk"), signal__professional_id=uid, signal__status=SignalStatus.ACTIEF
    )


@rules.predicate
def takes_part_in(user: Any, match: Any) -> bool:
    """The user has an active signal in the match."""
    uid = user_id_of(user)
    if match is None or uid is None:
        return False
    return MatchParticipant.objects.filter(
        match_id=match.pk, signal__professional_id=uid, signal__status=SignalStatus.ACTIEF
    ).exists()


def matches_taken_part_in(user: Any) -> QuerySet[Match]:
    """:func:`takes_part_in` as rows, with the user's id as the only parameter (the main menu compiles
    its count once, see ``keten.core.queries``; it asks the case role itself)."""
    return Match.objects.filter(Exists(_taking_part(user_id_of(user))))


def matches_to_act_on(user: Any) -> QuerySet[Match]:
    """The matches ``verwijsindex.act_on_match`` allows: those the user takes part in, in a case role."""
    if user_id_of(user) is None or not may_see_client_data(user):
        return Match.objects.none()
    return matches_taken_part_in(user)


@rules.predicate
def is_match_coordinator(user: Any, match: Any) -> bool:
    """The user's active signal is the match's coordinator (they invite to a case conference)."""
    uid = user_id_of(user)
    if match is None or uid is None or match.coordinator_id is None:
        return False
    return Signal.objects.filter(pk=match.coordinator_id, professional_id=uid, status=SignalStatus.ACTIEF).exists()


@rules.predicate
def is_regievoerder(user: Any) -> bool:
    """Designated today as the verwijsindex regievoerder of the municipality the user acts in."""
    municipality_id = _municipality_id(user)
    uid = user_id_of(user)
    if municipality_id is None or uid is None:
        return False
    return remembered(
        ("verwijsindex.regievoerder", uid, municipality_id),
        lambda: Regievoerder.objects.filter(user_id=uid, municipality_id=municipality_id).exists(),
    )


@rules.predicate
def in_regie_of(user: Any, match: Any) -> bool:
    """The match has a participant of the municipality the user is regievoerder of."""
    municipality_id = _municipality_id(user)
    if match is None or municipality_id is None or not is_regievoerder(user):
        return False
    return MatchParticipant.objects.filter(match_id=match.pk, municipality_id=municipality_id).exists()


def regie_matches(user: Any) -> QuerySet[Match]:
    """The matches :func:`in_regie_of` allows: with a participant of the regievoerder's municipality."""
    municipality_id = _municipality_id(user)
    if municipality_id is None or not is_regievoerder(user):
        return Match.objects.none()
    return matches_of_municipality(municipality_id)


def matches_of_municipality(municipality_id: int) -> QuerySet[Match]:
    """The matches with a participant of the municipality (for a caller that knows it is the regievoerder)."""
    ours = MatchParticipant.objects.filter(match_id=OuterRef("pk"), municipality_id=municipality_id)
    return Match.objects.filter(Exists(ours))


def matches_visible_to(user: Any) -> QuerySet[Match]:
    """The matches ``verwijsindex.view_match`` allows: taken part in, or in the user's regie."""
    uid = user_id_of(user)
    if uid is None or not role_of(user):
        return Match.objects.none()
    visible = Q(Exists(_taking_part(uid)))
    if is_regievoerder(user):
        visible |= Q(pk__in=matches_of_municipality(_municipality_id(user) or 0).values("pk"))
    return Match.objects.filter(visible)


# --- the permissions ------------------------------------------------------------------------------

#: Working with one's own signals and matches at all (the overview, the signal pages and reading API).
rules.add_perm("verwijsindex.view_signals", has_case_role)
#: The feed of match events (API): the same people; of systems only those that may read.
rules.add_perm("verwijsindex.view_feed", has_case_role)
#: Registering and withdrawing signals, and working on matches, at all; which one: the object rules.
rules.add_perm("verwijsindex.register", has_case_role)
rules.add_perm("verwijsindex.view_signal", has_case_role & is_registrant)
rules.add_perm("verwijsindex.change_signal", has_case_role & is_registrant)
#: Opening a match page at all (participants and regievoerders); which match: ``view_match``.
rules.add_perm("verwijsindex.view_matches", has_membership)
rules.add_perm("verwijsindex.view_match", has_membership & (takes_part_in | in_regie_of))
rules.add_perm("verwijsindex.act_on_match", has_case_role & takes_part_in)
rules.add_perm("verwijsindex.coordinate_match", has_case_role & takes_part_in & is_match_coordinator)
rules.add_perm("verwijsindex.view_regie", is_regievoerder)
rules.add_perm("verwijsindex.manage", is_functioneel_beheerder & works_for_gemeente)
#: Webhooks belong to a partner system: no person, in whatever role, registers or reads them.
rules.add_perm("verwijsindex.manage_webhooks", rules.always_deny)

# Partner systems: reading with ``verwijsindex:read``, registering and withdrawing with
# ``verwijsindex:write``. Acting for its organisation a system reaches that organisation's signals;
# acting for one of its professionals, what the professional may. Matches, the regie and the beheer
# are for people only.
# A system that registers signals also reads back its own (to withdraw them): either scope reads.
system_scope("verwijsindex.view_signals", (READ_SCOPE, WRITE_SCOPE))
system_scope("verwijsindex.view_signal", (READ_SCOPE, WRITE_SCOPE), on_object=signal_of_system)
system_scope("verwijsindex.view_feed", READ_SCOPE)
system_scope("verwijsindex.register", WRITE_SCOPE)
system_scope("verwijsindex.change_signal", WRITE_SCOPE, on_object=signal_of_system)
system_scope("verwijsindex.manage_webhooks", READ_SCOPE)
