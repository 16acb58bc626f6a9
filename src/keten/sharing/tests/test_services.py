"""Informatie delen: convenants, consent rules, disclosures and the access they grant."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.dossiers.models import Relation
from keten.sharing import selectors, services
from keten.sharing.deelhulp import Answers, Recipient, advise
from keten.sharing.models import AccessGrant, AppendOnlyError, Disclosure, GiverRole, LegalBasis
from keten.testing.factories import OrganisationFactory, make_person, make_user

ActorOf = Callable[[User], Actor]
TODAY = timezone.localdate


@pytest.fixture
def school(db: Any) -> Any:
    return OrganisationFactory(name="Basisschool Test", type=OrganisationType.ONDERWIJS)


@pytest.fixture
def teacher(school: Any) -> User:
    return make_user(Role.PROFESSIONAL, school, username="juf")


@pytest.fixture
def family(dossier: Any) -> dict[str, Any]:
    child = dossier.family.persons.get()  # born 2016: 10 years old
    mother = make_person(dossier.family, relation=Relation.OUDER, first_name="Moeder", date_of_birth=date(1985, 1, 1))
    teen = make_person(dossier.family, first_name="Tiener", date_of_birth=date(2012, 1, 1))
    return {"child": child, "mother": mother, "teen": teen}


def _consent(actor: Actor, dossier: Any, giver: Any, about: Any, role: str, recipient: Any) -> Any:
    return services.consent_record(
        actor=actor,
        dossier=dossier,
        data=services.ConsentData(
            giver_id=giver.pk,
            giver_role=role,
            about_id=about.pk,
            purpose="Afstemmen van de hulp met school",
            recipient_ids=[recipient.pk],
            form="mondeling",
            given_on=TODAY() - timedelta(days=1),
        ),
    )


def _disclosure(about: Any, recipient: Any, **overrides: Any) -> services.DisclosureData:
    values: dict[str, Any] = {
        "about_ids": [about.pk],
        "categories": ["signalen", "hulpverlening"],
        "items": ["Notitie van 12 november"],
        "recipient_organisation_id": recipient.pk,
        "purpose": "Hulp afstemmen met de school",
        "legal_basis": LegalBasis.TOESTEMMING,
        "shared_on": TODAY(),
        "client_informed": True,
        "client_informed_on": TODAY(),
    }
    values.update(overrides)
    return services.DisclosureData(**values)


def test_consent_rules_by_age_and_gezag(
    professional: User, dossier: Any, family: dict[str, Any], school: Any, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    child, mother, teen = family["child"], family["mother"], family["teen"]
    # A 10-year-old cannot consent for themselves; a parent with gezag can.
    with pytest.raises(DomainError) as err:
        _consent(actor, dossier, child, child, GiverRole.JONGERE_12, school)
    assert err.value.field == "giver_role"
    _consent(actor, dossier, mother, child, GiverRole.OUDER_MET_GEZAG, school)
    assert services.consent_covers(child, school, TODAY())[0]
    # A 14-year-old needs both the parent and themselves.
    _consent(actor, dossier, mother, teen, GiverRole.OUDER_MET_GEZAG, school)
    assert not services.consent_covers(teen, school, TODAY())[0]
    _consent(actor, dossier, teen, teen, GiverRole.JONGERE_12, school)
    assert services.consent_covers(teen, school, TODAY())[0]
    # A child cannot consent as a parent, and nobody about someone else as a youth.
    with pytest.raises(DomainError):
        _consent(actor, dossier, child, teen, GiverRole.OUDER_MET_GEZAG, school)
    with pytest.raises(DomainError):
        _consent(actor, dossier, teen, child, GiverRole.JONGERE_12, school)


def test_sharing_after_withdrawal_is_refused(
    professional: User, dossier: Any, family: dict[str, Any], school: Any, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    consent = _consent(actor, dossier, family["mother"], family["child"], GiverRole.OUDER_MET_GEZAG, school)
    services.disclosure_record(actor=actor, dossier=dossier, data=_disclosure(family["child"], school))
    services.consent_withdraw(actor=actor, consent=consent, withdrawn_on=TODAY())
    with pytest.raises(DomainError, match="ingetrokken") as err:
        services.disclosure_record(actor=actor, dossier=dossier, data=_disclosure(family["child"], school))
    assert err.value.field == "legal_basis"
    assert Disclosure.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"purpose": ""}, "purpose"),
        ({"legal_basis": "geen"}, "legal_basis"),
        ({"categories": []}, "categories"),
        ({"shared_on": date.today() + timedelta(days=2)}, "shared_on"),
        ({"legal_basis": LegalBasis.CONFLICT_VAN_PLICHTEN}, "no_consent_reason"),
        ({"legal_basis": LegalBasis.CONVENANT, "no_consent_reason": "Convenant jeugd en veiligheid"}, "legal_basis"),
        (
            {
                "client_informed": False,
                "legal_basis": LegalBasis.CONFLICT_VAN_PLICHTEN,
                "no_consent_reason": "Ouders zijn niet bereikbaar",
            },
            "not_informed_reason",
        ),
    ],
)
def test_disclosure_bad_input_writes_nothing(
    professional: User,
    dossier: Any,
    family: dict[str, Any],
    school: Any,
    actor_of: ActorOf,
    overrides: dict[str, Any],
    field: str,
) -> None:
    with pytest.raises(DomainError) as err:
        services.disclosure_record(
            actor=actor_of(professional), dossier=dossier, data=_disclosure(family["child"], school, **overrides)
        )
    assert err.value.field == field
    assert not Disclosure.objects.exists()


def test_convenant_covers_and_grants_exactly_the_shared_part_for_a_period(
    professional: User, dossier: Any, family: dict[str, Any], school: Any, teacher: User, actor_of: ActorOf
) -> None:
    beleid = make_user(Role.BELEIDSMEDEWERKER, OrganisationFactory(name="Gemeente", type=OrganisationType.GEMEENTE))
    with pytest.raises(DomainError, match="grondslag"):
        services.convenant_create(
            actor=actor_of(beleid),
            data=services.ConvenantData(
                title="Convenant jeugd",
                party_ids=[professional.active_membership.organisation_id, school.pk],
                purposes=["Hulp afstemmen"],
                start_date=TODAY() - timedelta(days=30),
                flows=[services.FlowData(["wijkteam"], ["onderwijs"], "Hulp afstemmen", ["signalen"], "")],
            ),
        )
    services.convenant_create(
        actor=actor_of(beleid),
        data=services.ConvenantData(
            title="Convenant jeugd",
            party_ids=[professional.active_membership.organisation_id, school.pk],
            purposes=["Hulp afstemmen"],
            start_date=TODAY() - timedelta(days=30),
            flows=[
                services.FlowData(
                    ["wijkteam"], ["onderwijs"], "Hulp afstemmen", ["signalen", "hulpverlening"], "publieke_taak"
                )
            ],
        ),
    )
    result = advise(
        Answers(
            recipient=Recipient.KETENPARTNER,
            purpose="Hulp afstemmen",
            convenant_covers=True,
            categories=frozenset({"signalen", "hulpverlening"}),
            needed=frozenset({"signalen", "hulpverlening"}),
        )
    )
    disclosure = services.disclosure_record(
        actor=actor_of(professional),
        dossier=dossier,
        data=_disclosure(
            family["child"],
            school,
            legal_basis=LegalBasis.CONVENANT,
            no_consent_reason="Het convenant dekt deze stroom",
            recipient_user_id=teacher.pk,
            grant_days=14,
            advice={"advice": str(result.advice), "basis": str(result.basis)},
        ),
    )
    assert disclosure.convenant is not None
    grant = AccessGrant.objects.get(disclosure=disclosure)
    assert grant.categories == ["hulpverlening", "signalen"]
    assert selectors.shared_view(actor=actor_of(teacher), grant_id=grant.pk) == grant
    # Someone else of the school sees nothing; and after the period the teacher sees nothing either.
    with pytest.raises(NotFoundError):
        selectors.shared_view(actor=actor_of(make_user(Role.PROFESSIONAL, school)), grant_id=grant.pk)
    later = timezone.now() + timedelta(days=15)
    with pytest.raises(NotFoundError):
        selectors.shared_view(actor=actor_of(teacher), grant_id=grant.pk, now=later)
    assert services.grants_expire(now=later) == 1
    assert AuditEvent.objects.filter(object_type="sharing.disclosure", action="share").exists()
    with pytest.raises(AppendOnlyError):
        disclosure.save()
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.filter(pk=disclosure.pk).update(legal_basis="toestemming")


def test_overriding_a_do_not_share_advice_needs_motivation(
    professional: User, dossier: Any, family: dict[str, Any], school: Any, actor_of: ActorOf
) -> None:
    data = _disclosure(
        family["child"],
        school,
        legal_basis=LegalBasis.CONFLICT_VAN_PLICHTEN,
        no_consent_reason="Acute zorgen, ouders onbereikbaar",
        advice={"advice": "overleggen"},
    )
    with pytest.raises(DomainError) as err:
        services.disclosure_record(actor=actor_of(professional), dossier=dossier, data=data)
    assert err.value.field == "override_motivation"
    data.override_motivation = "Na overleg met de aandachtsfunctionaris toch gedeeld."
    assert services.disclosure_record(actor=actor_of(professional), dossier=dossier, data=data).override_motivation


def test_outsiders_cannot_record_or_read(
    outsider: User, dossier: Any, family: dict[str, Any], school: Any, actor_of: ActorOf
) -> None:
    with pytest.raises(NotFoundError):
        services.disclosure_record(actor=actor_of(outsider), dossier=dossier, data=_disclosure(family["child"], school))
    with pytest.raises(NotFoundError):
        selectors.disclosures_of_dossier(actor=actor_of(outsider), dossier=dossier)
