"""The overleg section of the dossier workspace: the dossier's registrations for an overleg and its
open agreements, with the link to register the case; on the overview, the open agreements."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from keten.core.actor import Actor
from keten.dossiers.sections import ORDER, DossierSection, SectionStatus
from keten.overleg.agreements.selectors import agreements_visible_to
from keten.overleg.models import AgreementStatus
from keten.overleg.registrations.selectors import registrations_visible_to

if TYPE_CHECKING:
    from keten.dossiers.selectors import DossierPage

#: The newest registrations and the first open agreements the section lists.
SHOWN = 20


def section_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    """The registrations and open agreements the actor may see (two queries; the dossier's read is
    audited by the dossier selector)."""
    dossier = page.dossier
    registrations = list(
        registrations_visible_to(actor)
        .filter(dossier=dossier)
        .defer("reason", "goal", "criteria", "family_not_informed_reason", "decline_reason")
        .order_by("-registered_at", "-pk")[:SHOWN]
    )
    agreements = list(
        agreements_visible_to(actor)
        .filter(registration__dossier=dossier, status=AgreementStatus.OPEN)
        .order_by("due_on", "pk")[:SHOWN]
    )
    return {"registrations": registrations, "open_agreements": agreements}


def summary(actor: Actor, page: DossierPage) -> SectionStatus:
    n = agreements_visible_to(actor).filter(registration__dossier=page.dossier, status=AgreementStatus.OPEN).count()
    if not n:
        return SectionStatus(_("Geen open afspraken"))
    return SectionStatus(ngettext("%(n)d open afspraak", "%(n)d open afspraken", n) % {"n": n}, attention=True)


#: The template also uses the main menu's ``nav`` (whether the actor may register for an overleg).
SECTION = DossierSection(
    slug="overleg",
    label=gettext_lazy("Overleg"),
    order=ORDER["overleg"],
    template="overleg/_dossier.html",
    context=section_context,
    summary=summary,
)
