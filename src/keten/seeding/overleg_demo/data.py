"""The data of the demo's two overleg types: names, history length and process steps."""

from __future__ import annotations

STRAF_ZORG = "Afstemmingsoverleg straf–zorg Lindeveld"
WIJK = "Wijk-casusoverleg Lindeveld-Centrum"
HISTORY_WEEKS = 4

STRAF_ZORG_STEPS = [
    ("Signalering", "Zorgen over veiligheid bij ten minste twee ketenpartners, of een strafrechtelijk signaal."),
    ("Analyse en afstemming", "Er is een gezamenlijk beeld nodig van risico's en lopende trajecten in zorg en straf."),
    ("Inzet hulp en strafrecht", "Hulp en strafrechtelijke aanpak moeten op elkaar worden afgestemd."),
    ("Monitoring", "De veiligheid is hersteld maar moet nog een periode gevolgd worden."),
]
WIJK_STEPS = [
    ("Signalering", "Een professional maakt zich zorgen en wil meedenken van andere partners in de wijk."),
    ("Inzet hulp", "Hulp loopt vast of er zijn meerdere hulpverleners zonder afstemming."),
    ("Monitoring", "De situatie is stabiel; volgen of afspraken blijven werken."),
]
