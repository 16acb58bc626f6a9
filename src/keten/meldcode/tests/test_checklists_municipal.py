"""Checklists per municipality: only the gemeente's functioneel beheerder publishes, and only for the own municipality.

The national versions (loaded from ``meldcode/data``, ``municipality`` empty) are read-only in the
beheer; a gemeente's beheerder publishes versions for their own municipality, which new trajecten of
organisations in that municipality use. The beheerder of any other organisation (a school, a sports
club) and the beheerder of another municipality get 404, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from keten.accounts.models import Municipality, Organisation, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.core.policy import allows
from keten.meldcode import rules as meldcode_rules
from keten.meldcode.beheer import services as beheer_services
from keten.meldcode.models import Checklist, ChecklistKind, Traject
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

ClientFor = Callable[[User], Client]


def _national(kind: str = ChecklistKind.KINDSIGNALEN) -> Checklist:
    """The national version loaded from ``meldcode/data`` (published by no one)."""
    found = Checklist.objects.filter(kind=kind, organisation_type="", created_by=None).order_by("-version").first()
    assert found is not None
    return found


@pytest.fixture
def gemeente(organisation: Organisation) -> Organisation:
    return OrganisationFactory(
        name="Gemeente Test", type=OrganisationType.GEMEENTE, municipality=organisation.municipality
    )


@pytest.fixture
def gemeente_beheerder(gemeente: Organisation) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="gemeente-beheerder")


@pytest.fixture
def club_beheerder(organisation: Organisation) -> User:
    """The functioneel beheerder of another organisation of the same municipality (here a sports club)."""
    club = OrganisationFactory(name="Voetbalclub", type=OrganisationType.SPORT, municipality=organisation.municipality)
    return make_user(Role.FUNCTIONEEL_BEHEERDER, club, username="club-beheerder")


@pytest.fixture
def elsewhere() -> Municipality:
    return MunicipalityFactory(name="Anderdorp", cbs_code="GM0888")


@pytest.fixture
def other_beheerder(elsewhere: Municipality) -> User:
    other = OrganisationFactory(name="Gemeente Anderdorp", type=OrganisationType.GEMEENTE, municipality=elsewhere)
    return make_user(Role.FUNCTIONEEL_BEHEERDER, other, username="ander-beheerder")


@pytest.fixture
def other_professional(elsewhere: Municipality) -> User:
    wijkteam = OrganisationFactory(name="Wijkteam Anderdorp", type=OrganisationType.WIJKTEAM, municipality=elsewhere)
    return make_user(Role.PROFESSIONAL, wijkteam, username="ander-prof")


def _publish_form(source: Checklist, **extra: Any) -> dict[str, Any]:
    codes = [item["code"] for item in source.items]
    return {
        "kind": source.kind,
        "organisation_type": source.organisation_type,
        "title": "Signalen bij het kind (gemeente)",
        "keep": codes[1:],
        "items_text": "G-01;gemeente;Eigen signaal van de gemeente",
        **extra,
    }


def _municipal_version(beheerder: User, client_for: ClientFor) -> Checklist:
    source = _national()
    response = client_for(beheerder).post(
        reverse("meldcode:checklist_publish", args=[source.pk]), _publish_form(source)
    )
    assert response.status_code == 302, response.content.decode()
    return Checklist.objects.exclude(municipality=None).get()


def test_the_beheerder_of_another_organisation_is_refused_and_nothing_changes(
    club_beheerder: User, organisation: Organisation, client_for: ClientFor
) -> None:
    source = _national()
    count = Checklist.objects.count()
    for user in (club_beheerder, make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, username="wijkteam-beheerder")):
        client = client_for(user)
        assert client.get(reverse("meldcode:checklists")).status_code == 404
        assert client.get(reverse("meldcode:checklist", args=[source.pk])).status_code == 404
        url = reverse("meldcode:checklist_publish", args=[source.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _publish_form(source)).status_code == 404
        assert not allows("meldcode.manage_checklists", user)
    assert Checklist.objects.count() == count
    assert AuditEvent.objects.filter(object_type="meldcode.checklist").count() == 0
    source.refresh_from_db()
    assert source.title == _national().title


def test_the_service_refuses_the_beheerder_of_another_organisation(
    club_beheerder: User, actor_of: Callable[[User], Actor]
) -> None:
    from keten.core.errors import NotFoundError

    count = Checklist.objects.count()
    with pytest.raises(NotFoundError):
        beheer_services.checklist_publish(
            actor=actor_of(club_beheerder),
            kind=ChecklistKind.KINDSIGNALEN,
            organisation_type="",
            title="Eigen lijst",
            items=[{"code": "X", "label": "Iets"}],
        )
    assert Checklist.objects.count() == count


def test_the_gemeente_beheerder_publishes_for_the_own_municipality_only(
    gemeente_beheerder: User, gemeente: Organisation, client_for: ClientFor
) -> None:
    source = _national()
    before = list(source.items)
    new = _municipal_version(gemeente_beheerder, client_for)
    assert new.municipality_id == gemeente.municipality_id
    assert new.kind == source.kind
    assert new.organisation_type == ""
    assert new.version > source.version
    assert [item["code"] for item in new.items][-1] == "G-01"
    source.refresh_from_db()
    assert source.items == before
    assert source.municipality_id is None
    event = AuditEvent.objects.get(object_type="meldcode.checklist")
    assert event.details["municipality"] == gemeente.municipality_id
    assert allows("meldcode.manage_checklist", gemeente_beheerder, new)
    assert not allows("meldcode.manage_checklist", gemeente_beheerder, source)
    # The next version starts from the municipal one and stays in the municipality.
    response = client_for(gemeente_beheerder).post(
        reverse("meldcode:checklist_publish", args=[new.pk]), _publish_form(new, title="Tweede gemeentelijke versie")
    )
    assert response.status_code == 302
    newest = Checklist.objects.filter(municipality=gemeente.municipality).order_by("-version").first()
    assert newest is not None
    assert newest.version == new.version + 1
    assert Checklist.objects.filter(municipality=None).count() == 3


def test_another_municipality_sees_no_municipal_version_and_gets_404(
    gemeente_beheerder: User, other_beheerder: User, client_for: ClientFor
) -> None:
    new = _municipal_version(gemeente_beheerder, client_for)
    client = client_for(other_beheerder)
    listing = client.get(reverse("meldcode:checklists"))
    assert listing.status_code == 200
    assert new.title not in listing.content.decode()
    assert _national().title in listing.content.decode()
    assert client.get(reverse("meldcode:checklist", args=[new.pk])).status_code == 404
    url = reverse("meldcode:checklist_publish", args=[new.pk])
    assert client.get(url).status_code == 404
    count = Checklist.objects.count()
    assert client.post(url, _publish_form(new)).status_code == 404
    assert Checklist.objects.count() == count
    assert not allows("meldcode.manage_checklist", other_beheerder, new)
    assert not allows("meldcode.view_checklist", other_beheerder, new)
    # The own list shows the national and the own municipal versions.
    own = client_for(gemeente_beheerder).get(reverse("meldcode:checklists")).content.decode()
    assert new.title in own
    assert _national().title in own


def test_national_versions_are_read_only(gemeente_beheerder: User, client_for: ClientFor) -> None:
    source = _national()
    page = client_for(gemeente_beheerder).get(reverse("meldcode:checklist", args=[source.pk]))
    assert page.status_code == 200
    assert "Landelijke versie" in page.content.decode()
    assert not allows("meldcode.manage_checklist", gemeente_beheerder, source)
    assert allows("meldcode.view_checklist", gemeente_beheerder, source)


def test_new_trajecten_use_the_municipal_version_and_running_ones_keep_theirs(
    gemeente_beheerder: User,
    professional: User,
    other_professional: User,
    dossier: Any,
    actor_of: Callable[[User], Actor],
    client_for: ClientFor,
) -> None:
    child = dossier.family.persons.get()
    running = traject_services.traject_start(actor=actor_of(professional), dossier=dossier, child_id=child.pk)
    national = _national()
    assert national in running.checklists.all()
    new = _municipal_version(gemeente_beheerder, client_for)
    # The running traject keeps the version it started with.
    running = Traject.objects.get(pk=running.pk)
    assert national in running.checklists.all()
    assert new not in running.checklists.all()
    # A new traject in the municipality uses the municipal version (and the national ones of the other kinds).
    second = make_dossier(professional, family_name="Gezin Jansen")
    fresh = traject_services.traject_start(
        actor=actor_of(professional), dossier=second, child_id=second.family.persons.get().pk
    )
    kinds = {c.kind: c for c in fresh.checklists.all()}
    assert kinds[ChecklistKind.KINDSIGNALEN] == new
    assert kinds[ChecklistKind.OUDERSIGNALEN] == _national(ChecklistKind.OUDERSIGNALEN)
    # Another municipality still uses the national version.
    third = make_dossier(other_professional, family_name="Gezin de Vries")
    elsewhere = traject_services.traject_start(
        actor=actor_of(other_professional), dossier=third, child_id=third.family.persons.get().pk
    )
    assert national in elsewhere.checklists.all()
    assert new not in elsewhere.checklists.all()


def test_the_row_filters_beside_the_rules(
    gemeente_beheerder: User, other_beheerder: User, club_beheerder: User, client_for: ClientFor
) -> None:
    new = _municipal_version(gemeente_beheerder, client_for)
    assert list(meldcode_rules.checklists_managed_by(gemeente_beheerder)) == [new]
    assert not meldcode_rules.checklists_managed_by(other_beheerder).exists()
    assert not meldcode_rules.checklists_managed_by(club_beheerder).exists()
    assert new in meldcode_rules.checklists_visible_to(gemeente_beheerder)
    assert new not in meldcode_rules.checklists_visible_to(other_beheerder)
    assert not meldcode_rules.checklists_visible_to(club_beheerder).exists()


def test_the_dashboard_links_the_checklist_beheer_only_for_whoever_may_manage_it(
    gemeente_beheerder: User, club_beheerder: User, client_for: ClientFor
) -> None:
    link = reverse("meldcode:checklists")
    assert link in client_for(gemeente_beheerder).get(reverse("shell:dashboard")).content.decode()
    assert link not in client_for(club_beheerder).get(reverse("shell:dashboard")).content.decode()
