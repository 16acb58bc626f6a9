"""Overleg services: the discussion record and the append-only history rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.overleg.discussions import services as discussion_services
from keten.overleg.models import (
    AgreementVersion,
    AppendOnlyError,
    CaseRegistration,
    DiscussionEntry,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.service_helpers import agenda_item, agreement_for

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


# --- discussion ---------------------------------------------------------------------------------


def test_discussion_record_with_the_four_windows(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = agenda_item(admitted, world.now_meeting)
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
    item = agenda_item(admitted, world.now_meeting)
    agreement = agreement_for(world, actor_of, item)
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
