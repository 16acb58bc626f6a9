"""What a registration holds and when it is valid: the young person's identity, the keys the index
knows them by (a keyed pseudonym of the BSN, or of name and date of birth), and the checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from keten.core.crypto import blind_index, is_valid_bsn, name_birth_index, normalise_bsn
from keten.core.errors import DomainError
from keten.verwijsindex.models import (
    Match,
    Signal,
)

MAX_AGE = 23


MIN_MOTIVATION = 10


RISK_CATEGORIES = tuple("abcdefghijkl")


class IdentityConfirmationError(DomainError):
    """Without a BSN, a young person with the same name and birth date exists: a human must decide."""

    status_code = 409
    code = "confirm_identity"

    def __init__(self, message: str, *, candidates: list[int]) -> None:
        super().__init__(message, field="identity")
        self.candidates = candidates


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def youth_key(bsn: str) -> str:
    """The index's own keyed pseudonym of a BSN (a separate key space from the dossiers)."""
    return blind_index("vi_bsn", normalise_bsn(bsn))


def parent_key(bsn: str) -> str:
    return blind_index("vi_parent", normalise_bsn(bsn))


@dataclass
class Identity:
    date_of_birth: date | None
    bsn: str = ""
    first_name: str = ""
    last_name: str = ""
    parent_bsns: list[str] = field(default_factory=list)


@dataclass
class Registration:
    identity: Identity
    risk_categories: list[str]
    criteria_confirmed: bool
    parents_informed_on: date | None = None
    youth_informed_on: date | None = None
    notice_postponed: bool = False
    postpone_motivation: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    #: Without BSN: the young person the professional confirmed as the same (from the proposal).
    confirm_youth_id: int | None = None
    #: Without BSN: the professional confirmed it is someone new despite the proposal.
    confirm_new_youth: bool = False
    #: Without BSN: if exactly one young person has this name and birth date, it is that one (API).
    confirm_same_youth: bool = False
    #: API: the professional the signal is registered for (an active case-role member of the client's
    #: organisation, checked by :mod:`keten.accounts.acting`); a system already acting for a professional
    #: may leave it empty or repeat that professional.
    professional_id: int | None = None
    idempotency_key: str = ""


@dataclass
class RegistrationResult:
    signal: Signal
    created: bool
    matches: list[Match]
    #: Number of earlier (archived) signals on this young person; look them up with youth_history.
    history: int = 0


class Memo:
    """What validating a registration derives from its values, computed once per distinct value in
    a call (a bulk call repeats the same BSNs, parents, birth dates and names many times)."""

    def __init__(self) -> None:
        self._bsns: dict[str, tuple[str, bool]] = {}
        self._keys: dict[tuple[str, str], str] = {}
        self._names: dict[tuple[str, str, date], str] = {}
        self._dates: dict[tuple[date, int, int], date] = {}

    def bsn(self, value: str) -> tuple[str, bool]:
        """(normal form, passes the elfproef) of a BSN as typed."""
        hit = self._bsns.get(value)
        if hit is None:
            hit = self._bsns[value] = (normalise_bsn(value), is_valid_bsn(value))
        return hit

    def key(self, purpose: str, normalised: str) -> str:
        """``blind_index(purpose, normalised)``: :func:`youth_key` / :func:`parent_key` of a normalised BSN."""
        hit = self._keys.get((purpose, normalised))
        if hit is None:
            hit = self._keys[(purpose, normalised)] = blind_index(purpose, normalised)
        return hit

    def name_key(self, first_name: str, last_name: str, date_of_birth: date) -> str:
        wanted = (first_name, last_name, date_of_birth)
        hit = self._names.get(wanted)
        if hit is None:
            hit = self._names[wanted] = name_birth_index(first_name, last_name, date_of_birth)
        return hit

    def shifted(self, day: date, years: int = 0, months: int = 0) -> date:
        """``day + relativedelta(years=years, months=months)``."""
        hit = self._dates.get((day, years, months))
        if hit is None:
            hit = self._dates[(day, years, months)] = day + relativedelta(years=years, months=months)
        return hit


def check_registration(data: Registration, today: date, memo: Memo | None = None) -> tuple[int, str, str]:
    """Validate; returns (age, bsn key or "", name-birth key)."""
    memo = memo or Memo()
    ident = data.identity
    if ident.date_of_birth is None:
        raise DomainError(_("Vul de geboortedatum van de jongere in."), field="date_of_birth")
    if ident.date_of_birth > today:
        raise DomainError(_("De geboortedatum ligt in de toekomst."), field="date_of_birth")
    age = age_on(ident.date_of_birth, today)
    if age >= MAX_AGE:
        raise DomainError(
            _("De verwijsindex is voor jongeren tot 23 jaar; deze jongere is %(age)d.") % {"age": age},
            field="date_of_birth",
        )
    bsn = (ident.bsn or "").strip()
    bsn_normal, bsn_valid = memo.bsn(bsn) if bsn else ("", False)
    if bsn and not bsn_valid:
        raise DomainError(_("Dit BSN klopt niet: het voldoet niet aan de elfproef."), field="bsn")
    if not ident.first_name.strip() or not ident.last_name.strip():
        raise DomainError(_("Vul de voornaam en de achternaam van de jongere in."), field="last_name")
    for parent in ident.parent_bsns:
        parent_normal, parent_valid = memo.bsn(parent)
        if not parent_valid:
            raise DomainError(_("Het BSN van een ouder klopt niet (elfproef)."), field="parent_bsns")
        if bsn and parent_normal == bsn_normal:
            raise DomainError(_("Het BSN van de ouder is gelijk aan dat van de jongere."), field="parent_bsns")
    if not data.criteria_confirmed:
        raise DomainError(
            _("Bevestig dat een van de registratiecriteria van de gemeente van toepassing is."), field="criteria"
        )
    cats = [c.strip().lower() for c in data.risk_categories if c.strip()]
    if not cats or any(c not in RISK_CATEGORIES for c in cats):
        raise DomainError(_("Kies minstens één risico (a tot en met l) uit de wet."), field="risk_categories")
    for name, value in (
        ("parents_informed_on", data.parents_informed_on),
        ("youth_informed_on", data.youth_informed_on),
    ):
        if value is not None and value > today:
            raise DomainError(_("Deze datum ligt in de toekomst."), field=name)
    needs_parents = age < 16
    needs_youth = age >= 12
    missing = (needs_parents and data.parents_informed_on is None) or (needs_youth and data.youth_informed_on is None)
    if missing and not data.notice_postponed:
        if needs_parents and needs_youth:
            message = _(
                "Leg vast wanneer de ouders en de jongere zijn geïnformeerd, of stel dit uit met een motivering."
            )
        elif needs_parents:
            message = _("Leg vast wanneer de ouders zijn geïnformeerd, of stel dit uit met een motivering.")
        else:
            message = _("Leg vast wanneer de jongere is geïnformeerd, of stel dit uit met een motivering.")
        raise DomainError(message, field="notice")
    if data.notice_postponed and len(data.postpone_motivation.strip()) < MIN_MOTIVATION:
        raise DomainError(
            _("Motiveer waarom u het informeren uitstelt (minstens %(n)d tekens).") % {"n": MIN_MOTIVATION},
            field="postpone_motivation",
        )
    name_key = memo.name_key(ident.first_name, ident.last_name, ident.date_of_birth)
    return age, (memo.key("vi_bsn", bsn_normal) if bsn else ""), name_key
