"""``manage.py account_setup_link``: reset an account and e-mail its owner a set-up link (operator only)."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from keten.accounts.models import User
from keten.accounts.services.resets import account_reset_by_operator
from keten.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Reset an account (password, authenticator app, sessions) and e-mail a single-use set-up link, valid "
        "24 hours, to the address on the account. The link is not printed. For the first account of an "
        "installation, or an organisation without a second functioneel beheerder to approve a reset."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The account's username.")
        parser.add_argument("--reason", required=True, help="Why (at least 10 characters; in the audit log).")
        parser.add_argument(
            "--operator", default="", help="Who runs this command, for the audit log (default: the OS user)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account {options['username']!r}.")
        operator = options["operator"].strip() or f"beheercommando ({getpass.getuser()})"
        try:
            with transaction.atomic():
                link = account_reset_by_operator(user=user, operator=operator, reason=options["reason"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Account {user.username!r} reset; a set-up link valid until {link.expires_at:%Y-%m-%d %H:%M} "
            f"was e-mailed to {link.email}."
        )
