"""Shared set-up of the overleg page tests: page text, a stranger, an agenda item and an agreement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.core.actor import Actor
from keten.overleg.agreements import services as agreement_services
from keten.overleg.models import AgendaItem, Agreement, CaseRegistration
from keten.overleg.tests.conftest import World
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user

ActorOf = Callable[[User], Actor]


ClientFor = Callable[[User], Client]


def html_of(response: Any) -> str:
    return str(response.content.decode())


def stranger() -> User:
    """A professional of another municipality: sees nothing of this one."""
    other = OrganisationFactory(name="Wijkteam Elders", municipality=MunicipalityFactory(name="Elders"))
    return make_user(Role.PROFESSIONAL, other, username="elders")


def agreement_on(world: World, actor_of: ActorOf, item: AgendaItem, **kwargs: Any) -> Agreement:
    values: dict[str, Any] = {
        "what": "Huisbezoek afleggen en veiligheidsplan bespreken",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "owner_user_id": world.member.pk,
    }
    values.update(kwargs)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)


def agenda_item_of(registration: CaseRegistration) -> AgendaItem:
    return AgendaItem.objects.get(registration=registration, state="on_agenda")
