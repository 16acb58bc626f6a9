"""Informatie delen for the demo municipality Lindeveld, written through the sharing services.

One chain convenant (wijkteams, JGZ, schools, Veilig Thuis, huisartsen, jeugdhulp, …) with its data
flows; in one of demo-professional's dossiers consents in every state (valid, withdrawn, expired),
a disclosure on each legal basis, a running access grant for demo-collega and an open inzage request
by a parent.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from keten.accounts.models import Membership, Organisation, OrganisationType, User
from keten.core.actor import Actor
from keten.dossiers.models import CaseTeamMember, Dossier, Person, Relation
from keten.sharing import services
from keten.sharing.inzage import services as inzage
from keten.sharing.models import GiverRole, LegalBasis, RequesterRole

SHARER = "demo-professional"
GRANTEE = "demo-collega"
CONVENANT_TITLE = "Convenant Zorg en Veiligheid Jeugd Lindeveld"
CHAIN_TYPES = [
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.ONDERWIJS,
    OrganisationType.VEILIG_THUIS,
    OrganisationType.HUISARTS,
    OrganisationType.JEUGDHULP,
    OrganisationType.GI,
    OrganisationType.RVDK,
    OrganisationType.GGZ,
]


def _actor(username: str) -> Actor:
    return _actor_of(User.objects.get(username=username))


def _actor_of(user: User) -> Actor:
    membership = Membership.objects.filter(user=user, is_active=True).select_related("organisation").first()
    assert membership is not None
    user.__dict__["active_membership"] = membership
    return Actor(user=user, membership=membership)


def _age(person: Person, on: date) -> int:
    born = person.date_of_birth
    assert born is not None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _pick_dossier(sharer: User, grantee: User, today: date) -> tuple[Dossier, Person, Person]:
    """A dossier of the sharer (not of the grantee) with a parent and a child between 4 and 11."""
    theirs = CaseTeamMember.objects.filter(user=grantee).values("dossier_id")
    candidates = (
        Dossier.objects.filter(team__user=sharer, status=Dossier.Status.OPEN)
        .exclude(pk__in=theirs)
        .select_related("family")
        .order_by("pk")
    )
    for dossier in candidates:
        persons = list(Person.objects.filter(family_id=dossier.family_id).order_by("pk"))
        parents = [p for p in persons if p.relation == Relation.OUDER]
        children = [p for p in persons if p.relation == Relation.KIND and p.date_of_birth and 4 <= _age(p, today) <= 11]
        if parents and children:
            return dossier, parents[0], children[0]
    raise RuntimeError("no suitable demo dossier for informatie delen")


def seed_sharing_demo(*, now: Any = None) -> dict[str, int]:
    # The services check dates against today; the demo never dates anything later than that.
    today = min(timezone.localdate(now) if now else timezone.localdate(), timezone.localdate())
    sharer_user = User.objects.get(username=SHARER)
    sharer = _actor_of(sharer_user)
    grantee = User.objects.get(username=GRANTEE)
    assert sharer.membership is not None
    municipality_id = sharer.membership.organisation.municipality_id
    orgs = {o.name: o for o in Organisation.objects.filter(municipality_id=municipality_id, is_active=True)}

    def org(kind: str, index: int = 0) -> Organisation:
        matching = sorted((o for o in orgs.values() if o.type == kind), key=lambda o: o.pk)
        return matching[index % len(matching)]

    school, jgz, vt = org(OrganisationType.ONDERWIJS), org(OrganisationType.JGZ), org(OrganisationType.VEILIG_THUIS)
    huisarts, rvdk, politie = org(OrganisationType.HUISARTS), org(OrganisationType.RVDK), org(OrganisationType.POLITIE)
    gemeente = org(OrganisationType.GEMEENTE)

    convenant = services.convenant_create(
        actor=_actor("demo-beleid"),
        data=services.ConvenantData(
            title=CONVENANT_TITLE,
            party_ids=sorted(o.pk for o in orgs.values() if o.type in CHAIN_TYPES),
            purposes=[
                "Signalen van kindermishandeling en huiselijk geweld vroeg met elkaar afstemmen",
                "De hulp aan een gezin samen afstemmen, met één regievoerder",
            ],
            start_date=today - timedelta(days=400),
            document_url="https://lindeveld.example/convenant-zorg-en-veiligheid-jeugd.pdf",
            flows=[
                services.FlowData(
                    [OrganisationType.WIJKTEAM],
                    [OrganisationType.ONDERWIJS, OrganisationType.JGZ, OrganisationType.KINDEROPVANG],
                    "Afstemmen van de hulp aan een kind met school en jeugdgezondheidszorg",
                    ["betrokkenheid", "contactgegevens", "hulpverlening"],
                    LegalBasis.PUBLIEKE_TAAK,
                    "Jeugdwet art. 7.4.0; Wet publieke gezondheid art. 5",
                ),
                services.FlowData(
                    [OrganisationType.ONDERWIJS, OrganisationType.JGZ],
                    [OrganisationType.WIJKTEAM],
                    "Zorgen over een kind bespreken met het wijkteam",
                    ["betrokkenheid", "contactgegevens", "signalen"],
                    LegalBasis.PUBLIEKE_TAAK,
                    "Wet op het primair onderwijs art. 8 lid 4a",
                ),
                services.FlowData(
                    [OrganisationType.WIJKTEAM, OrganisationType.JEUGDHULP, OrganisationType.GI],
                    [OrganisationType.VEILIG_THUIS],
                    "Advies en afstemming over de veiligheid van een kind",
                    ["betrokkenheid", "signalen", "gezinssituatie", "hulpverlening"],
                    LegalBasis.MELDRECHT_VEILIG_THUIS,
                    "Wmo 2015 art. 5.2.6",
                ),
            ],
        ),
    )
    dossier, parent, child = _pick_dossier(sharer_user, grantee, today)

    def consent(recipient: Organisation, given: int, **extra: Any) -> Any:
        return services.consent_record(
            actor=sharer,
            dossier=dossier,
            data=services.ConsentData(
                giver_id=parent.pk,
                giver_role=GiverRole.OUDER_MET_GEZAG,
                about_id=child.pk,
                purpose=extra.pop("purpose", "Afstemmen van de hulp aan het kind"),
                recipient_ids=[recipient.pk],
                form=extra.pop("form", "schriftelijk"),
                given_on=today - timedelta(days=given),
                **extra,
            ),
        )

    consent(school, 60, purpose="Afstemmen met school over de begeleiding in de klas")
    withdrawn = consent(jgz, 90, form="mondeling", purpose="Overleg met de jeugdarts over de groei en het slapen")
    services.consent_withdraw(actor=sharer, consent=withdrawn, withdrawn_on=today - timedelta(days=20))
    consent(
        huisarts,
        200,
        valid_until=today - timedelta(days=30),
        purpose="Informatie van de huisarts over een verwijzing naar de jeugd-GGZ",
    )

    def share(
        basis: str, recipient: Organisation, days_ago: int, categories: list[str], purpose: str, **extra: Any
    ) -> Any:
        reason = "" if basis == LegalBasis.TOESTEMMING else extra.pop("reason")
        return services.disclosure_record(
            actor=sharer,
            dossier=dossier,
            data=services.DisclosureData(
                about_ids=[child.pk],
                categories=categories,
                items=extra.pop("items", []),
                recipient_organisation_id=recipient.pk,
                purpose=purpose,
                legal_basis=basis,
                no_consent_reason=reason,
                shared_on=today - timedelta(days=days_ago),
                client_informed=extra.pop("informed", True),
                client_informed_on=today - timedelta(days=days_ago),
                **extra,
            ),
        )

    share(LegalBasis.TOESTEMMING, school, 45, ["hulpverlening"], "Afspraken over de begeleiding in de klas")
    share(
        LegalBasis.CONVENANT,
        school,
        30,
        ["betrokkenheid", "contactgegevens"],
        "Laten weten dat het wijkteam betrokken is en wie de regievoerder is",
        reason="Gegevensstroom wijkteam naar school in het convenant",
    )
    share(
        LegalBasis.PUBLIEKE_TAAK,
        jgz,
        120,
        ["betrokkenheid"],
        "Melden aan de jeugdarts dat het wijkteam het gezin begeleidt",
        reason="Wettelijke taak jeugdgezondheidszorg",
    )
    share(
        LegalBasis.MELDRECHT_VEILIG_THUIS,
        vt,
        25,
        ["signalen", "gezinssituatie"],
        "Advies vragen over zorgen om de veiligheid van het kind",
        reason="Meldrecht bij vermoeden van kindermishandeling",
        items=["Verslag huisbezoek"],
    )
    share(
        LegalBasis.MELDRECHT_VERWIJSINDEX,
        gemeente,
        100,
        ["betrokkenheid"],
        "Signaal in de verwijsindex",
        reason="Meldrecht verwijsindex, geen inhoud",
    )
    share(
        LegalBasis.WETTELIJKE_PLICHT,
        rvdk,
        15,
        ["signalen", "gezinssituatie", "hulpverlening"],
        "Informatie voor het beschermingsonderzoek van de Raad",
        reason="Wettelijke plicht om de Raad te informeren (BW 1:240)",
    )
    share(
        LegalBasis.VITAAL_BELANG,
        huisarts,
        10,
        ["gezondheid"],
        "Dringende medische zorg na een val thuis",
        reason="De ouders waren niet bereikbaar en het kind had direct zorg nodig",
        informed=False,
        not_informed_reason="Ouders waren niet bereikbaar; ze horen het bij het volgende gesprek",
    )
    share(
        LegalBasis.CONFLICT_VAN_PLICHTEN,
        politie,
        8,
        ["signalen"],
        "De wijkagent waarschuwen voor dreiging tegen het kind",
        reason="Acuut gevaar weegt zwaarder dan het beroepsgeheim",
        informed=False,
        not_informed_reason="Informeren zou het kind in gevaar brengen",
    )
    share(
        LegalBasis.BEHANDELRELATIE,
        sharer.membership.organisation,
        1,
        ["signalen", "hulpverlening", "notities"],
        "Waarneming tijdens de vakantie van de regievoerder",
        reason="Collega van hetzelfde wijkteam neemt de begeleiding tijdelijk over",
        recipient_user_id=grantee.pk,
        grant_days=30,
    )
    inzage.inzage_record(
        actor=sharer,
        dossier=dossier,
        data=inzage.RequestData(
            requester_id=parent.pk,
            requester_role=RequesterRole.OUDER_MET_GEZAG,
            about_id=child.pk,
            received_on=today - timedelta(days=5),
        ),
    )
    return {"convenants": 1 if convenant else 0, "disclosures": 9, "consents": 3, "dossier": dossier.pk}
