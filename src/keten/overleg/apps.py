from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverlegConfig(AppConfig):
    name = "keten.overleg"
    label = "overleg"
    verbose_name = _("Overleg en afspraken")

    def ready(self) -> None:
        # The overleg's permissions join the one policy (keten.core.policy.allows).
        from keten.overleg import rules  # noqa: F401
