"""The data of the large profile's city Amstelmere: wijken, organisations per type, sizes and the
shape of its audit history."""

from __future__ import annotations

from keten.accounts.models import OrganisationType
from keten.core.models import AuditAction

CITY = "Amstelmere"
MUNICIPALITY_NAME = f"Gemeente {CITY}"
MUNICIPALITY_CODE = "GM9980"
WIJK_NAMES = [
    "Centrum-West", "Centrum-Oost", "Westerpark", "Bos en Lommer", "De Baarsjes", "Oud-West", "Zuid",
    "De Pijp", "Rivierenbuurt", "Buitenveldert", "Oost", "Watergraafsmeer", "IJburg", "Noord-West",
    "Noord-Oost", "Oud-Noord", "Nieuw-West", "Slotervaart", "Osdorp", "Geuzenveld", "Zuidoost", "Gaasperdam",
]  # fmt: skip
#: Organisations per type at scale 1 (350 in all) and professionals per organisation of that type.
ORG_PLAN: dict[str, tuple[int, int]] = {
    OrganisationType.WIJKTEAM: (22, 30),
    OrganisationType.JGZ: (12, 18),
    OrganisationType.ONDERWIJS: (150, 3),
    OrganisationType.KINDEROPVANG: (60, 2),
    OrganisationType.HUISARTS: (50, 2),
    OrganisationType.VEILIG_THUIS: (1, 80),
    OrganisationType.POLITIE: (8, 10),
    OrganisationType.OM: (1, 8),
    OrganisationType.RVDK: (1, 20),
    OrganisationType.GI: (3, 30),
    OrganisationType.JEUGDHULP: (15, 10),
    OrganisationType.GGZ: (6, 8),
    OrganisationType.VERSLAVINGSZORG: (2, 6),
    OrganisationType.SCHULDHULP: (3, 5),
    OrganisationType.WELZIJN: (8, 5),
    OrganisationType.GEMEENTE: (1, 15),
    OrganisationType.SPORT: (5, 2),
    OrganisationType.OVERIG: (2, 2),
}
ORG_PREFIX: dict[str, str] = {
    OrganisationType.WIJKTEAM: "Wijkteam",
    OrganisationType.JGZ: "JGZ-locatie",
    OrganisationType.ONDERWIJS: "School",
    OrganisationType.KINDEROPVANG: "Kinderopvang",
    OrganisationType.HUISARTS: "Huisartsenpraktijk",
    OrganisationType.VEILIG_THUIS: "Veilig Thuis",
    OrganisationType.POLITIE: "Politie basisteam",
    OrganisationType.OM: "Openbaar Ministerie",
    OrganisationType.RVDK: "Raad voor de Kinderbescherming",
    OrganisationType.GI: "Jeugdbescherming",
    OrganisationType.JEUGDHULP: "Jeugdhulp",
    OrganisationType.GGZ: "Jeugd-GGZ",
    OrganisationType.VERSLAVINGSZORG: "Verslavingszorg",
    OrganisationType.SCHULDHULP: "Schuldhulp",
    OrganisationType.WELZIJN: "Welzijn",
    OrganisationType.GEMEENTE: "Gemeente",
    OrganisationType.SPORT: "Sportvereniging",
    OrganisationType.OVERIG: "Stichting",
}
FAMILIES = 100_000
AUDIT_EVENTS = 1_000_000
HISTORY_YEARS = 5
BENCH_CASE_TEAMS = 50
BENCH_ORG_SHARE = 0.10  # share of all audit events by staff of bench-aandachtsfunctionaris's organisation
BENCH_PROF_SHARE = 0.01  # share of all audit events by bench-professional
# Actions of case roles and their weights; other roles only log in and out (and export figures).
CASE_ACTIONS = [
    (AuditAction.VIEW, 60),
    (AuditAction.UPDATE, 12),
    (AuditAction.CREATE, 8),
    (AuditAction.LOGIN, 10),
    (AuditAction.LOGOUT, 6),
    (AuditAction.LOGIN_FAILED, 1),
    (AuditAction.SHARE, 1),
    (AuditAction.EXPORT, 1),
    (AuditAction.BREAK_GLASS, 1),
]
OBJECT_TYPES = {
    AuditAction.VIEW: ["dossier", "dossier", "dossier", "person", "dossier_list"],
    AuditAction.UPDATE: ["dossier", "person", "case_team"],
    AuditAction.CREATE: ["note", "note", "person", "dossier"],
    AuditAction.SHARE: ["dossier"],
    AuditAction.EXPORT: ["dossier"],
    AuditAction.BREAK_GLASS: ["dossier"],
}


BENCH_ACCOUNTS = ("bench-professional", "bench-aandachtsfunctionaris")
