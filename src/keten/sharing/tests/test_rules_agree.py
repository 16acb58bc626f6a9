"""The informatie-delen rules of the policy and the row filters beside them (``keten.sharing.rules``) agree.

On the generated world of the dossier rules' test (organisations in one or two municipalities, users
in every role, case teams with active and ended members, live and expired break-the-glass grants),
each dossier gets a consent, a disclosure with access for a professional (running, revoked or
expired), an inzage request with an overview PDF and a destruction request. Every row is returned by
a row filter exactly when ``allows(...)`` says yes for it:

* ``sharing.view_consent`` / ``withdraw_consent`` and :func:`consents_visible_to` /
  :func:`consents_changeable_by`;
* ``sharing.view_disclosure`` and :func:`disclosures_visible_to`; ``view_organisation_disclosure``
  and :func:`organisation_disclosures_of`;
* ``sharing.revoke_grant`` and :func:`grants_revocable_by`; ``view_shared_part`` and
  :func:`active_grants`;
* ``sharing.handle_inzage_request`` / ``handle_destruction_request`` / ``view_inzage_export`` and
  :func:`inzage_requests_handled_by` / :func:`destruction_requests_handled_by` / :func:`inzage_exports_of`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keten.accounts.models import User
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.dossiers.tests.test_rules_agree import Files, _build, dossiers, organisations, users
from keten.sharing import rules as sharing_rules
from keten.sharing.models import (
    AccessGrant,
    Consent,
    DestructionRequest,
    Disclosure,
    GiverRole,
    InzageExport,
    InzageRequest,
    LegalBasis,
    RequesterRole,
)
from keten.testing.factories import make_person

pytestmark = pytest.mark.django_db

#: per dossier: (decider, recipient of the access, its state: 0 running / 1 revoked / 2 expired, exporter)
sharing = st.lists(
    st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=3
)


def _share(members: list[User], made_dossiers: list[Dossier], shared: list[tuple[int, int, int, int]]) -> None:
    now = timezone.now()
    today = timezone.localdate()
    for number, dossier in enumerate(made_dossiers):
        decider, recipient, state, exporter = shared[number % len(shared)]
        decided_by = members[decider % len(members)]
        organisation = decided_by.memberships.first().organisation  # type: ignore[union-attr]
        person = make_person(dossier.family)
        consent = Consent.objects.create(
            dossier=dossier,
            giver=person,
            giver_role=GiverRole.OUDER_MET_GEZAG,
            about=person,
            purpose="Afstemmen van de hulp",
            form=Consent.Form.MONDELING,
            given_on=today,
            recorded_by=decided_by,
        )
        consent.recipients.add(organisation)
        disclosure = Disclosure.objects.create(
            reference=f"V-AGREE{number:04d}",
            dossier=dossier,
            categories=["personalia"],
            recipient_organisation=organisation,
            purpose="Afstemmen van de hulp",
            legal_basis=LegalBasis.TOESTEMMING,
            consent=consent,
            client_informed=True,
            client_informed_on=today,
            decided_by=decided_by,
            decided_by_organisation=organisation,
            shared_on=today,
        )
        AccessGrant.objects.create(
            disclosure=disclosure,
            dossier=dossier,
            user=members[recipient % len(members)],
            categories=["personalia"],
            starts_at=now - timedelta(days=1),
            expires_at=now - timedelta(hours=1) if state == 2 else now + timedelta(days=1),
            revoked_at=now - timedelta(hours=1) if state == 1 else None,
        )
        request = {
            "dossier": dossier,
            "requester": person,
            "requester_role": RequesterRole.VOLWASSENE,
            "about": person,
            "received_on": today,
            "due_on": today + timedelta(days=28),
            "recorded_by": decided_by,
            "recorded_by_organisation": organisation,
        }
        inzage = InzageRequest.objects.create(**request)
        DestructionRequest.objects.create(**request)
        InzageExport.objects.create(
            request=inzage, requested_by=members[exporter % len(members)], expires_at=now + timedelta(days=1)
        )


def _pks(rows: Any) -> set[int]:
    return set(rows.values_list("pk", flat=True))


AGREEMENTS = (
    ("sharing.view_consent", Consent, sharing_rules.consents_visible_to),
    ("sharing.withdraw_consent", Consent, sharing_rules.consents_changeable_by),
    ("sharing.view_disclosure", Disclosure, sharing_rules.disclosures_visible_to),
    ("sharing.view_organisation_disclosure", Disclosure, sharing_rules.organisation_disclosures_of),
    ("sharing.revoke_grant", AccessGrant, sharing_rules.grants_revocable_by),
    ("sharing.view_shared_part", AccessGrant, sharing_rules.active_grants),
    ("sharing.handle_inzage_request", InzageRequest, sharing_rules.inzage_requests_handled_by),
    ("sharing.handle_destruction_request", DestructionRequest, sharing_rules.destruction_requests_handled_by),
    ("sharing.view_inzage_export", InzageExport, sharing_rules.inzage_exports_of),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(orgs=organisations, people=users, files=dossiers, shared=sharing)
def test_the_sharing_rules_agree_with_their_row_filters(
    db: Any,
    orgs: list[tuple[str, int]],
    people: list[tuple[str, int, bool]],
    files: Files,
    shared: list[tuple[int, int, int, int]],
) -> None:
    with transaction.atomic():
        members, made_dossiers, _made = _build(orgs, people, files)
        _share(members, made_dossiers, shared)
        rows = {model: list(model.objects.all()) for _perm, model, _filter in AGREEMENTS}
        for member in members:
            user = User.objects.get(pk=member.pk)
            for permission, model, row_filter in AGREEMENTS:
                found = _pks(row_filter(user))
                for row in rows[model]:
                    assert allows(permission, user, row) == (row.pk in found), (permission, row.pk)
        transaction.set_rollback(True)
