"""Verwijsindex pages: registration with criteria and identity proposals, signal, match, regie, cijfers, beheer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from keten.accounts.models import Municipality, OrganisationType, Role, User
from keten.core.actor import Actor
from keten.core.models import AuditEvent
from keten.notifications.models import Notification
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_user
from keten.verwijsindex import services
from keten.verwijsindex.models import (
    IndexSettings,
    Match,
    MatchStatus,
    Regievoerder,
    Signal,
    SignalRecord,
    SignalStatus,
)

ClientFor = Callable[[User], Client]
ActorOf = Callable[[User], Actor]
Reg = Callable[..., services.Registration]

pytestmark = pytest.mark.django_db


def _form(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data: dict[str, Any] = {
        "criteria": ["1"],
        "criteria_confirmed": "on",
        "bsn": "999994669",
        "first_name": "Noor",
        "last_name": "de Vries",
        "date_of_birth": "2014-03-02",
        "risk_categories": ["c", "k"],
        "parents_informed_on": (today - timedelta(days=1)).isoformat(),
        "youth_informed_on": (today - timedelta(days=1)).isoformat(),
        "contact_phone": "010-1234567",
        "contact_email": "prof@example.org",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def elsewhere() -> Municipality:
    return MunicipalityFactory(name="Elders", cbs_code="GM0001")


@pytest.fixture
def stranger(elsewhere: Municipality) -> User:
    """A JGZ nurse of another municipality."""
    org = OrganisationFactory(name="JGZ Elders", type=OrganisationType.JGZ, municipality=elsewhere)
    return make_user(Role.PROFESSIONAL, org, username="elders")


@pytest.fixture
def gemeente_org(jgz_nurse: User) -> Any:
    municipality = jgz_nurse.active_membership.organisation.municipality  # type: ignore[union-attr]
    return OrganisationFactory(name="Gemeente Test", type=OrganisationType.GEMEENTE, municipality=municipality)


@pytest.fixture
def beleid(gemeente_org: Any) -> User:
    return make_user(Role.BELEIDSMEDEWERKER, gemeente_org, username="beleid")


@pytest.fixture
def beheerder(gemeente_org: Any) -> User:
    return make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente_org, username="fb")


@pytest.fixture
def regievoerder(gemeente_org: Any) -> User:
    user = make_user(Role.BELEIDSMEDEWERKER, gemeente_org, username="regie", first_name="Rita", last_name="Regie")
    Regievoerder.objects.create(municipality=gemeente_org.municipality, user=user)
    return user


@pytest.fixture
def match(jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg) -> Match:
    services.signal_register(actor=actor_of(jgz_nurse), data=registration())
    result = services.signal_register(actor=actor_of(teacher), data=registration())
    assert len(result.matches) == 1
    return result.matches[0]


# --- registration ------------------------------------------------------------------------------


def test_form_shows_default_criteria_and_prefilled_contact(client_for: ClientFor, jgz_nurse: User) -> None:
    response = client_for(jgz_nurse).get("/verwijsindex/nieuw/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "redelijk vermoeden" in text
    assert "Ik bevestig dat deze registratie voldoet" in text
    assert "alleen in uw eigen registratie" in text
    assert jgz_nurse.email in text


def test_form_shows_the_municipality_criteria(client_for: ClientFor, jgz_nurse: User) -> None:
    IndexSettings.objects.create(
        municipality=jgz_nurse.active_membership.organisation.municipality,  # type: ignore[union-attr]
        criteria_text="Regionale afspraak: alleen bij meervoudige problemen.",
        criteria_items=[{"code": "x", "label": "Er spelen problemen op twee leefgebieden."}],
        registering_types=[OrganisationType.JGZ],
    )
    text = client_for(jgz_nurse).get("/verwijsindex/nieuw/").content.decode()
    assert "Regionale afspraak" in text
    assert "Er spelen problemen op twee leefgebieden." in text


def test_registering_twice_on_one_child_makes_a_match_both_see(
    client_for: ClientFor, jgz_nurse: User, teacher: User
) -> None:
    nurse = client_for(jgz_nurse)
    response = nurse.post("/verwijsindex/nieuw/", _form())
    signal = Signal.objects.get(professional=jgz_nurse)
    assert response.status_code == 302
    assert response["Location"] == f"/verwijsindex/signalen/{signal.pk}/"
    assert "999994669" not in response["Location"]
    assert SignalRecord.objects.get(signal=signal).risk_categories == ["c", "k"]
    assert signal.contact_phone == "010-1234567"

    response = client_for(teacher).post("/verwijsindex/nieuw/", _form(contact_phone=""), follow=True)
    text = response.content.decode()
    assert "Er zijn andere professionals betrokken" in text
    found = Match.objects.get()
    assert f"/verwijsindex/matches/{found.pk}/" in text
    # The coordinator proposal follows the defaults: JGZ before school (school never coordinates).
    assert found.coordinator_id == signal.pk
    assert AuditEvent.objects.filter(object_type="vi.signal", action="view", actor=teacher).exists()
    nurse.get("/verwijsindex/")
    assert AuditEvent.objects.filter(object_type="vi.overview", actor=jgz_nurse).exists()
    page = nurse.get(f"/verwijsindex/matches/{found.pk}/").content.decode()
    assert teacher.get_full_name() in page
    assert "School Test" in page
    assert "voorgesteld volgens de afspraken van de gemeente" in page
    # Risks are never shown to the other professional.
    assert "Ouders of verzorgers schieten" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bsn": "123456789"}, "elfproef"),
        ({"criteria_confirmed": None}, "Bevestig dat de registratie voldoet"),
        ({"criteria": None}, "Kies minstens één criterium"),
        ({"risk_categories": None}, "Kies minstens één risico"),
        ({"risk_categories": ["z"]}, "geldige keuze"),
        ({"date_of_birth": "1990-01-01"}, "tot 23 jaar"),
        ({"date_of_birth": "morgen"}, "geldige datum"),
        ({"parents_informed_on": None}, "Leg vast wanneer de ouders"),
        ({"parents_informed_on": None, "notice_postponed": "on", "postpone_motivation": "kort"}, "Motiveer"),
        ({"parent_bsn_1": "999994669"}, "gelijk aan dat van de jongere"),
        ({"contact_email": "geen-adres"}, "e-mailadres"),
    ],
)
def test_bad_input_answers_422_in_dutch_and_writes_nothing(
    client_for: ClientFor, jgz_nurse: User, overrides: dict[str, Any], message: str
) -> None:
    response = client_for(jgz_nurse).post("/verwijsindex/nieuw/", _form(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Signal.objects.exists()
    assert not AuditEvent.objects.filter(object_type="vi.signal").exists()


def test_a_second_signal_by_the_same_professional_is_refused(client_for: ClientFor, jgz_nurse: User) -> None:
    client = client_for(jgz_nurse)
    client.post("/verwijsindex/nieuw/", _form())
    response = client.post("/verwijsindex/nieuw/", _form())
    assert response.status_code == 422
    assert "al een actief signaal" in response.content.decode()
    assert Signal.objects.count() == 1


def test_without_bsn_a_proposal_is_confirmed_by_a_person(
    client_for: ClientFor, jgz_nurse: User, teacher: User, wijkteam_worker: User
) -> None:
    client_for(jgz_nurse).post("/verwijsindex/nieuw/", _form(bsn=""))
    school = client_for(teacher)
    response = school.post("/verwijsindex/nieuw/", _form(bsn=""))
    assert response.status_code == 409
    text = response.content.decode()
    assert "Gaat het om dezelfde jongere?" in text
    assert "Dezelfde jongere" in text
    assert "Iemand anders" in text
    assert Signal.objects.count() == 1
    youth_id = Signal.objects.get().youth_id
    # The form data come back in the page (POST body), never in a URL.
    assert 'value="Noor"' in text
    response = school.post("/verwijsindex/nieuw/", _form(bsn="", identity_choice=str(youth_id)))
    assert response.status_code == 302
    assert Match.objects.filter(youth_id=youth_id).exists()
    # Someone else with the same name and birth date: a new young person, no match.
    response = client_for(wijkteam_worker).post("/verwijsindex/nieuw/", _form(bsn="", identity_choice="nieuw"))
    assert response.status_code == 302
    assert Signal.objects.get(professional=wijkteam_worker).youth_id != youth_id
    # A made-up young person number is refused.
    response = client_for(wijkteam_worker).post("/verwijsindex/nieuw/", _form(bsn="", identity_choice="999999"))
    assert response.status_code in (409, 422)


def test_an_organisation_not_designated_gets_a_clear_403(client_for: ClientFor) -> None:
    club = OrganisationFactory(name="SV Test", type=OrganisationType.SPORT)
    trainer = make_user(Role.PROFESSIONAL, club, username="trainer")
    client = client_for(trainer)
    response = client.get("/verwijsindex/nieuw/")
    assert response.status_code == 403
    assert "niet aangewezen" in response.content.decode()
    assert client.post("/verwijsindex/nieuw/", _form()).status_code == 403
    assert not Signal.objects.exists()


# --- who sees what -----------------------------------------------------------------------------


def test_pages_are_404_for_roles_and_people_who_may_not_see_them(
    client_for: ClientFor, match: Match, beleid: User, beheerder: User, stranger: User, wijkteam_worker: User
) -> None:
    signal = Signal.objects.filter(status=SignalStatus.ACTIEF).first()
    assert signal is not None
    for user in (beleid, beheerder):
        client = client_for(user)
        for url in ("/verwijsindex/", "/verwijsindex/nieuw/", f"/verwijsindex/signalen/{signal.pk}/"):
            assert client.get(url).status_code == 404, (user, url)
        assert client.get("/verwijsindex/regie/").status_code == 404
    for user in (stranger, wijkteam_worker):
        client = client_for(user)
        assert client.get(f"/verwijsindex/matches/{match.pk}/").status_code == 404
        assert client.get(f"/verwijsindex/signalen/{signal.pk}/").status_code == 404
        assert client.post(f"/verwijsindex/signalen/{signal.pk}/intrekken/").status_code == 404
        assert client.post(f"/verwijsindex/matches/{match.pk}/contact/").status_code == 404
        assert client.get("/verwijsindex/cijfers/").status_code == 404
        assert client.get("/verwijsindex/beheer/").status_code == 404
    assert Signal.objects.filter(status=SignalStatus.ACTIEF).count() == 2
    assert Match.objects.get().status == MatchStatus.OPEN


# --- signal page -------------------------------------------------------------------------------


def test_withdraw_asks_first_then_archives(client_for: ClientFor, match: Match, jgz_nurse: User) -> None:
    signal = Signal.objects.get(professional=jgz_nurse)
    client = client_for(jgz_nurse)
    response = client.get(f"/verwijsindex/signalen/{signal.pk}/intrekken/")
    assert "Weet u zeker" in response.content.decode()
    signal.refresh_from_db()
    assert signal.status == SignalStatus.ACTIEF
    response = client.post(f"/verwijsindex/signalen/{signal.pk}/intrekken/")
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.GEARCHIVEERD
    match.refresh_from_db()
    assert match.status == MatchStatus.BEEINDIGD


def test_notice_is_recorded_later(client_for: ClientFor, jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> None:
    result = services.signal_register(
        actor=actor_of(jgz_nurse),
        data=registration(
            parents_informed_on=None,
            youth_informed_on=None,
            notice_postponed=True,
            postpone_motivation="Eerst de veiligheid van moeder regelen.",
        ),
    )
    url = f"/verwijsindex/signalen/{result.signal.pk}/"
    client = client_for(jgz_nurse)
    assert "Eerst de veiligheid van moeder regelen." in client.get(url).content.decode()
    response = client.post(url + "informeren/", {})
    assert response.status_code == 422
    assert "Vul minstens één datum in." in response.content.decode()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(url + "informeren/", {"notice-parents_informed_on": future})
    assert response.status_code == 422
    assert "in de toekomst" in response.content.decode()
    record = SignalRecord.objects.get(signal=result.signal)
    assert record.notice_postponed
    assert record.parents_informed_on is None
    today = timezone.localdate().isoformat()
    response = client.post(
        url + "informeren/", {"notice-parents_informed_on": today, "notice-youth_informed_on": today}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert not record.notice_postponed
    assert record.parents_informed_on == timezone.localdate()


def test_history_look_up_needs_a_reason_and_is_audited(
    client_for: ClientFor, jgz_nurse: User, teacher: User, actor_of: ActorOf, registration: Reg
) -> None:
    old = services.signal_register(actor=actor_of(teacher), data=registration())
    services.signal_withdraw(actor=actor_of(teacher), signal_id=old.signal.pk)
    result = services.signal_register(actor=actor_of(jgz_nurse), data=registration())
    assert result.history == 1
    url = f"/verwijsindex/signalen/{result.signal.pk}/"
    client = client_for(jgz_nurse)
    assert "1 eerder signaal" in client.get(url).content.decode()
    response = client.post(url + "geschiedenis/", {"history-reason": "nodig"})
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(object_type="vi.history").exists()
    response = client.post(url + "geschiedenis/", {"history-reason": "Afstemmen met de eerdere school"})
    assert response.status_code == 200
    assert "School Test" in response.content.decode()
    event = AuditEvent.objects.get(object_type="vi.history")
    assert event.reason == "Afstemmen met de eerdere school"


# --- match page --------------------------------------------------------------------------------


def test_match_actions_contact_coordinator_and_invite(
    client_for: ClientFor, match: Match, jgz_nurse: User, teacher: User
) -> None:
    school = client_for(teacher)
    nurse = client_for(jgz_nurse)
    url = f"/verwijsindex/matches/{match.pk}/"
    # The coordinator's page links to registering the case for an overleg; the other's does not.
    register = f'href="/overleg/aanmelden/match/{match.pk}/"'
    assert register in nurse.get(url).content.decode()
    assert register not in school.get(url).content.decode()
    # Only the coordinator invites.
    response = school.post(url + "uitnodigen/", {"proposed_on": timezone.localdate().isoformat()})
    assert response.status_code == 422
    assert "Alleen de coördinator" in response.content.decode()
    response = nurse.post(url + "uitnodigen/", {"proposed_on": "2001-01-01"})
    assert response.status_code == 422
    assert "vanaf vandaag" in response.content.decode()
    response = nurse.post(url + "uitnodigen/", {"proposed_on": "geen datum"})
    assert response.status_code == 422
    assert not Notification.objects.filter(kind="verwijsindex.invite").exists()
    day = timezone.localdate() + timedelta(days=7)
    assert nurse.post(url + "uitnodigen/", {"proposed_on": day.isoformat()}).status_code == 302
    assert Notification.objects.filter(kind="verwijsindex.invite", recipient=teacher).exists()
    # Accept the proposal; a stale version conflicts and changes nothing.
    version = Match.objects.get(pk=match.pk).version
    coordinator = match.coordinator_id
    assert school.post(url + "coordinator/", {"signal": coordinator, "version": version}).status_code == 302
    assert Match.objects.get(pk=match.pk).coordinator_accepted
    response = school.post(url + "coordinator/", {"signal": coordinator, "version": version})
    assert response.status_code == 409
    response = school.post(url + "coordinator/", {"signal": "abc"})
    assert response.status_code == 422
    assert school.post(url + "contact/").status_code == 302
    assert Match.objects.get(pk=match.pk).status == MatchStatus.CONTACT
    assert school.post(url + "onzin/").status_code == 404


# --- municipality pages ------------------------------------------------------------------------


def test_regievoerder_sees_overdue_matches(
    client_for: ClientFor, match: Match, regievoerder: User, beleid: User, jgz_nurse: User
) -> None:
    Match.objects.filter(pk=match.pk).update(contact_due=date(2020, 1, 6))
    response = client_for(regievoerder).get("/verwijsindex/regie/")
    assert response.status_code == 200
    text = response.content.decode()
    assert f"/verwijsindex/matches/{match.pk}/" in text
    assert jgz_nurse.get_full_name() in text
    assert "06-01-2020" in text
    assert client_for(regievoerder).get(f"/verwijsindex/matches/{match.pk}/").status_code == 200
    assert client_for(beleid).get("/verwijsindex/regie/").status_code == 404
    dashboard = client_for(regievoerder).get("/").content.decode()
    assert "/verwijsindex/regie/" in dashboard


def test_figures_for_the_beleidsmedewerker_only(
    client_for: ClientFor, match: Match, beleid: User, jgz_nurse: User
) -> None:
    response = client_for(beleid).get("/verwijsindex/cijfers/")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-chart-source="table-type"' in text
    assert "chart.umd.js" in text
    assert "Jeugdgezondheidszorg" in text or "JGZ" in text
    assert 'x<span class="keten-visually-hidden"> (niet getoond)</span>' in text  # two signals: hidden
    assert jgz_nurse.get_full_name() not in text
    assert AuditEvent.objects.filter(object_type="vi.aggregates").exists()
    assert "/verwijsindex/cijfers/" in client_for(beleid).get("/").content.decode()
    assert client_for(jgz_nurse).get("/verwijsindex/cijfers/").status_code == 404


def _settings_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "s-active_months": "12",
        "s-contact_deadline_workdays": "5",
        "s-criteria_text": "Alleen bij meervoudige problemen.",
        "s-criteria_items": "Problemen op twee leefgebieden\nHulp alleen is niet genoeg",
        "s-registering_types": [OrganisationType.JGZ, OrganisationType.WIJKTEAM],
        "s-coordinator_preference": "Wijkteam\njgz",
        "s-coordinator_excluded": [OrganisationType.ONDERWIJS],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_beheerder_sets_the_rules(client_for: ClientFor, beheerder: User, teacher: User) -> None:
    client = client_for(beheerder)
    assert client.get("/verwijsindex/beheer/").status_code == 200
    for bad, message in (
        ({"s-active_months": "30"}, "1 tot en met 24 maanden"),
        ({"s-coordinator_preference": "Bakker"}, "Onbekende soort organisatie: Bakker"),
        ({"s-registering_types": None}, "Kies minstens één soort organisatie"),
        ({"s-contact_deadline_workdays": "0"}, "1 tot en met 60 werkdagen"),
    ):
        response = client.post("/verwijsindex/beheer/", _settings_form(**bad))
        assert response.status_code == 422, bad
        assert message in response.content.decode()
        assert not IndexSettings.objects.exists()
    assert client.post("/verwijsindex/beheer/", _settings_form()).status_code == 302
    rules = IndexSettings.objects.get()
    assert rules.active_months == 12
    assert rules.contact_deadline_workdays == 5
    assert rules.coordinator_preference == [OrganisationType.WIJKTEAM, OrganisationType.JGZ]
    assert [i["label"] for i in rules.criteria_items] == [
        "Problemen op twee leefgebieden",
        "Hulp alleen is niet genoeg",
    ]
    assert AuditEvent.objects.filter(object_type="vi.settings").exists()
    # The school is no longer designated: its teacher cannot register.
    assert client_for(teacher).get("/verwijsindex/nieuw/").status_code == 403


def test_beheerder_designates_and_removes_regievoerders(
    client_for: ClientFor, beheerder: User, wijkteam_worker: User, stranger: User, elsewhere: Municipality
) -> None:
    client = client_for(beheerder)
    response = client.post("/verwijsindex/beheer/regievoerders/", {"r-username": stranger.username})
    assert response.status_code == 422
    assert "geen actieve medewerker" in response.content.decode()
    assert client.post("/verwijsindex/beheer/regievoerders/", {"r-username": "WT"}).status_code == 302
    designation = Regievoerder.objects.get()
    assert designation.user == wijkteam_worker
    response = client.post("/verwijsindex/beheer/regievoerders/", {"r-username": "wt"})
    assert response.status_code == 422
    assert "al regievoerder" in response.content.decode()
    # A beheerder of another municipality cannot remove it.
    gemeente = OrganisationFactory(name="Gemeente Elders", type=OrganisationType.GEMEENTE, municipality=elsewhere)
    other = make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente, username="fb-elders")
    assert (
        client_for(other).post(f"/verwijsindex/beheer/regievoerders/{designation.pk}/verwijderen/").status_code == 404
    )
    assert client.post(f"/verwijsindex/beheer/regievoerders/{designation.pk}/verwijderen/").status_code == 302
    assert not Regievoerder.objects.exists()
    assert AuditEvent.objects.filter(object_type="vi.regievoerder").count() == 2


def test_beheer_is_404_for_a_beheerder_outside_the_gemeente(client_for: ClientFor, jgz_nurse: User) -> None:
    school_fb = make_user(
        Role.FUNCTIONEEL_BEHEERDER, OrganisationFactory(type=OrganisationType.ONDERWIJS), username="fb-school"
    )
    client = client_for(school_fb)
    assert client.get("/verwijsindex/beheer/").status_code == 404
    assert client.post("/verwijsindex/beheer/", _settings_form()).status_code == 404
    assert client.post("/verwijsindex/beheer/regievoerders/", {"r-username": "jgz"}).status_code == 404
    assert not IndexSettings.objects.exists()
    assert not Regievoerder.objects.exists()


# --- menu and query counts ---------------------------------------------------------------------


def test_menu_counts_open_matches(client_for: ClientFor, match: Match, jgz_nurse: User, beleid: User) -> None:
    text = client_for(jgz_nurse).get("/").content.decode()
    assert "1 match zonder contact" in text
    assert 'href="/verwijsindex/"' not in client_for(beleid).get("/").content.decode()


def test_list_pages_use_a_fixed_number_of_queries(
    client_for: ClientFor,
    jgz_nurse: User,
    regievoerder: User,
    actor_of: ActorOf,
    registration: Reg,
    django_assert_max_num_queries: Any,
) -> None:
    bsns = ["999994669", "999993653", "999995844", "999996848", "999992223", "999990135"]
    for n, bsn in enumerate(bsns):
        services.signal_register(actor=actor_of(jgz_nurse), data=registration(bsn=bsn, first_name=f"Kind{n}"))
        other = make_user(Role.PROFESSIONAL, OrganisationFactory(type=OrganisationType.WIJKTEAM), username=f"wt{n}")
        services.signal_register(actor=actor_of(other), data=registration(bsn=bsn, first_name=f"Kind{n}"))
    assert Match.objects.count() == len(bsns)
    Match.objects.update(contact_due=date(2020, 1, 6))
    nurse = client_for(jgz_nurse)
    regie = client_for(regievoerder)
    with django_assert_max_num_queries(20):
        assert nurse.get("/verwijsindex/").status_code == 200
    with django_assert_max_num_queries(20):
        assert regie.get("/verwijsindex/regie/").status_code == 200
