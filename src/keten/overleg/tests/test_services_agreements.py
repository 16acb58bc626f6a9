"""Overleg services: agreements — who does what by when, concurrent edits, closing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.overleg.agreements import services as agreement_services
from keten.overleg.models import (
    Agreement,
    AgreementStatus,
    AgreementVersion,
    CaseRegistration,
)
from keten.overleg.tests.conftest import World
from keten.overleg.tests.service_helpers import agenda_item, agreement_for

ActorOf = Callable[[User], Actor]
Register = Callable[..., CaseRegistration]


# --- agreements -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"owner_user_id": None}, "owner"),
        ({"due_on": None}, "due_on"),
        ({"due_on": dt.date(2020, 1, 1)}, "due_on"),
        ({"what": ""}, "what"),
    ],
)
def test_bad_agreement_input_is_refused(
    world: World, admitted: CaseRegistration, actor_of: ActorOf, kwargs: dict[str, object], field: str
) -> None:
    item = agenda_item(admitted, world.now_meeting)
    with pytest.raises(DomainError) as exc:
        agreement_for(world, actor_of, item, **kwargs)
    assert exc.value.field == field
    assert not Agreement.objects.exists()
    assert not AgreementVersion.objects.exists()


def test_an_agreement_owner_needs_a_case_role(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError) as exc:
        agreement_for(world, actor_of, agenda_item(admitted, world.now_meeting), owner_user_id=world.beleid.pk)
    assert exc.value.field == "owner"
    assert not Agreement.objects.exists()


def test_agreement_owned_by_an_organisation(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = agenda_item(admitted, world.now_meeting)
    agreement = agreement_for(world, actor_of, item, owner_user_id=None, owner_organisation_id=world.politie.pk)
    assert agreement.owner_organisation == world.politie
    assert agreement.versions.get().kind == AgreementVersion.Kind.CREATED


def test_two_concurrent_edits_conflict(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    item = agenda_item(admitted, world.now_meeting)
    agreement = agreement_for(world, actor_of, item)
    loaded = agreement.version
    agreement_services.agreement_update(
        actor=actor_of(world.member), agreement=agreement, expected_version=loaded, what="Huisbezoek volgende week"
    )
    with pytest.raises(ConflictError) as exc:
        agreement_services.agreement_update(
            actor=actor_of(world.chair),
            agreement=agreement,
            expected_version=loaded,
            due_on=timezone.localdate() + dt.timedelta(days=14),
        )
    assert "opnieuw" in exc.value.message
    agreement.refresh_from_db()
    assert agreement.what == "Huisbezoek volgende week"
    assert agreement.version == 2
    assert [v.kind for v in agreement.versions.order_by("version")] == ["created", "updated"]
    assert agreement.versions.get(version=2).fields == ["what"]


def test_update_without_version_and_into_the_past_is_refused(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = agreement_for(world, actor_of, agenda_item(admitted, world.now_meeting))
    with pytest.raises(DomainError):
        agreement_services.agreement_update(
            actor=actor_of(world.member), agreement=agreement, expected_version=None, what="x"
        )
    with pytest.raises(DomainError) as exc:
        agreement_services.agreement_update(
            actor=actor_of(world.member), agreement=agreement, expected_version=1, due_on=dt.date(2021, 1, 1)
        )
    assert exc.value.field == "due_on"
    assert agreement.versions.count() == 1


def test_owner_closes_with_a_result(world: World, admitted: CaseRegistration, actor_of: ActorOf) -> None:
    agreement = agreement_for(world, actor_of, agenda_item(admitted, world.now_meeting))
    with pytest.raises(DomainError) as exc:
        agreement_services.agreement_close(
            actor=actor_of(world.member), agreement=agreement, expected_version=1, result=""
        )
    assert exc.value.field == "result"
    done = agreement_services.agreement_close(
        actor=actor_of(world.member), agreement=agreement, expected_version=1, result="Huisbezoek gedaan, rustig."
    )
    assert done.status == AgreementStatus.DONE
    assert done.closed_at is not None
    assert [v.kind for v in done.versions.order_by("version")] == ["created", "done"]
    with pytest.raises(DomainError, match="afgerond"):
        agreement_services.agreement_update(
            actor=actor_of(world.member), agreement=done, expected_version=2, what="Nog iets"
        )


def test_someone_without_sight_of_the_case_cannot_touch_an_agreement(
    world: World, admitted: CaseRegistration, actor_of: ActorOf
) -> None:
    agreement = agreement_for(world, actor_of, agenda_item(admitted, world.now_meeting))
    with pytest.raises(NotFoundError):
        agreement_services.agreement_close(
            actor=actor_of(world.outsider), agreement=agreement, expected_version=1, result="Niet van mij"
        )
    with pytest.raises(NotFoundError):
        agreement_services.agreement_create(
            actor=actor_of(world.outsider),
            item=agenda_item(admitted, world.now_meeting),
            what="Iets",
            due_on=timezone.localdate(),
            owner_user_id=world.outsider.pk,
        )
