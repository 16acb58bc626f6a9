"""The data of the demo municipality Lindeveld: its wijken, organisations, demo accounts and texts.

The note texts, dossier summaries and job titles are used by the large profile too.
"""

from __future__ import annotations

from dataclasses import dataclass

from keten.accounts.models import OrganisationType, Role

MUNICIPALITY_NAME = "Gemeente Lindeveld"
MUNICIPALITY_CODE = "GM9990"
PLACE = "Lindeveld"
WIJKEN = [
    ("LC", "Lindeveld-Centrum"),
    ("AK", "De Akkers"),
    ("HK", "Havenkwartier"),
    ("OL", "Oud-Lindeveld"),
    ("MW", "Molenwijk"),
]
FAMILIES_PER_WIJK = {"LC": 14, "AK": 9, "HK": 9, "OL": 9, "MW": 9}


@dataclass(frozen=True)
class OrgSpec:
    name: str
    type: str
    size: int
    teams: tuple[str, ...] = ()
    wijk: str = ""  # code of the one wijk it serves; empty = all


def org_specs() -> list[OrgSpec]:
    specs = [
        OrgSpec(MUNICIPALITY_NAME, OrganisationType.GEMEENTE, 6, ("Beleid jeugd en veiligheid", "Functioneel beheer"))
    ]
    specs += [
        OrgSpec(f"Wijkteam {name}", OrganisationType.WIJKTEAM, 10, (f"Team Jeugd en Gezin {name}",), code)
        for code, name in WIJKEN
    ]
    specs += [
        OrgSpec("GGD Lindeveld Jeugdgezondheidszorg", OrganisationType.JGZ, 10, ("JGZ 0-4 jaar", "JGZ 4-18 jaar")),
        OrgSpec("Basisschool De Regenboog", OrganisationType.ONDERWIJS, 4, ("Zorgteam",), "AK"),
        OrgSpec("Kindcentrum Het Kompas", OrganisationType.ONDERWIJS, 4, ("Zorgteam",), "HK"),
        OrgSpec("Lindeveld College", OrganisationType.ONDERWIJS, 4, ("Zorg- en adviesteam",)),
        OrgSpec("Kinderopvang Kleine Beer", OrganisationType.KINDEROPVANG, 3, ("Locatie Molenwijk",), "MW"),
        OrgSpec("BSO De Speelwei", OrganisationType.KINDEROPVANG, 3, ("Locatie Centrum",), "LC"),
        OrgSpec("Huisartsenpraktijk Molenwijk", OrganisationType.HUISARTS, 3, ("Praktijk",), "MW"),
        OrgSpec("Gezondheidscentrum De Akkers", OrganisationType.HUISARTS, 3, ("Praktijk",), "AK"),
        OrgSpec("Veilig Thuis Regio Lindeveld", OrganisationType.VEILIG_THUIS, 12, ("Advies", "Onderzoek")),
        OrgSpec("Politie Basisteam Lindeveld", OrganisationType.POLITIE, 6, ("Wijkagenten",)),
        OrgSpec("Openbaar Ministerie Arrondissement Lindeveld", OrganisationType.OM, 3, ("Jeugd en zeden",)),
        OrgSpec("Raad voor de Kinderbescherming regio Lindeveld", OrganisationType.RVDK, 4, ("Beschermingsonderzoek",)),
        OrgSpec("Jeugdbescherming Lindeveld", OrganisationType.GI, 8, ("Jeugdbeschermers",)),
        OrgSpec("Jeugdhulp De Brug", OrganisationType.JEUGDHULP, 6, ("Ambulant",)),
        OrgSpec("Ambulante Jeugdhulp Lindeveld", OrganisationType.JEUGDHULP, 6, ("Gezinsbehandeling",)),
        OrgSpec("Jeugd-GGZ Lindeveld", OrganisationType.GGZ, 5, ("Behandelteam",)),
        OrgSpec("Verslavingszorg Lindeveld", OrganisationType.VERSLAVINGSZORG, 3, ("Ambulant",)),
        OrgSpec("Schuldhulp Lindeveld", OrganisationType.SCHULDHULP, 3, ("Budgetcoaching",)),
        OrgSpec("Welzijn Lindeveld", OrganisationType.WELZIJN, 4, ("Maatschappelijk werk",)),
        OrgSpec("Sportvereniging SV Lindeveld", OrganisationType.SPORT, 2, ("Jeugdbestuur",)),
        OrgSpec("Stichting Buurtvaders Lindeveld", OrganisationType.OVERIG, 2, ("Vrijwilligers",)),
    ]
    return specs


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    job_title: str
    organisation: str
    role: str
    team: bool = True
    superuser: bool = False
    #: Made after the families are drawn, so that adding the account changes no other demo data.
    added_late: bool = False


