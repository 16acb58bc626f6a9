"""Reads of the sociale kaart: organisations with their entry, aandachtsfunctionarissen and agreements.

The sociale kaart holds no client data. Every signed-in user with a membership may search it; the
rows are limited to the municipality of the actor's acting membership.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keten.accounts.models import Membership, Organisation, Role, Wijk
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.policy import allows
from keten.network import kaart_cache
from keten.network.models import Agreement, OrganisationEntry, PostcodeRange

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


def _municipality_id(actor: Actor) -> int:
    if actor.user is None or actor.membership is None or not allows("network.view", actor.user):
        raise NotFoundError
    return actor.membership.organisation.municipality_id


def stale_before() -> Any:
    """Entries confirmed before this moment are outdated."""
    return timezone.now() - timedelta(days=round(settings.KETEN_NETWORK_STALE_MONTHS * 30.44))


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


def _filter_by_words(qs: QuerySet[Organisation], query: str, *, municipality_id: int) -> QuerySet[Organisation]:
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


def _relevance(wijk: Wijk | None, wijken: set[int], start_date: Any, title: str, pk: int) -> tuple[Any, ...]:
    """Sort key: agreements made for the chosen wijk first, then those for few wijken, then the newest."""
    named = 0 if wijk is not None and wijk.pk in wijken else 1
    return (named, len(wijken) or 10_000, -start_date.toordinal(), title, pk)


def _attach_agreements(organisations: Sequence[Organisation], wijk: Wijk | None, top: int | None = None) -> None:
    """Set ``applicable_agreements`` (those that apply in ``wijk``) and ``applicable_count`` on each organisation.

    With ``top`` only the ``top`` most relevant applicable agreements are loaded (see
    :func:`_relevance`); without it every active agreement (``active_agreements``) in type and
    title order. Four queries, whatever the number of organisations and agreements. An agreement
    shared by many of the organisations is one object, and so is a party shared by many
    agreements: ``agreement.parties.all`` gives the parties (id and name only, by name) without a
    query.
    """
    if not organisations:
        return
    today = timezone.localdate()
    through = Agreement.parties.through
    links = list(
        through.objects.filter(organisation_id__in=[o.pk for o in organisations], agreement__start_date__lte=today)
        .filter(Q(agreement__end_date__isnull=True) | Q(agreement__end_date__gte=today))
        .values_list("organisation_id", "agreement_id", "agreement__start_date", "agreement__title")
    )
    if not links:
        for organisation in organisations:
            organisation.active_agreements = organisation.applicable_agreements = []  # type: ignore[attr-defined]
            organisation.applicable_count = 0  # type: ignore[attr-defined]
        return
    all_ids = sorted({link[1] for link in links})
    wijken_of: dict[int, set[int]] = {}
    for agreement_id, wijk_id in Agreement.wijken.through.objects.filter(agreement_id__in=all_ids).values_list(
        "agreement_id", "wijk_id"
    ):
        wijken_of.setdefault(agreement_id, set()).add(wijk_id)

    def applies(agreement_id: int) -> bool:
        return wijk is None or not wijken_of.get(agreement_id) or wijk.pk in wijken_of[agreement_id]

    applicable_ids: dict[int, list[int]] = {}
    if top is not None:
        ranked = sorted(
            links, key=lambda link: _relevance(wijk, wijken_of.get(link[1], set()), link[2], link[3], link[1])
        )
        for organisation_id, agreement_id, _start, _title in ranked:
            if applies(agreement_id):
                applicable_ids.setdefault(organisation_id, []).append(agreement_id)
        ids = sorted({pk for chosen in applicable_ids.values() for pk in chosen[:top]})
    else:
        ids = all_ids
    agreements = list(Agreement.objects.filter(pk__in=ids).order_by("type", "title", "pk")) if ids else []
    parties: dict[int, list[Organisation]] = {}
    stubs: dict[int, Organisation] = {}
    for agreement_id, organisation_id, name in (
        through.objects.filter(agreement_id__in=ids)
        .order_by("organisation__name", "organisation_id")
        .values_list("agreement_id", "organisation_id", "organisation__name")
    ):
        stub = stubs.get(organisation_id)
        if stub is None:
            stub = stubs[organisation_id] = Organisation(id=organisation_id, name=name)
        parties.setdefault(agreement_id, []).append(stub)
    for agreement in agreements:
        # What prefetch_related("parties") would leave, without a queryset per agreement.
        agreement._prefetched_objects_cache = {"parties": parties.get(agreement.pk, [])}  # type: ignore[attr-defined]
    by_pk = {a.pk: a for a in agreements}
    if top is not None:
        for organisation in organisations:
            chosen = applicable_ids.get(organisation.pk, [])
            organisation.applicable_agreements = [by_pk[pk] for pk in chosen[:top]]  # type: ignore[attr-defined]
            organisation.applicable_count = len(chosen)  # type: ignore[attr-defined]
        return
    rank = {a.pk: i for i, a in enumerate(agreements)}
    per_org: dict[int, list[Agreement]] = {}
    for organisation_id, agreement_id, _start, _title in sorted(links, key=lambda link: rank[link[1]]):
        per_org.setdefault(organisation_id, []).append(by_pk[agreement_id])
    for organisation in organisations:
        active = per_org.get(organisation.pk, [])
        organisation.active_agreements = active  # type: ignore[attr-defined]
        organisation.applicable_agreements = [a for a in active if applies(a.pk)]  # type: ignore[attr-defined]
        organisation.applicable_count = len(organisation.applicable_agreements)  # type: ignore[attr-defined]


@dataclass
class SearchResult:
    organisations: Sequence[Organisation]
    wijk: Wijk | None = None
    errors: dict[str, str] = field(default_factory=dict)
    #: Number of organisations found; more than ``len(organisations)`` when the result is paged.
    total: int = 0


@dataclass
class SearchMatches:
    """Which organisations a search finds: their ids in name order, and the wijk searched in."""

    municipality_id: int
    ids: list[int]
    wijk: Wijk | None = None


def sociale_kaart_matches(
    *,
    actor: Actor,
    query: str = "",
    wijk_id: int | None = None,
    postcode: str = "",
    org_type: str = "",
    role: str = "",
    age: int | None = None,
    organisation_id: int | None = None,
    use_cache: bool = False,
    kaart_version: int | None = None,
) -> SearchMatches:
    """The ids of every active organisation of the actor's municipality that the search finds.

    One narrow query (plus one for the wijk). A malformed or unknown postcode raises DomainError
    (field "postcode"), an unknown wijk one on field "wijk". With ``use_cache`` the result is kept
    under the municipality's kaart version (``kaart_cache``): the same search finds the same
    organisations until anything in the sociale kaart changes, so it is answered from the cache.
    """
    municipality_id = _municipality_id(actor)
    key = None
    if use_cache:
        criteria = repr((query, wijk_id, postcode, org_type, role, age, organisation_id))
        key = kaart_cache.search_key(municipality_id=municipality_id, criteria=criteria, known_version=kaart_version)
        found = cache.get(key)
        if found is not None:
            return found  # type: ignore[no-any-return]
    matches = _matches(
        municipality_id,
        query=query,
        wijk_id=wijk_id,
        postcode=postcode,
        org_type=org_type,
        role=role,
        age=age,
        organisation_id=organisation_id,
    )
    if key is not None:
        cache.set(key, matches, kaart_cache.TIMEOUT)
    return matches


def _matches(
    municipality_id: int,
    *,
    query: str,
    wijk_id: int | None,
    postcode: str,
    org_type: str,
    role: str,
    age: int | None,
    organisation_id: int | None,
) -> SearchMatches:
    wijk: Wijk | None = None
    if postcode.strip():
        wijk = wijk_for_postcode(postcode, municipality_id=municipality_id)
    elif wijk_id is not None:
        wijk = Wijk.objects.filter(pk=wijk_id, municipality_id=municipality_id).first()
        if wijk is None:
            raise DomainError(_("Kies een wijk uit de lijst."), field="wijk")
    qs = Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
    if organisation_id is not None:
        qs = qs.filter(pk=organisation_id)
    qs = _filter_by_words(qs, query, municipality_id=municipality_id)
    if wijk is not None:
        in_wijk = Organisation.wijken.through.objects.filter(organisation_id=OuterRef("pk"))
        qs = qs.filter(Q(wijken=wijk) | ~Exists(in_wijk))
    if org_type:
        qs = qs.filter(type=org_type)
    if role:
        qs = qs.filter(
            Exists(
                Membership.objects.filter(
                    organisation_id=OuterRef("pk"), role=role, is_active=True, user__is_active=True
                )
            )
        )
    if age is not None:
        qs = qs.filter(Q(entry__age_min__isnull=True) | Q(entry__age_min__lte=age))
        qs = qs.filter(Q(entry__age_max__isnull=True) | Q(entry__age_max__gte=age))
    ids = list(qs.distinct().order_by("name", "pk").values_list("pk", flat=True))
    return SearchMatches(municipality_id=municipality_id, ids=ids, wijk=wijk)


def organisations_for_cards(
    *, matches: SearchMatches, ids: Sequence[int], top_agreements: int | None = None
) -> list[Organisation]:
    """The organisations ``ids`` (all among ``matches.ids``) with what a card shows, in name order.

    Each carries ``entry_or_none``, ``is_stale``, ``officers``, ``applicable_agreements`` and
    ``applicable_count`` (the agreements that apply in ``matches.wijk``; with ``top_agreements`` only
    that many of them, the most relevant first). A fixed number of queries, whatever the number of ids.
    """
    allowed = set(matches.ids)
    wanted = [pk for pk in ids if pk in allowed]
    officers = (
        Membership.objects.filter(role=Role.AANDACHTSFUNCTIONARIS, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    organisations: list[Organisation] = list(
        Organisation.objects.filter(pk__in=wanted, municipality_id=matches.municipality_id)
        .select_related("entry")
        .prefetch_related(Prefetch("memberships", queryset=officers, to_attr="officers"))
        .order_by("name", "pk")
    )
    _attach_agreements(organisations, matches.wijk, top_agreements)
    threshold = stale_before()
    for organisation in organisations:
        entry = getattr(organisation, "entry", None)
        organisation.entry_or_none = entry  # type: ignore[attr-defined]
        organisation.is_stale = (  # type: ignore[attr-defined]
            entry is None or entry.last_confirmed_at is None or entry.last_confirmed_at < threshold
        )
    return organisations


def sociale_kaart_search(
    *,
    actor: Actor,
    query: str = "",
    wijk_id: int | None = None,
    postcode: str = "",
    org_type: str = "",
    role: str = "",
    age: int | None = None,
    organisation_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
    top_agreements: int | None = None,
) -> SearchResult:
    """Organisations of the actor's municipality with ``entry_or_none``, ``officers`` and ``applicable_agreements``.

    ``offset`` and ``limit`` select one page of the organisations in name order; ``total`` counts
    them all. With ``top_agreements`` each organisation carries only that many of its applicable
    agreements (the most relevant for the wijk) next to ``applicable_count``; without it all of
    them. A fixed number of queries, whatever the number of results. A malformed or unknown
    postcode raises DomainError (field "postcode").
    """
    matches = sociale_kaart_matches(
        actor=actor,
        query=query,
        wijk_id=wijk_id,
        postcode=postcode,
        org_type=org_type,
        role=role,
        age=age,
        organisation_id=organisation_id,
    )
    organisations = organisations_for_cards(
        matches=matches, ids=matches.ids[offset : offset + limit], top_agreements=top_agreements
    )
    return SearchResult(organisations=organisations, wijk=matches.wijk, total=len(matches.ids))


def organisation_detail(*, actor: Actor, organisation_id: int) -> Organisation:
    """One organisation of the sociale kaart (as in the search), or NotFoundError."""
    result = sociale_kaart_search(actor=actor, organisation_id=organisation_id)
    if not result.organisations:
        raise NotFoundError
    return result.organisations[0]


def entry_for_edit(*, actor: Actor, organisation_id: int) -> tuple[Organisation, OrganisationEntry]:
    """The organisation and its (possibly unsaved) entry, for those who may edit it; else NotFoundError."""
    organisation = Organisation.objects.filter(pk=organisation_id, is_active=True).select_related("entry").first()
    if organisation is None or actor.user is None or not allows("network.edit_entry", actor.user, organisation):
        raise NotFoundError
    entry = getattr(organisation, "entry", None)
    return organisation, entry or OrganisationEntry(organisation=organisation, version=0)


def stale_entries(*, actor: Actor, months: int | None = None) -> list[Organisation]:
    """Active organisations whose entry is missing or not confirmed for ``months`` months."""
    municipality_id = _municipality_id(actor)
    months = settings.KETEN_NETWORK_STALE_MONTHS if months is None else months
    threshold = timezone.now() - timedelta(days=round(months * 30.44))
    return list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .filter(
            Q(entry__isnull=True) | Q(entry__last_confirmed_at__isnull=True) | Q(entry__last_confirmed_at__lt=threshold)
        )
        .select_related("entry")
        .order_by("name")
    )


def agreements_list(
    *, actor: Actor, party_id: int | None = None, wijk_id: int | None = None, include_ended: bool = False
) -> list[Agreement]:
    """Agreements of the actor's municipality, optionally of one party or applying to one wijk."""
    municipality_id = _municipality_id(actor)
    qs = Agreement.objects.filter(municipality_id=municipality_id)
    if not include_ended:
        qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
    if party_id is not None:
        qs = qs.filter(parties__id=party_id)
    if wijk_id is not None:
        has_wijken = Agreement.wijken.through.objects.filter(agreement_id=OuterRef("pk"))
        qs = qs.filter(Q(wijken__id=wijk_id) | ~Exists(has_wijken))
    return list(
        qs.distinct().prefetch_related("parties", "wijken", "contact_persons", "teams").order_by("type", "title")
    )


def agreement_get(*, actor: Actor, agreement_id: int) -> Agreement:
    """One agreement for those who manage agreements; NotFoundError otherwise."""
    municipality_id = _municipality_id(actor)
    if not allows("network.manage_agreements", actor.user):
        raise NotFoundError
    agreement = (
        Agreement.objects.filter(pk=agreement_id, municipality_id=municipality_id)
        .prefetch_related("parties", "wijken", "contact_persons", "teams")
        .first()
    )
    if agreement is None:
        raise NotFoundError
    return agreement


def organisation_choices(*, actor: Actor) -> list[tuple[int, str]]:
    municipality_id = _municipality_id(actor)
    return list(
        Organisation.objects.filter(municipality_id=municipality_id, is_active=True)
        .order_by("name")
        .values_list("id", "name")
    )
