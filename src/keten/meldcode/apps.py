from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldcodeConfig(AppConfig):
    name = "keten.meldcode"
    label = "meldcode"
    verbose_name = _("Meldcode")

    def ready(self) -> None:
        # The meldcode rules join the one policy (keten.core.policy.allows).
        from keten.meldcode import rules  # noqa: F401
