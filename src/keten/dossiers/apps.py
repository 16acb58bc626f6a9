from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "keten.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        # The dossiers rules join the one policy (keten.core.policy.allows).
        from keten.dossiers import rules, timeline  # noqa: F401
        from keten.dossiers.timeline_source import SOURCE

        # The dossier's own events on its timeline; the apps above add theirs (keten.dossiers.timeline).
        timeline.register(SOURCE)
