from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keten.accounts"
    label = "accounts"
    verbose_name = _("Organisaties en medewerkers")

    def ready(self) -> None:
        # The accounts rules join the one policy (keten.core.policy.allows).
        from keten.accounts import (
            rules,  # noqa: F401
            signals,  # noqa: F401
        )
        from keten.accounts.api import schema  # noqa: F401  (OpenAPI: the authentication schemes)
