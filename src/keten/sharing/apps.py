from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "keten.sharing"
    label = "sharing"
    verbose_name = _("Informatie delen")

    def ready(self) -> None:
        # The sharing rules join the one policy (keten.core.policy.allows).
        from keten.sharing import rules  # noqa: F401