DEMO_ACCOUNTS = [
    DemoAccount(
        "demo-professional",
        "Sanne",
        "Bakker",
        "Jeugd- en gezinswerker",
        "Wijkteam Lindeveld-Centrum",
        Role.PROFESSIONAL,
    ),
    DemoAccount(
        "demo-aandachtsfunctionaris",
        "Yasmina",
        "El Idrissi",
        "Aandachtsfunctionaris huiselijk geweld en kindermishandeling",
        "Wijkteam Lindeveld-Centrum",
        Role.AANDACHTSFUNCTIONARIS,
        team=False,
    ),
    DemoAccount("demo-teamleider", "Marco", "Visser", "Teamleider", "Wijkteam Lindeveld-Centrum", Role.TEAMLEIDER),
    DemoAccount(
        "demo-collega", "Lotte", "Jansen", "Jeugd- en gezinswerker", "Wijkteam Lindeveld-Centrum", Role.PROFESSIONAL
    ),
    DemoAccount(
        "demo-veiligthuis", "Peter", "Hoekstra", "Medewerker advies", "Veilig Thuis Regio Lindeveld", Role.VEILIG_THUIS
    ),
    DemoAccount(
        "demo-beleid",
        "Fatma",
        "Yilmaz",
        "Beleidsmedewerker jeugd en veiligheid",
        MUNICIPALITY_NAME,
        Role.BELEIDSMEDEWERKER,
    ),
    DemoAccount(
        "demo-beheerder", "Kees", "de Boer", "Functioneel beheerder", MUNICIPALITY_NAME, Role.FUNCTIONEEL_BEHEERDER
    ),
    DemoAccount(
        "demo-privacy",
        "Ingrid",
        "Mulder",
        "Privacy officer",
        MUNICIPALITY_NAME,
        Role.PRIVACY_OFFICER,
        team=False,
        added_late=True,
    ),
    DemoAccount(
        "demo-superuser",
        "Technisch",
        "Beheer",
        "Technisch beheerder",
        MUNICIPALITY_NAME,
        Role.FUNCTIONEEL_BEHEERDER,
        team=False,
        superuser=True,
    ),
]

NOTE_TEXTS = [
    "Huisbezoek afgelegd. Moeder vertelt dat de spanningen thuis zijn toegenomen sinds het verlies van haar baan.",
    "Overleg met de intern begeleider: het kind komt vaak te laat en oogt vermoeid. "
    "Afgesproken om over twee weken opnieuw te kijken.",
    "Gesprek met beide ouders gevoerd over de zorgen. Ouders staan open voor opvoedondersteuning.",
    "Advies gevraagd aan Veilig Thuis. Advies: in gesprek blijven met het gezin en een veiligheidsplan opstellen.",
    "Veiligheidsplan besproken en ondertekend door beide ouders. Evaluatie over zes weken.",
    "Jeugdarts heeft het kind gezien; groei en ontwikkeling in orde, wel blauwe plekken op de bovenarm gezien "
    "en besproken met moeder.",
    "Telefonisch contact met de huisarts: vader is aangemeld bij de verslavingszorg.",
    "Schuldhulp is gestart; het gezin heeft een budgetcoach gekregen.",
    "Casusoverleg gehouden met school, JGZ en wijkteam. Afspraken vastgelegd; regievoerder blijft het wijkteam.",
    "Kind vertelt op school dat het bang is voor de ruzies thuis. "
    "Aandachtsfunctionaris geraadpleegd volgens de meldcode.",
    "Evaluatie: de situatie is stabiel, ouders houden zich aan de afspraken. "
    "Voorstel om het dossier over een maand te sluiten.",
    "Melding van de politie ontvangen na een huiselijk-geweldincident. Contact opgenomen met moeder.",
]
SUMMARIES = [
    "Zorgen over de veiligheid van de kinderen na signalen van school en JGZ.",
    "Ouders hebben ondersteuning nodig bij de opvoeding; schulden en stress spelen mee.",
    "Signalen van huiselijk geweld; veiligheidsplan loopt.",
    "Kind met gedragsproblemen op school; onderzoek naar de thuissituatie.",
    "Zorgen over verwaarlozing van het jongste kind.",
]


def job_title(org_type: str, role: str) -> str:
    if role == Role.AANDACHTSFUNCTIONARIS:
        return "Aandachtsfunctionaris"
    if role == Role.TEAMLEIDER:
        return "Teamleider"
    if role == Role.BELEIDSMEDEWERKER:
        return "Beleidsmedewerker"
    if role == Role.FUNCTIONEEL_BEHEERDER:
        return "Functioneel beheerder"
    return JOB_TITLES.get(org_type, "Professional")


JOB_TITLES: dict[str, str] = {
    OrganisationType.WIJKTEAM: "Jeugd- en gezinswerker",
    OrganisationType.JGZ: "Jeugdverpleegkundige",
    OrganisationType.ONDERWIJS: "Intern begeleider",
    OrganisationType.KINDEROPVANG: "Pedagogisch medewerker",
    OrganisationType.HUISARTS: "Huisarts",
    OrganisationType.VEILIG_THUIS: "Medewerker Veilig Thuis",
    OrganisationType.POLITIE: "Wijkagent",
    OrganisationType.OM: "Officier van justitie",
    OrganisationType.RVDK: "Raadsonderzoeker",
    OrganisationType.GI: "Jeugdbeschermer",
    OrganisationType.JEUGDHULP: "Gezinsbehandelaar",
    OrganisationType.GGZ: "GZ-psycholoog",
    OrganisationType.VERSLAVINGSZORG: "Verslavingsconsulent",
    OrganisationType.SCHULDHULP: "Schuldhulpverlener",
    OrganisationType.WELZIJN: "Maatschappelijk werker",
    OrganisationType.SPORT: "Jeugdcoördinator",
    OrganisationType.OVERIG: "Vrijwilligerscoördinator",
}
