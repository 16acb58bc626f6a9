"""Trajecten services: starting, steps 1 and 3, moving, closing, correcting; reads and permissions."""

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
from keten.core.workdays import add_working_days
from keten.meldcode import vocabulary
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.beheer import services as beheer_services
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import AppendOnlyError, ChecklistKind, Entry, Status, Traject
from keten.meldcode.record import selectors as record_selectors
from keten.meldcode.trajecten import selectors as traject_selectors
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import OrganisationFactory, make_user

ActorOf = Callable[[User], Actor]


TODAY = timezone.localdate


def _signal(traject: Traject, **overrides: Any) -> traject_services.SignalData:
    checklist = traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN)
    values: dict[str, Any] = {
        "checklist_id": checklist.pk,
        "codes": ["K412-X05", "KALL-V04"],
        "observed_on": TODAY() - timedelta(days=2),
        "source": vocabulary.SOURCE_SELF,
        "facts": "Komt drie dagen achter elkaar zonder lunch op school.",
        "interpretation": "Mogelijk verwaarlozing.",
    }
    values.update(overrides)
    return traject_services.SignalData(**values)


def _walk(traject: Traject, actor: Actor, answers: dict[int, bool]) -> None:
    for number, answer in answers.items():
        weging_services.afweging_record(
            actor=actor,
            traject=traject,
            number=number,
            answer=answer,
            motivation="Gewogen op basis van stap 1 tot en met 3.",
        )


def _gemeente_beheerder(professional: User) -> User:
    """The functioneel beheerder of the gemeente of the professional's municipality (manages its checklists)."""
    organisation = professional.active_membership.organisation
    gemeente = OrganisationFactory(
        name="Gemeente", type=OrganisationType.GEMEENTE, municipality=organisation.municipality
    )
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente)


# --- starting -------------------------------------------------------------------------------


def test_start_keeps_checklist_versions_and_audits(traject: Traject) -> None:
    assert traject.status == Status.OPEN
    assert traject.current_step == 1
    assert traject.reference.startswith("M-")
    assert {c.kind for c in traject.checklists.all()} == set(ChecklistKind.values)
    event = AuditEvent.objects.filter(object_type="meldcode.traject", object_id=traject.reference).get()
    assert event.client_pseudonym == traject.dossier.family.pseudonym
    assert "kindsignalen:*:v1" in event.details["checklists"]


def test_start_refused_outside_case_team(outsider: User, dossier: Any, actor_of: ActorOf) -> None:
    with pytest.raises(NotFoundError):
        traject_services.traject_start(actor=actor_of(outsider), dossier=dossier)
    assert not Traject.objects.exists()


def test_start_refuses_a_parent_as_child(professional: User, dossier: Any, actor_of: ActorOf) -> None:
    from keten.dossiers.models import Relation
    from keten.testing.factories import make_person

    parent = make_person(dossier.family, relation=Relation.OUDER, first_name="Ouder")
    with pytest.raises(DomainError) as err:
        traject_services.traject_start(actor=actor_of(professional), dossier=dossier, child_id=parent.pk)
    assert err.value.field == "child"


def test_organisation_type_specific_checklist_wins(professional: User, dossier: Any, actor_of: ActorOf) -> None:
    beheerder = _gemeente_beheerder(professional)
    adapted = beheer_services.checklist_publish(
        actor=actor_of(beheerder),
        kind=ChecklistKind.KINDSIGNALEN,
        organisation_type="wijkteam",
        title="Signalen voor wijkteams",
        items=[{"code": "W-1", "label": "Kind komt niet meer naar de inloop"}],
    )
    traject = traject_services.traject_start(actor=actor_of(professional), dossier=dossier)
    assert traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN) == adapted
    # A newer version later does not change the traject's own version.
    beheer_services.checklist_publish(
        actor=actor_of(beheerder),
        kind=ChecklistKind.KINDSIGNALEN,
        organisation_type="wijkteam",
        title="Signalen voor wijkteams",
        items=[{"code": "W-1", "label": "Kind komt niet meer naar de inloop"}, {"code": "W-2", "label": "Nieuw"}],
    )
    traject.refresh_from_db()
    assert traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN).version == 1


# --- step 1 ---------------------------------------------------------------------------------


