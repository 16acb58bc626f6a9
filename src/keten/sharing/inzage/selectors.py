"""Reads of inzage and destruction requests and of overview PDFs, for the dossier's case team.

The pages show the names of the requester and of the person the request is about, so each read
is audited as a ``view`` with the family's pseudonym (the per-family filter of the audit log finds
it). Writes are in :mod:`keten.sharing.inzage.services`.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from keten.core import audit
from keten.core.actor import Actor
from keten.core.errors import DomainError, NotFoundError
from keten.core.models import AuditAction
from keten.core.policy import allows
from keten.dossiers.models import Dossier
from keten.sharing.inzage.report import InzageReport, audit_report, collect_report
from keten.sharing.inzage.services import require_case_team
from keten.sharing.models import DestructionRequest, InzageExport, InzageRequest


def _audit_view(actor: Actor, dossier: Dossier, what: str, object_id: str | int, **details: Any) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=f"sharing.{what}",
        object_id=object_id,
        client_pseudonym=dossier.family.pseudonym,
        details=details,
    )


def _may_change(actor: Actor, dossier: Dossier) -> bool:
    return actor.user is not None and allows("sharing.handle_inzage", actor.user, dossier)


def requests_of_dossier(*, actor: Actor, dossier: Dossier) -> tuple[list[InzageRequest], list[DestructionRequest]]:
    """The dossier's inzage and destruction requests for its case team (two queries). Audited."""
    if actor.user is None or not allows("dossiers.view_dossier", actor.user, dossier):
        raise NotFoundError
    inzage = list(InzageRequest.objects.filter(dossier=dossier).select_related("requester", "about"))
    destruction = list(DestructionRequest.objects.filter(dossier=dossier).select_related("requester", "about"))
    _audit_view(actor, dossier, "inzage_overview", dossier.reference, inzage=len(inzage), destruction=len(destruction))
    return inzage, destruction


def inzage_get(*, actor: Actor, pk: int, audit_read: bool = True) -> InzageRequest:
    """One inzage request of a dossier the actor may change; NotFoundError otherwise. Audited unless
    ``audit_read`` is off (a write that shows nothing of it)."""
    found = (
        InzageRequest.objects.select_related("dossier", "dossier__family", "requester", "about").filter(pk=pk).first()
    )
    if found is None or not _may_change(actor, found.dossier):
        raise NotFoundError
    if audit_read:
        _audit_view(actor, found.dossier, "inzage", found.pk)
    return found


def destruction_get(*, actor: Actor, pk: int) -> DestructionRequest:
    """One destruction request of a dossier the actor may change; NotFoundError otherwise. Audited."""
    found = (
        DestructionRequest.objects.select_related("dossier", "dossier__family", "requester", "about")
        .filter(pk=pk)
        .first()
    )
    if found is None or not _may_change(actor, found.dossier):
        raise NotFoundError
    _audit_view(actor, found.dossier, "destruction", found.pk)
    return found


def inzage_export_get(*, actor: Actor, pk: int, audit_read: bool = True) -> InzageExport:
    """An overview PDF export of the actor's own (without its content); NotFoundError for anyone else.

    Audited unless ``audit_read`` is off (the download writes its own ``export`` event)."""
    export = (
        InzageExport.objects.select_related("request__dossier__family", "request__requester", "request__about")
        .defer("content")
        .filter(pk=pk)
        .first()
    )
    if (
        export is None
        or actor.user is None
        or export.requested_by_id != actor.user.pk
        or not _may_change(actor, export.request.dossier)
    ):
        raise NotFoundError
    if audit_read:
        _audit_view(actor, export.request.dossier, "inzage_export", export.pk, inzage=export.request_id)
    return export


def inzage_exports_of(*, actor: Actor, request: InzageRequest) -> list[InzageExport]:
    """The actor's own overview exports of an inzage request, newest first (without their content).

    Shown on the request's page, whose read :func:`inzage_get` audits."""
    if not _may_change(actor, request.dossier):
        raise NotFoundError
    return list(InzageExport.objects.filter(request=request, requested_by=actor.user).defer("content")[:10])


def inzage_report(*, actor: Actor, request: InzageRequest) -> InzageReport:
    """What the dossier holds about the person: personalia, the family dossier's notes, meldcode entries of
    trajecten about them (or the whole family) and disclosures about them. Audited as export."""
    require_case_team(actor, request.dossier)
    report = collect_report(request)
    audit_report(actor, report)
    return report


def export_downloadable(export: InzageExport, now: datetime | None = None) -> bool:
    return export.status == InzageExport.Status.READY and export.expires_at > (now or timezone.now())


def inzage_export_download(*, actor: Actor, export: InzageExport) -> bytes:
    """The PDF of a ready export of the actor's own. Audited as export."""
    if not export_downloadable(export):
        raise DomainError(_("Dit overzicht is niet (meer) te downloaden. Maak een nieuw overzicht."))
    content = InzageExport.objects.filter(pk=export.pk).values_list("content", flat=True).first()
    if not content:
        raise DomainError(_("Dit overzicht is niet (meer) te downloaden. Maak een nieuw overzicht."))
    pdf = base64.b64decode(content)
    audit.record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="sharing.inzage_export",
        object_id=export.pk,
        client_pseudonym=export.request.dossier.family.pseudonym,
        details={"inzage": export.request_id, "download": True, "size": len(pdf)},
    )
    return pdf
