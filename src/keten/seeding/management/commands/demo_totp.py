"""``manage.py demo_totp <username>``: the current TOTP code of a *demo* account.

Only for accounts whose TOTP key is the public demo key made by ``seed --profile demo``. Any other
account is refused: its second factor stays on its owner's phone.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from keten.seeding.accounts import is_demo_device


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (only accounts with the public demo key)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        devices = list(TOTPDevice.objects.filter(user__username=username, confirmed=True).select_related("user"))
        if not devices:
            raise CommandError(_("Geen account met tweestapsverificatie gevonden: %(u)s") % {"u": username})
        if not all(is_demo_device(d) for d in devices):
            raise CommandError(
                _("%(u)s is geen demo-account: de code wordt alleen getoond voor demo-accounts.") % {"u": username}
            )
        device = devices[0]
        totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        now = int(time.time())
        totp.time = now
        code = str(totp.token()).zfill(device.digits)
        remaining = device.step - ((now - device.t0) % device.step)
        self.stdout.write(code)
        if options["verbosity"] >= 2:
            self.stdout.write(_("Nog %(s)d seconden geldig.") % {"s": remaining})
