"""Who may see and record what is shared: informatie delen's rules and the row filters that implement them.

Registered with ``rules`` when the app loads and asked through :func:`keten.core.policy.allows`. Each
rule that decides which rows someone sees has its row filter right beside it
(``sharing/tests/test_rules_agree.py`` checks that they agree). Everything recorded in a dossier
follows the dossier's own rules (:mod:`keten.dossiers.rules`):

* consents and disclosures are seen by whoever sees the dossier (its case team, and a
  break-the-glass reader) — :func:`consents_visible_to`, :func:`disclosures_visible_to`;
* recording or withdrawing a consent, recording a disclosure (the deelhulp) and ending the access
  it gave are for the case team only, never through break-the-glass —
  :func:`consents_changeable_by`, :func:`grants_revocable_by`;
* the recipient of a disclosure inside Keten sees the shared part while the access runs —
  :func:`active_grants`;
* inzage and destruction requests are recorded, answered and decided by the dossier's case team —
  :func:`inzage_requests_handled_by`, :func:`destruction_requests_handled_by`; an overview PDF is for
  the professional who asked for it, while on the case team — :func:`inzage_exports_of`;
* the aandachtsfunctionaris sees the disclosures decided in their own organisation —
  :func:`organisation_disclosures_of`; beleidsmedewerkers and functioneel beheerders see the
  municipality's counts and register convenants, which every member of the municipality's
  organisations may read — :func:`convenants_of_municipality`.

The informatie delen API takes no system tokens: sharing is always done by a person.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import QuerySet
from django.utils import timezone

from keten.core.policy import (
    has_case_role,
    has_membership,
    is_beleidsmedewerker,
    is_functioneel_beheerder,
    may_read_audit_log,
    user_id_of,
)
from keten.dossiers.rules import can_change_dossier, can_view_dossier, dossiers_of_team, visible_dossier_ids
from keten.sharing.models import (
    AccessGrant,
    Consent,
    Convenant,
    DestructionRequest,
    Disclosure,
    InzageExport,
    InzageRequest,
)


def _membership(user: Any) -> Any:
    return getattr(user, "active_membership", None) if user_id_of(user) is not None else None


# --- things recorded in a dossier: the dossier's rules --------------------------------------------


@rules.predicate
def in_viewable_dossier(user: Any, item: Any) -> bool:
    """A consent, disclosure, grant or request in a dossier the user may see."""
    return item is not None and bool(can_view_dossier(user, item.dossier))


@rules.predicate
def in_changeable_dossier(user: Any, item: Any) -> bool:
    """A consent, disclosure, grant or request in a dossier the user may change (the case team)."""
    return item is not None and bool(can_change_dossier(user, item.dossier))


def consents_visible_to(user: Any) -> QuerySet[Consent]:
    """``sharing.view_consent`` as rows: the consents of the dossiers the user may see."""
    return Consent.objects.filter(dossier_id__in=visible_dossier_ids(user))


def consents_changeable_by(user: Any) -> QuerySet[Consent]:
    """``sharing.withdraw_consent`` as rows: the consents of the user's case-team dossiers."""
    return Consent.objects.filter(dossier__in=dossiers_of_team(user))


def disclosures_visible_to(user: Any) -> QuerySet[Disclosure]:
    """``sharing.view_disclosure`` as rows: the disclosures of the dossiers the user may see."""
    return Disclosure.objects.filter(dossier_id__in=visible_dossier_ids(user))


def grants_revocable_by(user: Any) -> QuerySet[AccessGrant]:
    """``sharing.revoke_grant`` as rows: the access given out of the user's case-team dossiers."""
    return AccessGrant.objects.filter(dossier__in=dossiers_of_team(user))


def inzage_requests_handled_by(user: Any) -> QuerySet[InzageRequest]:
    """``sharing.handle_inzage_request`` as rows: the inzage requests of the user's case-team dossiers."""
    return InzageRequest.objects.filter(dossier__in=dossiers_of_team(user))


def destruction_requests_handled_by(user: Any) -> QuerySet[DestructionRequest]:
    """``sharing.handle_destruction_request`` as rows: the destruction requests of the user's case-team
    dossiers."""
    return DestructionRequest.objects.filter(dossier__in=dossiers_of_team(user))


# --- the recipient --------------------------------------------------------------------------------


def active_grants(user: Any, *, now: Any = None) -> QuerySet[AccessGrant]:
    """``sharing.view_shared_part`` as rows: the access given to the user that runs now."""
    uid = user_id_of(user)
    if uid is None:
        return AccessGrant.objects.none()
    now = now or timezone.now()
    return AccessGrant.objects.filter(user_id=uid, revoked_at__isnull=True, starts_at__lte=now, expires_at__gt=now)


