"""Deadlines across the apps (keten.dossiers.deadlines): what the dossier header and the dashboard show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.dossiers import deadlines
from keten.dossiers.deadlines import Urgency
from keten.meldcode.models import Traject
from keten.meldcode.trajecten import services as traject_services
from keten.overleg.models import (
    Agreement,
    AgreementStatus,
    CaseRegistration,
    OverlegKind,
    OverlegType,
    RegistrationStatus,
)
from keten.sharing.models import DestructionRequest, InzageRequest, RequesterRole
from keten.testing.factories import make_dossier, make_person

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _fill(dossier: Any, professional: User, actor: Actor) -> None:
    """One deadline of every kind in ``dossier``: overdue, soon and later."""
    today = TODAY()
    child = dossier.family.persons.get()
    traject = traject_services.traject_start(actor=actor, dossier=dossier, child_id=child.pk)
    Traject.objects.filter(pk=traject.pk).update(
        melding_on=today - dt.timedelta(days=10),
        vt_feedback_due=today - dt.timedelta(days=2),
        help_evaluation_on=today + dt.timedelta(days=40),
    )
    organisation = professional.active_membership.organisation
    overleg_type = OverlegType.objects.create(
        municipality=organisation.municipality,
        name=f"Casusoverleg {dossier.reference}",
        kind=OverlegKind.STRAF_ZORG,
        lead_organisation=organisation,
        privacy_basis="Convenant, artikel 4",
    )
    registration = CaseRegistration.objects.create(
        overleg_type=overleg_type,
        dossier=dossier,
        registered_by=professional,
        organisation=organisation,
        reason="Zorgen over de veiligheid thuis.",
        goal="Afstemmen wie wat doet.",
        status=RegistrationStatus.TOEGELATEN,
    )
    Agreement.objects.create(
        registration=registration,
        owner_user=professional,
        what="Huisbezoek afleggen.",
        due_on=today + dt.timedelta(days=3),
        created_by=professional,
    )
    Agreement.objects.create(
        registration=registration,
        owner_user=professional,
        what="Al gedaan.",
        due_on=today - dt.timedelta(days=30),
        status=AgreementStatus.DONE,
        created_by=professional,
    )
    parent = make_person(dossier.family, relation="ouder", first_name="Ouder")
    request = {
        "dossier": dossier,
        "requester": parent,
        "requester_role": RequesterRole.OUDER_MET_GEZAG,
        "about": child,
        "received_on": today,
        "recorded_by": professional,
        "recorded_by_organisation": organisation,
    }
    InzageRequest.objects.create(**request, due_on=today + dt.timedelta(days=20))
    InzageRequest.objects.create(**request, due_on=today - dt.timedelta(days=5), answered_on=today)
    DestructionRequest.objects.create(**request, due_on=today + dt.timedelta(days=25))


def test_a_dossier_lists_its_open_deadlines_of_every_app_earliest_first(
    professional: User, dossier: Any, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(professional)
    _fill(dossier, professional, actor)

    found = deadlines.for_dossier(actor, dossier)

    assert [d.kind for d in found] == [
        "meldcode.vt_feedback",
        "overleg.agreement",
        "sharing.inzage",
        "sharing.destruction",
        "meldcode.evaluation",
    ]
    assert [d.urgency() for d in found] == [Urgency.OVERDUE, Urgency.SOON, Urgency.LATER, Urgency.LATER, Urgency.LATER]
    assert {d.dossier_reference for d in found} == {dossier.reference}
    traject = Traject.objects.get(dossier=dossier)
    assert found[0].url == f"/meldcode/{traject.reference}/"
    assert found[0].label == "Terugkoppeling van Veilig Thuis"
    assert found[1].url.startswith("/overleg/afspraken/")
    assert found[2].url.startswith("/delen/inzage/")


def test_a_received_feedback_and_a_closed_traject_are_no_deadline(
    professional: User, dossier: Any, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(professional)
    _fill(dossier, professional, actor)
    Traject.objects.filter(dossier=dossier).update(vt_feedback_on=TODAY())
    assert "meldcode.vt_feedback" not in {d.kind for d in deadlines.for_dossier(actor, dossier)}
    Traject.objects.filter(dossier=dossier).update(status="afgesloten")
    assert not {d.kind for d in deadlines.for_dossier(actor, dossier)} & {"meldcode.vt_feedback", "meldcode.evaluation"}


def test_due_for_takes_the_overdue_and_this_weeks_deadlines_of_the_actors_own_dossiers(
    professional: User, outsider: User, dossier: Any, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(professional)
    _fill(dossier, professional, actor)
    other = make_dossier(outsider)
    _fill(other, outsider, actor_of(outsider))

    mine = deadlines.due_for(actor)

    assert [(d.kind, d.dossier_reference) for d in mine] == [
        ("meldcode.vt_feedback", dossier.reference),
        ("overleg.agreement", dossier.reference),
    ]
    later = deadlines.due_for(actor, until=TODAY() + dt.timedelta(days=60))
    assert len(later) == 5
    assert {d.dossier_reference for d in deadlines.due_for(actor_of(outsider))} == {other.reference}


def test_a_closed_dossier_has_no_deadlines_on_the_dashboard(
    professional: User, dossier: Any, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(professional)
    _fill(dossier, professional, actor)
    type(dossier).objects.filter(pk=dossier.pk).update(status="closed")
    assert deadlines.due_for(actor) == []


def test_the_number_of_queries_does_not_grow_with_the_number_of_dossiers(
    professional: User, dossier: Any, actor_of: Callable[[User], Actor]
) -> None:
    actor = actor_of(professional)
    _fill(dossier, professional, actor)
    with CaptureQueriesContext(connection) as one:
        assert len(deadlines.due_for(actor)) == 2
    for _ in range(3):
        _fill(make_dossier(professional), professional, actor)
    with CaptureQueriesContext(connection) as four:
        assert len(deadlines.due_for(actor)) == 8
    assert len(four.captured_queries) == len(one.captured_queries)
