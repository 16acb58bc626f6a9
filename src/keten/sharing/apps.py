from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "keten.sharing"
    label = "sharing"
    verbose_name = _("Informatie delen")

    def ready(self) -> None:
        # The sharing rules join the one policy (keten.core.policy.allows).
        from keten.dossiers import deadlines, sections, timeline
        from keten.sharing import rules  # noqa: F401
        from keten.sharing.deadlines import SOURCE as DEADLINES
        from keten.sharing.dossier_section import SECTION
        from keten.sharing.timeline_source import SOURCE

        # The dossier page shows the sharing section without importing sharing (keten.dossiers.sections).
        sections.register(SECTION)
        # ... and adds its events to the dossier timeline (keten.dossiers.timeline).
        timeline.register(SOURCE)
        # ... and its deadlines to the dossier header and the dashboard (keten.dossiers.deadlines).
        deadlines.register(DEADLINES)
