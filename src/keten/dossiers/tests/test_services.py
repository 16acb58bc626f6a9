"""Dossier services: validation, duplicates, version conflicts, no partial writes, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from keten.accounts.models import Role
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.models import AuditEvent
from keten.dossiers import selectors, services
from keten.dossiers.access import break_glass
from keten.dossiers.models import CaseTeamMember, Dossier, Family, Person
from keten.testing.factories import make_dossier, make_user

pytestmark = pytest.mark.django_db


def _child(**kw):
    data = {"relation": "kind", "first_name": "Noor", "last_name": "Visser", "date_of_birth": date(2018, 2, 3)}
    data.update(kw)
    return services.PersonData(**data)


def test_create_dossier_encrypts_and_indexes(actor_of, professional):
    dossier = services.dossier_create(
        actor=actor_of(professional), family_name="Gezin Visser", persons=[_child(bsn="999993276")]
    )
    person = Person.objects.get(family=dossier.family)
    assert person.bsn == "999993276"
    assert person.bsn_index
    assert "999993276" not in person.bsn_index
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn, first_name FROM dossiers_person WHERE id = %s", [person.pk])
        raw_bsn, raw_name = cursor.fetchone()
    assert "999993276" not in raw_bsn
    assert "Noor" not in raw_name
    member = CaseTeamMember.objects.get(dossier=dossier)
    assert member.user == professional
    assert dossier.coordinator == professional
    event = AuditEvent.objects.get(action="create", object_type="dossier")
    assert event.client_pseudonym == dossier.family.pseudonym


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"bsn": "123456789"}, "bsn"),
        ({"date_of_birth": timezone.localdate() + timedelta(days=1)}, "date_of_birth"),
        ({"date_of_birth": date(1850, 1, 1)}, "date_of_birth"),
        ({"first_name": "  "}, "last_name"),
        ({"relation": "buurman"}, "relation"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(actor_of, professional, kwargs, field):
    with pytest.raises(DomainError) as info:
        services.dossier_create(actor=actor_of(professional), family_name="Gezin X", persons=[_child(**kwargs)])
    assert info.value.field == field
    assert info.value.message
    assert not Family.objects.exists()
    assert not Dossier.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_same_bsn_cannot_be_created_twice_even_in_hidden_dossier(actor_of, professional, outsider):
    make_dossier(outsider, bsn="999994669")
    report = selectors.person_duplicates(actor=actor_of(professional), bsn="999994669")
    assert report.visible == []
    assert report.hidden_count == 1
    with pytest.raises(DomainError) as info:
        services.dossier_create(actor=actor_of(professional), family_name="Gezin Y", persons=[_child(bsn="999994669")])
    assert info.value.field == "bsn"
    assert Family.objects.count() == 1


def test_same_name_and_birth_date_needs_confirmation(actor_of, professional):
    actor = actor_of(professional)
    services.dossier_create(actor=actor, family_name="Gezin A", persons=[_child()])
    with pytest.raises(DomainError) as info:
        services.dossier_create(actor=actor, family_name="Gezin B", persons=[_child(first_name="noor")])
    assert info.value.field == "confirm_duplicate"
    report = selectors.person_duplicates(
        actor=actor, first_name="Noor", last_name="Visser", date_of_birth=date(2018, 2, 3)
    )
    assert len(report.visible) == 1
    services.dossier_create(actor=actor, family_name="Gezin B", persons=[_child()], confirm_duplicates=True)
    assert Family.objects.count() == 2


def test_concurrent_edit_is_detected(actor_of, professional, dossier):
    colleague = make_user(Role.PROFESSIONAL, professional.active_membership.organisation)
    CaseTeamMember.objects.create(
        dossier=dossier, user=colleague, organisation=dossier.team.first().organisation, case_role="hulpverlener"
    )
    loaded_version = dossier.version
    services.dossier_update(
        actor=actor_of(professional),
        dossier=dossier,
        expected_version=loaded_version,
        summary="Eerste versie",
        status="open",
        coordinator_id=professional.pk,
    )
    with pytest.raises(ConflictError):
        services.dossier_update(
            actor=actor_of(colleague),
            dossier=Dossier.objects.get(pk=dossier.pk),
            expected_version=loaded_version,
            summary="Overschrijving",
            status="open",
            coordinator_id=professional.pk,
        )
    dossier.refresh_from_db()
    assert dossier.summary == "Eerste versie"
    assert dossier.version == loaded_version + 1
    assert dossier.history.count() == 2


def test_person_update_version_check(actor_of, professional, dossier):
    person = Person.objects.get(family=dossier.family)
    data = _child(first_name="Sam", last_name="Jansen")
    services.person_update(actor=actor_of(professional), person=person, expected_version=1, data=data)
    with pytest.raises(ConflictError):
        services.person_update(actor=actor_of(professional), person=person, expected_version=1, data=data)


def test_coordinator_must_be_on_case_team(actor_of, professional, outsider, dossier):
    with pytest.raises(DomainError):
        services.dossier_update(
            actor=actor_of(professional),
            dossier=dossier,
            expected_version=1,
            summary="",
            status="open",
            coordinator_id=outsider.pk,
        )


def test_case_team_add_and_remove(actor_of, professional, outsider, dossier, django_capture_on_commit_callbacks):
    actor = actor_of(professional)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.case_team_add(actor=actor, dossier=dossier, user_id=outsider.pk, case_role="hulpverlener")
    assert outsider.notifications.count() == 1
    assert selectors.dossier_get(actor=actor_of(outsider), reference=dossier.reference)
    services.case_team_remove(actor=actor, dossier=dossier, member_id=member.pk)
    with pytest.raises(NotFoundError):
        selectors.dossier_get(actor=actor_of(outsider), reference=dossier.reference)
    assert CaseTeamMember.objects.filter(pk=member.pk, ended_at__isnull=False).exists()


def test_last_case_team_member_cannot_leave(actor_of, professional, dossier):
    member = CaseTeamMember.objects.get(dossier=dossier)
    with pytest.raises(DomainError):
        services.case_team_remove(actor=actor_of(professional), dossier=dossier, member_id=member.pk)


def test_policy_officer_cannot_be_added_to_case_team(actor_of, professional, dossier):
    beleid = make_user(Role.BELEIDSMEDEWERKER)
    with pytest.raises(DomainError):
        services.case_team_add(actor=actor_of(professional), dossier=dossier, user_id=beleid.pk, case_role="consulent")


def test_break_glass_expires(actor_of, outsider, dossier, settings):
    settings.KETEN_BREAK_GLASS_SECONDS = 0
    break_glass.break_glass(actor=actor_of(outsider), reference=dossier.reference, reason="Acute situatie op school")
    with pytest.raises(NotFoundError):
        selectors.dossier_get(actor=actor_of(outsider), reference=dossier.reference)


def test_break_glass_on_unknown_reference_is_audited(actor_of, outsider):
    with pytest.raises(NotFoundError):
        break_glass.break_glass(actor=actor_of(outsider), reference="D-NOPE", reason="Acute situatie op school")
    assert AuditEvent.objects.get(action="break_glass").details == {"result": "not_found"}


def test_aggregates_hide_small_cells_and_names(actor_of, professional):
    for _ in range(6):
        make_dossier(professional)
    beleid = make_user(Role.BELEIDSMEDEWERKER)
    figures = selectors.dossier_aggregates(actor=actor_of(beleid))
    assert figures["open"] == 6
    assert all(row["dossiers"] is None or row["dossiers"] >= 5 for row in figures["by_org_type"])
    assert selectors.dossier_aggregates(actor=actor_of(professional)) == {}


def test_dossier_list_query_count_is_constant(actor_of, professional, django_assert_max_num_queries):
    for _ in range(30):
        make_dossier(professional)
    actor = actor_of(professional)
    with django_assert_max_num_queries(8):
        rows, total = selectors.dossier_list(actor=actor, limit=25)
    assert total == 30
    assert len(rows) == 25
