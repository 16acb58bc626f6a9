from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "keten.notifications"
    label = "notifications"
    verbose_name = _("Meldingen")

    def ready(self) -> None:
        # The notifications rule joins the one policy (keten.core.policy.allows).
        from keten.notifications import rules  # noqa: F401
