from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeedingConfig(AppConfig):
    """Data profiles for demo and benchmark databases (``manage.py seed``, ``manage.py demo_totp``)."""

    name = "keten.seeding"
    label = "seeding"
    verbose_name = _("Voorbeeldgegevens")
