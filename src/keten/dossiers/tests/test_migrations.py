"""The migration that gives existing families their municipality and encrypts break-the-glass reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0003_oidc_identity"), ("dossiers", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_existing_families_get_a_municipality_and_reasons_are_encrypted() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    municipality = old.get_model("accounts", "Municipality")
    here = municipality.objects.create(name="Hier", cbs_code="GM0101")
    there = municipality.objects.create(name="Daar", cbs_code="GM0102")
    wijk = old.get_model("accounts", "Wijk").objects.create(municipality=there, name="Oost", code="O")
    organisation = old.get_model("accounts", "Organisation").objects.create(
        name="Wijkteam", type="wijkteam", municipality=here
    )
    user = old.get_model("accounts", "User").objects.create(username="prof")
    old.get_model("accounts", "Membership").objects.create(user=user, organisation=organisation, role="professional")
    family_model = old.get_model("dossiers", "Family")
    by_wijk = family_model.objects.create(pseudonym="G-WIJK", name="Gezin Oost", wijk=wijk)
    by_team = family_model.objects.create(pseudonym="G-TEAM", name="Gezin Team")
    dossier_model = old.get_model("dossiers", "Dossier")
    dossier = dossier_model.objects.create(family=by_team, reference="D-TEAM")
    dossier_model.objects.create(family=by_wijk, reference="D-WIJK")
    old.get_model("dossiers", "CaseTeamMember").objects.create(
        dossier=dossier, user=user, organisation=organisation, case_role="regievoerder"
    )
    old.get_model("dossiers", "Person").objects.create(
        family=by_team, pseudonym="P-TEAM", relation="kind", first_name="Sam", last_name="Team", bsn_index="x" * 64
    )
    now = timezone.now()
    old.get_model("dossiers", "BreakGlassAccess").objects.create(
        dossier=dossier, user=user, reason="Acute zorg, regievoerder afwezig", granted_at=now, expires_at=now
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from keten.dossiers.models import BreakGlassAccess, Family, Person

    assert Family.objects.get(pseudonym="G-WIJK").municipality_id == there.pk
    assert Family.objects.get(pseudonym="G-TEAM").municipality_id == here.pk
    assert Person.objects.get(pseudonym="P-TEAM").municipality_id == here.pk
    grant = BreakGlassAccess.objects.get()
    assert grant.reason == "Acute zorg, regievoerder afwezig"
    assert grant.organisation_id == organisation.pk
    assert grant.expires_at - grant.granted_at == timedelta(0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM dossiers_breakglassaccess")
        (raw,) = cursor.fetchone()
    assert "Acute" not in raw
