"""The overview of what a dossier holds about one person, for an inzage request: collected, audited
as an export, rendered as HTML and as PDF (WeasyPrint). Read by :func:`keten.sharing.inzage.selectors.inzage_report`
and built in the background by :func:`keten.sharing.inzage.services.inzage_export_build`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from keten.core import audit
from keten.core.actor import Actor
from keten.core.models import AuditAction
from keten.dossiers.models import DossierNote, Person
from keten.meldcode.models import Entry
from keten.meldcode.report import entry_facts
from keten.sharing.models import DataCategory, Disclosure, InzageRequest


@dataclass
class InzageReport:
    request: InzageRequest
    person: Person
    notes: list[DossierNote]
    entries: list[tuple[Entry, list[tuple[str, str]]]]
    disclosures: list[tuple[Disclosure, str]]
    generated_at: datetime


def collect_report(request: InzageRequest) -> InzageReport:
    dossier = request.dossier
    person = request.about
    notes = list(DossierNote.objects.filter(dossier=dossier).select_related("author").order_by("created_at", "pk"))
    entries = list(
        Entry.objects.filter(traject__dossier=dossier)
        .filter(Q(traject__child_id=person.pk) | Q(traject__child__isnull=True))
        .select_related("traject", "author", "organisation")
        # Per traject, so the PDF names each traject once instead of on every entry.
        .order_by("traject__started_at", "traject_id", "occurred_on", "created_at", "pk")
    )
    disclosures = list(
        Disclosure.objects.filter(dossier=dossier, about=person)
        .defer("no_consent_reason", "not_informed_reason", "override_motivation", "advice")
        .select_related("recipient_organisation", "convenant")
        .order_by("shared_on", "pk")
    )
    labels = dict(DataCategory.choices)
    return InzageReport(
        request=request,
        person=person,
        notes=notes,
        entries=[(e, entry_facts(e)) for e in entries],
        disclosures=[(d, ", ".join(str(labels.get(c, c)) for c in d.categories)) for d in disclosures],
        generated_at=timezone.localtime(),
    )


def audit_report(actor: Actor, report: InzageReport, **extra: Any) -> None:
    request = report.request
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="sharing.inzage",
        object_id=request.pk,
        client_pseudonym=request.dossier.family.pseudonym,
        details={
            "format": "pdf",
            "about": report.person.pseudonym,
            "notes": len(report.notes),
            "entries": len(report.entries),
            "disclosures": len(report.disclosures),
            **extra,
        },
    )


def inzage_html(report: InzageReport) -> str:
    return render_to_string("sharing/inzage/pdf.html", {"report": report, "request": report.request})


def inzage_render(report: InzageReport, base_url: str | None = None) -> tuple[bytes, int]:
    """The overview as PDF bytes and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=inzage_html(report), base_url=base_url).render()
    return bytes(document.write_pdf()), len(document.pages)


def inzage_pdf(report: InzageReport, base_url: str | None = None) -> bytes:
    return inzage_render(report, base_url)[0]
