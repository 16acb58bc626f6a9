"""The deelhulp: may this information be shared, with whom and how? Rules as versioned data plus code.

The professional answers, in this order: to whom and for what purpose; is there valid consent; if
not, does a statutory basis apply (meldrecht to Veilig Thuis, Wmo 2015 art. 5.2.6; meldrecht to the
verwijsindex, Jeugdwet art. 7.1.4.1) or a convenant that covers this partner, purpose and data; if
not, the five questions of conflict van plichten; then necessity, proportionality and subsidiarity
(which data exactly, is less enough); and whether the client is informed. :func:`advise` turns the
answers into one of four advices with the reasons and the legal basis, in plain Dutch. The
professional confirms the advice or overrides it with a motivation (recorded by the caller).

Every path through :func:`advise` has a unit test (``tests/test_deelhulp.py``). When the rules
change, bump :data:`RULES_VERSION`: each recorded advice keeps the version it was given under.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

RULES_VERSION = "2026.11-1"


class Recipient(StrEnum):
    VEILIG_THUIS = "veilig_thuis"
    VERWIJSINDEX = "verwijsindex"
    KETENPARTNER = (
        "ketenpartner"  # school, JGZ, huisarts, wijkteam, jeugdhulp, politie … outside one's own organisation
    )
    COLLEGA = "collega"  # a colleague within the own organisation who works on the case


class Consent(StrEnum):
    GELDIG = "geldig"  # recorded, covers this purpose and recipient, not withdrawn, not expired
    INGETROKKEN = "ingetrokken"
    GEEN = "geen"  # not asked, refused, or not covering this purpose/recipient


class Basis(StrEnum):
    TOESTEMMING = "toestemming"
    MELDRECHT_VEILIG_THUIS = "meldrecht_veilig_thuis"
    MELDRECHT_VERWIJSINDEX = "meldrecht_verwijsindex"
    CONVENANT = "convenant"
    BEHANDELRELATIE = "behandelrelatie"
    CONFLICT_VAN_PLICHTEN = "conflict_van_plichten"


BASIS_TEXT: dict[Basis, Promise] = {
    Basis.TOESTEMMING: _("Toestemming van de betrokkene (AVG art. 6 lid 1 sub a), vastgelegd en niet ingetrokken."),
    Basis.MELDRECHT_VEILIG_THUIS: _(
        "Meldrecht: u mag zonder toestemming informatie aan Veilig Thuis geven die nodig is om huiselijk geweld of "
        "kindermishandeling te stoppen of te onderzoeken (Wmo 2015 art. 5.2.6)."
    ),
    Basis.MELDRECHT_VERWIJSINDEX: _(
        "Meldrecht verwijsindex: u mag zonder toestemming vastleggen dát u betrokken bent, niet wat er speelt "
        "(Jeugdwet art. 7.1.4.1)."
    ),
    Basis.CONVENANT: _(
        "Het convenant van deze samenwerking staat deze gegevensstroom toe, met de grondslag die daarin per "
        "stroom is vastgelegd."
    ),
    Basis.BEHANDELRELATIE: _(
        "Collega's in uw eigen organisatie die direct bij de hulp betrokken zijn, mogen weten wat voor hun werk "
        "nodig is."
    ),
    Basis.CONFLICT_VAN_PLICHTEN: _(
        "Conflict van plichten: uw plicht om het kind te beschermen weegt in dit geval zwaarder dan uw plicht "
        "tot geheimhouding. Leg de afweging zorgvuldig vast."
    ),
}


class Advice(StrEnum):
    DELEN = "delen"
    MINDER_DELEN = "minder_delen"
    NIET_DELEN = "niet_delen"
    OVERLEGGEN = "overleggen"


ADVICE_TEXT: dict[Advice, Promise] = {
    Advice.DELEN: _("U mag deze informatie delen."),
    Advice.MINDER_DELEN: _("U mag delen, maar deel minder: alleen wat de ontvanger echt nodig heeft."),
    Advice.NIET_DELEN: _("Deel deze informatie niet."),
    Advice.OVERLEGGEN: _(
        "Deel nog niets. Overleg eerst met uw aandachtsfunctionaris of vraag Veilig Thuis om advies (0800-2000)."
    ),
}

#: The five questions of conflict van plichten, in order. True is the answer that allows sharing.
CONFLICT_QUESTIONS: list[tuple[str, Promise, bool]] = [
    ("belang", _("Dient u met delen een zwaarwegend belang van het kind of van uw cliënt?"), True),
    (
        "andere_weg",
        _("Is er een andere manier om hetzelfde doel te bereiken zonder uw geheimhouding te doorbreken?"),
        False,
    ),
    (
        "toestemming_onmogelijk",
        _("Is het onmogelijk of onverstandig om toestemming te vragen, en kunt u uitleggen waarom?"),
        True,
    ),
    ("zwaarder", _("Weegt het belang van delen zwaarder dan het belang van uw cliënt bij uw zwijgen?"), True),
    ("gericht", _("Weet u precies aan wie u wat deelt, zodat het geweld effectief kan worden aangepakt?"), True),
]

#: Reasons that justify not informing the client beforehand.
NOT_INFORMING_REASONS = {
    "veiligheid_kind": _("Informeren brengt de veiligheid van het kind in gevaar."),
    "veiligheid_anderen": _("Informeren brengt de veiligheid van de professional of anderen in gevaar."),
    "contact_verbreken": _("De cliënt verbreekt dan waarschijnlijk het contact, terwijl het kind hulp nodig heeft."),
}


@dataclass(frozen=True)
class Answers:
    recipient: Recipient
    purpose: str
    consent: Consent = Consent.GEEN
    #: The recipient is Veilig Thuis and the purpose is a melding or an advice about violence or maltreatment.
    about_violence: bool = False
    #: A convenant covers this partner, this purpose and all the data categories to be shared.
    convenant_covers: bool = False
    #: Conflict van plichten, answered only when no other basis applies: key → yes/no (missing = not answered).
    conflict: dict[str, bool] = field(default_factory=dict)
    #: Data categories the professional means to share, and the ones the recipient needs for the purpose.
    categories: frozenset[str] = frozenset()
    needed: frozenset[str] = frozenset()
    #: Could the purpose be reached with less (e.g. only that there are worries, no details)?
    less_is_enough: bool = False
    #: Will the client be informed? If not, one of NOT_INFORMING_REASONS.
    inform_client: bool = True
    not_informing_reason: str = ""


@dataclass(frozen=True)
class Result:
    advice: Advice
    basis: Basis | None
    reasons: list[Promise]
    #: What the professional should do as well (inform the parents, record the weighing, …).
    also: list[Promise]
    #: Categories to leave out (share less).
    leave_out: frozenset[str] = frozenset()
    rules_version: str = RULES_VERSION

    @property
    def text(self) -> Promise:
        return ADVICE_TEXT[self.advice]

    @property
    def basis_text(self) -> Promise | None:
        return BASIS_TEXT[self.basis] if self.basis else None


#: What a verwijsindex signal may hold: that one is involved, and how to reach the professional.
VERWIJSINDEX_CATEGORIES = frozenset({"betrokkenheid", "contactgegevens"})


class InvalidAnswersError(ValueError):
    """The answers cannot be evaluated (e.g. no purpose); the message is Dutch."""


def _statutory_basis(a: Answers) -> Basis | None:
    if a.recipient is Recipient.VEILIG_THUIS and a.about_violence:
        return Basis.MELDRECHT_VEILIG_THUIS
    if a.recipient is Recipient.VERWIJSINDEX:
        return Basis.MELDRECHT_VERWIJSINDEX
    if a.recipient is Recipient.COLLEGA:
        return Basis.BEHANDELRELATIE
    return None


def advise(a: Answers) -> Result:
    """The advice for a set of answers (see the module docstring for the order of the questions)."""
    if not a.purpose.strip():
        raise InvalidAnswersError(str(_("Geef aan met welk doel u de informatie wilt delen.")))
    if not a.categories:
        raise InvalidAnswersError(str(_("Geef aan welke gegevens u wilt delen.")))
    reasons: list[Promise] = []
    also: list[Promise] = []

    # 1. The basis: consent, a statutory basis, a convenant, or conflict van plichten.
    basis: Basis | None = None
    if a.consent is Consent.GELDIG:
        basis = Basis.TOESTEMMING
        reasons.append(_("Er is geldige toestemming voor dit doel en deze ontvanger."))
    else:
        if a.consent is Consent.INGETROKKEN:
            reasons.append(_("De toestemming is ingetrokken; daarop kunt u niet meer delen."))
        basis = _statutory_basis(a)
        if basis is not None:
            reasons.append(_("Er is een wettelijke grondslag om zonder toestemming te delen."))
        elif a.convenant_covers:
            basis = Basis.CONVENANT
            reasons.append(_("Het convenant dekt deze ontvanger, dit doel en deze gegevens."))
    if basis is None:
        answered = {key for key, _q, _ok in CONFLICT_QUESTIONS if key in a.conflict}
        if len(answered) < len(CONFLICT_QUESTIONS):
            reasons.append(_("Er is geen toestemming, geen wettelijke grondslag en geen convenant dat dit delen dekt."))
            return Result(Advice.OVERLEGGEN, None, reasons, [_("Leg vast dat u de deelhulp heeft gebruikt.")])
        failed = [key for key, _q, ok in CONFLICT_QUESTIONS if a.conflict[key] is not ok]
        if failed:
            reasons.append(
                _("De vijf vragen van conflict van plichten rechtvaardigen het doorbreken van uw geheimhouding niet.")
            )
            return Result(
                Advice.NIET_DELEN,
                None,
                reasons,
                [_("Overleg met uw aandachtsfunctionaris; vraag zo mogelijk alsnog toestemming.")],
            )
        basis = Basis.CONFLICT_VAN_PLICHTEN
        reasons.append(_("Alle vijf vragen van conflict van plichten wijzen op delen."))
        also.append(_("Overleg zo mogelijk vooraf met uw aandachtsfunctionaris en leg de afweging vast."))

    # 2. Necessity, proportionality, subsidiarity: only what the recipient needs, and less when less is enough.
    leave_out = frozenset(a.categories - a.needed) if a.needed else frozenset()
    if basis is Basis.MELDRECHT_VERWIJSINDEX:
        leave_out = frozenset(a.categories - VERWIJSINDEX_CATEGORIES)
        if leave_out:
            reasons.append(_("In de verwijsindex staat alleen dát u betrokken bent, nooit wat er speelt."))
    if a.less_is_enough or leave_out:
        if not leave_out:
            reasons.append(_("Het doel is ook met minder gegevens te bereiken."))
        else:
            reasons.append(_("Niet alle gegevens zijn nodig voor dit doel."))
        advice = Advice.MINDER_DELEN
    else:
        advice = Advice.DELEN

    # 3. Informing the client.
    if a.inform_client:
        also.insert(0, _("Informeer de ouders (en de jongere vanaf 12 jaar) dat u deelt, met wie en waarom."))
    elif a.not_informing_reason in NOT_INFORMING_REASONS:
        also.insert(0, _("U informeert de cliënt niet vooraf; leg de reden vast en informeer zodra het veilig kan."))
    else:
        also.insert(
            0,
            _(
                "Informeer de cliënt dat u deelt. Niet informeren mag alleen als dat de veiligheid van het kind "
                "of anderen in gevaar brengt, of als de cliënt dan het contact verbreekt."
            ),
        )
    also.append(_("Leg de verstrekking vast: wat, aan wie, met welk doel en op welke grondslag."))
    return Result(advice, basis, reasons, also, leave_out)
