"""The overleg section of the dossier page: registering the case for an overleg."""

from __future__ import annotations

from keten.dossiers.sections import DossierSection

#: The template needs only the page's context (``dossier``, ``on_team``) and the menu's ``nav``.
SECTION = DossierSection(name="overleg", order=20, template="overleg/_dossier.html")
