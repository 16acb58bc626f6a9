"""``manage.py create_api_client``: register a partner organisation's system and print its token once."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keten.accounts.models import ApiClient, Organisation
from keten.accounts.services import api_client_create_by_operator
from keten.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create an API client (system token) for an organisation. The token is printed once; only its "
        "SHA-256 hash is stored. Functioneel beheerders can do the same under Beheer > Organisaties."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="Organisation id or exact name.")
        parser.add_argument("--municipality", default="", help="Municipality name, when the name is ambiguous.")
        parser.add_argument("--name", required=True, help="Name of the calling system.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=ApiClient.Scope.values,
            help="A permission of the token; repeat for more (default: organisations:read).",
        )
        parser.add_argument(
            "--operator", default="", help="Who runs this command, for the audit log (default: the OS user)."
        )

    def _organisation(self, ref: str, municipality: str) -> Organisation:
        qs = Organisation.objects.select_related("municipality")
        if municipality:
            qs = qs.filter(municipality__name__iexact=municipality)
        matches = list(qs.filter(pk=int(ref))) if ref.isdigit() else list(qs.filter(name__iexact=ref))
        if not matches:
            raise CommandError(f"No organisation {ref!r} found.")
        if len(matches) > 1:
            raise CommandError(f"Organisation name {ref!r} is ambiguous: pass --municipality or the id.")
        return matches[0]

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = self._organisation(options["organisation"].strip(), options["municipality"].strip())
        operator = options["operator"].strip() or f"beheercommando ({getpass.getuser()})"
        try:
            client, token = api_client_create_by_operator(
                organisation=organisation,
                name=options["name"],
                scopes=options["scopes"] or [ApiClient.Scope.ORGANISATIONS_READ],
                operator=operator,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"API client {client.pk} {client.name!r} for {organisation.name} ({organisation.municipality.name}), "
            f"scopes: {', '.join(client.scopes)}"
        )
        self.stdout.write("Token (shown once, store it in the calling system now):")
        self.stdout.write(token)
