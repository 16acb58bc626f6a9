"""factory_boy factories for organisations, professionals and dossiers (test data only)."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, Team, User, Wijk
from keten.core.crypto import bsn_index, name_birth_index
from keten.dossiers.models import CaseRole, CaseTeamMember, Dossier, Family, Person, Relation

# Test BSNs from the range reserved for test persons (prefix 99999, elfproef-valid).
TEST_BSNS = [
    "999994669",
    "999992740",
    "999990019",
    "999990925",
    "999993276",
    "999993252",
    "999991176",
    "999993136",
    "999993215",
    "999990317",
    "999994281",
    "999990743",
    "999993070",
    "999991334",
]


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("cbs_code",)

    name = "Testgemeente"
    cbs_code = "GM9999"


class WijkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wijk

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Wijk {n}")
    code = factory.Sequence(lambda n: f"W{n:03d}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = OrganisationType.WIJKTEAM
    municipality = factory.SubFactory(MunicipalityFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = factory.Sequence(lambda n: f"Achternaam{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct-horse-battery-staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PROFESSIONAL


def make_user(role: str = Role.PROFESSIONAL, organisation: Organisation | None = None, **kwargs: Any) -> User:
    """A user with one active membership in ``role`` (and a confirmed TOTP device)."""
    organisation = organisation or OrganisationFactory()
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role, team=kwargs.pop("team", None))
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Gezin Testfamilie {n}")
    address = "Teststraat 1, 9999 ZZ Testdorp"
    is_test = True


def make_person(
    family: Family,
    *,
    relation: str = Relation.KIND,
    first_name: str = "Sam",
    last_name: str = "Jansen",
    date_of_birth: date | None = date(2016, 5, 1),
    bsn: str = "",
) -> Person:
    person = Person(
        family=family,
        municipality_id=family.municipality_id,
        relation=relation,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        bsn=bsn,
        bsn_index=bsn_index(bsn) if bsn else None,
        name_birth_index=name_birth_index(first_name, last_name, date_of_birth) if date_of_birth else "",
        is_test=True,
    )
    person.save()
    return person


_counter = {"n": 0}


def make_dossier(*members: User, bsn: str = "", family_name: str | None = None) -> Dossier:
    """A family with one child and a dossier whose case team holds ``members`` (first = regievoerder).

    The family belongs to the municipality of the first member's organisation.
    """
    _counter["n"] += 1
    first = members[0].active_membership if members else None
    municipality = first.organisation.municipality if first is not None else MunicipalityFactory()
    family = FamilyFactory(municipality=municipality, **({"name": family_name} if family_name else {}))
    dossier = Dossier.objects.create(
        family=family, reference=f"D-TEST{_counter['n']:06d}", coordinator=members[0] if members else None
    )
    make_person(family, bsn=bsn, first_name=f"Kind{_counter['n']}")
    for i, user in enumerate(members):
        membership = user.active_membership
        assert membership is not None
        CaseTeamMember.objects.create(
            dossier=dossier,
            user=user,
            organisation=membership.organisation,
            case_role=CaseRole.REGIEVOERDER if i == 0 else CaseRole.HULPVERLENER,
        )
    return dossier
