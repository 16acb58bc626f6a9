"""The "Delen" section of the dossier page: the newest disclosures with their total, and the consents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from keten.core.actor import Actor
from keten.dossiers.sections import DossierSection
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


SECTION = DossierSection(name="sharing", order=30, template="sharing/_dossier.html", context=section_context)
