"""The coded answers an entry of a traject records, with their Dutch labels.

The services check input against these codes, the forms offer them as choices, and the timeline
and the report show their labels. Which kinds of entry may be corrected is here too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _l

from keten.meldcode.models import EntryKind

#: The source of a signal or observation the professional saw or heard themselves.
SOURCE_SELF = "zelf"

KINDCHECK_PROBLEMS = {
    "partnergeweld": _l("Partnergeweld"),
    "verslaving": _l("Verslaving of problematisch middelengebruik"),
    "psychiatrie": _l("Ernstige psychiatrische problemen"),
    "lvb": _l("Licht verstandelijke beperking"),
    "financieel": _l("Ernstige financiële problemen of dreigende uitzetting"),
    "wapenbezit": _l("Wapenbezit"),
    "overig": _l("Andere problemen die kinderen in gevaar kunnen brengen"),
}


KINDCHECK_MOMENTS = {
    "intake": _l("Bij de intake"),
    "evaluatie": _l("Bij een evaluatie of multidisciplinair overleg"),
    "nieuwe_zorg": _l("Bij nieuwe zorgen"),
}


class KindcheckOutcome:
    NEGATIEF = "negatief"
    POSITIEF = "positief"
    OVERGEDRAGEN = "overgedragen"
    ALL = (NEGATIEF, POSITIEF, OVERGEDRAGEN)


KINDCHECK_OUTCOMES: dict[str, Any] = {
    KindcheckOutcome.NEGATIEF: _l("Negatief: geen minderjarige kinderen in beeld, de Kindcheck is afgerond"),
    KindcheckOutcome.POSITIEF: _l("Positief: er zijn kinderen in beeld, ik ga verder met de meldcode"),
    KindcheckOutcome.OVERGEDRAGEN: _l("Overgedragen aan een andere professional of organisatie"),
}
PARTICIPANTS: dict[str, Any] = {
    "ouders": _l("Ouders"),
    "verzorgers": _l("Verzorgers"),
    "kind": _l("Het kind"),
    "jongere": _l("De jongere"),
    "client": _l("De cliënt"),
}

VT_ADVICE_OUTCOMES = {
    "hulp_organiseren": _l("Zelf hulp bieden of organiseren"),
    "verder_signaleren": _l("Verder signaleren en opnieuw overleggen"),
    "melden": _l("Een melding doen"),
    "anders": _l("Ander advies"),
}


CONVERSATION_EXCEPTIONS = {
    "veiligheid_kind": _l("De veiligheid van het kind komt in gevaar"),
    "veiligheid_professional": _l("De veiligheid van de professional of anderen komt in gevaar"),
    "contact_verbreken": _l("Goede redenen om aan te nemen dat de cliënt het contact verbreekt"),
    "niet_bereikbaar": _l("De betrokkenen zijn na meerdere pogingen niet bereikbaar"),
}


VT_FEEDBACK_OUTCOMES = {
    "onderzoek": _l("Veilig Thuis doet onderzoek"),
    "raad": _l("Veilig Thuis vraagt de Raad voor de Kinderbescherming om onderzoek"),
    "voorwaarden_vervolg": _l("Voorwaarden en vervolg: Veilig Thuis stelt veiligheidsvoorwaarden en monitort"),
    "overdracht": _l("Overdracht aan het lokale team of de hulpverlening"),
    "einde": _l("Einde bemoeienis van Veilig Thuis"),
}


CORRECTABLE = frozenset(
    {
        EntryKind.SIGNAAL,
        EntryKind.OBSERVATIE,
        EntryKind.KINDCHECK,
        EntryKind.ADVIES_VEILIG_THUIS,
        EntryKind.DESKUNDIGE,
        EntryKind.GESPREK,
        EntryKind.GEEN_GESPREK,
        EntryKind.AFWEGING,
        EntryKind.TERUGKOPPELING,
    }
)
