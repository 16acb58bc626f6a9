"""Traject pages over HTTP: 404 for outsiders, starting a traject, the overview, query counts, the cache."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from keten.accounts.models import OrganisationType, Role, User
from keten.dossiers.models import Dossier
from keten.meldcode.consultations import services as consultation_services
from keten.meldcode.models import Consultation, Entry, Status, Traject
from keten.meldcode.record import selectors as record_selectors
from keten.meldcode.tests.page_helpers import (
    MOTIVATION,
    ActorOf,
    ClientFor,
    fill_observations,
    traject_url,
    walk_afwegingen,
)
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db


# --- pages render for the case team, 404 for everyone else -----------------------------------


def test_traject_page_shows_steps_forms_and_audits_the_read(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    response = client_for(professional).get(traject_url(traject))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Signalen in kaart brengen" in html
    assert "nooit een bewijs" in html
    assert "Leg minstens één signaal of observatie vast." in html
    # The checklists of the traject, grouped, as checkboxes.
    assert 'name="codes"' in html
    assert "Signalen bij het kind" in html
    assert traject.entries.count() == 0


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5])
def test_every_step_renders_its_forms(client_for: ClientFor, professional: User, traject: Traject, step: int) -> None:
    response = client_for(professional).get(traject_url(traject) + f"?stap={step}")
    assert response.status_code == 200
    expected = {
        1: "Observatie vastleggen",
        2: "Collegiale consultatie aanvragen",
        3: "Gesprek vastleggen",
        4: "Afweging 1: Vermoeden",
        5: "Beantwoord eerst de afwegingen",
    }[step]
    assert expected in response.content.decode()


def test_outsider_and_other_roles_get_404_on_every_page(
    client_for: ClientFor, outsider: User, organisation: Any, traject: Traject
) -> None:
    policy = make_user(Role.BELEIDSMEDEWERKER, organisation, username="beleid")
    beheer = make_user(Role.FUNCTIONEEL_BEHEERDER, organisation, username="beheer")
    consultation = Consultation.objects.none()
    assert not consultation.exists()
    for user in (outsider, policy, beheer):
        client = client_for(user)
        assert client.get(traject_url(traject)).status_code == 404
        assert client.post(traject_url(traject, "observatie"), {}).status_code == 404
        assert client.post(traject_url(traject, "afsluiten"), {"motivation": MOTIVATION}).status_code == 404
        assert client.post(f"/meldcode/dossier/{traject.dossier.reference}/start/", {}).status_code == 404
        assert client.get("/meldcode/organisatie/").status_code == 404
    for user in (policy, beheer):
        assert client_for(user).get("/meldcode/nieuw/").status_code == 404
        assert client_for(user).get("/meldcode/consultaties/").status_code == 404
    assert traject.entries.count() == 0
    traject.refresh_from_db()
    assert traject.status == Status.OPEN


def test_missing_traject_and_unknown_action_are_404(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    client = client_for(professional)
    assert client.get("/meldcode/M-DOESNOTEXIST/").status_code == 404
    assert client.post(traject_url(traject, "onbekend"), {}).status_code == 404
    assert client.get(traject_url(traject, "observatie")).status_code == 405


# --- starting ---------------------------------------------------------------------------------


def test_dossier_page_lists_trajecten_and_starts_one_for_the_family(
    client_for: ClientFor, professional: User, dossier: Dossier
) -> None:
    client = client_for(professional)
    page = client.get(f"/dossiers/{dossier.reference}/meldcode/").content.decode()
    assert "Er loopt geen meldcode-traject in dit dossier." in page
    response = client.post(f"/meldcode/dossier/{dossier.reference}/start/", {"meldcode-subject": "gezin"})
    traject = Traject.objects.get(dossier=dossier)
    assert response.status_code == 302
    assert response["Location"] == f"/meldcode/{traject.reference}/"
    assert traject.child is None
    page = client.get(f"/dossiers/{dossier.reference}/meldcode/").content.decode()
    assert traject.reference in page
    assert "het hele gezin" in page


def test_start_for_one_child_and_bad_choice(client_for: ClientFor, professional: User, dossier: Dossier) -> None:
    client = client_for(professional)
    child = dossier.family.persons.get()
    bad = client.post(f"/meldcode/dossier/{dossier.reference}/start/", {"meldcode-subject": "999999"})
    assert bad.status_code == 422
    assert "Selecteer een geldige keuze" in bad.content.decode()
    assert not Traject.objects.exists()
    ok = client.post(f"/meldcode/dossier/{dossier.reference}/start/", {"meldcode-subject": str(child.pk)})
    assert ok.status_code == 302
    assert Traject.objects.get().child_id == child.pk
    # The dossier page names the child of each traject, from the persons it shows anyway.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.post(f"/meldcode/dossier/{dossier.reference}/start/", {"meldcode-subject": str(child.pk)})
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/dossiers/{dossier.reference}/meldcode/").content.decode()
    assert page.count(child.full_name) >= 2  # for both trajecten (the family list is on the Gezin section)
    assert not [q for q in queries.captured_queries if 'FROM "dossiers_person"' in q["sql"] and "meldcode" in q["sql"]]
    traject_queries = [q for q in queries.captured_queries if 'FROM "meldcode_traject"' in q["sql"]]
    # One for the section's list, one for the header's open steps, one for the header's deadlines.
    assert len(traject_queries) == 3
    client.post(f"/meldcode/dossier/{dossier.reference}/start/", {"meldcode-subject": "gezin"})
    with CaptureQueriesContext(connection) as more:
        client.get(f"/dossiers/{dossier.reference}/meldcode/")
    assert len(more.captured_queries) == len(queries.captured_queries)


def test_start_in_closed_dossier_is_refused(client_for: ClientFor, professional: User, dossier: Dossier) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.CLOSED)
    response = client_for(professional).post(
        f"/meldcode/dossier/{dossier.reference}/start/", {"meldcode-subject": "gezin"}
    )
    assert response.status_code == 422
    assert "Dit dossier is gesloten" in response.content.decode()
    assert not Traject.objects.exists()


def test_start_from_scratch_creates_dossier_and_traject(client_for: ClientFor, professional: User) -> None:
    client = client_for(professional)
    assert client.get("/meldcode/nieuw/").status_code == 200
    response = client.post(
        "/meldcode/nieuw/",
        {"family_name": "Gezin Yilmaz", "first_name": "Elif", "last_name": "Yilmaz", "date_of_birth": "2015-03-02"},
    )
    assert response.status_code == 302
    traject = Traject.objects.select_related("dossier__family", "child").get()
    assert traject.dossier.family.name == "Gezin Yilmaz"
    assert traject.child is not None
    assert traject.child.first_name == "Elif"
    assert traject.dossier.team.filter(user=professional).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "Elif", "last_name": "Yilmaz"}, "Dit veld is vereist"),
        ({"family_name": "Gezin Y", "first_name": "Elif", "last_name": "Y", "bsn": "123456789"}, "BSN"),
        (
            {"family_name": "Gezin Y", "first_name": "Elif", "last_name": "Y", "date_of_birth": "2999-01-01"},
            "De geboortedatum kan niet in de toekomst liggen.",
        ),
    ],
)
def test_start_from_scratch_bad_input_writes_nothing(
    client_for: ClientFor, professional: User, data: dict[str, str], message: str
) -> None:
    before = Dossier.objects.count()
    response = client_for(professional).post("/meldcode/nieuw/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Dossier.objects.count() == before
    assert not Traject.objects.exists()


# --- the aandachtsfunctionaris' overview --------------------------------------------------------


def test_organisation_overview_names_only_where_allowed(
    client_for: ClientFor, officer: User, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    response = client_for(officer).get("/meldcode/organisatie/")
    assert response.status_code == 200
    html = response.content.decode()
    assert traject.reference in html
    assert "niet zichtbaar" in html
    assert traject.child is not None
    assert traject.child.first_name not in html
    consultation_services.consultation_request(
        actor=actor_of(professional),
        traject=traject,
        to_user_id=officer.pk,
        kind="aandachtsfunctionaris",
        question="Mag ik met namen overleggen?",
        anonymous=False,
    )
    html = client_for(officer).get("/meldcode/organisatie/").content.decode()
    assert traject.child.first_name in html
    assert f'href="/meldcode/{traject.reference}/"' in html
    assert 'href="/meldcode/organisatie/"' in client_for(officer).get("/").content.decode()


def test_organisation_overview_is_only_for_aandachtsfunctionarissen(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    assert client_for(professional).get("/meldcode/organisatie/").status_code == 404


# --- query counts do not grow with the data ----------------------------------------------------


def _page_queries(client: Client, url: str, django_assert_max_num_queries: Any, limit: int) -> None:
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200


def test_traject_page_queries_do_not_grow_with_entries(
    client_for: ClientFor,
    professional: User,
    traject: Traject,
    actor_of: ActorOf,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(professional)
    actor = actor_of(professional)
    fill_observations(traject, actor, 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(traject_url(traject))  # the first request of a session does a few extra queries

    with CaptureQueriesContext(connection) as few:
        client.get(traject_url(traject))
    fill_observations(traject, actor, 40)
    walk_afwegingen(traject, actor, {1: True, 2: False})
    with CaptureQueriesContext(connection) as many:
        assert client.get(traject_url(traject)).status_code == 200
    assert len(many) <= len(few) + 1
    for step in (1, 2, 5):
        _page_queries(client, traject_url(traject) + f"?stap={step}", django_assert_max_num_queries, 30)


def test_organisation_overview_queries_do_not_grow_with_trajecten(
    client_for: ClientFor,
    officer: User,
    professional: User,
    actor_of: ActorOf,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_for(officer)
    actor = actor_of(professional)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    traject_services.traject_start(actor=actor, dossier=make_dossier(professional))
    client.get("/meldcode/organisatie/")  # the first request of a session does a few extra queries
    with CaptureQueriesContext(connection) as few:
        client.get("/meldcode/organisatie/")
    for _ in range(15):
        traject_services.traject_start(actor=actor, dossier=make_dossier(professional))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/meldcode/organisatie/").status_code == 200
    assert len(many) == len(few)
    _page_queries(client, "/meldcode/organisatie/", django_assert_max_num_queries, 20)


def test_teacher_of_a_school_sees_school_checklists(client_for: ClientFor, actor_of: ActorOf) -> None:
    school = OrganisationFactory(name="Basisschool De Linde", type=OrganisationType.ONDERWIJS)
    teacher = make_user(Role.PROFESSIONAL, school, username="juf")
    dossier = make_dossier(teacher)
    traject = traject_services.traject_start(actor=actor_of(teacher), dossier=dossier)
    response = client_for(teacher).get(traject_url(traject))
    assert response.status_code == 200
    assert Entry.objects.count() == 0


# --- speed: paging and the cached timeline -----------------------------------------------------


def test_organisation_overview_is_paged(
    client_for: ClientFor, officer: User, professional: User, actor_of: ActorOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    from keten.meldcode.trajecten import views

    monkeypatch.setattr(views, "OVERVIEW_PAGE_SIZE", 2)
    actor = actor_of(professional)
    references = {
        traject_services.traject_start(actor=actor, dossier=make_dossier(professional)).reference for _ in range(3)
    }
    client = client_for(officer)
    first = client.get("/meldcode/organisatie/").content.decode()
    second = client.get("/meldcode/organisatie/", {"pagina": "2"}).content.decode()
    assert "3 open trajecten" in first
    assert "3 open trajecten" in second
    assert "Pagina 1 van 2" in first
    assert 'rel="next" href="/meldcode/organisatie/?pagina=2"' in first
    assert 'rel="prev" href="/meldcode/organisatie/"' in second
    assert "Pagina 2 van 2" in second
    assert sum(ref in first for ref in references) == 2
    assert sum(ref in second for ref in references) == 1


def test_organisation_overview_sorts_filters_and_says_what_is_wrong(
    client_for: ClientFor, officer: User, professional: User, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    made = [traject_services.traject_start(actor=actor, dossier=make_dossier(professional)) for _ in range(3)]
    now = timezone.now()
    for age, t in enumerate(made):
        Traject.objects.filter(pk=t.pk).update(last_activity_at=now - timedelta(days=age))
    Traject.objects.filter(pk=made[0].pk).update(current_step=2)
    client = client_for(officer)

    def order(html: str) -> list[str]:
        shown = [t.reference for t in made if t.reference in html]
        return sorted(shown, key=html.index)

    default = client.get("/meldcode/organisatie/").content.decode()
    assert order(default) == [made[2].reference, made[1].reference, made[0].reference]  # longest still first
    assert 'aria-sort="ascending"' in default
    assert "3 resultaten" in default
    newest = client.get("/meldcode/organisatie/", {"sorteer": "-activiteit"}).content.decode()
    assert order(newest) == [made[0].reference, made[1].reference, made[2].reference]
    step2 = client.get("/meldcode/organisatie/", {"stap": "2"}).content.decode()
    assert order(step2) == [made[0].reference]
    assert "1 resultaat" in step2
    assert "3 open trajecten" in step2  # the headline counts all open trajecten
    bad = client.get("/meldcode/organisatie/", {"stap": "9", "status": "afgesloten", "sorteer": "child__bsn"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "er is niet gefilterd op stap" in html
    assert "er is niet gefilterd op status" in html
    assert len(order(html)) == 3
    none = client.get("/meldcode/organisatie/", {"status": "gemeld"}).content.decode()
    assert "Niets gevonden met deze filters." in none
    assert 'href="/meldcode/organisatie/">Filter wissen' in none


def test_organisation_overview_empty_state(client_for: ClientFor, officer: User) -> None:
    html = client_for(officer).get("/meldcode/organisatie/").content.decode()
    assert "Uw organisatie heeft geen open meldcode-trajecten." in html
    assert "0 resultaten" in html


def test_organisation_overview_shows_only_the_own_organisation(
    client_for: ClientFor, officer: User, professional: User, actor_of: ActorOf
) -> None:
    ours = traject_services.traject_start(actor=actor_of(professional), dossier=make_dossier(professional))
    elsewhere = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Elders"), username="elders")
    theirs = traject_services.traject_start(actor=actor_of(elsewhere), dossier=make_dossier(elsewhere))
    html = client_for(officer).get("/meldcode/organisatie/", {"sorteer": "kenmerk"}).content.decode()
    assert ours.reference in html
    assert theirs.reference not in html
    assert "1 resultaat" in html


def test_timeline_shows_every_new_entry_and_correction(
    client_for: ClientFor, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    client = client_for(professional)
    actor = actor_of(professional)
    fill_observations(traject, actor, 2)
    html = client.get(traject_url(traject)).content.decode()
    assert "Observatie nummer 1" in html
    assert "Observatie nummer 2" not in html
    assert client.get(traject_url(traject)).content.decode().count("Observatie nummer") == 2  # from the cache
    fill_observations(traject, actor, 3)
    html = client.get(traject_url(traject)).content.decode()
    assert "Observatie nummer 2" in html
    assert html.count("Observatie nummer") == 5
    # The timeline is markup, not escaped text.
    assert '<ol class="keten-timeline">' in html


@pytest.mark.django_db(transaction=True)  # outside a transaction, as a request reads them
def test_page_entries_are_kept_per_traject_version(
    client_for: ClientFor, traject: Traject, professional: User, actor_of: ActorOf
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill_observations(traject, actor_of(professional), 2)
    traject.refresh_from_db()
    first = record_selectors.page_entries(traject)
    with CaptureQueriesContext(connection) as again:
        second = record_selectors.page_entries(traject)
    assert not [q for q in again.captured_queries if "meldcode_entry" in q["sql"]]
    assert [e.pk for e in second] == [e.pk for e in first]
    assert second[0] is not first[0]  # every reader gets its own copies
    fill_observations(traject, actor_of(professional), 1)
    traject.refresh_from_db()
    assert len(record_selectors.page_entries(traject)) == len(first) + 1
    # The page shows what was just recorded, read twice (the second time from the store).
    client = client_for(professional)
    for _ in range(2):
        assert client.get(traject_url(traject)).content.decode().count("Observatie nummer") == 3
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        record_selectors.page_entries(traject)
    assert [q for q in inside.captured_queries if "meldcode_entry" in q["sql"]]  # never kept inside one
