from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "keten.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from keten.core import signals  # noqa: F401
        from keten.core.api import schema  # noqa: F401
