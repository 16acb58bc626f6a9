from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerwijsindexConfig(AppConfig):
    name = "keten.verwijsindex"
    label = "verwijsindex"
    verbose_name = _("Verwijsindex")
