"""The sections other apps add to the dossier page.

The dossier page (:func:`keten.dossiers.views.dossier_detail`) shows the family, its case team and
its notes itself; what the apps above dossiers keep about the dossier (meldcode-trajecten, overleg,
what was shared) they add as a section, registered in their ``AppConfig.ready()``::

    sections.register(DossierSection(name="meldcode", order=10, template="meldcode/_dossier.html",
                                     context=meldcode_context))

so that dossiers imports none of them. The page renders the registered sections in ``order``; each
section's template sees the page's context (``dossier``, ``persons``, ``team``, ``on_team``, …) plus
what its ``context`` function returns. A context function reads through its app's selectors, which
audit what they show.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from keten.core.actor import Actor

if TYPE_CHECKING:
    from keten.dossiers.selectors import DossierPage

#: What a section adds to the page: ``(request, actor, page) -> context``.
SectionContext = Callable[[HttpRequest, Actor, "DossierPage"], Mapping[str, Any]]


@dataclass(frozen=True)
class DossierSection:
    """One section of the dossier page, contributed by an app."""

    name: str
    order: int
    template: str
    context: SectionContext | None = None


@dataclass(frozen=True)
class RenderedSection:
    """A section with the context it adds, as the page's template gets it."""

    section: DossierSection
    context: Mapping[str, Any]

    @property
    def template(self) -> str:
        return self.section.template


_registry: dict[str, DossierSection] = {}


def register(section: DossierSection) -> DossierSection:
    """Add ``section`` to the dossier page (once per name; registering the same section again is a no-op)."""
    known = _registry.get(section.name)
    if known is not None and known != section:
        raise ImproperlyConfigured(f"A dossier section named {section.name!r} is registered already.")
    _registry[section.name] = section
    return section


def registered() -> list[DossierSection]:
    """The registered sections in page order."""
    return sorted(_registry.values(), key=lambda s: (s.order, s.name))


def sections_for(request: HttpRequest, actor: Actor, page: DossierPage) -> list[RenderedSection]:
    """Each registered section with its context for this page, in page order."""
    return [
        RenderedSection(section=s, context=s.context(request, actor, page) if s.context else {}) for s in registered()
    ]
