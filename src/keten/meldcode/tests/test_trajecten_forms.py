"""The forms of the traject page over HTTP: post/redirect/get, or 422 with the Dutch message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import Role, User
from keten.meldcode.afwegingskader import services as weging_services
from keten.meldcode.models import ChecklistKind, Consultation, EntryKind, Status, Traject
from keten.meldcode.tests.page_helpers import (
    MOTIVATION,
    ActorOf,
    ClientFor,
    fill_observations,
    iso_day,
    signal_code,
    traject_url,
    walk_afwegingen,
)
from keten.meldcode.trajecten import services as traject_services
from keten.testing.factories import make_dossier, make_user

pytestmark = pytest.mark.django_db


# --- recording: success is post/redirect/get ------------------------------------------------------


def test_signals_from_two_checklists_are_recorded_and_shown(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    kind = traject.checklists.get(kind=ChecklistKind.KINDSIGNALEN)
    parent = traject.checklists.get(kind=ChecklistKind.OUDERSIGNALEN)
    client = client_for(professional)
    response = client.post(
        traject_url(traject, "signalen"),
        {
            "codes": [f"{kind.pk}:{kind.items[0]['code']}", f"{parent.pk}:{parent.items[0]['code']}"],
            "observed_on": iso_day(1),
            "source_kind": "anders",
            "source_other": "de gymdocent",
            "facts": "Blauwe plekken op beide bovenarmen.",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == traject_url(traject) + "?stap=1"
    entries = list(traject.entries.filter(kind=EntryKind.SIGNAAL))
    assert len(entries) == 2
    assert {e.data["source"] for e in entries} == {"de gymdocent"}
    page = client.get(response["Location"]).content.decode()
    assert "De signalen zijn vastgelegd." in page
    assert kind.items[0]["label"] in page


def test_step_navigation_moves_back_and_forth_with_version_check(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    client = client_for(professional)
    response = client.post(traject_url(traject, "stap"), {"step": "3", "version": traject.version})
    assert response.status_code == 302
    traject.refresh_from_db()
    assert traject.current_step == 3
    assert "Gesprek vastleggen" in client.get(traject_url(traject)).content.decode()
    stale = client.post(traject_url(traject, "stap"), {"step": "1", "version": traject.version - 1})
    assert stale.status_code == 409
    assert "Iemand anders heeft dit gegeven intussen gewijzigd" in stale.content.decode()
    traject.refresh_from_db()
    assert traject.current_step == 3
    assert traject.entries.filter(kind=EntryKind.STAP).count() == 1


def test_walk_to_a_melding_with_dutch_labels_and_due_date(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    client = client_for(professional)
    for number in (1, 2):
        response = client.post(
            traject_url(traject, "afweging"),
            {"afw-number": number, "afw-answer": "ja", "afw-motivation": MOTIVATION, "afw-version": traject.version},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        traject.refresh_from_db()
    page = client.get(traject_url(traject)).content.decode()
    assert "Meldnorm 1" in page
    assert "Melden bij Veilig Thuis en hulp bieden" in page
    assert 'value="afsluiten"' not in page  # closing does not fit the answers
    response = client.post(
        traject_url(traject, "besluit"),
        {"besluit-decision": "melden", "besluit-motivation": MOTIVATION, "besluit-version": traject.version},
    )
    assert response.status_code == 302
    response = client.post(
        traject_url(traject, "melding"),
        {
            "melding-reported_on": iso_day(0),
            "melding-vt_region": "Veilig Thuis Lindeveld",
            "melding-shared": "De signalen, het gesprek en de afwegingen.",
            "melding-client_informed": "ja",
        },
    )
    assert response.status_code == 302
    traject.refresh_from_db()
    assert traject.status == Status.GEMELD
    page = client.get(traject_url(traject)).content.decode()
    assert "Melden bij Veilig Thuis" in page
    assert "<strong>melden</strong>" not in page
    assert traject.vt_feedback_due is not None
    assert f"Terugkoppeling uiterlijk {traject.vt_feedback_due:%d-%m-%Y}" in page


def test_overdue_feedback_is_flagged(
    client_for: ClientFor, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    walk_afwegingen(traject, actor, {1: True, 2: True})
    weging_services.decision_record(
        actor=actor, traject=traject, data=weging_services.DecisionData("melden", MOTIVATION)
    )
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(timezone.localdate(), "Regio", "Alle signalen en afwegingen.", True),
    )
    Traject.objects.filter(pk=traject.pk).update(vt_feedback_due=timezone.localdate() - timedelta(days=2))
    page = client_for(professional).get(traject_url(traject)).content.decode()
    assert "De terugkoppeling van Veilig Thuis is te laat" in page


def test_correction_marks_the_entry_and_keeps_it(
    client_for: ClientFor, professional: User, outsider: User, traject: Traject, actor_of: ActorOf
) -> None:
    fill_observations(traject, actor_of(professional), 1)
    entry = traject.entries.get()
    client = client_for(professional)
    url = f"{traject_url(traject)}corrigeren/{entry.pk}/"
    assert f'href="{url}"' in client.get(traject_url(traject)).content.decode()
    form = client.get(url)
    assert form.status_code == 200
    assert "Observatie nummer 0" in form.content.decode()
    bad = client.post(url, {"correction": "kort"})
    assert bad.status_code == 422
    assert "Beschrijf de correctie en de reden" in bad.content.decode()
    assert traject.entries.count() == 1
    ok = client.post(url, {"correction": "Het was dinsdag, niet maandag."})
    assert ok.status_code == 302
    assert ok["Location"] == f"{traject_url(traject)}#entry-{entry.pk}"
    page = client.get(traject_url(traject)).content.decode()
    assert "Gecorrigeerd" in page
    assert "Het was dinsdag, niet maandag." in page
    assert "Observatie nummer 0" in page
    again = client.post(url, {"correction": "Nog een keer corrigeren."})
    assert again.status_code == 422
    assert "al gecorrigeerd" in again.content.decode()
    assert client_for(outsider).get(url).status_code == 404
    # An entry of another traject is not found through this one.
    other = make_dossier(professional)
    foreign = traject_services.traject_start(actor=actor_of(professional), dossier=other)
    fill_observations(foreign, actor_of(professional), 1)
    foreign_entry = foreign.entries.get()
    response = client.post(f"{traject_url(traject)}corrigeren/{foreign_entry.pk}/", {"correction": "x" * 20})
    assert response.status_code == 404


def test_close_with_motivation_then_no_more_forms(client_for: ClientFor, professional: User, traject: Traject) -> None:
    client = client_for(professional)
    bad = client.post(
        traject_url(traject, "afsluiten"), {"afsluiten-motivation": "", "afsluiten-version": traject.version}
    )
    assert bad.status_code == 422
    ok = client.post(
        traject_url(traject, "afsluiten"),
        {"afsluiten-motivation": "De zorg is weggenomen na het gesprek.", "afsluiten-version": traject.version},
    )
    assert ok.status_code == 302
    page = client.get(traject_url(traject)).content.decode()
    assert "Dit traject is afgesloten" in page
    assert 'name="codes"' not in page
    refused = client.post(
        traject_url(traject, "observatie"),
        {"obs-observed_on": iso_day(), "obs-source_kind": "zelf", "obs-facts": "Nieuwe observatie na afsluiten."},
    )
    assert refused.status_code == 422
    assert "Dit traject is afgesloten en kan niet meer worden aangevuld" in refused.content.decode()
    assert not traject.entries.filter(kind=EntryKind.OBSERVATIE).exists()


# --- bad input: 422, the Dutch message next to the field, nothing written ------------------------


def _bad_cases(traject: Traject, officer: User, colleague: User) -> list[tuple[str, dict[str, Any], str]]:
    code = signal_code(traject)
    v = traject.version
    return [
        ("signalen", {"observed_on": iso_day(), "source_kind": "zelf", "facts": "Feit."}, "Kies minstens één signaal"),
        (
            "signalen",
            {"codes": [code], "observed_on": iso_day(-3), "source_kind": "zelf", "facts": "Feit."},
            "Deze datum ligt in de toekomst",
        ),
        (
            "signalen",
            {"codes": [code], "observed_on": iso_day(), "source_kind": "anders", "facts": "Feit."},
            "Vul in wie het heeft waargenomen.",
        ),
        ("observatie", {"obs-observed_on": iso_day(), "obs-source_kind": "zelf"}, "Dit veld is vereist"),
        (
            "kindcheck",
            {"kc-held_on": iso_day(), "kc-moment": "intake", "kc-outcome": "overgedragen", "kc-children_count": "0"},
            "Vul in aan wie de zorg is overgedragen.",
        ),
        (
            "kindcheck",
            {
                "kc-held_on": iso_day(),
                "kc-moment": "intake",
                "kc-outcome": "positief",
                "kc-children_count": "1",
                "kc-children_ages": "drie",
            },
            "Vul de leeftijden in als hele getallen",
        ),
        (
            "consultatie",
            {
                "cons-kind": "aandachtsfunctionaris",
                "cons-to_user": colleague.pk,
                "cons-question": "Wat vindt u van deze signalen?",
                "cons-anonymous": "ja",
            },
            "Deze persoon is geen aandachtsfunctionaris van uw organisatie",
        ),
        (
            "consultatie",
            {"cons-kind": "collega", "cons-to_user": officer.pk, "cons-question": "kort", "cons-anonymous": "ja"},
            "Beschrijf uw vraag in minstens 10 tekens.",
        ),
        (
            "advies-veilig-thuis",
            {"vt-asked_on": iso_day(), "vt-outcome": "melden", "vt-advice": "kort"},
            "Beschrijf het advies van Veilig Thuis",
        ),
        (
            "deskundige",
            {"exp-consulted_on": iso_day(), "exp-expertise": "Letselduiding", "exp-expert": "", "exp-advice": "x" * 20},
            "Dit veld is vereist",
        ),
        (
            "gesprek",
            {"gesprek-held_on": iso_day(), "gesprek-summary": "Besproken.", "gesprek-reaction": "Boos."},
            "Dit veld is vereist",
        ),
        (
            "geen-gesprek",
            {"geengesprek-reason": "veiligheid_kind", "geengesprek-motivation": "kort"},
            "Motiveer waarom het gesprek niet plaatsvindt",
        ),
        (
            "afweging",
            {"afw-number": "2", "afw-answer": "ja", "afw-motivation": MOTIVATION, "afw-version": v},
            "Beantwoord eerst afweging 1",
        ),
        (
            "afweging",
            {"afw-number": "1", "afw-answer": "ja", "afw-motivation": "", "afw-version": v},
            "Dit veld is vereist",
        ),
        (
            "besluit",
            {"besluit-decision": "melden", "besluit-motivation": "", "besluit-version": v},
            "Dit veld is vereist",
        ),
        (
            "melding",
            {
                "melding-reported_on": iso_day(),
                "melding-vt_region": "",
                "melding-shared": "",
                "melding-client_informed": "ja",
            },
            "Dit veld is vereist",
        ),
        (
            "terugkoppeling",
            {"tk-received_on": iso_day(), "tk-outcome": "onderzoek", "tk-feedback": "Veilig Thuis doet onderzoek."},
            "Er is in dit traject nog geen melding vastgelegd.",
        ),
        ("stap", {"step": "9", "version": v}, "Selecteer een geldige keuze"),
    ]


def test_every_form_refuses_bad_input_with_422_and_writes_nothing(
    client_for: ClientFor, professional: User, officer: User, organisation: Any, traject: Traject
) -> None:
    colleague = make_user(Role.PROFESSIONAL, organisation, username="collega")
    client = client_for(professional)
    version = traject.version
    for action, data, message in _bad_cases(traject, officer, colleague):
        response = client.post(traject_url(traject, action), data)
        assert response.status_code == 422, (action, data, response.status_code)
        html = response.content.decode()
        assert message in html, (action, message)
        assert "utrecht-form-field-error-message" in html or 'role="alert"' in html
    assert traject.entries.count() == 0
    assert not Consultation.objects.exists()
    traject.refresh_from_db()
    assert traject.version == version


def test_decision_that_does_not_fit_the_tree_is_refused(
    client_for: ClientFor, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    walk_afwegingen(traject, actor_of(professional), {1: False})
    traject.refresh_from_db()
    response = client_for(professional).post(
        traject_url(traject, "besluit"),
        {"besluit-decision": "hulp", "besluit-motivation": MOTIVATION, "besluit-version": traject.version},
    )
    assert response.status_code == 422
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not traject.entries.filter(kind=EntryKind.BESLUIT).exists()


def test_melding_needs_a_reason_when_clients_were_not_informed(
    client_for: ClientFor, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    actor = actor_of(professional)
    walk_afwegingen(traject, actor, {1: True, 2: True})
    weging_services.decision_record(
        actor=actor, traject=traject, data=weging_services.DecisionData("melden", MOTIVATION)
    )
    response = client_for(professional).post(
        traject_url(traject, "melding"),
        {
            "melding-reported_on": iso_day(),
            "melding-vt_region": "Regio",
            "melding-shared": "De signalen en het gesprek.",
            "melding-client_informed": "nee",
        },
    )
    assert response.status_code == 422
    assert "Leg uit waarom de betrokkenen vooraf niet zijn ingelicht" in response.content.decode()
    assert not traject.entries.filter(kind=EntryKind.MELDING).exists()


def test_stale_version_on_afweging_is_a_conflict(client_for: ClientFor, professional: User, traject: Traject) -> None:
    response = client_for(professional).post(
        traject_url(traject, "afweging"),
        {"afw-number": "1", "afw-answer": "ja", "afw-motivation": MOTIVATION, "afw-version": traject.version + 5},
    )
    assert response.status_code == 409
    assert not traject.entries.exists()


def test_an_earlier_afweging_can_be_answered_again(
    client_for: ClientFor, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    walk_afwegingen(traject, actor_of(professional), {1: True, 2: False, 3: True})
    traject.refresh_from_db()
    client = client_for(professional)
    page = client.get(traject_url(traject) + "?stap=5").content.decode()
    assert "Opnieuw beantwoorden" in page
    assert "Afweging 4: Aanvaarden van hulp" in page
    count = traject.entries.count()
    bad = client.post(
        traject_url(traject, "afweging-opnieuw"),
        {
            "afweging": "2",
            "afw2-number": "2",
            "afw2-answer": "ja",
            "afw2-motivation": "",
            "afw2-version": traject.version,
        },
    )
    assert bad.status_code == 422
    assert "Dit veld is vereist" in bad.content.decode()
    assert traject.entries.count() == count
    ok = client.post(
        traject_url(traject, "afweging-opnieuw"),
        {
            "afweging": "2",
            "afw2-number": "2",
            "afw2-answer": "ja",
            "afw2-motivation": "Bij nader inzien is er structurele onveiligheid.",
            "afw2-version": traject.version,
        },
    )
    assert ok.status_code == 302
    page = client.get(traject_url(traject) + "?stap=5").content.decode()
    assert "Meldnorm 1" in page
    # Afweging 3 was answered on the old path: it is asked again, now together with Veilig Thuis.
    assert "Afweging 3: Zelf hulp bieden of organiseren" in page
    assert traject.entries.filter(kind=EntryKind.AFWEGING).count() == 4


def test_signals_for_other_ages_than_the_childs_are_folded(
    client_for: ClientFor, professional: User, traject: Traject
) -> None:
    from keten.dossiers.models import Person

    Person.objects.filter(pk=traject.child_id).update(date_of_birth=timezone.localdate() - timedelta(days=365 * 6 + 30))
    html = client_for(professional).get(traject_url(traject)).content.decode()
    fitting, _sep, others = html.partition("Signalen bij andere leeftijden")
    assert others
    assert "(4 tot 12 jaar)" in fitting.split("Signalen vastleggen", 1)[-1]
    assert "(0 tot 4 jaar)" in others
    assert "(0 tot 4 jaar)" not in fitting.split("Signalen vastleggen", 1)[-1]


def test_other_forms_record_and_redirect(
    client_for: ClientFor, professional: User, traject: Traject, actor_of: ActorOf
) -> None:
    client = client_for(professional)
    posts = [
        (
            "kindcheck",
            {
                "kc-held_on": iso_day(1),
                "kc-moment": "intake",
                "kc-problems": ["verslaving", "financieel"],
                "kc-lives_with_minors": "on",
                "kc-children_count": "2",
                "kc-children_ages": "3, 7",
                "kc-outcome": "positief",
            },
            EntryKind.KINDCHECK,
        ),
        (
            "advies-veilig-thuis",
            {
                "vt-asked_on": iso_day(1),
                "vt-anonymous": "on",
                "vt-outcome": "verder_signaleren",
                "vt-advice": "Blijf goed kijken.",
            },
            EntryKind.ADVIES_VEILIG_THUIS,
        ),
        (
            "deskundige",
            {
                "exp-consulted_on": iso_day(1),
                "exp-expertise": "Letselduiding",
                "exp-expert": "Forensisch arts GGD",
                "exp-advice": "Het letsel past niet bij de uitleg.",
            },
            EntryKind.DESKUNDIGE,
        ),
        (
            "geen-gesprek",
            {"geengesprek-reason": "veiligheid_kind", "geengesprek-motivation": "Vader dreigde met geweld bij vragen."},
            EntryKind.GEEN_GESPREK,
        ),
    ]
    for action, data, kind in posts:
        response = client.post(traject_url(traject, action), data)
        assert response.status_code == 302, (action, response.content.decode()[:500])
        assert traject.entries.filter(kind=kind).count() == 1
    page = client.get(traject_url(traject)).content.decode()
    assert "Verslaving of problematisch middelengebruik" in page
    assert "Verder signaleren en opnieuw overleggen" in page
    assert "De veiligheid van het kind komt in gevaar" in page
    actor = actor_of(professional)
    walk_afwegingen(traject, actor, {1: True, 2: True})
    weging_services.decision_record(
        actor=actor, traject=traject, data=weging_services.DecisionData("melden", MOTIVATION)
    )
    weging_services.melding_record(
        actor=actor,
        traject=traject,
        data=weging_services.MeldingData(timezone.localdate(), "Regio", "Alle signalen en afwegingen.", True),
    )
    response = client.post(
        traject_url(traject, "terugkoppeling"),
        {"tk-received_on": iso_day(), "tk-outcome": "einde", "tk-feedback": "Veilig Thuis sluit af.", "tk-close": "on"},
    )
    assert response.status_code == 302
    traject.refresh_from_db()
    assert traject.status == Status.AFGESLOTEN
    assert traject.vt_feedback_on == timezone.localdate()
