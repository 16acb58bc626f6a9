"""Informatie delen benchmark: in-process timings of informatie delen on a dedicated database.

Builds (once) one family of five with 500 disclosures and five years of notes and meldcode entries,
then times, as the median of ``--runs`` runs in this process:

* the dossier page's "Verstrekkingen" part (the newest disclosures, the total and the list), a page
  of the dossier's disclosure log, all rows through the lean and the API selector, and the whole
  dossier page through Django's test client;
* the inzage overview PDF for one child (report + WeasyPrint), and what the professional waits for
  now that a task builds it: the click that queues it, the status page, the build in the
  background (the worker's share) and the download.

It refuses to run on a database whose name does not end in ``_bench`` so it never writes into a
real one. Example::

    DJANGO_SETTINGS_MODULE=keten.conf.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keten_sharing_bench \\
    .venv/bin/python manage.py migrate && ... .venv/bin/python bench/sharing_bench.py [--runs 50]
        [--pdf-runs 5] [--disclosures 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keten.conf.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from keten.accounts.models import OrganisationType, Role, User  # noqa: E402
from keten.core.actor import actor_for_user  # noqa: E402
from keten.dossiers.models import Dossier, DossierNote, Person, Relation  # noqa: E402
from keten.meldcode.models import Entry, EntryKind  # noqa: E402
from keten.meldcode.trajecten import services as meldcode_services  # noqa: E402
from keten.sharing import selectors, services  # noqa: E402
from keten.sharing.inzage import selectors as inzage_selectors  # noqa: E402
from keten.sharing.inzage import services as inzage_services  # noqa: E402
from keten.sharing.inzage.report import inzage_render  # noqa: E402
from keten.sharing.models import Disclosure, InzageRequest, LegalBasis, RequesterRole  # noqa: E402
from keten.testing.auth import login_verified  # noqa: E402
from keten.testing.factories import (  # noqa: E402
    MunicipalityFactory,
    OrganisationFactory,
    make_dossier,
    make_person,
    make_user,
)

BENCH_FAMILY = "Gezin Benchmark Delen"
#: The dossier page's "Verstrekkingen" list, as the page renders it (the same include).
LIST_TEMPLATE = '<ol>{% include "sharing/_disclosure_items.html" %}</ol>'


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    fn()  # warm up caches and templates
    times = []
    for _i in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[0], times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Time the disclosure log and the inzage PDF on a dedicated *_bench database."
    )
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--pdf-runs", type=int, default=5)
    parser.add_argument("--disclosures", type=int, default=500)
    options = vars(parser.parse_args())
    name = str(connection.settings_dict.get("NAME", ""))
    if not name.endswith("_bench"):
        raise SystemExit("sharing_bench only runs on a database whose name ends in _bench")
    dossier, prof, child, built = _build(options["disclosures"])
    if built:
        print(f"built the benchmark family in {built:.1f} s")
    actor = actor_for_user(prof)
    count = Disclosure.objects.filter(dossier=dossier).count()
    template = engines["django"].from_string(LIST_TEMPLATE)
    runs = options["runs"]

    def dossier_part() -> str:
        # What the dossier page does for its "Verstrekkingen" part: the newest disclosures with
        # the total, their running grants, and the list.
        recent = selectors.recent_disclosures(actor=actor, dossier=dossier)
        rows = selectors.with_running_grants(recent.rows)
        return template.render({"disclosures": rows, "dossier": dossier, "on_team": True})

    def log_page() -> str:
        page = selectors.disclosure_log_page(actor=actor, dossier=dossier, page=2)
        rows = selectors.with_running_grants(page.rows)
        return template.render({"disclosures": rows, "dossier": dossier, "on_team": True})

    def all_lean() -> str:
        return template.render(
            {
                "disclosures": [
                    selectors.DisclosureRow(disclosure=d, running_grant=None)
                    for d in selectors.disclosures_of_dossier(actor=actor, dossier=dossier)
                ],
                "dossier": dossier,
            }
        )

    def all_details() -> list[Any]:
        rows = selectors.disclosures_of_dossier(actor=actor, dossier=dossier, details=True)
        return [(d.purpose, [p.pseudonym for p in d.about.all()]) for d in rows]

    client = login_verified(Client(), prof)

    def dossier_page() -> None:
        response = client.get(f"/dossiers/{dossier.reference}/")
        assert response.status_code == 200, response.status_code

    results = {
        "dossier page part: newest 25 + total + grants + list template": _median_ms(dossier_part, runs),
        "disclosure log page (50 rows, selector + audit + list template)": _median_ms(log_page, runs),
        "all rows, lean selector + list template": _median_ms(all_lean, runs),
        "all rows with purpose and persons (API selector)": _median_ms(all_details, runs),
        "whole dossier page (test client)": _median_ms(dossier_page, runs),
    }
    parent = dossier.family.persons.filter(relation="ouder").order_by("pk").first()
    assert parent is not None
    request = InzageRequest.objects.filter(dossier=dossier, about=child).first() or inzage_services.inzage_record(
        actor=actor,
        dossier=dossier,
        data=inzage_services.RequestData(
            requester_id=parent.pk,
            requester_role=RequesterRole.OUDER_MET_GEZAG,
            about_id=child.pk,
            received_on=timezone.localdate(),
        ),
    )
    sizes: list[int] = []
    pages: list[int] = []

    cpu: list[float] = []

    def pdf() -> None:
        started = time.process_time()
        report = inzage_selectors.inzage_report(actor=actor, request=request)
        content, count = inzage_render(report)
        cpu.append((time.process_time() - started) * 1000)
        sizes.append(len(content))
        pages.append(count)

    pdf_runs = options["pdf_runs"]
    results["inzage PDF (report + WeasyPrint)"] = _median_ms(pdf, pdf_runs)
    # CPU time of this process: less sensitive than wall time to other work on the machine.
    spent = sorted(cpu[1:])
    results["inzage PDF, CPU time of the process"] = (statistics.median(spent), spent[0], spent[-1])

    # What the professional waits for: the PDF is made by a task. With the database task queue
    # (as in production) the click only queues it; the worker then builds it.
    waits: dict[str, list[float]] = {"click": [], "status page": [], "background build": [], "download": []}

    def timed(label: str, fn: Callable[..., Any], *args: Any) -> Any:
        start = time.perf_counter()
        value = fn(*args)
        waits[label].append((time.perf_counter() - start) * 1000)
        return value

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        for _i in range(pdf_runs + 1):
            response = timed("click", client.post, f"/delen/inzage/{request.pk}/overzicht/")
            assert response.status_code == 302, response.status_code
            status_url = response["Location"]
            export_id = int(status_url.rstrip("/").rsplit("/", 1)[1])
            timed("status page", client.get, status_url)
            built = timed("background build", inzage_services.inzage_export_build, export_id)
            assert built is not None
            assert built.status == "klaar", built.status
            download = timed("download", client.get, f"{status_url}overzicht.pdf")
            assert download.status_code == 200, download.status_code
    for label, values in waits.items():
        rest = sorted(values[1:])  # the first run warms up
        results[f"inzage export, {label}"] = (statistics.median(rest), rest[0], rest[-1])
    report = inzage_selectors.inzage_report(actor=actor, request=request)
    load = os.getloadavg()
    print(
        f"database {connection.vendor} {name}; {count} disclosures, {len(report.notes)} notes, "
        f"{len(report.entries)} meldcode entries, {len(report.disclosures)} disclosures about the child; "
        f"PDF {sizes[-1] // 1024} KiB, {pages[-1]} pages; load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}; {os.cpu_count()} CPUs"
    )
    for label, (median, best, p95) in results.items():
        n = pdf_runs if "PDF" in label or "export" in label else runs
        print(f"{label}: median {median:.1f} ms, best {best:.1f} ms, p95 {p95:.1f} ms ({n} runs)")


def _build(disclosures: int) -> tuple[Any, Any, Any, float]:
    existing = Dossier.objects.filter(coordinator__username="bench-delen").select_related("family").first()
    if existing is not None:
        prof = User.objects.get(username="bench-delen")
        child = existing.family.persons.filter(relation=Relation.KIND).order_by("pk").first()
        return existing, prof, child, 0.0
    started = time.perf_counter()
    municipality = MunicipalityFactory(name="Benchmarkgemeente Delen", cbs_code="GM8888")
    wijkteam: Any = OrganisationFactory(
        name="Wijkteam Bench", type=OrganisationType.WIJKTEAM, municipality=municipality
    )
    recipients: list[Any] = [
        OrganisationFactory(name=f"Ontvanger {i}", type=kind, municipality=municipality)
        for i, kind in enumerate(
            [OrganisationType.ONDERWIJS, OrganisationType.JGZ, OrganisationType.HUISARTS, OrganisationType.GI]
        )
    ]
    prof = make_user(Role.PROFESSIONAL, wijkteam, username="bench-delen")
    dossier = make_dossier(prof, family_name=BENCH_FAMILY)
    today = timezone.localdate()
    child = dossier.family.persons.get()
    persons: list[Person] = [
        child,
        make_person(dossier.family, first_name="Broer", date_of_birth=today - timedelta(days=13 * 365)),
        make_person(dossier.family, first_name="Zus", date_of_birth=today - timedelta(days=4 * 365)),
        make_person(dossier.family, relation=Relation.OUDER, first_name="Moeder", date_of_birth=date(1984, 2, 3)),
        make_person(dossier.family, relation=Relation.OUDER, first_name="Vader", date_of_birth=date(1982, 6, 7)),
    ]
    actor = actor_for_user(prof)
    # Five years of notes, about three a week.
    DossierNote.objects.bulk_create(
        [
            DossierNote(
                dossier=dossier,
                author=prof,
                text=f"Huisbezoek {i}: gesproken met moeder over de week, de school en de afspraken. "
                "Het gaat wisselend; volgende week weer langs.",
            )
            for i in range(5 * 52 * 3)
        ]
    )
    # Two meldcode-trajecten over five years (the child and the whole family), 150 entries each.
    for child_id in (child.pk, None):
        traject = meldcode_services.traject_start(actor=actor, dossier=dossier, child_id=child_id)
        Entry.objects.bulk_create(
            [
                Entry(
                    traject=traject,
                    kind=EntryKind.OBSERVATIE,
                    step=1,
                    author=prof,
                    organisation=wijkteam,
                    occurred_on=today - timedelta(days=5 * 365 - i * 12),
                    data={
                        "source": "zelf",
                        "facts": f"Waarneming {i}: kind kwam zonder jas en ontbijt op school.",
                        "interpretation": "Mogelijk verwaarlozing.",
                    },
                    text="",
                )
                for i in range(150)
            ]
        )
    bases = [
        LegalBasis.PUBLIEKE_TAAK,
        LegalBasis.WETTELIJKE_PLICHT,
        LegalBasis.CONFLICT_VAN_PLICHTEN,
        LegalBasis.VITAAL_BELANG,
    ]
    for i in range(disclosures):
        services.disclosure_record(
            actor=actor,
            dossier=dossier,
            data=services.DisclosureData(
                about_ids=[persons[i % 5].pk, child.pk] if i % 3 == 0 else [persons[i % 5].pk],
                categories=["betrokkenheid", "hulpverlening"] if i % 2 else ["signalen"],
                items=[f"Verslag {i}"],
                recipient_organisation_id=recipients[i % len(recipients)].pk,
                purpose=f"Afstemmen van de hulp, ronde {i}",
                legal_basis=bases[i % len(bases)],
                no_consent_reason="Taak of plicht van de organisatie",
                shared_on=today - timedelta(days=(disclosures - i) * 3),
                client_informed=True,
                client_informed_on=today - timedelta(days=(disclosures - i) * 3),
            ),
        )
    return dossier, prof, child, time.perf_counter() - started


if __name__ == "__main__":
    main()
