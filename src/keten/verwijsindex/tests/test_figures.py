"""Verwijsindex figures for the municipality: small cells and their complements hidden."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from keten.accounts.models import Organisation, OrganisationType, Role, User, Wijk
from keten.core.actor import Actor
from keten.testing.factories import OrganisationFactory, WijkFactory, make_user
from keten.verwijsindex import selectors
from keten.verwijsindex.models import Signal, Youth

pytestmark = pytest.mark.django_db

ActorOf = Callable[[User], Actor]


def _signals(organisation: Organisation, wijk: Wijk | None, n: int) -> None:
    professional = make_user(Role.PROFESSIONAL, organisation)
    today = date(2026, 11, 1)
    for i in range(n):
        youth = Youth.objects.create(
            name_birth_key=f"k-{organisation.pk}-{i}",
            display_name="Jongere",
            date_of_birth=date(2014, 1, 1),
            destroy_on=date(2037, 1, 1),
        )
        Signal.objects.create(
            youth=youth,
            municipality=organisation.municipality,
            organisation=organisation,
            professional=professional,
            wijk=wijk,
            registered_on=today,
            active_until=today + timedelta(days=365),
        )


def test_signal_counts_hide_the_complement_of_a_small_cell(organisation: Organisation, actor_of: ActorOf) -> None:
    noord = WijkFactory(municipality=organisation.municipality, name="Noord")
    zuid = WijkFactory(municipality=organisation.municipality, name="Zuid")
    jgz = OrganisationFactory(name="JGZ", type=OrganisationType.JGZ, municipality=organisation.municipality)
    school = OrganisationFactory(name="School", type=OrganisationType.ONDERWIJS, municipality=organisation.municipality)
    _signals(jgz, noord, 6)
    _signals(school, zuid, 2)
    figures = selectors.aggregates(actor=actor_of(make_user(Role.BELEIDSMEDEWERKER, organisation)))
    assert figures["total_signals"] == 8
    # 8 - 6 would give the school's 2 away: both are hidden.
    assert {row["type"]: row["n"] for row in figures["signals_by_type"]} == {"jgz": None, "onderwijs": None}
    assert {row["wijk"]: row["n"] for row in figures["signals_by_wijk"]} == {"Noord": None, "Zuid": None}
