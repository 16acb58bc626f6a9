"""Selectors of informatie delen: the lean disclosure lists and the deelhulp's own look-ups."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import OrganisationType
from keten.core.errors import DomainError, NotFoundError
from keten.sharing import deelhulp, selectors, services
from keten.sharing.models import LegalBasis
from keten.testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _record(actor: Any, dossier: Any, school: Any) -> Any:
    child = dossier.family.persons.get()
    return services.disclosure_record(
        actor=actor,
        dossier=dossier,
        data=services.DisclosureData(
            about_ids=[child.pk],
            categories=["signalen"],
            items=["Verslag"],
            recipient_organisation_id=school.pk,
            purpose="Hulp afstemmen",
            legal_basis=LegalBasis.PUBLIEKE_TAAK,
            no_consent_reason="Taak van algemeen belang",
            shared_on=timezone.localdate(),
            client_informed=True,
            client_informed_on=timezone.localdate(),
        ),
    )


def test_lists_leave_out_free_text_and_the_api_variant_has_it_in_fixed_queries(
    professional: Any, dossier: Any, actor_of: Any, django_assert_max_num_queries: Any
) -> None:
    school = OrganisationFactory(type=OrganisationType.ONDERWIJS)
    actor = actor_of(professional)
    for _ in range(3):
        _record(actor, dossier, school)
    with django_assert_max_num_queries(2):  # the case-team check and the rows
        rows = selectors.disclosures_of_dossier(actor=actor, dossier=dossier, limit=2)
        assert [r.recipient_organisation.name for r in rows] == [school.name, school.name]
    assert "purpose" in rows[0].get_deferred_fields()
    with django_assert_max_num_queries(3):  # plus the persons, whatever their number
        rows = selectors.disclosures_of_dossier(actor=actor, dossier=dossier, details=True)
        assert [r.purpose for r in rows] == ["Hulp afstemmen"] * 3
        assert all(len(r.about.all()) == 1 for r in rows)
    recent = selectors.recent_disclosures(actor=actor, dossier=dossier, limit=2)
    assert recent.total == 3
    assert recent.more


def test_outsiders_get_nothing(outsider: Any, dossier: Any, actor_of: Any) -> None:
    actor = actor_of(outsider)
    with pytest.raises(NotFoundError):
        selectors.recent_disclosures(actor=actor, dossier=dossier)
    with pytest.raises(NotFoundError):
        selectors.disclosure_log_page(actor=actor, dossier=dossier)
    with pytest.raises(NotFoundError):
        selectors.deelhulp_lookup(
            actor=actor, dossier=dossier, recipient_id=dossier.pk, about_ids=[], categories={"signalen"}
        )


def test_deelhulp_lookup_without_consent_or_convenant(professional: Any, dossier: Any, actor_of: Any) -> None:
    school = OrganisationFactory(type=OrganisationType.ONDERWIJS)
    child = dossier.family.persons.get()
    found = selectors.deelhulp_lookup(
        actor=actor_of(professional),
        dossier=dossier,
        recipient_id=school.pk,
        about_ids=[child.pk],
        categories={"signalen"},
    )
    assert found.recipient == school
    assert found.consent is deelhulp.Consent.GEEN
    assert found.consents == []
    assert found.flow is None


def test_deelhulp_lookup_refuses_an_inactive_recipient(professional: Any, dossier: Any, actor_of: Any) -> None:
    gone = OrganisationFactory(type=OrganisationType.ONDERWIJS, is_active=False)
    with pytest.raises(DomainError) as info:
        selectors.deelhulp_lookup(
            actor=actor_of(professional), dossier=dossier, recipient_id=gone.pk, about_ids=[], categories=set()
        )
    assert info.value.field == "recipient_organisation"


def test_grant_of_dossier_only_for_the_case_team(professional: Any, outsider: Any, dossier: Any, actor_of: Any) -> None:
    with pytest.raises(NotFoundError):
        selectors.grant_of_dossier(actor=actor_of(professional), dossier=dossier, grant_id=0)
    with pytest.raises(NotFoundError):
        selectors.grant_of_dossier(actor=actor_of(outsider), dossier=dossier, grant_id=0)
