from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerwijsindexConfig(AppConfig):
    name = "keten.verwijsindex"
    label = "verwijsindex"
    verbose_name = _("Verwijsindex")

    def ready(self) -> None:
        # The verwijsindex rules join the one policy (keten.core.policy.allows).
        from keten.verwijsindex import rules  # noqa: F401
