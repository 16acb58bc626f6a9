"""``manage.py seed --profile demo|large|national [--reset] [--seed N] [--scale F]``: load a data profile."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keten.seeding.common import SeedError, wipe_database


class Command(BaseCommand):
    help = (
        "Load a data profile: 'demo' (Gemeente Lindeveld with demo logins for every role), 'large' (a city "
        "the size of Amsterdam, for benchmarks) or 'national' (persons and families at verwijsindex scale)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--profile", choices=["demo", "large", "national"], default="demo")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the database's data tables first (demo/benchmark databases only; refused in production).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (the same seed gives the same data).")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size factor for 'large' and 'national' (e.g. 0.01 for a quick run, 5 for a bigger national set).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        profile: str = options["profile"]
        show_progress = options["verbosity"] >= 1
        started = time.monotonic()
        try:
            if options["reset"]:
                tables = wipe_database()
                if show_progress:
                    self.stdout.write(_("Database leeggemaakt (%(n)d tabellen).") % {"n": len(tables)})
            if profile == "demo":
                from keten.seeding.demo import seed_demo

                result = seed_demo(seed=options["seed"], progress=show_progress)
                self._print_demo(result)
            elif profile == "large":
                from keten.seeding.large import seed_large

                counts = seed_large(seed=options["seed"], scale=options["scale"], progress=show_progress)
                self._print_counts(counts)
            else:
                from keten.seeding.national import seed_national

                counts = seed_national(seed=options["seed"], scale=options["scale"], progress=show_progress)
                self._print_counts(counts)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        if show_progress:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Profiel %(profile)s geladen in %(seconds).0f s.")
                    % {"profile": profile, "seconds": time.monotonic() - started}
                )
            )

    def _print_counts(self, counts: dict[str, int]) -> None:
        width = max(len(k) for k in counts)
        for key, value in counts.items():
            self.stdout.write(f"  {key.ljust(width)}  {value:>12,}")

    def _print_demo(self, result: Any) -> None:
        self._print_counts(result.counts)
        logins = result.logins
        headers = [_("Gebruikersnaam"), _("Rol"), _("Organisatie"), _("Wachtwoord"), _("TOTP-sleutel (base32)")]
        rows = [[x.username, x.role_label, x.organisation, x.password, x.totp_base32] for x in logins]
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        line = "+-" + "-+-".join("-" * w for w in widths) + "-+"
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(_("Demo-aanmeldgegevens (alleen voor deze demodatabase)")))
        self.stdout.write(line)
        self.stdout.write("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |")
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(_("Reservecodes (elke code werkt één keer):"))
        for x in logins:
            self.stdout.write(f"  {x.username.ljust(widths[0])}  {' '.join(x.backup_codes)}")
        self.stdout.write("")
        self.stdout.write(
            _("Voeg de TOTP-sleutel toe aan een authenticator-app, of vraag de huidige code op met: %(command)s")
            % {"command": ".venv/bin/python manage.py demo_totp <gebruikersnaam>"}
        )
        if settings.DEBUG:
            self.stdout.write(_("Let op: DEBUG staat aan."))
