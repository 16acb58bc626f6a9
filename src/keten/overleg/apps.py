from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverlegConfig(AppConfig):
    name = "keten.overleg"
    label = "overleg"
    verbose_name = _("Overleg en afspraken")

    def ready(self) -> None:
        # The overleg's permissions join the one policy (keten.core.policy.allows); its account hooks
        # revoke the calendar feed when an account is reset or deactivated.
        from keten.dossiers import deadlines, sections, timeline
        from keten.overleg import account_hooks, rules  # noqa: F401
        from keten.overleg.deadlines import SOURCE as DEADLINES
        from keten.overleg.dossier_section import SECTION
        from keten.overleg.timeline_source import SOURCE

        # The dossier page shows the overleg section without importing overleg (keten.dossiers.sections).
        sections.register(SECTION)
        # ... and adds its events to the dossier timeline (keten.dossiers.timeline).
        timeline.register(SOURCE)
        # ... and its deadlines to the dossier header and the dashboard (keten.dossiers.deadlines).
        deadlines.register(DEADLINES)
