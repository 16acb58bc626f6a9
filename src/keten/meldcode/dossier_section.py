"""The meldcode section of the dossier page: the dossier's trajecten and the form to start one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from keten.core.actor import Actor
from keten.dossiers.sections import DossierSection
from keten.meldcode.trajecten import selectors
from keten.meldcode.trajecten.forms import TrajectStartForm

if TYPE_CHECKING:
    from keten.dossiers.selectors import DossierPage


def section_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    """The trajecten (for one child or the whole family) and the form to start one."""
    trajecten = selectors.trajecten_of_dossier(actor=actor, dossier=page.dossier, persons=page.persons)
    children = [p for p in page.persons if p.relation == "kind"]
    return {"trajecten": trajecten, "traject_start_form": TrajectStartForm(children=children)}


SECTION = DossierSection(name="meldcode", order=10, template="meldcode/_dossier.html", context=section_context)
