"""The forgiving search of the sociale kaart: accents, case, partial words, names, roles, wijken, stems."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keten.accounts.models import Organisation, OrganisationType, Role, User, Wijk
from keten.core.actor import Actor
from keten.network.kaart import selectors
from keten.network.kaart.search_text import reindex_entries, search_text_for, search_words
from keten.network.models import OrganisationEntry
from keten.testing.factories import OrganisationFactory, make_user

ActorOf = Callable[[User], Actor]

ON_POSTGRESQL = connection.vendor == "postgresql"


def _names(result: selectors.SearchResult) -> list[str]:
    return [o.name for o in result.organisations]


def _search(actor: Actor, query: str = "", **filters: Any) -> list[str]:
    return _names(selectors.sociale_kaart_search(actor=actor, query=query, **filters))


def _entry(organisation: Organisation, **values: Any) -> OrganisationEntry:
    entry = OrganisationEntry.objects.get(organisation=organisation)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.search_text = search_text_for(organisation, entry)
    entry.save()
    return entry


@pytest.fixture
def actor(actor_of: ActorOf, school_prof: User) -> Actor:
    return actor_of(school_prof)


@pytest.fixture
def opvang(municipality: Any, wijk_zuid: Wijk) -> Organisation:
    organisation = OrganisationFactory(
        name="Kinderdagverblijf Het Bolderkarretje", type=OrganisationType.KINDEROPVANG, municipality=municipality
    )
    organisation.wijken.add(wijk_zuid)
    _entry(organisation, expertise=["kinderopvang", "peuteropvang"], description="Opvang voor een kind tot 4 jaar.")
    return organisation


def test_search_words_fold_case_accents_and_punctuation() -> None:
    assert search_words("Zoë's  JEUGD-GGZ, Café") == ["zoe", "s", "jeugd", "ggz", "cafe"]


@pytest.mark.parametrize("query", ["zoe", "Zoë", "ZOË", "zoë", "  ZoE  ", "basisschool zoe", "De Zoë"])
def test_accents_and_case_do_not_matter(actor: Actor, school: Organisation, jgz: Organisation, query: str) -> None:
    assert _search(actor, query) == [school.name]


@pytest.mark.parametrize("query", ["consultatieb", "zuigel", "JEUGDGEZ", "opvoedst", "jgz", "jeugdarts"])
def test_partial_words_and_kind_codes(actor: Actor, school: Organisation, jgz: Organisation, query: str) -> None:
    assert _search(actor, query) == [jgz.name]


def test_every_word_must_match(actor: Actor, school: Organisation, jgz: Organisation) -> None:
    assert _search(actor, "jeugdgezondheidszorg zuigelingen") == [jgz.name]
    assert _search(actor, "zuigelingen basisschool") == []
    assert _search(actor, "consultatiebureau onbekendwoord") == []


def test_stopwords_are_ignored_unless_nothing_else_is_left(
    actor: Actor, school: Organisation, jgz: Organisation
) -> None:
    assert _search(actor, "de basisschool in de wijk") == [school.name]
    # A query of only stopwords still searches: "de" is part of "Basisschool De Zoë".
    assert school.name in _search(actor, "de")


def test_names_of_aandachtsfunctionarissen_are_found(
    actor: Actor, school: Organisation, jgz: Organisation, jgz_officer: User
) -> None:
    # The officer was added after the entry was indexed: the live name match finds her anyway.
    assert _search(actor, "Anouk") == [jgz.name]
    assert _search(actor, "smit zuigelingen") == [jgz.name]
    assert _search(actor, "anouk smit") == [jgz.name]


def test_accented_officer_names_are_found_after_reindexing(
    actor: Actor, school: Organisation, jgz: Organisation
) -> None:
    make_user(Role.AANDACHTSFUNCTIONARIS, school, username="af-school", first_name="Zoë", last_name="Çelik")
    make_user(Role.PROFESSIONAL, jgz, username="prof-jgz", first_name="Geen", last_name="Aandachtsfunctionaris")
    assert _search(actor, "Çelik") == [school.name]  # typed with the accent: the live match finds it
    out = StringIO()
    call_command("network_reindex", stdout=out)
    assert "entries indexed" in out.getvalue()
    assert "zoe celik" in OrganisationEntry.objects.get(organisation=school).search_text
    assert _search(actor, "celik") == [school.name]  # typed without: found through the search text
    # Only aandachtsfunctionarissen are on the sociale kaart, so other professionals are not searched.
    assert "geen" not in OrganisationEntry.objects.get(organisation=jgz).search_text
    assert _search(actor, "Geen") == []


def test_inactive_officers_are_not_found(actor: Actor, jgz: Organisation, jgz_officer: User) -> None:
    jgz_officer.is_active = False
    jgz_officer.save()
    reindex_entries()
    assert _search(actor, "anouk") == []


def test_role_and_wijk_words(
    actor: Actor, school: Organisation, jgz: Organisation, jgz_officer: User, gemeente: Organisation
) -> None:
    """'aandachtsfunctionaris in wijk Noord': organisations with one, working in Noord (or everywhere)."""
    city_wide = OrganisationFactory(
        name="Veilig Thuis Regio", type=OrganisationType.VEILIG_THUIS, municipality=jgz.municipality
    )
    make_user(Role.AANDACHTSFUNCTIONARIS, city_wide, username="af-vt")
    make_user(Role.AANDACHTSFUNCTIONARIS, school, username="af-school")  # school works in Zuid
    found = _search(actor, "aandachtsfunctionaris in wijk Noord")
    assert found == sorted([jgz.name, city_wide.name])
    assert _search(actor, "aandachtsfunctionarissen zuid") == sorted([school.name, city_wide.name])
    assert _search(actor, "aandachtsfunct") == sorted([jgz.name, school.name, city_wide.name])
    # The gemeente has no aandachtsfunctionaris.
    assert gemeente.name not in _search(actor, "aandachtsfunctionaris")


def test_postcode_gives_the_wijk(actor: Actor, school: Organisation, jgz: Organisation, gemeente: Organisation) -> None:
    result = selectors.sociale_kaart_search(actor=actor, postcode="3511 AB")
    assert result.wijk is not None
    assert result.wijk.name == "Noord"
    assert _names(result) == sorted([jgz.name, gemeente.name])  # the gemeente works in every wijk
    assert _search(actor, postcode="3525") == sorted([school.name, gemeente.name])


def test_jgz_for_a_toddler_in_a_postcode(
    actor: Actor, municipality: Any, wijk_noord: Wijk, wijk_zuid: Wijk, jgz: Organisation, school: Organisation
) -> None:
    """'JGZ voor 0–4 in postcode 3512': kind, age and postcode together."""
    jgz_zuid = OrganisationFactory(name="JGZ Zuid", type=OrganisationType.JGZ, municipality=municipality)
    jgz_zuid.wijken.add(wijk_zuid)
    _entry(jgz_zuid, age_min=0, age_max=18)
    jgz_teens = OrganisationFactory(name="JGZ Tieners Noord", type=OrganisationType.JGZ, municipality=municipality)
    jgz_teens.wijken.add(wijk_noord)
    _entry(jgz_teens, age_min=12, age_max=18)
    filters = {"org_type": OrganisationType.JGZ, "age": 2, "postcode": "3512"}
    assert _search(actor, **filters) == [jgz.name]
    assert _search(actor, "jgz", postcode="3512", age=2) == [jgz.name]
    assert _search(actor, **{**filters, "age": 14}) == sorted([jgz.name, jgz_teens.name])
    assert _search(actor, **{**filters, "postcode": "3530"}) == [jgz_zuid.name]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="Dutch stemming needs PostgreSQL full-text search")
def test_dutch_stems_on_postgresql(actor: Actor, opvang: Organisation, jgz: Organisation, school: Organisation) -> None:
    # "kinderen" shares no prefix with "kind"; the Dutch configuration and the plural rule find it.
    assert opvang.name in _search(actor, "kinderen")
    assert _search(actor, "kinderen peuters") == [opvang.name]  # "peuters" -> 'peuter':* finds "peuteropvang"
    assert _search(actor, "kinderen zuigelingen") == []
    # Stems of inflected words: "jeugdartsen" finds "jeugdarts".
    assert _search(actor, "jeugdartsen") == [jgz.name]
    _entry(jgz, description="Voor ouders van jonge kinderen")
    assert jgz.name in _search(actor, "kind")
    assert jgz.name in _search(actor, "kinderen")


@pytest.mark.skipif(ON_POSTGRESQL, reason="on PostgreSQL the stemmer also matches")
def test_without_stemming_on_sqlite(actor: Actor, opvang: Organisation) -> None:
    assert _search(actor, "kinderopv") == [opvang.name]
    assert _search(actor, "kinderen") == []


def test_number_of_queries_is_fixed(
    actor: Actor, municipality: Any, wijk_noord: Wijk, jgz: Organisation, school: Organisation, jgz_officer: User
) -> None:
    def count(query: str, **filters: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.sociale_kaart_search(actor=actor, query=query, **filters)
        return len(ctx.captured_queries)

    one = count("jeugd")
    assert count("aandachtsfunctionaris in wijk noord jeugd anouk zuigelingen") == one
    for i in range(5):
        extra = OrganisationFactory(name=f"Jeugdhulp {i}", type=OrganisationType.JEUGDHULP, municipality=municipality)
        extra.wijken.add(wijk_noord)
        make_user(Role.AANDACHTSFUNCTIONARIS, extra, username=f"af-{i}")
    assert count("jeugd") == one
    assert count("jeugd", postcode="3511") == count("", postcode="3511")


def test_network_reindex_creates_missing_entries(school: Organisation) -> None:
    bulk = Organisation.objects.bulk_create(
        [Organisation(name="Zonder vermelding", type=OrganisationType.OVERIG, municipality=school.municipality)]
    )
    assert not OrganisationEntry.objects.filter(organisation=bulk[0]).exists()
    out = StringIO()
    call_command("network_reindex", stdout=out)
    assert "1 missing entries created" in out.getvalue()
    assert "zonder vermelding" in OrganisationEntry.objects.get(organisation=bulk[0]).search_text
