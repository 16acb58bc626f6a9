"""The sections of the dossier workspace, and what they add to its header and overview.

The dossier page is a workspace: a header on every page (family, number, status, regievoerder, the
next deadline, and short facts the sections add), a section navigation, and one section per page —
``/dossiers/<ref>/`` is the overview, ``/dossiers/<ref>/<slug>/`` one section. Dossiers registers its
own sections (Gezin, Casusteam, Notities, and the link to the Tijdlijn) in
:mod:`keten.dossiers.dossier_section`; what the apps above dossiers keep about the dossier
(meldcode-trajecten, overleg, what was shared, later the plan and the follow-up) they add as a
section, registered in their ``AppConfig.ready()``::

    sections.register(
        DossierSection(
            slug="meldcode",                   # the URL: /dossiers/<ref>/meldcode/ (Dutch)
            label=_("Meldcode"),               # the navigation's text
            order=30,                          # place in the navigation (see ORDER below)
            template="meldcode/_dossier.html", # the section's panel
            context=meldcode_context,          # (request, actor, page) -> what the template adds
            summary=meldcode_summary,          # (actor, page) -> short status on the overview
            header=meldcode_header,            # (actor, dossier) -> HeaderFact list for the header
        )
    )

so that dossiers imports none of them. A section's template sees the page's context (``dossier``,
``on_team``, ``page`` — whose ``persons``, ``team`` and ``notes`` are read when first used) plus what
its ``context`` function returns; it starts with an ``<h2 id="h-section">`` (the heading the panel
is labelled by and focus moves to after a swap). Context, summary and header functions read through
their app's selectors, which audit what they show.

The header is on every dossier page and must stay at a fixed number of queries whatever the size of
the dossier and the number of dossiers: a ``header`` function runs one (or a fixed few) queries on
the given dossier only. A ``summary`` runs on the overview only and should be a count.

A section with ``url_name`` instead of a ``template`` is a page of its own elsewhere (the
Tijdlijn): the navigation links to ``url_name`` (with the dossier's reference) when that URL exists,
and leaves it out otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from keten.core.actor import Actor

if TYPE_CHECKING:
    from keten.dossiers.models import Dossier
    from keten.dossiers.selectors import DossierPage

#: Where the known sections stand in the navigation; a new one picks a free number in between.
ORDER = {
    "gezin": 10,
    "casusteam": 20,
    "meldcode": 30,
    "overleg": 40,
    "delen": 50,
    "plan": 60,
    "follow-up": 70,
    "notities": 80,
    "tijdlijn": 90,
}


@dataclass(frozen=True)
class HeaderFact:
    """A short fact a section shows in the dossier header, e.g. ``Meldcode: Stap 3 – Gesprek met de
    betrokkenen``. ``status`` styles it as a badge: ``""`` (plain), ``"warning"`` or ``"ok"``."""

    label: str
    text: str
    url: str = ""
    status: str = ""


@dataclass(frozen=True)
class SectionStatus:
    """The short status of a section on the overview, e.g. ``2 open trajecten``."""

    text: str
    attention: bool = False  # something needs someone (shown with a word, not only a colour)


#: What a section adds to its page: ``(request, actor, page) -> context``.
SectionContext = Callable[[HttpRequest, Actor, "DossierPage"], Mapping[str, Any]]
#: The section's status on the overview: ``(actor, page) -> SectionStatus``.
SectionSummary = Callable[[Actor, "DossierPage"], SectionStatus]
#: The section's facts in the header: ``(actor, dossier) -> facts`` in a fixed number of queries.
HeaderFacts = Callable[[Actor, "Dossier"], Iterable[HeaderFact]]


@dataclass(frozen=True)
class DossierSection:
    """One section of the dossier workspace."""

    slug: str
    label: Any  # a (lazy) Dutch text
    order: int
    template: str = ""
    context: SectionContext | None = None
    summary: SectionSummary | None = None
    header: HeaderFacts | None = None
    url_name: str = ""  # a page of its own elsewhere (no template): linked only when the URL exists
    #: The navigation swaps only the panel (HTMX): the section's page answers an HTMX request with
    #: ``dossiers/_panel.html``. A ``url_name`` page sets it only when its view does the same.
    hx: bool = True

    def __post_init__(self) -> None:
        if bool(self.template) == bool(self.url_name):
            raise ImproperlyConfigured(f"Dossier section {self.slug!r} needs a template or a url_name (one of both).")

    def url(self, reference: str) -> str:
        """The section's page for a dossier ('' when it is a link to a page that does not exist)."""
        if self.url_name:
            try:
                return reverse(self.url_name, kwargs={"reference": reference})
            except NoReverseMatch:
                return ""
        return reverse("dossiers:section", kwargs={"reference": reference, "slug": self.slug})


@dataclass(frozen=True)
class RenderedSection:
    """A section with the context it adds, as the page's template gets it."""

    section: DossierSection
    context: Mapping[str, Any]

    @property
    def template(self) -> str:
        return self.section.template


@dataclass(frozen=True)
class NavEntry:
    slug: str
    label: Any
    url: str
    current: bool
    hx: bool


_registry: dict[str, DossierSection] = {}


def register(section: DossierSection) -> DossierSection:
    """Add ``section`` to the workspace (once per slug; registering the same section again is a no-op)."""
    known = _registry.get(section.slug)
    if known is not None and known != section:
        raise ImproperlyConfigured(f"A dossier section named {section.slug!r} is registered already.")
    _registry[section.slug] = section
    return section


def registered() -> list[DossierSection]:
    """The registered sections in navigation order."""
    return sorted(_registry.values(), key=lambda s: (s.order, s.slug))


def get(slug: str) -> DossierSection | None:
    """The section with its own panel at ``slug`` (None for an unknown slug or a link section)."""
    section = _registry.get(slug)
    return section if section is not None and section.template else None


def navigation(reference: str, current: str) -> list[NavEntry]:
    """The overview and every section the dossier has a page for, ``current`` (a slug, or ``""`` for
    the overview) marked."""
    from django.utils.translation import gettext_lazy as _

    entries = [
        NavEntry(
            slug="",
            label=_("Overzicht"),
            url=reverse("dossiers:detail", kwargs={"reference": reference}),
            current=current == "",
            hx=True,
        )
    ]
    for section in registered():
        url = section.url(reference)
        if url:
            entries.append(NavEntry(section.slug, section.label, url, current=section.slug == current, hx=section.hx))
    return entries


def render_section(request: HttpRequest, actor: Actor, page: DossierPage, section: DossierSection) -> RenderedSection:
    """``section`` with its context for this page."""
    return RenderedSection(section=section, context=section.context(request, actor, page) if section.context else {})


def header_facts(actor: Actor, dossier: Dossier) -> list[HeaderFact]:
    """The facts every section adds to the header, in navigation order."""
    return [fact for s in registered() if s.header is not None for fact in s.header(actor, dossier)]


def summaries(actor: Actor, page: DossierPage) -> list[tuple[DossierSection, str, SectionStatus]]:
    """Each panel section with its URL and status for the overview (sections without a summary are
    listed with their label only)."""
    reference = page.dossier.reference
    return [
        (s, s.url(reference), s.summary(actor, page) if s.summary else SectionStatus(text=""))
        for s in registered()
        if s.template
    ]
