"""Reads of the public routekaart for parents and citizens (no login).

Only organisation-level data of entries marked ``is_public`` leaves this module, and only the fields
named in ``_PUBLIC_FIELDS``: never a professional, never a secure e-mail address meant for
professionals, never an entry that is not public. No client data is read, so nothing is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keten.accounts.models import Organisation, OrganisationType, Wijk
from keten.core.errors import DomainError
from keten.network.kaart.selectors import parse_postcode
from keten.network.models import OrganisationEntry, PostcodeRange

#: The organisation types a parent can turn to, in the order the page shows them, with what they do.
PUBLIC_TYPES: dict[str, tuple[Promise, Promise]] = {
    OrganisationType.WIJKTEAM: (
        _("Wijkteam"),
        _(
            "Voor vragen over opvoeden, ruzie of geweld thuis, geld of wonen. Het wijkteam luistert, "
            "denkt met u mee en helpt u verder."
        ),
    ),
    OrganisationType.JGZ: (
        _("Consultatiebureau en jeugdgezondheidszorg (JGZ)"),
        _("Voor vragen over de groei, gezondheid en opvoeding van uw kind van 0 tot 18 jaar."),
    ),
    OrganisationType.HUISARTS: (
        _("Huisarts"),
        _("Voor zorgen over de gezondheid van uw kind of van uzelf. De huisarts kan u ook doorverwijzen."),
    ),
    OrganisationType.ONDERWIJS: (
        _("School"),
        _("Praat met de leerkracht of de intern begeleider als u zich zorgen maakt over uw kind."),
    ),
    OrganisationType.KINDEROPVANG: (
        _("Kinderopvang"),
        _("De medewerkers zien uw kind vaak. U kunt uw zorgen met hen bespreken."),
    ),
}

_PUBLIC_FIELDS = (
    "organisation_id",
    "organisation__name",
    "organisation__type",
    "organisation__phone",
    "visiting_address",
    "postcode",
    "phone",
    "opening_hours",
    "website",
)


@dataclass(frozen=True)
class PublicOrganisation:
    """What the public page may show of one organisation."""

    id: int
    name: str
    visiting_address: str
    postcode: str
    phone: str
    opening_hours: str
    website: str


@dataclass(frozen=True)
class PublicGroup:
    type: str
    label: str
    explanation: str
    organisations: Sequence[PublicOrganisation]


@dataclass(frozen=True)
class PublicRoutekaart:
    wijk: Wijk
    groups: Sequence[PublicGroup] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(group.organisations for group in self.groups)


@dataclass(frozen=True)
class WijkGroup:
    municipality: str
    wijken: Sequence[tuple[int, str]]


def public_wijk_choices() -> list[WijkGroup]:
    """Every wijk, grouped by municipality (one query)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    rows = Wijk.objects.order_by("municipality__name", "name").values_list("pk", "name", "municipality__name")
    for pk, name, municipality in rows:
        groups.setdefault(municipality, []).append((pk, name))
    return [WijkGroup(municipality=m, wijken=w) for m, w in groups.items()]


def public_wijk(*, wijk_id: str) -> Wijk:
    """The wijk with this id (as typed in a URL); DomainError (field "wijk") when there is none."""
    wijk = None
    if wijk_id.strip().isdigit() and len(wijk_id.strip()) <= 12:
        wijk = Wijk.objects.select_related("municipality").filter(pk=int(wijk_id)).first()
    if wijk is None:
        raise DomainError(gettext("Kies een wijk uit de lijst."), field="wijk")
    return wijk


def public_wijk_for_postcode(postcode: str) -> Wijk:
    """The wijk of a postcode; DomainError (field "postcode") when malformed or in no known wijk."""
    number, _letters = parse_postcode(postcode)
    found = (
        PostcodeRange.objects.filter(start__lte=number, end__gte=number)
        .select_related("wijk__municipality")
        .order_by("start", "pk")
        .first()
    )
    if found is None:
        raise DomainError(
            gettext(
                "Deze postcode hoort niet bij een wijk van deze gemeente. Kies hieronder uw wijk, of kijk op "
                "de website van uw eigen gemeente."
            ),
            field="postcode",
        )
    return found.wijk


def public_routekaart(*, wijk: Wijk) -> PublicRoutekaart:
    """The public organisations of a wijk, grouped by type (one query).

    An organisation belongs to the wijk when it is linked to it, or when it is linked to no wijk at
    all (it serves the whole municipality).
    """
    in_any_wijk = Organisation.wijken.through.objects.filter(organisation_id=OuterRef("organisation_id"))
    rows = (
        OrganisationEntry.objects.filter(
            is_public=True,
            organisation__is_active=True,
            organisation__municipality_id=wijk.municipality_id,
            organisation__type__in=list(PUBLIC_TYPES),
        )
        .filter(Q(organisation__wijken=wijk) | ~Exists(in_any_wijk))
        .order_by("organisation__name", "organisation_id")
        .values(*_PUBLIC_FIELDS)
        .distinct()
    )
    by_type: dict[str, list[PublicOrganisation]] = {t: [] for t in PUBLIC_TYPES}
    for row in rows:
        by_type[row["organisation__type"]].append(
            PublicOrganisation(
                id=row["organisation_id"],
                name=row["organisation__name"],
                visiting_address=row["visiting_address"],
                postcode=row["postcode"],
                phone=row["phone"] or row["organisation__phone"],
                opening_hours=row["opening_hours"],
                website=row["website"],
            )
        )
    groups = [
        PublicGroup(type=t, label=str(label), explanation=str(text), organisations=by_type[t])
        for t, (label, text) in PUBLIC_TYPES.items()
    ]
    return PublicRoutekaart(wijk=wijk, groups=groups)
