"""The data of the large profile's overleg: how much history, the process steps and the texts."""

from __future__ import annotations

MUNICIPALITY_CODE = "GM9980"
HISTORY_WEEKS = 104
PLANNED_WEEKS = 6
BENCH_CASES = 15
STRAF_ZORG_NAME = "Afstemmingsoverleg straf–zorg Amstelmere"

STEPS = [
    ("Signalering", "Zorgen over veiligheid bij ten minste twee partners."),
    ("Analyse en afstemming", "Een gezamenlijk beeld van risico's en lopende trajecten is nodig."),
    ("Inzet hulp", "Hulp (en zo nodig strafrecht) wordt ingezet en afgestemd."),
    ("Monitoring", "Veiligheid is hersteld en wordt een periode gevolgd."),
]
REASONS = [
    "Herhaalde meldingen van huiselijk geweld; hulp komt niet op gang.",
    "Meerdere hulpverleners betrokken zonder afstemming.",
    "Zorgen over verwaarlozing; school en JGZ zien een terugval.",
    "Jongere verdacht van een delict; thuis onveilige situatie.",
    "Ouder met verslavingsproblematiek; kinderen zorgen voor zichzelf.",
    "Vechtscheiding; kinderen klem tussen ouders.",
]
GOALS = [
    "Eén plan, één regisseur.",
    "Veiligheid van de kinderen borgen en hulp afstemmen.",
    "Afspraken over wie wat doet en wanneer.",
]
AGREEMENTS = [
    "Huisbezoek afleggen en veiligheid inschatten",
    "Veiligheidsplan bijwerken met het gezin",
    "Stand van zaken strafzaak doorgeven",
    "Aanmelding bij jeugdhulp regelen",
    "Gesprek met school over aanwezigheid",
    "Terugkoppeling aan het overleg over de voortgang",
    "Traumascreening aanvragen",
]
SUMMARIES = [
    "Voortgang besproken; afspraken blijven staan.",
    "Situatie stabiel; monitoring gaat door.",
    "Nieuwe zorgen gemeld; extra afspraken gemaakt.",
    "Hulp loopt; volgende bespreking over drie weken.",
]
