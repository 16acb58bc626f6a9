"""The start page per role, the audit log page and the municipal figures export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.core import audit
from keten.core.access import may, requires, signed_in
from keten.core.actor import actor_from_request
from keten.core.errors import DomainError
from keten.core.exports import csv_response, hidden_legend
from keten.core.forms import KetenForm, apply_domain_error
from keten.core.listing import Page, list_context
from keten.core.memo import reading
from keten.core.models import AuditAction
from keten.core.smallcells import HIDDEN_MARK
from keten.dossiers import selectors as dossier_selectors
from keten.shell.selectors import (
    AUDIT_LOG,
    AuditFilter,
    audit_page,
    audit_professionals,
    client_filter_token,
    looks_like_bsn,
)
from keten.shell.today import today_for


@signed_in(
    "everyone signed in has a start page; each of its blocks is asked of the policy and filled "
    "through the user-scoped selectors (keten.shell.today), so it shows only what the role may see"
)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    # A read-only page: the policy's answers (case teams, regievoerder) are asked once while it is built.
    with reading():
        page = today_for(actor=actor)
        return render(
            request,
            "shell/dashboard.html",
            {"today": page, "manages_checklists": may(request, "meldcode.manage_checklists")},
        )


class AuditFilterForm(KetenForm):
    professional = forms.TypedChoiceField(label=_("Medewerker"), required=False, coerce=int, empty_value=None)
    client = forms.CharField(
        label=_("Cliënt"),
        required=False,
        max_length=20,
        help_text=_("Pseudoniem van het gezin (G-…) of BSN."),
    )
    action = forms.ChoiceField(label=_("Actie"), required=False)
    date_from = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, professionals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = [("", _("Iedereen"))] + [(p.pk, str(p)) for p in professionals]  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("Alle acties")), *AuditAction.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("De einddatum ligt voor de begindatum."))
        return data


@requires("core.view_auditlog")
@require_http_methods(["GET", "POST"])
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log of the actor's organisation.

    The filter form is POSTed and redirected to a GET whose client filter is the family pseudonym:
    a BSN typed into the filter never appears in a URL or access log.
    """
    actor = actor_from_request(request)
    professionals = audit_professionals(actor=actor)
    url = reverse("shell:audit_log")
    if request.method == "POST":
        form = AuditFilterForm(request.POST, professionals=professionals)
        if form.is_valid():
            data = form.cleaned_data
            try:
                token = client_filter_token(actor=actor, client=data.get("client", ""))
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                params = {
                    "professional": data.get("professional") or "",
                    "client": token,
                    "action": data.get("action", ""),
                    "date_from": data["date_from"].isoformat() if data.get("date_from") else "",
                    "date_to": data["date_to"].isoformat() if data.get("date_to") else "",
                    # The order chosen in the table, unless it is the default.
                    "sorteer": AUDIT_LOG.parse(request.POST).sort_param,
                }
                if params["sorteer"] == AUDIT_LOG.default_sort:
                    params["sorteer"] = ""
                target = urlencode({k: v for k, v in params.items() if v})
                return redirect(f"{reverse('shell:audit_log')}?{target}" if target else reverse("shell:audit_log"))
        listing = AUDIT_LOG.parse(request.POST)
        empty = list_context(
            listing, Page.of([], 0, listing.window(0)), url=reverse("shell:audit_log"), target_id="audit-rows"
        )
        return render(request, "shell/audit_log.html", {"form": form, "events": [], "listing": empty}, status=422)
    form = AuditFilterForm(request.GET or None, professionals=professionals)
    listing = AUDIT_LOG.parse(request.GET)
    page: Page[Any] = Page.of([], 0, listing.window(0))
    keep: list[tuple[str, str]] = []
    if request.GET and looks_like_bsn(request.GET.get("client", "")):
        form.is_valid()
        form.add_error("client", _("Zoek op BSN met het filterformulier, niet via het adres van de pagina."))
    elif not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        filters = AuditFilter(
            professional_id=data.get("professional"),
            client=data.get("client", ""),
            action=data.get("action", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        # The form's valid filters, carried along by every sort and page link.
        keep = [(name, str(request.GET[name])) for name in AuditFilterForm.base_fields if data.get(name)]
        page = audit_page(actor=actor, filters=filters, listing=listing)
    template = "shell/_audit_rows.html" if request.htmx else "shell/audit_log.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "form": form,
            "events": page.rows,
            "listing": list_context(listing, page, url=url, target_id="audit-rows", keep=keep),
        },
    )


@requires("core.view_aggregates")
@require_GET
def figures_csv(request: HttpRequest) -> HttpResponse:
    """The municipal figures as CSV: counts only, small cells hidden. The export is audited."""
    actor = actor_from_request(request)
    figures = dossier_selectors.dossier_aggregates(actor=actor)

    def shown(value: int | None) -> int | str:
        return HIDDEN_MARK if value is None else value

    rows: list[list[Any]] = [
        [_("Dossiers"), _("Aantal")],
        [_("Open"), shown(figures["open"])],
        [_("Gesloten"), shown(figures["closed"])],
        [],
        [_("Wijk"), _("Open dossiers")],
        *([row["wijk"], shown(row["open"])] for row in figures["by_wijk"]),
        [],
        [_("Soort organisatie"), _("Dossiers")],
        *([row["type"], shown(row["dossiers"])] for row in figures["by_org_type"]),
        [],
        hidden_legend(figures["small_cell"]),
    ]
    response = csv_response(rows, filename="keten-cijfers.csv")
    audit.record(actor=actor, action=AuditAction.EXPORT, object_type="figures", object_id="dossiers.csv")
    return response
