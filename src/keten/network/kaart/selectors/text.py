"""Text and postcodes as the sociale kaart compares them: folded words, Dutch postcodes, the wijk of a postcode."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from keten.accounts.models import Wijk
from keten.core.errors import DomainError
from keten.network.models import PostcodeRange

_POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")
_FORBIDDEN_LETTERS = frozenset({"SA", "SD", "SS"})


def normalise(text: str) -> str:
    """Lower case with accents folded: "Zoë" and "zoe" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(folded.casefold().split())


def parse_postcode(postcode: str) -> tuple[int, str]:
    """The 4-digit number and the letters ("" when left out) of a Dutch postcode; DomainError if malformed."""
    match = _POSTCODE.match(postcode or "")
    letters = (match.group(2) or "").upper() if match else ""
    if match is None or letters in _FORBIDDEN_LETTERS:
        raise DomainError(
            _("Vul een geldige postcode in, zoals 1234 AB of alleen de vier cijfers 1234."), field="postcode"
        )
    return int(match.group(1)), letters


def format_postcode(postcode: str) -> str:
    number, letters = parse_postcode(postcode)
    return f"{number} {letters}".strip()


def wijk_for_postcode(postcode: str, *, municipality_id: int | None = None) -> Wijk:
    """The wijk a postcode lies in; DomainError for a malformed postcode or one outside every wijk."""
    number, _letters = parse_postcode(postcode)
    ranges = PostcodeRange.objects.filter(start__lte=number, end__gte=number).select_related("wijk")
    if municipality_id is not None:
        ranges = ranges.filter(wijk__municipality_id=municipality_id)
    found = ranges.order_by("start").first()
    if found is None:
        raise DomainError(_("Deze postcode hoort bij geen van de bekende wijken."), field="postcode")
    return found.wijk
