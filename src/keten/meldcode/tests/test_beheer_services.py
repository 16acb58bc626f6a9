"""Checklist beheer services: publishing a version only by the beheerder, validated."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from keten.accounts.models import OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.meldcode.beheer import services as beheer_services
from keten.testing.factories import OrganisationFactory, make_user

ActorOf = Callable[[User], Actor]


def _gemeente_beheerder(professional: User) -> User:
    """The functioneel beheerder of the gemeente of the professional's municipality (manages its checklists)."""
    organisation = professional.active_membership.organisation
    gemeente = OrganisationFactory(
        name="Gemeente", type=OrganisationType.GEMEENTE, municipality=organisation.municipality
    )
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente)


def test_checklist_publish_only_by_beheerder_and_validated(professional: User, actor_of: ActorOf) -> None:
    with pytest.raises(NotFoundError):
        beheer_services.checklist_publish(
            actor=actor_of(professional),
            kind="kindsignalen",
            organisation_type="",
            title="x",
            items=[{"code": "a", "label": "b"}],
        )
    beheerder = _gemeente_beheerder(professional)
    with pytest.raises(DomainError, match="maar één keer"):
        beheer_services.checklist_publish(
            actor=actor_of(beheerder),
            kind="kindsignalen",
            organisation_type="",
            title="Lijst",
            items=[{"code": "a", "label": "b"}, {"code": "a", "label": "c"}],
        )
