from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "keten.network"
    label = "network"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        # The network rules join the one policy (keten.core.policy.allows).
        from keten.accounts.models import Membership, Organisation, User, Wijk
        from keten.network import rules  # noqa: F401
        from keten.network.models import Agreement, OrganisationEntry
        from keten.network.signals import bump_kaart_version, bump_kaart_version_m2m, sync_entry

        post_save.connect(sync_entry, sender=Organisation, dispatch_uid="network_sync_entry")
        # Cached routekaart PDFs and search cards (keten.network.kaart_cache) go when anything they show changes.
        for model in (Organisation, OrganisationEntry, Agreement, Wijk, Membership, User):
            for signal in (post_save, post_delete):
                signal.connect(bump_kaart_version, sender=model, dispatch_uid=f"network_pdf_{model.__name__}")
        for through in (
            Agreement.parties.through,
            Agreement.wijken.through,
            Agreement.contact_persons.through,
            Agreement.teams.through,
            Organisation.wijken.through,
        ):
            m2m_changed.connect(bump_kaart_version_m2m, sender=through, dispatch_uid=f"network_pdf_{through.__name__}")
