"""The active signals on the verwijsindex page: the shared filter bar, sortable columns, counts and
paging; only the actor's own signals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.testing.factories import TEST_BSNS
from keten.verwijsindex import services
from keten.verwijsindex.models import Signal, SignalRecord

ClientFor = Callable[[User], Client]
ActorOf = Callable[[User], Actor]
Reg = Callable[..., services.Registration]

pytestmark = pytest.mark.django_db

NAMES = ("Anna", "Bram", "Cas")


@pytest.fixture
def three(jgz_nurse: User, actor_of: ActorOf, registration: Reg) -> list[Signal]:
    """Three active signals of the nurse: registered on different days, ending at different days."""
    today = timezone.localdate()
    made = []
    for n, name in enumerate(NAMES):
        result = services.signal_register(
            actor=actor_of(jgz_nurse), data=registration(bsn=TEST_BSNS[n], first_name=name)
        )
        Signal.objects.filter(pk=result.signal.pk).update(
            registered_on=today - timedelta(days=10 * n), active_until=today + timedelta(days=[200, 20, 60][n])
        )
        made.append(result.signal)
    return made


def _order(html: str) -> list[str]:
    shown = [name for name in NAMES if f">{name} " in html]
    return sorted(shown, key=lambda name: html.index(f">{name} "))


def test_newest_first_with_counts_and_sorting(client_for: ClientFor, jgz_nurse: User, three: list[Signal]) -> None:
    client = client_for(jgz_nurse)
    html = client.get("/verwijsindex/").content.decode()
    assert _order(html) == ["Anna", "Bram", "Cas"]
    assert "3 resultaten" in html
    assert 'aria-sort="descending"' in html
    by_end = client.get("/verwijsindex/", {"sorteer": "tot"}).content.decode()
    assert _order(by_end) == ["Bram", "Cas", "Anna"]
    assert 'aria-sort="ascending"' in by_end


def test_filters_narrow_and_bad_values_are_explained(
    client_for: ClientFor, jgz_nurse: User, three: list[Signal]
) -> None:
    client = client_for(jgz_nurse)
    soon = client.get("/verwijsindex/", {"loopt-af": "30"}).content.decode()
    assert _order(soon) == ["Bram"]
    assert "1 resultaat" in soon
    SignalRecord.objects.filter(signal=three[2]).update(notice_postponed=True)
    postponed = client.get("/verwijsindex/", {"informeren": "uitgesteld"}).content.decode()
    assert _order(postponed) == ["Cas"]
    bad = client.get("/verwijsindex/", {"loopt-af": "365", "sorteer": "youth__display_name", "pagina": "x"})
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "Kies een van de mogelijkheden; er is niet gefilterd op loopt af." in html
    assert _order(html) == ["Anna", "Bram", "Cas"]


def test_paging_clamps_to_the_last_page(
    client_for: ClientFor, jgz_nurse: User, three: list[Signal], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from keten.verwijsindex import selectors

    monkeypatch.setattr(selectors, "MY_SIGNALS", replace(selectors.MY_SIGNALS, page_size=2))
    client = client_for(jgz_nurse)
    first = client.get("/verwijsindex/").content.decode()
    assert _order(first) == ["Anna", "Bram"]
    assert "Pagina 1 van 2" in first
    assert 'href="/verwijsindex/?pagina=2"' in first
    last = client.get("/verwijsindex/", {"pagina": "7"}).content.decode()
    assert _order(last) == ["Cas"]
    assert "Pagina 2 van 2" in last


def test_empty_state_and_scope(client_for: ClientFor, teacher: User, three: list[Signal]) -> None:
    html = client_for(teacher).get("/verwijsindex/", {"sorteer": "organisatie"}).content.decode()
    assert _order(html) == []
    assert "U heeft geen actieve signalen. Bent u betrokken bij een jongere, geef dan een signaal af" in html
    assert html.count('href="/verwijsindex/nieuw/"') == 1  # the page's own button, not a second one
    assert "0 resultaten" in html


def test_queries_do_not_grow_with_signals(
    client_for: ClientFor, jgz_nurse: User, actor_of: ActorOf, registration: Reg
) -> None:
    client = client_for(jgz_nurse)
    services.signal_register(actor=actor_of(jgz_nurse), data=registration(bsn=TEST_BSNS[0]))
    client.get("/verwijsindex/")
    with CaptureQueriesContext(connection) as few:
        client.get("/verwijsindex/", {"sorteer": "organisatie", "informeren": "niet-uitgesteld"})
    for bsn in TEST_BSNS[1:8]:
        services.signal_register(actor=actor_of(jgz_nurse), data=registration(bsn=bsn))
    client.get("/verwijsindex/")
    with CaptureQueriesContext(connection) as many:
        client.get("/verwijsindex/", {"sorteer": "organisatie", "informeren": "niet-uitgesteld"})
    assert len(many) == len(few)
