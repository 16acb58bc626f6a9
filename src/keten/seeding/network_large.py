"""Sociale kaart of the ``large`` profile: an entry for every organisation, postcode areas, agreements.

At ``--scale 1``: an entry for each of the ~350 organisations (Faker ``nl_NL`` addresses, phone
numbers and secure e-mail addresses; expertise and age range by kind; opening hours; ~70 % public;
~10 % not confirmed for longer than the stale period, a few never), one or two postcode ranges for
every wijk (1011–1109, as in a large Dutch city) and ~1,500 samenwerkingsafspraken of all seven
kinds between 2–4 organisations, with wijken, start, review and end dates (some reviews overdue,
some agreements ended).

Organisations of this profile are made with ``bulk_create``, which sends no ``post_save`` signal,
so they have no entry yet: the entries are made here with ``bulk_create`` too (an entry that does
exist is updated instead). Everything is written with bulk inserts, the many-to-many links through
their through tables; no history rows are written.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from faker import Faker

from keten.accounts.models import Membership, Organisation, OrganisationType, Role, Wijk
from keten.network.kaart.search_text import officer_names, search_text_for
from keten.network.models import Agreement, AgreementType, OrganisationEntry, PostcodeRange
from keten.seeding.common import BATCH_SIZE, ascii_slug
from keten.seeding.network_demo import _AGES, _EXPERTISE

AGREEMENTS = 1500
PUBLIC_SHARE = 0.70
STALE_SHARE = 0.10
NEVER_CONFIRMED_SHARE = 0.02
#: Agreements for the whole municipality (no wijken): convenants and escalation ladders are few.
CITY_WIDE_SHARE = 0.03
FIRST_POSTCODE = 1011

_EXTRA_EXPERTISE: dict[str, list[str]] = {
    OrganisationType.WIJKTEAM: ["scheiding", "mantelzorg", "wonen", "veiligheid thuis", "tienerouders"],
    OrganisationType.JGZ: ["zuigelingen", "voeding", "slaapproblemen", "stevig ouderschap", "kinderen 0-4"],
    OrganisationType.ONDERWIJS: ["passend onderwijs", "verzuim", "pesten", "kindermishandeling signaleren"],
    OrganisationType.KINDEROPVANG: ["peuteropvang", "vroeg- en voorschoolse educatie", "meldcode"],
    OrganisationType.HUISARTS: ["POH-GGZ", "jeugd", "zwangerschap", "verwijzing jeugdhulp"],
    OrganisationType.WELZIJN: ["maatschappelijk werk", "jongerenwerk", "opvoedcursus", "vrijwilligers"],
    OrganisationType.JEUGDHULP: ["pleegzorg", "gezinshuis", "crisisopvang", "systeemtherapie"],
    OrganisationType.GGZ: ["angst en depressie", "autisme", "ADHD", "hechting"],
    OrganisationType.POLITIE: ["jeugd en gezin", "wijkagent", "zorgmelding"],
    OrganisationType.SPORT: ["jeugdsport", "vertrouwenscontactpersoon"],
}
_DESCRIPTIONS: dict[str, str] = {
    OrganisationType.WIJKTEAM: "Generalistisch wijkteam voor jeugd en gezin in {wijk}: vragen over opvoeden, "
    "geldzorgen, wonen en veiligheid thuis.",
    OrganisationType.JGZ: "Consultatiebureau en jeugdgezondheidszorg voor kinderen van 0 tot 18 jaar in {wijk}.",
    OrganisationType.ONDERWIJS: "School met een zorgteam en een intern begeleider, in {wijk}.",
    OrganisationType.KINDEROPVANG: "Dagopvang, peuteropvang en buitenschoolse opvang in {wijk}.",
    OrganisationType.HUISARTS: "Huisartsenpraktijk met praktijkondersteuner jeugd in {wijk}.",
}
_HOURS_TEXT = [
    "Maandag tot en met vrijdag 8.30–17.00 uur telefonisch bereikbaar; spoed buiten kantoortijd via Veilig Thuis.",
    "Werkdagen 8.00–17.00 uur; inloopspreekuur op woensdag 13.00–15.00 uur.",
    "Bereikbaar op werkdagen van 9.00 tot 16.30 uur; op vrijdagmiddag gesloten.",
    "Dag en nacht bereikbaar, ook in het weekend.",
]
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag")

#: Per kind of agreement: title templates, what is promised, and the organisation types of the parties.
_AGREEMENTS: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str]]] = {
    AgreementType.BEREIKBAARHEID: (
        ["Bereikbaarheid {a} voor {b}", "Vast aanspreekpunt {a} en {b}"],
        [
            "{a} is op werkdagen binnen een uur terugbelbaar voor {b}; buiten kantoortijd via Veilig Thuis.",
            "{a} en {b} wisselen elk jaar de namen en telefoonnummers van hun aandachtsfunctionarissen uit.",
        ],
        [OrganisationType.WIJKTEAM, OrganisationType.VEILIG_THUIS, OrganisationType.JGZ, OrganisationType.HUISARTS],
    ),
    AgreementType.VERWIJZEN: (
        ["Verwijzen van {b} naar {a}", "Warme overdracht {b} – {a}"],
        [
            "{a} neemt een verwijzing van {b} binnen 3 werkdagen op en belt de verwijzer terug.",
            "Bij een verwijzing gaan {b} en {a} samen met de ouders in gesprek (warme overdracht).",
        ],
        [OrganisationType.WIJKTEAM, OrganisationType.JGZ, OrganisationType.JEUGDHULP, OrganisationType.GGZ],
    ),
    AgreementType.TERUGKOPPELING: (
        ["Terugkoppeling {a} aan {b}", "Informeren van de verwijzer: {a} en {b}"],
        ["{a} laat {b} binnen 5 werkdagen weten wat er met een verwijzing of melding is gedaan."],
        [OrganisationType.VEILIG_THUIS, OrganisationType.WIJKTEAM, OrganisationType.HUISARTS],
    ),
    AgreementType.CASUISTIEKOVERLEG: (
        ["Zorgteam {a} en {b}", "Casuïstiekoverleg {a} – {b}"],
        ["{b} sluit zes keer per jaar aan bij het overleg van {a}; een casus wordt vooraf met de ouders besproken."],
        [OrganisationType.ONDERWIJS, OrganisationType.KINDEROPVANG, OrganisationType.WIJKTEAM],
    ),
    AgreementType.FOLLOW_UP: (
        ["Follow-up na afsluiting: {a} en {b}", "Vinger aan de pols na sluiting – {a}"],
        ["Na afsluiting bij {b} kijkt {a} na drie en na zes maanden of het kind nog veilig is."],
        [OrganisationType.WIJKTEAM, OrganisationType.JGZ, OrganisationType.VEILIG_THUIS],
    ),
    AgreementType.INFORMATIE_UITWISSELING: (
        ["Convenant gegevensdeling {a} en {b}", "Afspraken informatie-uitwisseling {a} – {b}"],
        [
            "{a} en {b} delen alleen de gegevens die nodig zijn voor de veiligheid van het kind, met toestemming "
            "van de ouders tenzij dat de veiligheid in gevaar brengt."
        ],
        [OrganisationType.POLITIE, OrganisationType.VEILIG_THUIS, OrganisationType.RVDK, OrganisationType.GI],
    ),
    AgreementType.ESCALATIE: (
        ["Opschalen bij stagnatie: {a} en {b}", "Escalatieladder {a} – {b}"],
        ["Loopt een casus vast, dan schalen de teamleiders van {a} en {b} binnen 2 werkdagen op."],
        [OrganisationType.WIJKTEAM, OrganisationType.GI, OrganisationType.JEUGDHULP, OrganisationType.GEMEENTE],
    ),
}
_ENTRY_FIELDS = [
    "description", "visiting_address", "postcode", "phone", "secure_email", "website", "opening_hours",
    "opening_hours_weekly", "expertise", "age_min", "age_max", "is_public", "last_confirmed_at", "search_text",
]  # fmt: skip


def postcode_ranges(wijken: Sequence[Wijk]) -> list[PostcodeRange]:
    """Four postcode numbers for every wijk from 1011 on; every third wijk gets a second range above 1100."""
    ranges = []
    for i, wijk in enumerate(wijken):
        start = FIRST_POSTCODE + 4 * i
        ranges.append(PostcodeRange(wijk=wijk, start=start, end=start + 3))
        if i % 3 == 0:
            extra = 1101 + i // 3
            ranges.append(PostcodeRange(wijk=wijk, start=extra, end=extra))
    return PostcodeRange.objects.bulk_create(ranges)


def _weekly(rng: random.Random) -> dict[str, str]:
    opens, closes = rng.choice([("08:30", "17:00"), ("08:00", "16:30"), ("09:00", "17:30")])
    week = dict.fromkeys(_WEEKDAYS, f"{opens}–{closes}")
    if rng.random() < 0.3:
        week["vrijdag"] = f"{opens}–12:30"
    return week


def _entries(
    orgs: Sequence[Organisation], wijk_of: dict[int, Wijk | None], rng: random.Random, fake: Faker, now: datetime
) -> int:
    existing = {e.organisation_id: e for e in OrganisationEntry.objects.filter(organisation__in=orgs)}
    names = officer_names(o.pk for o in orgs)
    ranges = {r.wijk_id: r for r in PostcodeRange.objects.filter(wijk__in=[w for w in wijk_of.values() if w])}
    stale_days = round(settings.KETEN_NETWORK_STALE_MONTHS * 30.44)
    new: list[OrganisationEntry] = []
    old: list[OrganisationEntry] = []
    for org in orgs:
        entry = existing.get(org.pk) or OrganisationEntry(organisation=org)
        wijk = wijk_of.get(org.pk)
        area = ranges.get(wijk.pk) if wijk else None
        number = rng.randint(area.start, area.end) if area else rng.randint(1011, 1099)
        slug = ascii_slug(org.name)[:40]
        expertise = list(_EXPERTISE.get(org.type, []))
        extra = _EXTRA_EXPERTISE.get(org.type, [])
        expertise += rng.sample(extra, k=min(len(extra), rng.randint(1, 3)))
        entry.description = _DESCRIPTIONS.get(org.type, "{kind} in Amstelmere.").format(
            wijk=wijk.name if wijk else "heel Amstelmere", kind=org.get_type_display()
        )
        entry.visiting_address = fake.street_address()
        entry.postcode = f"{number} {fake.random_uppercase_letter()}{rng.choice('ABCDEGHJKLMNPRTVWXZ')}"
        entry.phone = fake.phone_number()
        entry.secure_email = f"{rng.choice(['veilig', 'zorgmail', 'aandachtsfunctionaris'])}@{slug}.example"
        entry.website = f"https://www.{slug}.example"
        entry.opening_hours = rng.choice(_HOURS_TEXT)
        entry.opening_hours_weekly = _weekly(rng)
        entry.expertise = expertise
        entry.age_min, entry.age_max = _AGES.get(org.type, (None, None))
        entry.is_public = rng.random() < PUBLIC_SHARE
        draw = rng.random()
        if draw < NEVER_CONFIRMED_SHARE:
            entry.last_confirmed_at = None
        elif draw < STALE_SHARE:
            entry.last_confirmed_at = now - timedelta(days=rng.randint(stale_days + 1, stale_days + 400))
        else:
            entry.last_confirmed_at = now - timedelta(days=rng.randint(1, stale_days - 1))
        entry.search_text = search_text_for(org, entry, officers=names.get(org.pk, []))
        (old if entry.pk else new).append(entry)
    OrganisationEntry.objects.bulk_create(new, batch_size=BATCH_SIZE)
    OrganisationEntry.objects.bulk_update(old, _ENTRY_FIELDS, batch_size=BATCH_SIZE)
    return len(new) + len(old)


def _agreements(
    orgs: Sequence[Organisation], wijk_of: dict[int, Wijk | None], wijken: Sequence[Wijk], rng: random.Random,
    now: datetime, count: int,
) -> int:  # fmt: skip
    today = now.date()
    by_type: dict[str, list[Organisation]] = {}
    for org in orgs:
        by_type.setdefault(org.type, []).append(org)
    officers: dict[int, list[int]] = {}
    for org_id, user_id in Membership.objects.filter(
        organisation__in=orgs, role=Role.AANDACHTSFUNCTIONARIS, is_active=True
    ).values_list("organisation_id", "user_id"):
        officers.setdefault(org_id, []).append(user_id)
    kinds = list(_AGREEMENTS)
    items: list[Agreement] = []
    links: list[tuple[list[Organisation], list[Wijk]]] = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        titles, promises, types = _AGREEMENTS[kind]
        n_parties = min(len(orgs), rng.choices((2, 3, 4), weights=(60, 30, 10))[0])
        first_pool = by_type.get(rng.choice(types)) or list(orgs)
        first = rng.choice(first_pool)
        parties = [first]
        while len(parties) < n_parties:
            pool = by_type.get(rng.choice(types)) or list(orgs)
            candidate = rng.choice(pool if rng.random() < 0.8 else orgs)
            if candidate not in parties:
                parties.append(candidate)
        home = wijk_of.get(first.pk) or wijk_of.get(parties[1].pk)
        draw = rng.random()
        if draw < CITY_WIDE_SHARE:
            in_wijken: list[Wijk] = []  # the whole municipality
        elif draw < 0.85 and home is not None:
            in_wijken = [home]
        else:
            in_wijken = rng.sample(list(wijken), k=min(len(wijken), rng.randint(1, 3)))
        start = today - timedelta(days=rng.randint(30, 5 * 365))
        review_draw = rng.random()
        if review_draw < 0.12:
            review = today - timedelta(days=rng.randint(1, 180))  # overdue
        elif review_draw < 0.9:
            review = today + timedelta(days=rng.randint(14, 540))
        else:
            review = None
        end = None
        if rng.random() < 0.1:
            end = start + timedelta(days=rng.randint(180, 3 * 365))
        elif rng.random() < 0.1:
            end = today + timedelta(days=rng.randint(30, 730))
        names = {"a": parties[0].name, "b": parties[1].name}
        items.append(
            Agreement(
                municipality_id=first.municipality_id,
                type=kind,
                title=rng.choice(titles).format(**names)[:200],
                promise=rng.choice(promises).format(**names),
                start_date=start,
                review_date=review if review is None or review > start else start + timedelta(days=365),
                end_date=end,
                bestuurlijk_vastgesteld=rng.random() < 0.6,
                source_url="https://www.amstelmere.example/samenwerkingsafspraken" if rng.random() < 0.5 else "",
            )
        )
        links.append((parties, in_wijken))
    created = Agreement.objects.bulk_create(items, batch_size=BATCH_SIZE)
    party_rows: list[Any] = []
    wijk_rows: list[Any] = []
    contact_rows: list[Any] = []
    party_through = Agreement.parties.through
    wijk_through = Agreement.wijken.through
    contact_through = Agreement.contact_persons.through
    for agreement, (parties, in_wijken) in zip(created, links, strict=True):
        party_rows += [party_through(agreement_id=agreement.pk, organisation_id=p.pk) for p in parties]
        wijk_rows += [wijk_through(agreement_id=agreement.pk, wijk_id=w.pk) for w in in_wijken]
        people = {rng.choice(officers[p.pk]) for p in parties if officers.get(p.pk)}
        contact_rows += [contact_through(agreement_id=agreement.pk, user_id=u) for u in sorted(people)]
    party_through.objects.bulk_create(party_rows, batch_size=BATCH_SIZE)
    wijk_through.objects.bulk_create(wijk_rows, batch_size=BATCH_SIZE)
    contact_through.objects.bulk_create(contact_rows, batch_size=BATCH_SIZE)
    return len(created)


def seed_network_large(
    *, orgs: Sequence[Organisation], wijken: Sequence[Wijk], rng: random.Random, now: datetime, scale: float = 1.0
) -> dict[str, int]:
    """Postcode ranges, an entry for every organisation and ~1,500 × ``scale`` agreements."""
    fake = Faker("nl_NL")
    fake.seed_instance(rng.randint(0, 2**31))
    ranges = postcode_ranges(wijken)
    wijk_by_pk = {w.pk: w for w in wijken}
    served: dict[int, list[int]] = {}
    for org_id, wijk_id in Organisation.wijken.through.objects.filter(organisation__in=orgs).values_list(
        "organisation_id", "wijk_id"
    ):
        served.setdefault(org_id, []).append(wijk_id)
    # An organisation serving one wijk lies in it; one serving several (or none) serves the whole city.
    wijk_of = {o.pk: wijk_by_pk[served[o.pk][0]] if len(served.get(o.pk, [])) == 1 else None for o in orgs}
    entries = _entries(orgs, wijk_of, rng, fake, now)
    agreements = _agreements(orgs, wijk_of, wijken, rng, now, max(7, round(AGREEMENTS * scale)))
    return {"entries": entries, "postcode_ranges": len(ranges), "agreements": agreements}
