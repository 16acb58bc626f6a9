from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "keten.network"
    label = "network"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        from keten.accounts.models import Organisation
        from keten.network.signals import sync_entry

        post_save.connect(sync_entry, sender=Organisation, dispatch_uid="network_sync_entry")
