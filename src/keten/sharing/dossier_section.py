"""The "Delen" section of the dossier workspace: the newest disclosures with their total, and the
consents; on the overview, how many disclosures and active consents there are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from keten.core.actor import Actor
from keten.dossiers.sections import ORDER, DossierSection, SectionStatus
from keten.sharing import selectors

if TYPE_CHECKING:
    from keten.dossiers.selectors import DossierPage


def section_context(request: HttpRequest, actor: Actor, page: DossierPage) -> Mapping[str, Any]:
    recent = selectors.recent_disclosures(actor=actor, dossier=page.dossier)
    return {
        "disclosures": selectors.with_running_grants(recent.rows),
        "disclosure_total": recent.total,
        "consents": selectors.consents_on_dossier_page(page.dossier),
    }


def summary(actor: Actor, page: DossierPage) -> SectionStatus:
    total = selectors.recent_disclosures(actor=actor, dossier=page.dossier, limit=1).total
    if not total:
        return SectionStatus(_("Nog niets gedeeld"))
    return SectionStatus(ngettext("%(n)d verstrekking", "%(n)d verstrekkingen", total) % {"n": total})


SECTION = DossierSection(
    slug="delen",
    label=gettext_lazy("Delen"),
    order=ORDER["delen"],
    template="sharing/_dossier.html",
    context=section_context,
    summary=summary,
)
