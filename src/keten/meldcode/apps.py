from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldcodeConfig(AppConfig):
    name = "keten.meldcode"
    label = "meldcode"
    verbose_name = _("Meldcode")

    def ready(self) -> None:
        # The meldcode rules join the one policy (keten.core.policy.allows).
        from keten.dossiers import deadlines, sections, timeline
        from keten.meldcode import rules  # noqa: F401
        from keten.meldcode.deadlines import SOURCE as DEADLINES
        from keten.meldcode.dossier_section import SECTION
        from keten.meldcode.timeline_source import SOURCE

        # The dossier page shows the meldcode section without importing meldcode (keten.dossiers.sections).
        sections.register(SECTION)
        # ... and adds its events to the dossier timeline (keten.dossiers.timeline).
        timeline.register(SOURCE)
        # ... and its deadlines to the dossier header and the dashboard (keten.dossiers.deadlines).
        deadlines.register(DEADLINES)
