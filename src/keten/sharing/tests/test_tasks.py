"""The daily grant expiry: ended grants are marked once, counted, audited; running twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.dossiers.models import Relation
from keten.sharing import selectors, services
from keten.sharing.models import AccessGrant, GiverRole, LegalBasis
from keten.sharing.tasks import expire_grants
from keten.testing.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants(professional: User, dossier: Any, actor_of: Callable[[User], Actor]) -> tuple[AccessGrant, AccessGrant]:
    school = OrganisationFactory(name="School", type=OrganisationType.ONDERWIJS)
    teacher = make_user(Role.PROFESSIONAL, school, username="juf")
    actor = actor_of(professional)
    child = dossier.family.persons.get()
    mother = make_person(dossier.family, relation=Relation.OUDER, first_name="Moeder", date_of_birth=date(1985, 1, 1))
    services.consent_record(
        actor=actor,
        dossier=dossier,
        data=services.ConsentData(
            giver_id=mother.pk,
            giver_role=GiverRole.OUDER_MET_GEZAG,
            about_id=child.pk,
            purpose="Afstemmen van de hulp met school",
            recipient_ids=[school.pk],
            form="mondeling",
            given_on=timezone.localdate(),
        ),
    )
    made = []
    for days in (1, 30):
        disclosure = services.disclosure_record(
            actor=actor,
            dossier=dossier,
            data=services.DisclosureData(
                about_ids=[child.pk],
                categories=["signalen"],
                items=[],
                recipient_organisation_id=school.pk,
                recipient_user_id=teacher.pk,
                purpose="Hulp afstemmen met de school",
                legal_basis=LegalBasis.TOESTEMMING,
                shared_on=timezone.localdate(),
                client_informed=True,
                client_informed_on=timezone.localdate(),
                grant_days=days,
            ),
        )
        made.append(AccessGrant.objects.get(disclosure=disclosure))
    return made[0], made[1]


def test_command_expires_ended_grants_once_and_prints_the_count(grants: tuple[AccessGrant, AccessGrant]) -> None:
    short, long = grants
    # Two days later the one-day grant has ended.
    AccessGrant.objects.filter(pk=short.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("sharing_expire_grants", stdout=out)
    assert "sharing grants expired: 1" in out.getvalue()
    short.refresh_from_db()
    long.refresh_from_db()
    assert short.revoked_at is not None
    assert long.revoked_at is None
    assert list(selectors.active_grants(long.user)) == [long]
    event = AuditEvent.objects.get(object_type="sharing.grants")
    assert event.details == {"expired": 1}
    out = StringIO()
    call_command("sharing_expire_grants", stdout=out)
    assert "sharing grants expired: 0" in out.getvalue()
    assert AuditEvent.objects.filter(object_type="sharing.grants").count() == 1


def test_task_and_enqueue(grants: tuple[AccessGrant, AccessGrant]) -> None:
    AccessGrant.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("sharing_expire_grants", "--enqueue", stdout=out)
    assert "queued sharing grant expiry" in out.getvalue()
    # The test settings run tasks immediately: both grants have ended.
    assert not AccessGrant.objects.filter(revoked_at__isnull=True).exists()
    assert expire_grants.call() == 0
