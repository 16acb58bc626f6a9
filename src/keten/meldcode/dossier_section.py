"""The meldcode section of the dossier workspace: the dossier's trajecten and the form to start one,
the open trajecten's step in the header, and their number on the overview."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from keten.core.actor import Actor
from keten.dossiers.sections import ORDER, DossierSection, HeaderFact, SectionStatus
from keten.meldcode.models import Step
from keten.meldcode.trajecten import selectors
from keten.meldcode.trajecten.forms import TrajectStartForm

if TYPE_CHECKING:
    from keten.dossiers.models import Dossier
    from keten.dossiers.selectors import DossierPage

#: At most this many open trajecten are named in the header; more are counted.
HEADER_TRAJECTEN = 3


def section_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    """The trajecten (for one child or the whole family) and the form to start one."""
    trajecten = selectors.trajecten_of_dossier(actor=actor, dossier=page.dossier, persons=page.persons)
    children = [p for p in page.persons if p.relation == "kind"]
    return {"trajecten": trajecten, "traject_start_form": TrajectStartForm(children=children)}


def header_facts(actor: Actor, dossier: Dossier) -> Iterable[HeaderFact]:
    """The step of each open traject (one query)."""
    rows = selectors.open_trajecten_of_dossier(actor=actor, dossier=dossier)
    several = len(rows) > 1
    for reference, step, _status in rows[:HEADER_TRAJECTEN]:
        label = _("Meldcode %(reference)s") % {"reference": reference} if several else _("Meldcode")
        yield HeaderFact(
            label=label,
            text=str(Step(step).label),
            url=reverse("meldcode:traject", kwargs={"reference": reference}),
        )
    if len(rows) > HEADER_TRAJECTEN:
        more = len(rows) - HEADER_TRAJECTEN
        yield HeaderFact(
            label=_("Meldcode"),
            text=ngettext("en nog %(n)d open traject", "en nog %(n)d open trajecten", more) % {"n": more},
            url=reverse("dossiers:section", kwargs={"reference": dossier.reference, "slug": "meldcode"}),
        )


def summary(actor: Actor, page: DossierPage) -> SectionStatus:
    n = len(selectors.open_trajecten_of_dossier(actor=actor, dossier=page.dossier))
    if not n:
        return SectionStatus(_("Geen open meldcode-traject"))
    return SectionStatus(ngettext("%(n)d open traject", "%(n)d open trajecten", n) % {"n": n}, attention=True)


SECTION = DossierSection(
    slug="meldcode",
    label=gettext_lazy("Meldcode"),
    order=ORDER["meldcode"],
    template="meldcode/_dossier.html",
    context=section_context,
    summary=summary,
    header=header_facts,
)
