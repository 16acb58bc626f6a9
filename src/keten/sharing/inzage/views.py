"""Pages for inzage and destruction requests under /delen/inzage/. Views hold no rules: each declares
its permission (:mod:`keten.sharing.rules`: the dossier's case team handles its requests), asks the
object rule of the loaded request before any form is validated, and calls
:mod:`keten.sharing.inzage.services`, which validates and audits; reads go through
:mod:`keten.sharing.inzage.selectors`, which audit them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.forms import apply_domain_error
from keten.dossiers import selectors as dossier_selectors
from keten.dossiers.models import Dossier
from keten.sharing import selectors as sharing_selectors
from keten.sharing.inzage import selectors, services
from keten.sharing.inzage.forms import AnswerForm, CarriedOutForm, DecideForm, RequestForm
from keten.sharing.models import InzageExport

#: How often the status page of an overview PDF that is being made reloads itself.
EXPORT_REFRESH_SECONDS = 5


GATE = "sharing.handle_inzage_requests"


def _dossier(request: HttpRequest, reference: str) -> Dossier:
    """A dossier the actor may see (through the selector) and whose requests they handle; 404 otherwise."""
    dossier = dossier_selectors.dossier_get(actor=actor_from_request(request), reference=reference, audit_read=False)
    check(request, "sharing.handle_inzage", dossier)
    return dossier


@require_GET
@requires(GATE)
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """/delen/inzage/dossier/<reference>/ — the dossier's inzage and destruction requests."""
    dossier = _dossier(request, reference)
    inzage_requests, destruction_requests = selectors.requests_of_dossier(
        actor=actor_from_request(request), dossier=dossier
    )
    return render(
        request,
        "sharing/inzage/overview.html",
        {
            "dossier": dossier,
            "inzage_requests": inzage_requests,
            "destruction_requests": destruction_requests,
            "today": timezone.localdate(),
        },
    )


