"""Who the route matrix signs in as: the demo roles and the relations that tell rules apart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subject:
    key: str
    description: str
    user: str | None = None  # key in World.users
    system: str | None = None  # key in World.tokens: a system token (API only)
    acting: bool = False  # the system names a professional of its organisation (Keten-Professional)


SUBJECTS: tuple[Subject, ...] = (
    Subject("anonymous", "not signed in"),
    Subject("professional", "demo-professional: regievoerder of the target dossier", user="professional"),
    Subject("collega", "demo-collega: same wijkteam, not on the target's case team", user="collega"),
    Subject("bg_collega", "same wijkteam, active break-the-glass grant on the target dossier", user="bg_collega"),
    Subject("aandachtsfunctionaris", "demo-aandachtsfunctionaris of the same wijkteam", user="aandachtsfunctionaris"),
    Subject("teamleider", "demo-teamleider of the same wijkteam (chairs the wijk-casusoverleg)", user="teamleider"),
    Subject("veiligthuis", "demo-veiligthuis (chairs the straf-zorg overleg)", user="veiligthuis"),
    Subject("beleid", "demo-beleid: beleidsmedewerker of the gemeente", user="beleid"),
    Subject("beheerder", "demo-beheerder: functioneel beheerder of the gemeente", user="beheerder"),
    Subject("org_beheerder", "functioneel beheerder of demo-professional's wijkteam", user="org_beheerder"),
    Subject("privacy", "demo-privacy: privacy officer of the gemeente", user="privacy"),
    Subject("superuser", "demo-superuser: is_superuser, functioneel beheerder of the gemeente", user="superuser"),
    Subject("other_professional", "professional of another municipality", user="other_professional"),
    Subject("other_beheerder", "functioneel beheerder of another municipality", user="other_beheerder"),
    Subject("token_own", "system token (all scopes) of demo-professional's organisation", system="token_own"),
    Subject("token_other", "system token (all scopes) of an organisation not on the case team", system="token_other"),
    Subject(
        "token_own_for_professional",
        "the wijkteam's system token acting for demo-professional",
        system="token_own",
        acting=True,
    ),
    Subject(
        "token_other_for_member",
        "the other organisation's token acting for one of its own case-role members",
        system="token_other",
        acting=True,
    ),
)
SUBJECT_KEYS = frozenset(s.key for s in SUBJECTS)
TOKEN_SUBJECTS = frozenset(s.key for s in SUBJECTS if s.system)
