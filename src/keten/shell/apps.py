from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShellConfig(AppConfig):
    """The frame around the domain apps: start page, main menu, audit log page, figures export."""

    name = "keten.shell"
    label = "shell"
    verbose_name = _("Werkomgeving")
