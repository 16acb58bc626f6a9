"""The "Vandaag" start page per role (keten.shell.today, shell/dashboard.html).

In the world of :mod:`tests.client_data_world` (one family with a record of every kind, seen by
``prof``), each role's start page shows the blocks its role may see, with the items that need that
person, most urgent first; someone outside the case team or of another organisation sees none of
them; every link on it opens; the family names shown are audited; and the number of queries is the
same for one family as for three.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import Organisation, OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.core.models import AuditEvent, AuditEventClient
from keten.dossiers.access.requests import open_requests_to_decide_count
from keten.dossiers.models import AccessRequest
from keten.dossiers.rules import requests_to_decide
from keten.meldcode.models import Traject
from keten.network.models import OrganisationEntry
from keten.overleg.models import Attendance, Meeting
from keten.testing.auth import login_verified
from keten.testing.factories import OrganisationFactory, make_dossier, make_user
from tests.client_data_world import World, add_family, build_world

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module and rolled back at the end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    from django.core.cache import cache

    from keten.core.localcache import clear_all

    cache.clear()
    clear_all()


def _gemeente(world: World) -> Organisation:
    return OrganisationFactory(
        name="Gemeente Lindeveld", type=OrganisationType.GEMEENTE, municipality=world.wijkteam.municipality
    )


def _page(user: User) -> str:
    response = login_verified(Client(), user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def _blocks(html: str) -> list[str]:
    """The blocks of the page, in order."""
    return re.findall(r'data-block="([a-z_]+)"', html)


def _block(html: str, name: str) -> str:
    start = html.index(f'data-block="{name}"')
    return html[start : html.index("</section>", start)]


def _heading_count(block: str) -> int:
    found = re.search(r'<span class="keten-today__count">\((\d+)\)</span></h2>', block)
    assert found, block[:300]
    return int(found.group(1))


def _links(html: str) -> list[str]:
    main = html[html.index('class="keten-today"') :]
    return sorted(set(re.findall(r'href="(/[^"]*)"', main)))


def _overdue_feedback(world: World) -> None:
    """The family's Veilig Thuis feedback is two days late (a deadline of prof's case team)."""
    Traject.objects.filter(pk=world.family.traject.pk).update(
        melding_on=TODAY() - dt.timedelta(days=12), vt_feedback_due=TODAY() - dt.timedelta(days=2)
    )


def _meeting_tomorrow(world: World) -> Meeting:
    starts = timezone.now() + dt.timedelta(days=1)
    meeting = Meeting.objects.create(
        overleg_type=world.overleg.meeting.overleg_type,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        location="Stadhuis, kamer 2",
    )
    Attendance.objects.create(meeting=meeting, user=world.prof, organisation=world.wijkteam)
    return meeting


# --- the professional -----------------------------------------------------------------------------


def test_the_professional_sees_what_needs_them_most_urgent_first(world: World) -> None:
    _overdue_feedback(world)
    meeting = _meeting_tomorrow(world)
    html = _page(world.prof)

    assert '<h1 class="utrecht-heading-1">Vandaag</h1>' in html
    assert _blocks(html) == [
        "deadlines",
        "consultations",
        "access_requests",
        "matches",
        "agreements",
        "meetings",
        "notifications",
        "dossiers",
        "links",
    ]
    deadlines = _block(html, "deadlines")
    family = str(world.family.dossier.family.name)
    reference = world.family.dossier.reference
    assert _heading_count(deadlines) == 2
    overdue, soon = deadlines.split('id="h-soon"')
    assert "Te laat" in overdue
    assert "Terugkoppeling van Veilig Thuis" in overdue
    assert f'href="/meldcode/{world.family.traject.reference}/"' in overdue
    assert family in overdue
    assert reference in overdue
    # The agreement made in the overleg is due in a week and is prof's own.
    assert "Afspraak uit overleg" in soon
    assert "van u" in soon
    assert f'href="/overleg/afspraken/{world.overleg.agreement.pk}/"' in soon
    # prof started the traject: its deadline is prof's own as well.
    assert "van u" in overdue

    assert "Er wacht geen consultatievraag op uw antwoord." in _block(html, "consultations")
    assert _heading_count(_block(html, "consultations")) == 0
    requests = _block(html, "access_requests")
    assert _heading_count(requests) == 1
    assert 'href="/dossiers/toegangsverzoeken/"' in requests
    matches = _block(html, "matches")
    assert _heading_count(matches) == 1
    assert f'href="/verwijsindex/matches/{world.family.match.pk}/"' in matches
    agreements = _block(html, "agreements")
    assert _heading_count(agreements) == 1
    assert family in agreements
    meetings = _block(html, "meetings")
    assert _heading_count(meetings) == 1
    assert f'href="/overleg/bijeenkomsten/{meeting.pk}/"' in meetings
    dossiers = _block(html, "dossiers")
    assert _heading_count(dossiers) == 1
    assert f'href="/dossiers/{reference}/"' in dossiers
    assert "Nieuw dossier" in dossiers
    assert "Nieuw meldcode-traject" in dossiers


def test_the_professional_with_nothing_to_do_sees_the_empty_states(world: World) -> None:
    newcomer = make_user(Role.PROFESSIONAL, world.wijkteam, username="nieuw", first_name="Sanne")
    html = _page(newcomer)

    assert "Welkom, Sanne." in html
    assert "Er is niets te laat en niets wacht op u." in html
    assert "Alles op tijd: in uw dossiers is niets te laat en verloopt deze week geen termijn." in html
    assert "Geen open toegangsverzoeken voor uw dossiers." in html
    assert "Bij al uw matches is contact gelegd." in html
    assert "U heeft geen open afspraken uit overleggen." in html
    assert "U staat deze week niet op de lijst van een bijeenkomst." in html
    assert "U zit nog in geen enkel casusteam." in html
    for block in ("deadlines", "consultations", "access_requests", "matches", "agreements", "meetings", "dossiers"):
        assert _heading_count(_block(html, block)) == 0, block


def test_someone_outside_the_case_team_or_organisation_sees_none_of_its_items(world: World) -> None:
    _overdue_feedback(world)
    family = str(world.family.dossier.family.name)
    for outsider in (world.teacher, make_user(Role.PROFESSIONAL, world.wijkteam, username="collega")):
        html = _page(outsider)
        assert family not in html
        assert world.family.dossier.reference not in html
        assert "Terugkoppeling van Veilig Thuis" not in html
        assert _heading_count(_block(html, "deadlines")) == 0
        assert _heading_count(_block(html, "access_requests")) == 0
    # Another's dossier with a late deadline does not reach prof's page either.
    other = make_dossier(world.teacher, family_name="Gezin Vreemd")
    assert "Gezin Vreemd" not in _page(world.prof)
    assert other.reference not in _page(world.prof)


def test_a_deadline_read_names_the_families_in_the_audit_log(world: World) -> None:
    _overdue_feedback(world)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    _page(world.prof)
    event = AuditEvent.objects.get(id__gt=before, object_type="dossier_names")
    assert event.actor_id == world.prof.pk
    assert event.details["dossiers"] == [world.family.dossier.reference]
    assert set(AuditEventClient.objects.filter(event=event).values_list("pseudonym", flat=True)) == {
        world.family.pseudonym
    }


# --- the aandachtsfunctionaris --------------------------------------------------------------------


def test_the_aandachtsfunctionaris_sees_consultations_break_glass_and_stalled_trajecten(world: World) -> None:
    Traject.objects.filter(pk=world.family.traject.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=90))
    html = _page(world.af)

    assert _blocks(html)[:3] == ["deadlines", "consultations", "break_glass"]
    assert "trajecten" in _blocks(html)
    consultations = _block(html, "consultations")
    assert _heading_count(consultations) == 1
    assert f'href="/meldcode/consultaties/{world.family.consultation.pk}/"' in consultations
    assert world.family.traject.reference in consultations
    glass = _block(html, "break_glass")
    assert _heading_count(glass) == 1
    assert world.family.dossier.reference in glass
    assert "/dossiers/noodtoegang/beoordelen/" in glass
    trajecten = _block(html, "trajecten")
    assert _heading_count(trajecten) == 1
    assert "1 traject staat stil." in trajecten
    assert 'href="/meldcode/organisatie/"' in trajecten
    # Not on the case team: no family name, no deadline of the family.
    assert str(world.family.dossier.family.name) not in html
    assert _heading_count(_block(html, "deadlines")) == 0


def test_the_aandachtsfunctionaris_of_another_organisation_sees_nothing_of_it(world: World) -> None:
    other_af = make_user(Role.AANDACHTSFUNCTIONARIS, world.school, username="af-school")
    html = _page(other_af)
    assert _heading_count(_block(html, "consultations")) == 0
    assert _heading_count(_block(html, "break_glass")) == 0
    assert "Alle noodtoegang is beoordeeld." in html
    assert world.family.traject.reference not in html
    assert world.family.dossier.reference not in html


# --- the functioneel beheerder --------------------------------------------------------------------


def test_the_beheerder_sees_accounts_and_stale_entries_and_no_case_blocks(world: World) -> None:
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, world.wijkteam, username="beheer")
    html = _page(beheerder)

    assert _blocks(html) == ["beheer", "stale_entries", "notifications", "figures", "links"]
    stale = _block(html, "stale_entries")
    # The wijkteam has no entry on the sociale kaart yet: the only entry this beheerder keeps.
    assert _heading_count(stale) == 1
    assert f'href="/sociale-kaart/organisaties/{world.wijkteam.pk}/wijzigen/"' in stale
    assert "nog nooit bevestigd" in stale
    beheer = _block(html, "beheer")
    assert "Geen herstelverzoeken om te beslissen." in beheer
    assert str(world.family.dossier.family.name) not in html

    OrganisationEntry.objects.update_or_create(
        organisation=world.wijkteam, defaults={"last_confirmed_at": timezone.now()}
    )
    html = _page(beheerder)
    assert "Alle vermeldingen die u beheert zijn op tijd bevestigd." in _block(html, "stale_entries")


# --- the beleidsmedewerker ------------------------------------------------------------------------


def test_the_beleidsmedewerker_sees_the_figures_as_charts_with_tables_and_no_client_data(world: World) -> None:
    beleid = make_user(Role.BELEIDSMEDEWERKER, _gemeente(world), username="beleid")
    html = _page(beleid)

    assert _blocks(html) == ["notifications", "figures", "links"]
    figures = html[html.index('data-block="figures"') :]
    for name in ("wijk", "steps", "vi", "overleg"):
        assert f'data-chart-source="table-{name}"' in figures
        assert f'id="table-{name}"' in figures
    for link in ("/meldcode/cijfers/", "/verwijsindex/cijfers/", "/overleg/cijfers/", "/cijfers.csv"):
        assert f'href="{link}"' in figures
    # One family: every count is a small cell, hidden.
    assert "Open dossiers" in figures
    assert 'data-value="1"' not in figures
    assert str(world.family.dossier.family.name) not in html
    assert world.family.dossier.reference not in html


# --- every link opens ---------------------------------------------------------------------------


def test_every_link_on_every_start_page_opens(world: World) -> None:
    _overdue_feedback(world)
    _meeting_tomorrow(world)
    users = [
        world.prof,
        world.af,
        world.regie,
        make_user(Role.FUNCTIONEEL_BEHEERDER, world.wijkteam, username="beheer"),
        make_user(Role.BELEIDSMEDEWERKER, _gemeente(world), username="beleid"),
    ]
    for user in users:
        client = login_verified(Client(), user)
        links = _links(client.get("/").content.decode())
        assert links
        for href in links:
            assert client.get(href).status_code == 200, f"{user.username}: {href}"


def test_the_access_request_count_agrees_with_the_rule(world: World) -> None:
    colleague = make_user(Role.PROFESSIONAL, world.wijkteam, username="collega2")
    dossier = make_dossier(world.prof, colleague)
    AccessRequest.objects.create(dossier=dossier, requester=world.nurse, organisation=world.jgz, motivation="Graag.")
    for user in (world.prof, colleague, world.af, world.regie, world.nurse):
        actor = actor_for_user(User.objects.get(pk=user.pk))
        expected = requests_to_decide(user).filter(status=AccessRequest.Status.OPEN).count()
        assert open_requests_to_decide_count(actor=actor) == expected, user.username


# --- a fixed number of queries --------------------------------------------------------------------


def _count(client: Client) -> int:
    client.get("/")  # warm: sessions, caches
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/").status_code == 200
    return len(captured)


def test_each_start_page_runs_a_fixed_number_of_queries(world: World, django_assert_num_queries: Any) -> None:
    _overdue_feedback(world)
    clients = {
        "professional": login_verified(Client(), world.prof),
        "aandachtsfunctionaris": login_verified(Client(), world.af),
        "regievoerder": login_verified(Client(), world.regie),
        "beheerder": login_verified(Client(), make_user(Role.FUNCTIONEEL_BEHEERDER, world.wijkteam, username="beheer")),
        "beleidsmedewerker": login_verified(
            Client(), make_user(Role.BELEIDSMEDEWERKER, _gemeente(world), username="beleid")
        ),
    }
    small = {role: _count(client) for role, client in clients.items()}
    # The whole request: session, user, membership, every block, one audit append, the menu.
    assert small == {
        "professional": 25,
        "aandachtsfunctionaris": 20,
        "regievoerder": 20,
        "beheerder": 38,
        "beleidsmedewerker": 31,
    }
    for number in (1, 2, 3):
        family = add_family(world, number)
        Traject.objects.filter(pk=family.traject.pk).update(
            melding_on=TODAY() - dt.timedelta(days=12), vt_feedback_due=TODAY() - dt.timedelta(days=2)
        )
    html = clients["professional"].get("/").content.decode()
    assert _heading_count(_block(html, "deadlines")) == 5  # four late, the agreement this week
    assert _heading_count(_block(html, "matches")) == 4
    assert _heading_count(_block(_page(world.af), "consultations")) == 4
    for role, client in clients.items():
        client.get("/")  # warm
        with django_assert_num_queries(small[role]):
            client.get("/")
