"""``manage.py makemessages`` that also finds texts marked with ``_l`` (``gettext_lazy as _l``).

Modules that use both ``gettext`` and ``gettext_lazy`` import the lazy one as ``_l``; xgettext knows
only the standard names, so without this those texts never reached the translation files.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
