"""Sociale kaart data of the ``large`` profile: entries, postcode areas and agreements at scale."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from keten.accounts.models import Organisation, OrganisationType, Wijk
from keten.network.kaart.selectors import wijk_for_postcode
from keten.network.models import Agreement, AgreementType, OrganisationEntry, PostcodeRange
from keten.seeding.large import MUNICIPALITY_CODE
from keten.seeding.network_large import seed_network_large
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, WijkFactory

pytestmark = pytest.mark.django_db


def test_large_profile_has_a_sociale_kaart() -> None:
    municipality = MunicipalityFactory(name="Gemeente Klein-Amstelmere", cbs_code=MUNICIPALITY_CODE)
    wijken = Wijk.objects.bulk_create(
        [Wijk(municipality=municipality, name=f"Wijk {i}", code=f"W{i:02d}") for i in range(4)]
    )
    types = [t for t, _label in OrganisationType.choices]
    # As the profile makes them: bulk_create, so the post_save signal gives them no entry.
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=f"Organisatie {i}", type=types[i % len(types)], municipality=municipality)
            for i in range(40)
        ]
    )
    through = Organisation.wijken.through
    through.objects.bulk_create(
        [through(organisation_id=o.pk, wijk_id=wijken[i % 4].pk) for i, o in enumerate(organisations) if i % 5]
    )
    assert not OrganisationEntry.objects.filter(organisation__in=organisations).exists()
    counts = seed_network_large(
        orgs=organisations, wijken=wijken, rng=random.Random(2027), now=timezone.now(), scale=0.03
    )
    assert counts["entries"] == 40
    assert not Organisation.objects.filter(municipality=municipality, entry__isnull=True).exists()
    entries = list(
        OrganisationEntry.objects.filter(organisation__municipality=municipality).select_related("organisation")
    )
    assert all(e.phone and e.visiting_address and e.postcode and e.opening_hours and e.search_text for e in entries)
    assert all(e.organisation.name.casefold() in e.search_text for e in entries)
    public = sum(e.is_public for e in entries) / len(entries)
    assert 0.4 < public < 0.95
    stale = timezone.now() - timedelta(days=round(settings.KETEN_NETWORK_STALE_MONTHS * 30.44))
    assert any(e.last_confirmed_at is None or e.last_confirmed_at < stale for e in entries)
    assert any(e.last_confirmed_at is not None and e.last_confirmed_at > stale for e in entries)
    # Every wijk has postcodes, and they lead back to the wijk.
    for wijk in wijken:
        first = PostcodeRange.objects.filter(wijk=wijk).order_by("start").first()
        assert first is not None
        assert wijk_for_postcode(f"{first.start} AB", municipality_id=municipality.pk) == wijk
    agreements = Agreement.objects.filter(municipality=municipality).annotate(n=Count("parties", distinct=True))
    assert counts["agreements"] == agreements.count() == 45
    assert {a.type for a in agreements} == set(AgreementType.values)
    assert all(2 <= a.n <= 4 for a in agreements)
    assert agreements.filter(review_date__lt=timezone.localdate()).exists()  # some reviews are overdue
    assert agreements.filter(wijken__isnull=False).exists()


def test_existing_entries_are_updated_not_duplicated() -> None:
    municipality = MunicipalityFactory()
    wijk = WijkFactory(municipality=municipality)
    made = OrganisationFactory(municipality=municipality)  # through save(): has an entry already
    bulk = Organisation.objects.bulk_create(
        [Organisation(name="Bulk", type=made.type, municipality=municipality)]
    )  # no entry
    counts = seed_network_large(orgs=[made, *bulk], wijken=[wijk], rng=random.Random(1), now=timezone.now(), scale=0.01)
    assert counts["entries"] == 2
    assert OrganisationEntry.objects.filter(organisation__municipality=municipality).count() == 2
    assert OrganisationEntry.objects.get(organisation=made).phone
