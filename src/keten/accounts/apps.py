from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keten.accounts"
    label = "accounts"
    verbose_name = _("Organisaties en medewerkers")

    def ready(self) -> None:
        from keten.accounts import signals  # noqa: F401
