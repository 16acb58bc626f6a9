"""From a verwijsindex match to an overleg: the match's coordinator registers the case, prefilled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from keten.accounts.models import OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.overleg.models import CaseRegistration
from keten.overleg.registrations import services as registration_services
from keten.overleg.tests.conftest import World
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from keten.verwijsindex import services as vi
from keten.verwijsindex.models import Match

ActorOf = Callable[[User], Actor]


def _signal(actor: Actor) -> vi.RegistrationResult:
    return vi.signal_register(
        actor=actor,
        data=vi.Registration(
            identity=vi.Identity(
                bsn="999994669", first_name="Noor", last_name="de Vries", date_of_birth=date(2014, 3, 2)
            ),
            risk_categories=["c"],
            criteria_confirmed=True,
            parents_informed_on=date(2026, 11, 1),
            youth_informed_on=date(2026, 11, 1),
        ),
        today=date(2026, 11, 24),
    )


@pytest.fixture
def match(world: World, actor_of: ActorOf) -> Match:
    teacher = make_user(
        Role.PROFESSIONAL,
        OrganisationFactory(
            name="School Test", type=OrganisationType.ONDERWIJS, municipality=world.wijkteam.municipality
        ),
        username="juf",
    )
    _signal(actor_of(teacher))
    result = _signal(actor_of(world.registrant))
    [found] = result.matches
    # The wijkteam worker is the proposed coordinator (a school never is).
    assert found.coordinator is not None
    assert found.coordinator.professional == world.registrant
    return found


def test_coordinator_gets_a_prefilled_registration(world: World, match: Match, actor_of: ActorOf) -> None:
    prefill = registration_services.registration_prefill_from_match(actor=actor_of(world.registrant), match_id=match.pk)
    school = match.participants.exclude(signal__professional=world.registrant).get().signal.organisation
    assert prefill.partner_ids == [school.pk]
    registration = registration_services.registration_create(
        actor=actor_of(world.registrant),
        overleg_type=world.overleg,
        dossier=world.dossier,
        data=registration_services.RegistrationData(
            reason=prefill.reason,
            goal="Afstemmen wie wat doet.",
            process_step_id=world.steps[0].pk,
            invited_organisation_ids=prefill.partner_ids,
            match_id=prefill.match_id,
        ),
    )
    assert registration.match == match
    assert list(registration.invited_organisations.all()) == [school]


def test_only_the_coordinator_prefills_and_outsiders_get_404(world: World, match: Match, actor_of: ActorOf) -> None:
    teacher = User.objects.get(username="juf")
    with pytest.raises(DomainError, match="coördinator"):
        registration_services.registration_prefill_from_match(actor=actor_of(teacher), match_id=match.pk)
    with pytest.raises(NotFoundError):
        registration_services.registration_prefill_from_match(actor=actor_of(world.outsider), match_id=match.pk)


def test_a_match_the_professional_is_not_in_cannot_be_linked(world: World, match: Match, actor_of: ActorOf) -> None:
    other = make_user(Role.PROFESSIONAL, world.wijkteam, username="collega2")
    dossier = make_dossier(other)
    with pytest.raises(NotFoundError):
        registration_services.registration_create(
            actor=actor_of(other),
            overleg_type=world.overleg,
            dossier=dossier,
            data=registration_services.RegistrationData(
                reason="Zorgen over veiligheid thuis.",
                goal="Plan maken met het gezin",
                process_step_id=world.steps[0].pk,
                match_id=match.pk,
            ),
        )
    assert not CaseRegistration.objects.exists()
