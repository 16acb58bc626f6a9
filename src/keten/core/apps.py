from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "keten.core"
    label = "core"
    verbose_name = _("Kern")

    def ready(self) -> None:
        from keten.core.theme import check_theme

        checks.register(check_theme, checks.Tags.staticfiles)
