"""Reads of the sociale kaart: forgiving search, postcode to wijk, constant query count."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from keten.accounts.models import Organisation, OrganisationType, Role, User, Wijk
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.network.kaart import selectors
from keten.network.models import Agreement, AgreementType, OrganisationEntry
from keten.testing.factories import OrganisationFactory, make_user

ActorOf = Callable[[User], Actor]


def _names(result: selectors.SearchResult) -> list[str]:
    return [o.name for o in result.organisations]


@pytest.mark.parametrize("postcode", ["3521 AB", "3521AB", "3521", " 3521ab "])
def test_wijk_for_postcode(wijk_zuid: Wijk, postcode: str) -> None:
    assert selectors.wijk_for_postcode(postcode) == wijk_zuid


@pytest.mark.parametrize("postcode", ["0521 AB", "352", "35211", "3521 SA", "3521 SD", "3521 SS", "abcd", "3521 A1"])
def test_wijk_for_postcode_malformed(wijk_zuid: Wijk, postcode: str) -> None:
    with pytest.raises(DomainError) as exc:
        selectors.wijk_for_postcode(postcode)
    assert exc.value.field == "postcode"
    assert "postcode" in exc.value.message


def test_wijk_for_unknown_postcode(wijk_zuid: Wijk) -> None:
    with pytest.raises(DomainError, match="geen van de bekende wijken"):
        selectors.wijk_for_postcode("9999 ZZ")


def test_search_is_forgiving(actor_of: ActorOf, school_prof: User, jgz: Organisation, school: Organisation) -> None:
    actor = actor_of(school_prof)
    assert _names(selectors.sociale_kaart_search(actor=actor, query="jeugdgezondheid")) == [jgz.name]
    assert _names(selectors.sociale_kaart_search(actor=actor, query="JEUGDGEZONDHEID noord")) == [jgz.name]
    assert _names(selectors.sociale_kaart_search(actor=actor, query="opvoed")) == [jgz.name]
    assert _names(selectors.sociale_kaart_search(actor=actor, query="zoe")) == [school.name]
    assert _names(selectors.sociale_kaart_search(actor=actor, query="Zoë")) == [school.name]


def test_search_filters(
    actor_of: ActorOf,
    school_prof: User,
    jgz: Organisation,
    school: Organisation,
    jgz_officer: User,
    foreign_org: Organisation,
) -> None:
    actor = actor_of(school_prof)
    assert _names(selectors.sociale_kaart_search(actor=actor, postcode="3505 XY")) == [jgz.name]
    result = selectors.sociale_kaart_search(actor=actor, postcode="3525")
    assert result.wijk is not None
    assert result.wijk.name == "Zuid"
    assert school.name in _names(result)
    assert jgz.name not in _names(result)
    assert _names(selectors.sociale_kaart_search(actor=actor, org_type=OrganisationType.JGZ)) == [jgz.name]
    assert _names(selectors.sociale_kaart_search(actor=actor, role=Role.AANDACHTSFUNCTIONARIS)) == [jgz.name]
    assert jgz.name not in _names(selectors.sociale_kaart_search(actor=actor, age=20))
    assert foreign_org.name not in _names(selectors.sociale_kaart_search(actor=actor))
    found = selectors.sociale_kaart_search(actor=actor, query="jeugdgezondheid").organisations[0]
    assert [m.user for m in found.officers] == [jgz_officer]  # type: ignore[attr-defined]


def test_search_needs_membership(db: Any) -> None:
    with pytest.raises(NotFoundError):
        selectors.sociale_kaart_search(actor=Actor(user=None, membership=None))


def test_search_query_count_is_constant(
    actor_of: ActorOf,
    school_prof: User,
    jgz: Organisation,
    school: Organisation,
    django_assert_max_num_queries: Any,
) -> None:
    actor = actor_of(school_prof)
    actor.user.active_membership  # noqa: B018 - load the acting membership outside the count
    for n in range(12):
        organisation = OrganisationFactory(name=f"Jeugdhulp {n}", municipality=jgz.municipality)
        make_user(Role.AANDACHTSFUNCTIONARIS, organisation)
        agreement = Agreement.objects.create(
            municipality=jgz.municipality,
            type=AgreementType.VERWIJZEN,
            title=f"Afspraak {n}",
            promise="x",
            start_date=timezone.localdate(),
        )
        agreement.parties.set([organisation, jgz])
    with django_assert_max_num_queries(8):
        result = selectors.sociale_kaart_search(actor=actor, postcode="3505")
        for organisation in result.organisations:
            for agreement in organisation.applicable_agreements:  # type: ignore[attr-defined]
                list(agreement.parties.all())
            list(organisation.officers)  # type: ignore[attr-defined]
    assert len(result.organisations) == 13


def test_stale_entries(actor_of: ActorOf, beleid: User, jgz: Organisation, school: Organisation) -> None:
    actor = actor_of(beleid)
    assert {o.name for o in selectors.stale_entries(actor=actor)} >= {jgz.name, school.name}
    OrganisationEntry.objects.filter(organisation=jgz).update(last_confirmed_at=timezone.now() - timedelta(days=10))
    assert jgz.name not in {o.name for o in selectors.stale_entries(actor=actor)}
    assert jgz.name in {o.name for o in selectors.stale_entries(actor=actor, months=0)}


def test_agreements_per_party_and_wijk(
    actor_of: ActorOf,
    beleid: User,
    jgz: Organisation,
    school: Organisation,
    gemeente: Organisation,
    wijk_noord: Wijk,
    wijk_zuid: Wijk,
) -> None:
    today = timezone.localdate()
    a = Agreement.objects.create(
        municipality=jgz.municipality, type="escalatie", title="A", promise="x", start_date=today
    )
    a.parties.set([jgz, school])
    a.wijken.set([wijk_noord])
    b = Agreement.objects.create(
        municipality=jgz.municipality, type="escalatie", title="B", promise="x", start_date=today
    )
    b.parties.set([gemeente, school])
    actor = actor_of(beleid)
    assert [x.title for x in selectors.agreements_list(actor=actor, party_id=jgz.pk)] == ["A"]
    assert [x.title for x in selectors.agreements_list(actor=actor, wijk_id=wijk_zuid.pk)] == ["B"]
    assert [x.title for x in selectors.agreements_list(actor=actor, wijk_id=wijk_noord.pk)] == ["A", "B"]


def test_renamed_organisation_is_found_by_its_new_name(
    actor_of: ActorOf, school_prof: User, school: Organisation
) -> None:
    school.name = "Kindcentrum Élan"
    school.save()
    assert _names(selectors.sociale_kaart_search(actor=actor_of(school_prof), query="elan")) == ["Kindcentrum Élan"]


def test_search_pages_and_top_agreements_for_the_wijk(
    actor_of: ActorOf,
    school_prof: User,
    jgz: Organisation,
    wijk_noord: Wijk,
    wijk_zuid: Wijk,
    django_assert_max_num_queries: Any,
) -> None:
    actor = actor_of(school_prof)
    actor.user.active_membership  # noqa: B018 - load the acting membership outside the count
    today = timezone.localdate()
    partner = OrganisationFactory(name="Partner", municipality=jgz.municipality)

    def agreement(title: str, *wijken: Wijk, days_ago: int = 0) -> Agreement:
        made = Agreement.objects.create(
            municipality=jgz.municipality,
            type=AgreementType.VERWIJZEN,
            title=title,
            promise="x",
            start_date=today - timedelta(days=days_ago),
        )
        made.parties.set([jgz, partner])
        made.wijken.set(wijken)
        return made

    agreement("Stadsbreed oud", days_ago=30)
    agreement("Stadsbreed nieuw", days_ago=1)
    agreement("Noord en Zuid", wijk_noord, wijk_zuid, days_ago=10)
    agreement("Alleen Noord", wijk_noord, days_ago=100)
    agreement("Alleen Zuid", wijk_zuid)
    with django_assert_max_num_queries(8):
        result = selectors.sociale_kaart_search(actor=actor, wijk_id=wijk_noord.pk, query="jeugd", top_agreements=3)
    found = result.organisations[0]
    assert found.applicable_count == 4  # type: ignore[attr-defined]
    # Made for this wijk alone first, then for few wijken, then the newest city-wide one.
    assert [a.title for a in found.applicable_agreements] == [  # type: ignore[attr-defined]
        "Alleen Noord",
        "Noord en Zuid",
        "Stadsbreed nieuw",
    ]
    assert [p.name for p in found.applicable_agreements[0].parties.all()] == [jgz.name, "Partner"]  # type: ignore[attr-defined]
    # The organisation page (no top) still lists every active agreement.
    assert len(selectors.organisation_detail(actor=actor, organisation_id=jgz.pk).applicable_agreements) == 5  # type: ignore[attr-defined]

    for n in range(4):
        OrganisationFactory(name=f"Jeugdhulp {n}", municipality=jgz.municipality)
    first = selectors.sociale_kaart_search(actor=actor, query="jeugd", limit=2)
    second = selectors.sociale_kaart_search(actor=actor, query="jeugd", limit=2, offset=2)
    third = selectors.sociale_kaart_search(actor=actor, query="jeugd", limit=2, offset=4)
    assert first.total == second.total == third.total == 5
    assert _names(first) + _names(second) + _names(third) == sorted(
        ["Jeugdgezondheidszorg Noord", *(f"Jeugdhulp {n}" for n in range(4))]
    )