@rules.predicate
def is_running_grant_of(user: Any, grant: Any) -> bool:
    """The grant gives the user access, and it runs now."""
    if grant is None or user_id_of(user) is None or grant.user_id != user_id_of(user) or grant.revoked_at is not None:
        return False
    now = timezone.now()
    return bool(grant.starts_at <= now < grant.expires_at)


# --- overview PDFs of an inzage request ----------------------------------------------------------


@rules.predicate
def is_own_export(user: Any, export: Any) -> bool:
    """An overview PDF the user asked for, of a request in one of their case-team dossiers."""
    if export is None or user_id_of(user) is None or export.requested_by_id != user_id_of(user):
        return False
    return bool(can_change_dossier(user, export.request.dossier))


def inzage_exports_of(user: Any) -> QuerySet[InzageExport]:
    """``sharing.view_inzage_export`` as rows: the user's own exports, of their case-team dossiers."""
    uid = user_id_of(user)
    if uid is None:
        return InzageExport.objects.none()
    return InzageExport.objects.filter(requested_by_id=uid, request__dossier__in=dossiers_of_team(user))


# --- the organisation and the municipality -------------------------------------------------------


@rules.predicate
def decided_in_own_organisation(user: Any, disclosure: Any) -> bool:
    membership = _membership(user)
    return (
        disclosure is not None
        and membership is not None
        and (disclosure.decided_by_organisation_id == membership.organisation_id)
    )


may_read_organisation_disclosures = has_case_role & may_read_audit_log


def organisation_disclosures_of(user: Any) -> QuerySet[Disclosure]:
    """``sharing.view_organisation_disclosure`` as rows: the disclosures decided in the
    aandachtsfunctionaris' own organisation."""
    membership = _membership(user)
    if membership is None or not may_read_organisation_disclosures(user):
        return Disclosure.objects.none()
    return Disclosure.objects.filter(decided_by_organisation_id=membership.organisation_id)


@rules.predicate
def convenant_of_own_municipality(user: Any, convenant: Any) -> bool:
    membership = _membership(user)
    return (
        convenant is not None
        and membership is not None
        and (convenant.municipality_id == membership.organisation.municipality_id)
    )


def convenants_of_municipality(user: Any) -> QuerySet[Convenant]:
    """``sharing.view_convenant`` as rows: the convenants of the municipality the user works in."""
    membership = _membership(user)
    if membership is None:
        return Convenant.objects.none()
    return Convenant.objects.filter(municipality_id=membership.organisation.municipality_id)


may_manage_convenants = is_functioneel_beheerder | is_beleidsmedewerker

# --- the permissions ------------------------------------------------------------------------------

#: Sharing out of dossiers at all (the pages and API of a dossier's sharing, the shared part);
#: which dossier: the object rules below.
rules.add_perm("sharing.use_sharing", has_case_role)
rules.add_perm("sharing.view_consents", has_case_role & can_view_dossier)  # of a dossier
rules.add_perm("sharing.view_consent", has_case_role & in_viewable_dossier)
rules.add_perm("sharing.record_consent", has_case_role & can_change_dossier)  # in a dossier
rules.add_perm("sharing.withdraw_consent", has_case_role & in_changeable_dossier)
rules.add_perm("sharing.view_disclosures", has_case_role & can_view_dossier)  # of a dossier
rules.add_perm("sharing.view_disclosure", has_case_role & in_viewable_dossier)
rules.add_perm("sharing.record_disclosure", has_case_role & can_change_dossier)  # in a dossier
rules.add_perm("sharing.revoke_grant", has_case_role & in_changeable_dossier)
#: The shared part itself: its recipient while the access runs (the pages at all: ``use_sharing``).
rules.add_perm("sharing.view_shared_part", is_running_grant_of)
#: Inzage and destruction requests: the dossier's case team records, answers and decides them.
rules.add_perm("sharing.handle_inzage_requests", has_case_role)  # the pages at all
rules.add_perm("sharing.handle_inzage", has_case_role & can_change_dossier)  # of a dossier
rules.add_perm("sharing.handle_inzage_request", has_case_role & in_changeable_dossier)
rules.add_perm("sharing.handle_destruction_request", has_case_role & in_changeable_dossier)
rules.add_perm("sharing.view_inzage_export", has_case_role & is_own_export)
rules.add_perm("sharing.view_organisation_disclosures", may_read_organisation_disclosures)
rules.add_perm("sharing.view_organisation_disclosure", may_read_organisation_disclosures & decided_in_own_organisation)
rules.add_perm("sharing.view_counts", is_beleidsmedewerker | is_functioneel_beheerder)
rules.add_perm("sharing.view_convenants", has_membership)
rules.add_perm("sharing.view_convenant", has_membership & convenant_of_own_municipality)
rules.add_perm("sharing.manage_convenants", may_manage_convenants)
