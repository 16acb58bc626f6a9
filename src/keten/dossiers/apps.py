from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "keten.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # The dossiers rules join the one policy (keten.core.policy.allows).
        # Its own sections of the dossier workspace (Gezin, Casusteam, Notities and the Tijdlijn link) and
        # its own events on the timeline; the apps above add theirs.
        from keten.dossiers import (
            rules,  # noqa: F401
            sections,
            timeline,
        )
        from keten.dossiers.dossier_section import SECTIONS
        from keten.dossiers.timeline_source import SOURCE

        for section in SECTIONS:
            sections.register(section)
        timeline.register(SOURCE)
