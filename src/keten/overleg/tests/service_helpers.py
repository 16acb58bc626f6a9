"""Shared set-up of the overleg service tests: the agenda item of a case and an agreement on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.overleg.agreements import services as agreement_services
from keten.overleg.models import AgendaItem, AgendaState, Agreement, CaseRegistration, Meeting
from keten.overleg.tests.conftest import World

ActorOf = Callable[[User], Actor]


def agenda_item(registration: CaseRegistration, meeting: Meeting) -> AgendaItem:
    return AgendaItem.objects.select_related("meeting__overleg_type", "registration__overleg_type").get(
        registration=registration, meeting=meeting, state=AgendaState.ON_AGENDA
    )


def agreement_for(world: World, actor_of: ActorOf, item: AgendaItem, **kw: object) -> Agreement:
    values: dict[str, object] = {
        "what": "Huisbezoek samen met de wijkagent",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "owner_user_id": world.member.pk,
    }
    values.update(kw)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)
