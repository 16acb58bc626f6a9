"""Sociale kaart of the demo municipality: entries, postcode areas and samenwerkingsafspraken.

Deliberately imperfect, so that the municipality has something to act on: a few entries were last
confirmed long ago (or never), one agreement is past its review date, and Oud-Lindeveld has no
agreement between its wijkteam and a school.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from keten.accounts.models import Organisation, OrganisationType, Wijk
from keten.network.kaart.search_text import search_text_for
from keten.network.models import Agreement, AgreementType, OrganisationEntry, PostcodeRange
from keten.seeding.common import ascii_slug

#: Postcode numbers per demo wijk (the fictional city lies in the 60xx area).
POSTCODE_RANGES = {"LC": (6010, 6019), "AK": (6020, 6029), "HK": (6030, 6039), "OL": (6040, 6049), "MW": (6050, 6059)}

_EXPERTISE: dict[str, list[str]] = {
    OrganisationType.WIJKTEAM: ["opvoedondersteuning", "huiselijk geweld", "schulden", "jeugdhulp toeleiding"],
    OrganisationType.JGZ: ["consultatiebureau", "groei en ontwikkeling", "opvoedvragen", "vaccinaties"],
    OrganisationType.ONDERWIJS: ["zorgteam", "intern begeleider", "schoolmaatschappelijk werk"],
    OrganisationType.KINDEROPVANG: ["dagopvang", "buitenschoolse opvang", "signaleren"],
    OrganisationType.HUISARTS: ["huisartsenzorg", "praktijkondersteuner jeugd", "letsel"],
    OrganisationType.VEILIG_THUIS: ["advies", "melding", "onderzoek", "huiselijk geweld en kindermishandeling"],
    OrganisationType.POLITIE: ["wijkagent", "zeden", "huiselijk geweld"],
    OrganisationType.GGZ: ["jeugd-GGZ", "trauma", "ouders met psychische problemen"],
    OrganisationType.VERSLAVINGSZORG: ["verslaving", "kindcheck", "ouders met een verslaving"],
    OrganisationType.SCHULDHULP: ["schulden", "budgetbeheer"],
    OrganisationType.JEUGDHULP: ["gezinsbehandeling", "ambulante jeugdhulp"],
    OrganisationType.GI: ["jeugdbescherming", "jeugdreclassering"],
    OrganisationType.RVDK: ["beschermingsonderzoek"],
}
_AGES: dict[str, tuple[int | None, int | None]] = {
    OrganisationType.JGZ: (0, 18),
    OrganisationType.KINDEROPVANG: (0, 12),
    OrganisationType.ONDERWIJS: (4, 18),
    OrganisationType.WIJKTEAM: (0, 23),
}
_PUBLIC_TYPES = {
    OrganisationType.WIJKTEAM,
    OrganisationType.JGZ,
    OrganisationType.HUISARTS,
    OrganisationType.ONDERWIJS,
    OrganisationType.VEILIG_THUIS,
    OrganisationType.KINDEROPVANG,
}
_HOURS = "Maandag tot en met vrijdag 8.30–17.00 uur telefonisch bereikbaar; spoed buiten kantoortijd via Veilig Thuis."
#: Entries that were confirmed long ago (stale) or never.
_STALE = {"Huisartsenpraktijk Molenwijk": 400, "BSO De Speelwei": 260}
_NEVER_CONFIRMED = {"Lindeveld College"}


_STREETS = ["Marktstraat", "Havenweg", "Schoolplein", "Molenlaan"]
_ENTRY_FIELDS = [
    "description", "visiting_address", "postcode", "phone", "secure_email", "website", "opening_hours",
    "expertise", "age_min", "age_max", "is_public", "last_confirmed_at", "search_text",
]  # fmt: skip

# (type, title, promise, parties, review in days from today or None); "{wijk}"/"{team}" filled per wijk.
_PER_WIJK = [
    (
        AgreementType.VERWIJZEN,
        "Verwijzen tussen JGZ en wijkteam {wijk}",
        "Het wijkteam neemt een verwijzing van de JGZ binnen 3 werkdagen op en belt de jeugdverpleegkundige terug.",
        ["{team}", "GGD Lindeveld Jeugdgezondheidszorg"],
    ),
    (
        AgreementType.BEREIKBAARHEID,
        "Bereikbaarheid Veilig Thuis voor wijkteam {wijk}",
        "Veilig Thuis is dag en nacht bereikbaar voor advies (0800-2000); het wijkteam hoort binnen "
        "5 werkdagen wat er met een melding gebeurt.",
        ["{team}", "Veilig Thuis Regio Lindeveld"],
    ),
]
_RVDK = "Raad voor de Kinderbescherming regio Lindeveld"
_SCHOOLS = {"AK": "Basisschool De Regenboog", "HK": "Kindcentrum Het Kompas"}
_GPS = {"MW": "Huisartsenpraktijk Molenwijk", "AK": "Gezondheidscentrum De Akkers"}


def _entries(orgs: dict[str, Organisation], wijken: dict[str, Wijk], rng: random.Random, now: datetime) -> int:
    by_org = {e.organisation_id: e for e in OrganisationEntry.objects.filter(organisation__in=orgs.values())}
    wijk_code = {wijk.pk: code for code, wijk in wijken.items()}
    for name, org in orgs.items():
        codes = [wijk_code[w.pk] for w in org.wijken.all()]
        low, high = POSTCODE_RANGES[codes[0] if len(codes) == 1 else "LC"]
        entry = by_org.get(org.pk) or OrganisationEntry(organisation=org)
        entry.description = f"{org.get_type_display()} in Lindeveld."
        entry.visiting_address = f"{rng.choice(_STREETS)} {rng.randint(1, 90)}"
        entry.postcode = f"{rng.randint(low, high)} {rng.choice(['AB', 'CD', 'EF', 'GH'])}"
        entry.phone = org.phone
        entry.secure_email = f"veilig@{ascii_slug(name)[:40]}.example"
        entry.website = f"https://{ascii_slug(name)[:40]}.example"
        entry.opening_hours = _HOURS
        entry.expertise = _EXPERTISE.get(org.type, [])
        entry.age_min, entry.age_max = _AGES.get(org.type, (None, None))
        entry.is_public = org.type in _PUBLIC_TYPES
        stale_days = _STALE.get(name, rng.randint(5, 120))
        entry.last_confirmed_at = None if name in _NEVER_CONFIRMED else now - timedelta(days=stale_days)
        entry.search_text = search_text_for(org, entry)
        if entry.pk is None:
            entry.save()
        by_org[org.pk] = entry
    OrganisationEntry.objects.bulk_update(list(by_org.values()), _ENTRY_FIELDS)
    return len(by_org)


def seed_network_demo(
    *, orgs: dict[str, Organisation], wijken: dict[str, Wijk], rng: random.Random, now: datetime
) -> dict[str, int]:
    """Entries for every organisation, postcode areas per wijk and a realistic set of agreements."""
    for code, (start, end) in POSTCODE_RANGES.items():
        PostcodeRange.objects.create(wijk=wijken[code], start=start, end=end)
    entries = _entries(orgs, wijken, rng, now)
    today = now.date()
    municipality = next(iter(orgs.values())).municipality
    made = 0

    def agreement(kind: str, title: str, promise: str, parties: list[str], codes: list[str], review: int | None,
                  *, vastgesteld: bool = True) -> None:  # fmt: skip
        nonlocal made
        item = Agreement.objects.create(
            municipality=municipality,
            type=kind,
            title=title,
            promise=promise,
            start_date=today - timedelta(days=rng.randint(200, 900)),
            review_date=today + timedelta(days=review) if review is not None else None,
            bestuurlijk_vastgesteld=vastgesteld,
            source_url="https://lindeveld.example/samenwerkingsafspraken",
        )
        item.parties.set([orgs[p] for p in parties])
        item.wijken.set([wijken[c] for c in codes])
        made += 1

    for code, wijk in wijken.items():
        team = f"Wijkteam {wijk.name}"
        for kind, title, promise, parties in _PER_WIJK:
            names = [team if p == "{team}" else p for p in parties]
            agreement(kind, title.format(wijk=wijk.name), promise, names, [code], rng.randint(60, 300))
        if code in _SCHOOLS:  # Oud-Lindeveld deliberately has no agreement with a school
            agreement(
                AgreementType.CASUISTIEKOVERLEG,
                f"Zorgteam {_SCHOOLS[code]} en wijkteam {wijk.name}",
                "Het wijkteam zit zes keer per jaar aan bij het zorgteam van de school.",
                [team, _SCHOOLS[code]],
                [code],
                120,
            )
        if code in _GPS:
            agreement(
                AgreementType.TERUGKOPPELING,
                f"Terugkoppeling wijkteam aan {_GPS[code]}",
                "Het wijkteam koppelt binnen 5 werkdagen terug aan de huisarts wat er met een verwijzing is gedaan.",
                [team, _GPS[code]],
                [code],
                -45 if code == "MW" else 150,  # Molenwijk's is past its review date
            )
    agreement(
        AgreementType.INFORMATIE_UITWISSELING,
        "Convenant gegevensuitwisseling veiligheidsketen Lindeveld",
        "Politie, Veilig Thuis en de Raad voor de Kinderbescherming delen in het afstemmingsoverleg alleen "
        "de gegevens die voor de veiligheid van het kind nodig zijn.",
        [
            "Politie Basisteam Lindeveld",
            "Veilig Thuis Regio Lindeveld",
            "Raad voor de Kinderbescherming regio Lindeveld",
        ],
        [],
        365,
    )
    agreement(
        AgreementType.ESCALATIE,
        "Opschalen bij stagnatie",
        "Loopt een casus vast, dan schalen de teamleiders binnen 2 werkdagen op naar de procesregisseur.",
        ["Wijkteam Lindeveld-Centrum", "Veilig Thuis Regio Lindeveld"],
        [],
        None,
        vastgesteld=False,
    )
    return {"entries": entries, "postcode_ranges": len(POSTCODE_RANGES), "agreements": made}