def test_signal_recorded_with_labels_and_first_signal_date(
    traject: Traject, professional: User, actor_of: ActorOf
) -> None:
    entry = traject_services.signal_record(actor=actor_of(professional), traject=traject, data=_signal(traject))
    assert entry.step == 1
    assert entry.data["codes"] == ["K412-X05", "KALL-V04"]
    assert entry.data["checklist"]["version"] == 1
    assert entry.data["facts"]
    assert entry.data["interpretation"]
    traject.refresh_from_db()
    assert traject.first_signal_on == TODAY() - timedelta(days=2)
    assert traject.version == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"codes": []}, "codes"),
        ({"codes": ["BESTAAT-NIET"]}, "codes"),
        ({"observed_on": None}, "observed_on"),
        ({"observed_on": date.today() + timedelta(days=3)}, "observed_on"),
        ({"source": " "}, "source"),
        ({"facts": ""}, "facts"),
    ],
)
def test_signal_bad_input_writes_nothing(
    traject: Traject, professional: User, actor_of: ActorOf, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as err:
        traject_services.signal_record(
            actor=actor_of(professional), traject=traject, data=_signal(traject, **overrides)
        )
    assert err.value.field == field
    assert not Entry.objects.filter(traject=traject).exists()


def test_negative_kindcheck_closes_and_positive_continues(professional: User, dossier: Any, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    negative = traject_services.traject_start(actor=actor, dossier=dossier)
    traject_services.kindcheck_record(
        actor=actor,
        traject=negative,
        data=traject_services.KindcheckData(
            held_on=TODAY(),
            moment="intake",
            problems=["psychiatrie"],
            cares_for_minors=False,
            lives_with_minors=False,
            pregnant=False,
            outcome="negatief",
        ),
    )
    negative.refresh_from_db()
    assert negative.status == Status.AFGESLOTEN
    assert negative.outcome == "kindcheck_negatief"

    positive = traject_services.traject_start(actor=actor, dossier=dossier)
    with pytest.raises(DomainError) as err:
        traject_services.kindcheck_record(
            actor=actor,
            traject=positive,
            data=traject_services.KindcheckData(
                held_on=TODAY(),
                moment="intake",
                problems=["verslaving"],
                cares_for_minors=True,
                lives_with_minors=True,
                pregnant=False,
                children_count=2,
                children_ages=[4],
                outcome="positief",
            ),
        )
    assert err.value.field == "children_ages"
    traject_services.kindcheck_record(
        actor=actor,
        traject=positive,
        data=traject_services.KindcheckData(
            held_on=TODAY(),
            moment="intake",
            problems=["verslaving"],
            cares_for_minors=True,
            lives_with_minors=True,
            pregnant=False,
            children_count=2,
            children_ages=[4, 9],
            outcome="positief",
            shared_care="Grootmoeder",
            living_arrangement="Bij moeder",
        ),
    )
    positive.refresh_from_db()
    assert positive.status == Status.OPEN


def test_handed_over_kindcheck_needs_to_whom(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    with pytest.raises(DomainError) as err:
        traject_services.kindcheck_record(
            actor=actor_of(professional),
            traject=traject,
            data=traject_services.KindcheckData(
                held_on=TODAY(),
                moment="nieuwe_zorg",
                problems=["partnergeweld"],
                cares_for_minors=True,
                lives_with_minors=True,
                pregnant=False,
                children_count=1,
                outcome="overgedragen",
            ),
        )
    assert err.value.field == "handed_over_to"


# --- step 3 ---------------------------------------------------------------------------------


def test_conversation_or_motivated_exception(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    with pytest.raises(DomainError) as err:
        traject_services.conversation_skip(actor=actor, traject=traject, reason="veiligheid_kind", motivation="kort")
    assert err.value.field == "motivation"
    with pytest.raises(DomainError) as err:
        traject_services.conversation_skip(
            actor=actor, traject=traject, reason="geen_zin", motivation="Een lange genoeg motivering."
        )
    assert err.value.field == "reason"
    traject_services.conversation_skip(
        actor=actor, traject=traject, reason="veiligheid_kind", motivation="Vader dreigde eerder bij een gesprek."
    )
    traject_services.conversation_record(
        actor=actor,
        traject=traject,
        held_on=TODAY(),
        participants=["ouders", "kind"],
        summary="Zorgen besproken.",
        reaction="Moeder herkent de zorgen.",
    )
    traject.refresh_from_db()
    assert traject.current_step == 3


def test_closed_traject_takes_no_entries(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    traject_services.traject_close(actor=actor, traject=traject, motivation="Zorgen bleken ongegrond na overleg.")
    before = Entry.objects.filter(traject=traject).count()
    with pytest.raises(DomainError, match="afgesloten"):
        traject_services.signal_record(actor=actor, traject=traject, data=_signal(traject))
    with pytest.raises(DomainError, match="afgesloten"):
        traject_services.step_move(actor=actor, traject=traject, step=2)
    assert Entry.objects.filter(traject=traject).count() == before


def test_entries_are_append_only_and_corrections_refer(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    entry = traject_services.signal_record(actor=actor, traject=traject, data=_signal(traject))
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).update(text="x")
    with pytest.raises(AppendOnlyError):
        Entry.objects.filter(pk=entry.pk).delete()
    correction = traject_services.entry_correct(
        actor=actor, traject=traject, entry_id=entry.pk, correction="Datum was een dag later."
    )
    assert correction.corrects == entry
    with pytest.raises(DomainError, match="al gecorrigeerd"):
        traject_services.entry_correct(actor=actor, traject=traject, entry_id=entry.pk, correction="Nog een correctie.")
    timeline = record_selectors.timeline(traject)
    assert [e.is_corrected for e in timeline if e.pk == entry.pk] == [True]  # type: ignore[attr-defined]


def test_step_move_back_and_forth(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    traject_services.step_move(actor=actor, traject=traject, step=3)
    traject_services.step_move(actor=actor, traject=traject, step=1)
    traject.refresh_from_db()
    assert traject.current_step == 1
    with pytest.raises(DomainError):
        traject_services.step_move(actor=actor, traject=traject, step=7)


def test_version_conflict_is_detected(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    from keten.core.errors import ConflictError

    actor = actor_of(professional)
    stale = traject.version
    traject_services.step_move(actor=actor, traject=traject, step=2)
    with pytest.raises(ConflictError):
        traject_services.step_move(actor=actor, traject=traject, step=3, expected_version=stale)


# --- reads and permissions ------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [
        Role.PROFESSIONAL,
        Role.AANDACHTSFUNCTIONARIS,
        Role.TEAMLEIDER,
        Role.VEILIG_THUIS,
        Role.BELEIDSMEDEWERKER,
        Role.FUNCTIONEEL_BEHEERDER,
    ],
)
def test_nobody_off_the_case_team_sees_or_writes(
    traject: Traject, organisation: Any, actor_of: ActorOf, role: str
) -> None:
    stranger = make_user(role, organisation)
    with pytest.raises(NotFoundError):
        record_selectors.traject_get(actor=actor_of(stranger), reference=traject.reference)
    with pytest.raises(NotFoundError):
        traject_services.signal_record(actor=actor_of(stranger), traject=traject, data=_signal(traject))
    with pytest.raises(NotFoundError):
        weging_services.afweging_record(
            actor=actor_of(stranger), traject=traject, number=1, answer=True, motivation="Ik weet het zeker."
        )


def test_superuser_is_not_special(traject: Traject, organisation: Any, actor_of: ActorOf) -> None:
    root = make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, is_superuser=True, is_staff=True)
    with pytest.raises(NotFoundError):
        record_selectors.traject_get(actor=actor_of(root), reference=traject.reference)


def test_reading_a_traject_is_audited(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    record_selectors.traject_get(actor=actor_of(professional), reference=traject.reference)
    assert AuditEvent.objects.filter(
        action="view", object_type="meldcode.traject", object_id=traject.reference
    ).exists()


def test_organisation_overview_hides_names_unless_team_or_consulted(
    traject: Traject, professional: User, officer: User, actor_of: ActorOf, django_assert_max_num_queries: Any
) -> None:
    actor = actor_of(officer)
    with django_assert_max_num_queries(8):
        rows = traject_selectors.organisation_overview(actor=actor)
    assert [r.pk for r in rows] == [traject.pk]
    # The number of queries does not grow with the number of trajecten.
    for _ in range(5):
        traject_services.traject_start(actor=actor_of(professional), dossier=traject.dossier)
    with django_assert_max_num_queries(8):
        assert len(traject_selectors.organisation_overview(actor=actor)) == 6
    assert rows[0].show_names is False  # type: ignore[attr-defined]
    consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=officer.pk,
        kind="aandachtsfunctionaris",
        question="Graag uw advies, met namen.",
        anonymous=False,
    )
    rows = traject_selectors.organisation_overview(actor=actor_of(officer))
    assert {r.pk: r.show_names for r in rows}[traject.pk] is True  # type: ignore[attr-defined]
    with pytest.raises(NotFoundError):
        traject_selectors.organisation_overview(actor=actor_of(professional))


def test_feedback_overdue_uses_working_days(traject: Traject, professional: User, actor_of: ActorOf) -> None:
    actor = actor_of(professional)
    _walk(traject, actor, {1: True, 2: True})
    weging_services.decision_record(
        actor=actor, traject=traject, data=weging_services.DecisionData("melden", "Acute zorgen, melden.")
    )
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(
            reported_on=TODAY(), vt_region="Twente", shared="Alle signalen.", client_informed=True
        ),
    )
    traject.refresh_from_db()
    assert traject not in traject_selectors.feedback_overdue(TODAY())
    assert traject in traject_selectors.feedback_overdue(traject.vt_feedback_due + timedelta(days=1))


def test_workdays_skip_weekends_and_holidays() -> None:
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)  # Christmas days and the weekend
    assert add_working_days(date(2026, 11, 20), 5) == date(2026, 11, 27)
