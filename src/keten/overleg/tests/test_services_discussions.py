"""Overleg services: the discussion record and the append-only history rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.overleg.agreements import services as agreement_services
from keten.overleg.discussions import services as discussion_services
from keten.overleg.models import (
    AgendaItem,
    AgendaState,
    Agreement,
    AgreementVersion,
    AppendOnlyError,
    CaseRegistration,
    DiscussionEntry,
    Meeting,
)
from keten.overleg.tests.conftest import World

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


def _item(registration: CaseRegistration, meeting: Meeting) -> AgendaItem:
    return AgendaItem.objects.select_related("meeting__overleg_type", "registration__overleg_type").get(
        registration=registration, meeting=meeting, state=AgendaState.ON_AGENDA
    )


def _agreement(world: World, actor_of: ActorOf, item: AgendaItem, **kw: object) -> Agreement:
    values: dict[str, object] = {
        "what": "Huisbezoek samen met de wijkagent",
        "due_on": timezone.localdate() + dt.timedelta(days=7),
        "owner_user_id": world.member.pk,
    }
    values.update(kw)
    return agreement_services.agreement_create(actor=actor_of(world.chair), item=item, **values)  # type: ignore[arg-type]


# --- discussion ---------------------------------------------------------------------------------


def test_discussion_record_with_the_four_windows(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    with pytest.raises(DomainError) as exc:
        discussion_services.discussion_record(
            actor=actor_of(world.member), item=item, data=discussion_services.DiscussionData()
        )
    assert exc.value.field == "summary"
    entry = discussion_services.discussion_record(
        actor=actor_of(world.member),
        item=item,
        data=discussion_services.DiscussionData(
            mensen="Moeder, twee kinderen",
            feiten="Incident op 20-11",
            weging="Zorgelijk",
            volgende_stappen="Huisbezoek",
        ),
    )
    correction = discussion_services.discussion_record(
        actor=actor_of(world.chair),
        item=item,
        data=discussion_services.DiscussionData(feiten="Incident op 21-11", corrects_id=entry.pk),
    )
    assert correction.corrects == entry
    with pytest.raises(NotFoundError):
        discussion_services.discussion_record(
            actor=actor_of(world.outsider), item=item, data=discussion_services.DiscussionData(summary="Niet van mij")
        )
    admitted.refresh_from_db()
    assert admitted.first_discussed_at is not None


def test_history_rows_are_append_only(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = _item(admitted, world.now_meeting)
    agreement = _agreement(world, actor_of, item)
    entry = discussion_services.discussion_record(
        actor=actor_of(world.member), item=item, data=discussion_services.DiscussionData(summary="Besproken")
    )
    version = agreement.versions.get()
    event = item.events.first()
    assert event is not None
    for obj in (entry, version, event):
        with pytest.raises(AppendOnlyError):
            obj.save()
        with pytest.raises(AppendOnlyError):
            obj.delete()
    with pytest.raises(AppendOnlyError):
        DiscussionEntry.objects.filter(pk=entry.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AgreementVersion.objects.all().delete()
