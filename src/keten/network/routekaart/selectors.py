"""The routekaart for professionals: who to call for what, in which order, in one wijk.

Built from live data of the sociale kaart (organisations active in the wijk with their entry,
aandachtsfunctionarissen, samenwerkingsafspraken that apply to the wijk). It holds no client data,
but it does list professionals' contact details, so only signed-in users with a membership may read
it, and only for a wijk of their own municipality. A fixed number of queries, whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from keten.accounts.models import Membership, Organisation, OrganisationType, Wijk
from keten.core.actor import Actor
from keten.core.errors import NotFoundError
from keten.network.kaart.selectors import kaart_municipality_id, officers_of, stale_before
from keten.network.models import Agreement

#: The order in which organisation types appear on the routekaart; the rest follow by name.
TYPE_ORDER: tuple[str, ...] = (
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.HUISARTS,
    OrganisationType.ONDERWIJS,
    OrganisationType.KINDEROPVANG,
    OrganisationType.WELZIJN,
    OrganisationType.JEUGDHULP,
    OrganisationType.GGZ,
)

VEILIG_THUIS_PHONE = "0800-2000"
EMERGENCY_PHONE = "112"


@dataclass
class Contact:
    """One organisation on the routekaart, with how to reach it."""

    organisation: Organisation
    phone: str
    email: str
    email_is_secure: bool
    opening_hours: str
    last_confirmed_at: datetime | None
    is_stale: bool
    officers: list[Membership] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def type_label(self) -> str:
        return str(self.organisation.get_type_display())


@dataclass
class Routekaart:
    wijk: Wijk
    generated_at: datetime
    wijkteams: list[Contact]
    partners: list[Contact]
    veilig_thuis: list[Contact]
    own_officers: list[Membership]
    officers: list[tuple[Membership, Contact]]
    agreements: list[Agreement]

    @property
    def has_stale(self) -> bool:
        return any(c.is_stale for c in [*self.wijkteams, *self.partners, *self.veilig_thuis])


def wijken_for_routekaart(*, actor: Actor) -> list[Wijk]:
    """The wijken of the actor's municipality; NotFoundError for those who may not see the routekaart."""
    municipality_id = kaart_municipality_id(actor)
    return list(Wijk.objects.filter(municipality_id=municipality_id).order_by("name"))


def _type_rank(organisation: Organisation) -> tuple[int, str]:
    try:
        rank = TYPE_ORDER.index(organisation.type)
    except ValueError:
        rank = len(TYPE_ORDER)
    return rank, organisation.name.casefold()


def _contact(organisation: Organisation, officers: list[Membership], threshold: datetime) -> Contact:
    entry = getattr(organisation, "entry", None)
    confirmed = entry.last_confirmed_at if entry is not None else None
    secure = entry.secure_email if entry is not None else ""
    return Contact(
        organisation=organisation,
        phone=(entry.phone if entry is not None else "") or organisation.phone,
        email=secure or organisation.email,
        email_is_secure=bool(secure),
        opening_hours=entry.opening_hours if entry is not None else "",
        last_confirmed_at=confirmed,
        is_stale=confirmed is None or confirmed < threshold,
        officers=officers,
    )


def routekaart_for_wijk(*, actor: Actor, wijk_id: int) -> Routekaart:
    """The routekaart of one wijk of the actor's municipality; NotFoundError otherwise."""
    municipality_id = kaart_municipality_id(actor)
    wijk = Wijk.objects.filter(pk=wijk_id, municipality_id=municipality_id).first()
    if wijk is None:
        raise NotFoundError
    today = timezone.localdate()
    threshold = stale_before()

    # Organisations working in this wijk, those without wijken (the whole municipality) and Veilig Thuis.
    in_any_wijk = Organisation.wijken.through.objects.filter(organisation_id=OuterRef("pk"))
    organisations = list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .exclude(type=OrganisationType.GEMEENTE)
        .filter(Q(wijken=wijk) | ~Exists(in_any_wijk) | Q(type=OrganisationType.VEILIG_THUIS))
        .distinct()
        .select_related("entry")
    )
    officers_by_organisation = officers_of([o.pk for o in organisations])
    contacts = sorted(
        (_contact(o, officers_by_organisation.get(o.pk, []), threshold) for o in organisations),
        key=lambda c: _type_rank(c.organisation),
    )
    wijkteams = [c for c in contacts if c.organisation.type == OrganisationType.WIJKTEAM]
    veilig_thuis = [c for c in contacts if c.organisation.type == OrganisationType.VEILIG_THUIS]
    partners = [
        c for c in contacts if c.organisation.type not in (OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS)
    ]

    assert actor.membership is not None  # the municipality above is the one of the acting membership
    own_officers = officers_of([actor.membership.organisation_id]).get(actor.membership.organisation_id, [])
    officers = [(m, c) for c in contacts for m in c.officers if c.organisation.type != OrganisationType.VEILIG_THUIS]

    has_wijken = Agreement.wijken.through.objects.filter(agreement_id=OuterRef("pk"))
    agreements = list(
        Agreement.objects.filter(municipality_id=municipality_id, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(Q(wijken=wijk) | ~Exists(has_wijken))
        .distinct()
        .prefetch_related(
            Prefetch("parties", queryset=Organisation.objects.order_by("name")),
            Prefetch("contact_persons"),
        )
        .order_by("type", "title")
    )
    return Routekaart(
        wijk=wijk,
        generated_at=timezone.localtime(),
        wijkteams=wijkteams,
        partners=partners,
        veilig_thuis=veilig_thuis,
        own_officers=own_officers,
        officers=officers,
        agreements=agreements,
    )
