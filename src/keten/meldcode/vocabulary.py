"""The coded answers an entry of a traject records, with their Dutch labels.

The services check input against these codes, the forms offer them as choices, and the timeline
and the report show their labels. Which kinds of entry may be corrected is here too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from keten.meldcode.models import EntryKind

#: The source of a signal or observation the professional saw or heard themselves.
SOURCE_SELF = "zelf"

KINDCHECK_PROBLEMS = {
    "partnergeweld": _("Partnergeweld"),
    "verslaving": _("Verslaving of problematisch middelengebruik"),
    "psychiatrie": _("Ernstige psychiatrische problemen"),
    "lvb": _("Licht verstandelijke beperking"),
    "financieel": _("Ernstige financiële problemen of dreigende uitzetting"),
    "wapenbezit": _("Wapenbezit"),
    "overig": _("Andere problemen die kinderen in gevaar kunnen brengen"),
}


KINDCHECK_MOMENTS = {
    "intake": _("Bij de intake"),
    "evaluatie": _("Bij een evaluatie of multidisciplinair overleg"),
    "nieuwe_zorg": _("Bij nieuwe zorgen"),
}


class KindcheckOutcome:
    NEGATIEF = "negatief"
    POSITIEF = "positief"
    OVERGEDRAGEN = "overgedragen"
    ALL = (NEGATIEF, POSITIEF, OVERGEDRAGEN)


KINDCHECK_OUTCOMES: dict[str, Any] = {
    KindcheckOutcome.NEGATIEF: _("Negatief: geen minderjarige kinderen in beeld, de Kindcheck is afgerond"),
    KindcheckOutcome.POSITIEF: _("Positief: er zijn kinderen in beeld, ik ga verder met de meldcode"),
    KindcheckOutcome.OVERGEDRAGEN: _("Overgedragen aan een andere professional of organisatie"),
}
PARTICIPANTS: dict[str, Any] = {
    "ouders": _("Ouders"),
    "verzorgers": _("Verzorgers"),
    "kind": _("Het kind"),
    "jongere": _("De jongere"),
    "client": _("De cliënt"),
}

VT_ADVICE_OUTCOMES = {
    "hulp_organiseren": _("Zelf hulp bieden of organiseren"),
    "verder_signaleren": _("Verder signaleren en opnieuw overleggen"),
    "melden": _("Een melding doen"),
    "anders": _("Ander advies"),
}


CONVERSATION_EXCEPTIONS = {
    "veiligheid_kind": _("De veiligheid van het kind komt in gevaar"),
    "veiligheid_professional": _("De veiligheid van de professional of anderen komt in gevaar"),
    "contact_verbreken": _("Goede redenen om aan te nemen dat de cliënt het contact verbreekt"),
    "niet_bereikbaar": _("De betrokkenen zijn na meerdere pogingen niet bereikbaar"),
}


VT_FEEDBACK_OUTCOMES = {
    "onderzoek": _("Veilig Thuis doet onderzoek"),
    "raad": _("Veilig Thuis vraagt de Raad voor de Kinderbescherming om onderzoek"),
    "voorwaarden_vervolg": _("Voorwaarden en vervolg: Veilig Thuis stelt veiligheidsvoorwaarden en monitort"),
    "overdracht": _("Overdracht aan het lokale team of de hulpverlening"),
    "einde": _("Einde bemoeienis van Veilig Thuis"),
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
