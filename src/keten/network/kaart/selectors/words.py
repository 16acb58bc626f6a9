"""The words of a search query and the filter that finds organisations by them."""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from keten.accounts.models import Membership, Organisation, Role, Wijk
from keten.network.kaart.selectors.text import normalise

#: Words that say nothing about what is looked for ("aandachtsfunctionaris in wijk Noord").
STOPWORDS = frozenset({
    "de", "het", "een", "en", "in", "van", "voor", "met", "op", "bij", "aan", "te", "of", "naar", "om",
    "uit", "over", "tot", "die", "dat", "er", "is", "zijn", "wie", "wat", "waar", "wijk", "wijken", "buurt",
    "the", "a", "an", "for", "and",
})  # fmt: skip
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+")
#: Role words (Dutch label words and codes) a professional may type, e.g. "aandachtsfunctionarissen".
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("professional", Role.PROFESSIONAL),
    ("professionals", Role.PROFESSIONAL),
    ("aandachtsfunctionaris", Role.AANDACHTSFUNCTIONARIS),
    ("aandachtsfunctionarissen", Role.AANDACHTSFUNCTIONARIS),
    ("teamleider", Role.TEAMLEIDER),
    ("teamleiders", Role.TEAMLEIDER),
    ("beleidsmedewerker", Role.BELEIDSMEDEWERKER),
    ("beleidsmedewerkers", Role.BELEIDSMEDEWERKER),
    ("beheerder", Role.FUNCTIONEEL_BEHEERDER),
    ("beheerders", Role.FUNCTIONEEL_BEHEERDER),
)
_MIN_ROLE_PREFIX = 5
_INFLECTIONS = ("eren", "en", "s", "e")
_MIN_STEM = 4


def query_words(query: str) -> list[tuple[str, str]]:
    """The words of a search query as (folded, as typed), without stopwords, at most eight.

    "folded" has no accents and no case and is what the search text is compared with; "as typed"
    keeps accents and case, for names that are not folded in the database. Stopwords only count
    when the query has nothing else.
    """
    typed = _WORD.findall(query)
    pairs = [(normalise(word), word) for word in typed]
    pairs = [(folded, word) for folded, word in pairs if folded]
    meaningful = [pair for pair in pairs if pair[0] not in STOPWORDS]
    return (meaningful or pairs)[:MAX_WORDS]


def _roles_for_word(word: str) -> set[str]:
    return {
        role
        for label, role in _ROLE_WORDS
        if word == label or (len(word) >= _MIN_ROLE_PREFIX and (label.startswith(word) or word.startswith(label)))
    }


def _tsquery(word: str) -> str:
    """A raw tsquery for one folded word: its Dutch stem as a prefix ("kinderen" -> 'kinder':*).

    The stem of an inflected word can be longer than the stem of its base form ("jeugdartsen" ->
    "jeugdarts", "jeugdarts" -> "jeugdart"; the plural -eren stays: "kinderen" -> "kinder"), so the
    word without a plural or inflection ending is tried as well.
    """
    terms = [f"{word}:*"]
    for suffix in _INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            terms.append(f"{word[: -len(suffix)]}:*")
    return " | ".join(terms)


def filter_by_words(qs: QuerySet[Organisation], query: str, *, municipality_id: int) -> QuerySet[Organisation]:
    """Every word must match; a word matches an organisation when any of these holds:

    * it is part of the search text (name, kind, expertise, description, address, names of the
      aandachtsfunctionarissen), or of the organisation's name, accents and case ignored, also in
      the middle of a word ("opvoed" finds "opvoedondersteuning");
    * on PostgreSQL: the Dutch full-text search finds it (stems: "kinderen" finds "kinderopvang");
    * it is part of the name of an active aandachtsfunctionaris of the organisation (live, so new
      officers are found before the search text is rebuilt);
    * it names a role ("aandachtsfunctionaris") the organisation has an active member in;
    * it is part of the name of a wijk the organisation works in; an organisation linked to no wijk
      works in all wijken of the municipality.

    Everything stays inside the one query of the search.
    """
    words = query_words(query)
    if not words:
        return qs
    use_fts = connection.vendor == "postgresql"
    if use_fts:
        qs = qs.alias(_search_vector=SearchVector("entry__search_text", config="dutch"))
    officers = Membership.objects.filter(
        organisation_id=OuterRef("pk"), role=Role.AANDACHTSFUNCTIONARIS, is_active=True, user__is_active=True
    )
    linked_wijken = Organisation.wijken.through.objects.filter(organisation_id=OuterRef("pk"))
    for folded, typed in words:
        # SQLite compares only ASCII letters without case: try the typed word in the usual cases too.
        forms = {folded, typed, typed.lower(), typed.capitalize()}
        match = Q(entry__search_text__contains=folded)
        name_match = Q()
        for form in forms:
            match |= Q(name__icontains=form)
            name_match |= Q(user__first_name__icontains=form) | Q(user__last_name__icontains=form)
        if use_fts:
            match |= Q(_search_vector=SearchQuery(_tsquery(folded), search_type="raw", config="dutch"))
        match |= Q(Exists(officers.filter(name_match)))
        roles = _roles_for_word(folded)
        if roles:
            match |= Q(
                Exists(
                    Membership.objects.filter(
                        organisation_id=OuterRef("pk"), role__in=roles, is_active=True, user__is_active=True
                    )
                )
            )
        if len(folded) >= 3:
            wijk_match = Q()
            for form in forms:
                wijk_match |= Q(wijk__name__icontains=form)
            in_named_wijk = linked_wijken.filter(wijk_match)
            named_wijk = Wijk.objects.filter(municipality_id=municipality_id).filter(
                Q(*[Q(name__icontains=form) for form in forms], _connector=Q.OR)
            )
            match |= Q(Exists(in_named_wijk)) | (~Q(Exists(linked_wijken)) & Q(Exists(named_wijk)))
        qs = qs.filter(match)
    return qs