def _record(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    dossier = _dossier(request, reference)
    actor = actor_from_request(request)
    form = RequestForm(
        request.POST or None,
        persons=sharing_selectors.person_choices(actor=actor, dossier=dossier, form=f"{kind}_form"),
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = services.RequestData(
            requester_id=form.cleaned_data["requester"],
            requester_role=form.cleaned_data["requester_role"],
            about_id=form.cleaned_data["about"],
            received_on=form.cleaned_data["received_on"],
        )
        try:
            if kind == "inzage":
                created = services.inzage_record(actor=actor, dossier=dossier, data=data)
                messages.success(
                    request,
                    _("Het inzageverzoek is vastgelegd. Beantwoord het uiterlijk %(due)s.")
                    % {"due": created.due_on.strftime("%d-%m-%Y")},
                )
                return redirect("sharing_inzage:detail", created.pk)
            destruction = services.destruction_record(actor=actor, dossier=dossier, data=data)
            messages.success(request, _("Het vernietigingsverzoek is vastgelegd."))
            return redirect("sharing_inzage:destruction", destruction.pk)
        except DomainError as exc:
            apply_domain_error(form, exc)
    title = _("Inzageverzoek vastleggen") if kind == "inzage" else _("Vernietigingsverzoek vastleggen")
    return render(
        request,
        "sharing/inzage/request_form.html",
        {"dossier": dossier, "form": form, "title": title, "kind": kind},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@requires(GATE)
def inzage_create(request: HttpRequest, reference: str) -> HttpResponse:
    return _record(request, reference, "inzage")


@require_http_methods(["GET", "POST"])
@requires(GATE)
def destruction_create(request: HttpRequest, reference: str) -> HttpResponse:
    return _record(request, reference, "vernietiging")


def _inzage(request: HttpRequest, pk: int, *, audit_read: bool = True) -> Any:
    item = selectors.inzage_get(actor=actor_from_request(request), pk=pk, audit_read=audit_read)
    check(request, "sharing.handle_inzage_request", item)
    return item


@require_http_methods(["GET", "POST"])
@requires(GATE)
def inzage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/delen/inzage/<pk>/ — the request, its due date, the PDF and recording the answer."""
    item = _inzage(request, pk)
    form = AnswerForm(request.POST or None, initial={"answered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.inzage_answer(
                actor=actor_from_request(request),
                request=item,
                answered_on=form.cleaned_data["answered_on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Vastgelegd dat het verzoek is beantwoord."))
            return redirect("sharing_inzage:detail", item.pk)
        except DomainError as exc:
            apply_domain_error(form, exc)
    exports = selectors.inzage_exports_of(actor=actor_from_request(request), request=item)
    return render(
        request,
        "sharing/inzage/detail.html",
        {
            "item": item,
            "dossier": item.dossier,
            "form": form,
            "today": timezone.localdate(),
            "exports": exports,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@requires(GATE)
def export_start(request: HttpRequest, pk: int) -> HttpResponse:
    """/delen/inzage/<pk>/overzicht/ — queue the overview PDF; the status page follows it."""
    item = _inzage(request, pk, audit_read=False)
    export = services.inzage_export_request(actor=actor_from_request(request), request=item)
    return redirect("sharing_inzage:export", export.pk)


def _export(request: HttpRequest, pk: int, *, audit_read: bool = True) -> InzageExport:
    export = selectors.inzage_export_get(actor=actor_from_request(request), pk=pk, audit_read=audit_read)
    check(request, "sharing.view_inzage_export", export)
    return export


@require_GET
@requires(GATE)
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """/delen/inzage/overzicht/<pk>/ — whether the PDF is ready; refreshes itself (also without JavaScript)."""
    export = _export(request, pk)
    pending = export.status in (InzageExport.Status.QUEUED, InzageExport.Status.RUNNING)
    context = {
        "export": export,
        "item": export.request,
        "pending": pending,
        "downloadable": selectors.export_downloadable(export),
        "refresh_seconds": EXPORT_REFRESH_SECONDS,
    }
    return render(request, "sharing/inzage/export.html", context)


@require_GET
@requires(GATE)
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """/delen/inzage/overzicht/<pk>/overzicht.pdf — the ready PDF, for its requester only. Audited as export."""
    export = _export(request, pk, audit_read=False)
    try:
        pdf = selectors.inzage_export_download(actor=actor_from_request(request), export=export)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("sharing_inzage:export", export.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"inzage-{export.request.dossier.reference}-{export.request_id}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@requires(GATE)
def destruction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/delen/inzage/vernietiging/<pk>/ — decide, then record that the follow-up was carried out."""
    actor = actor_from_request(request)
    item = selectors.destruction_get(actor=actor, pk=pk)
    check(request, "sharing.handle_destruction_request", item)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    decide = DecideForm(request.POST if action == "decide" else None, initial={"decided_on": timezone.localdate()})
    done = CarriedOutForm(request.POST if action == "done" else None, initial={"carried_out_on": timezone.localdate()})
    if action == "decide" and decide.is_valid():
        try:
            services.destruction_decide(
                actor=actor,
                request=item,
                decision=decide.cleaned_data["decision"],
                decided_on=decide.cleaned_data["decided_on"],
                reason=decide.cleaned_data["reason"],
                follow_up=decide.cleaned_data["follow_up"],
            )
            messages.success(request, _("De beslissing is vastgelegd."))
            return redirect("sharing_inzage:destruction", item.pk)
        except DomainError as exc:
            apply_domain_error(decide, exc)
    if action == "done" and done.is_valid():
        try:
            services.destruction_carried_out(
                actor=actor, request=item, carried_out_on=done.cleaned_data["carried_out_on"]
            )
            messages.success(request, _("Vastgelegd dat de vernietiging is uitgevoerd."))
            return redirect("sharing_inzage:destruction", item.pk)
        except DomainError as exc:
            apply_domain_error(done, exc)
    failed = bool(decide.errors or done.errors)
    return render(
        request,
        "sharing/inzage/destruction.html",
        {"item": item, "dossier": item.dossier, "decide": decide, "done": done},
        status=400 if failed else 200,
    )
