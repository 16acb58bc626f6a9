"""The dossier workspace's own sections: the family (Gezin), the case team (Casusteam), the notes
(Notities), and the link to the dossier's timeline (Tijdlijn) — registered in
:class:`keten.dossiers.apps.DossiersConfig` like the sections the apps above add."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from keten.core.actor import Actor
from keten.dossiers.sections import ORDER, DossierSection, SectionStatus

if TYPE_CHECKING:
    from keten.dossiers.selectors import DossierPage


def family_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    return {"persons": page.persons}


def family_summary(actor: Actor, page: DossierPage) -> SectionStatus:
    counts = page.counts
    if not counts["persons"]:
        return SectionStatus(_("Nog geen gezinsleden"), attention=True)
    persons = ngettext("%(n)d gezinslid", "%(n)d gezinsleden", counts["persons"]) % {"n": counts["persons"]}
    children = ngettext("%(n)d kind", "%(n)d kinderen", counts["children"]) % {"n": counts["children"]}
    return SectionStatus(_("%(persons)s, waarvan %(children)s") % {"persons": persons, "children": children})


def team_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    return {"team": page.team}


def team_summary(actor: Actor, page: DossierPage) -> SectionStatus:
    members = ngettext("%(n)d medewerker", "%(n)d medewerkers", page.counts["team"]) % {"n": page.counts["team"]}
    if page.dossier.coordinator_id is None:
        return SectionStatus(_("%(members)s; nog geen regievoerder") % {"members": members}, attention=True)
    return SectionStatus(members)


def notes_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    return {"notes": page.notes}


def notes_summary(actor: Actor, page: DossierPage) -> SectionStatus:
    n = page.counts["notes"]
    if not n:
        return SectionStatus(_("Nog geen notities"))
    return SectionStatus(ngettext("%(n)d notitie", "%(n)d notities", n) % {"n": n})


FAMILY = DossierSection(
    slug="gezin",
    label=gettext_lazy("Gezin"),
    order=ORDER["gezin"],
    template="dossiers/_section_family.html",
    context=family_context,
    summary=family_summary,
)
TEAM = DossierSection(
    slug="casusteam",
    label=gettext_lazy("Casusteam"),
    order=ORDER["casusteam"],
    template="dossiers/_section_team.html",
    context=team_context,
    summary=team_summary,
)
NOTES = DossierSection(
    slug="notities",
    label=gettext_lazy("Notities"),
    order=ORDER["notities"],
    template="dossiers/_section_notes.html",
    context=notes_context,
    summary=notes_summary,
)
#: The dossier's timeline has a view of its own (``dossiers:timeline``), shown in the workspace like a section.
TIMELINE = DossierSection(
    slug="tijdlijn", label=gettext_lazy("Tijdlijn"), order=ORDER["tijdlijn"], url_name="dossiers:timeline", hx=True
)

SECTIONS = (FAMILY, TEAM, NOTES, TIMELINE)
