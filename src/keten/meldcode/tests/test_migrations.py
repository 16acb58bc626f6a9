"""The migration that gives checklists a municipality: national versions stay, others go to their gemeente."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from keten.meldcode.reference import load_default_checklists

#: The accounts app as it is now (its users need their security stamp), the meldcode before 0003.
BEFORE = [("accounts", "0004_role_privacy_officer"), ("meldcode", "0002_default_checklists")]


@pytest.mark.django_db(transaction=True)
def test_versions_published_by_a_person_move_to_their_gemeente_or_are_withdrawn() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    municipality = old.get_model("accounts", "Municipality").objects.create(name="Hier", cbs_code="GM0301")
    organisation = old.get_model("accounts", "Organisation")
    gemeente = organisation.objects.create(name="Gemeente Hier", type="gemeente", municipality=municipality)
    club = organisation.objects.create(name="Voetbalclub", type="sport", municipality=municipality)
    user_model = old.get_model("accounts", "User")
    membership = old.get_model("accounts", "Membership")
    gemeente_beheerder = user_model.objects.create(username="gemeente-beheerder", security_stamp="a" * 32)
    membership.objects.create(user=gemeente_beheerder, organisation=gemeente, role="functioneel_beheerder")
    club_beheerder = user_model.objects.create(username="club-beheerder", security_stamp="b" * 32)
    membership.objects.create(user=club_beheerder, organisation=club, role="functioneel_beheerder")
    checklist = old.get_model("meldcode", "Checklist")
    now = timezone.now()
    # The national lists come from a data migration, which an earlier transactional test's flush may
    # have emptied; load them as that migration does.
    load_default_checklists(checklist, now=now)
    by_gemeente = checklist.objects.create(
        kind="kindsignalen", version=2, title="Gemeente", items=[], published_at=now, created_by=gemeente_beheerder
    )
    by_club = checklist.objects.create(
        kind="kindsignalen", version=3, title="Club", items=[], published_at=now, created_by=club_beheerder
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from keten.meldcode.models import Checklist

    national = Checklist.objects.filter(created_by=None)
    assert national.count() == 3
    assert all(c.municipality_id is None and c.published_at is not None for c in national)
    moved = Checklist.objects.get(pk=by_gemeente.pk)
    assert moved.municipality_id == municipality.pk
    assert moved.published_at is not None
    withdrawn = Checklist.objects.get(pk=by_club.pk)
    assert withdrawn.municipality_id == municipality.pk
    assert withdrawn.published_at is None
