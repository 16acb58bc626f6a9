"""Informatie delen pages. Views translate HTTP to service and selector calls; they hold no rules.

Every page declares its permission (:func:`keten.core.access.requires`, rules in
:mod:`keten.sharing.rules`); a dossier is loaded through the dossiers' selector and its object rule
is asked before any form is validated, so a break-the-glass reader may read the disclosure log but
gets 404 on every write.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts.models import Organisation, OrganisationType
from keten.core.access import check, may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import DomainError, NotFoundError
from keten.core.exports import csv_response
from keten.core.forms import apply_domain_error
from keten.dossiers import selectors as dossier_selectors
from keten.network.kaart.selectors import organisation_choices
from keten.sharing import deelhulp, selectors, services
from keten.sharing.forms import ConsentForm, ConvenantForm, DeelhulpForm, DisclosureFilterForm, WithdrawForm
from keten.sharing.models import AccessGrant, LegalBasis


def _dossier(request: HttpRequest, reference: str, permission: str) -> Any:
    """A dossier the actor may see (through the selector) and may ``permission`` on; 404 otherwise."""
    dossier = dossier_selectors.dossier_get(actor=actor_from_request(request), reference=reference, audit_read=False)
    check(request, permission, dossier)
    return dossier


# --- consent -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires("sharing.use_sharing")
def consent_create(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _dossier(request, reference, "sharing.record_consent")
    actor = actor_from_request(request)
    form = ConsentForm(
        request.POST or None,
        persons=selectors.person_choices(actor=actor, dossier=dossier, form="consent_form"),
        organisations=organisation_choices(actor=actor),
        initial={"given_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                actor=actor,
                dossier=dossier,
                data=services.ConsentData(
                    giver_id=data["giver"],
                    giver_role=data["giver_role"],
                    about_id=data["about"],
                    purpose=data["purpose"],
                    recipient_ids=list(data["recipients"]),
                    form=data["form"],
                    given_on=data["given_on"],
                    valid_until=data.get("valid_until"),
                ),
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("dossiers:detail", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "sharing/consent_form.html", {"form": form, "dossier": dossier}, status=status)


@require_POST
@requires("sharing.use_sharing")
def consent_withdraw(request: HttpRequest, reference: str, consent_id: int) -> HttpResponse:
    dossier = _dossier(request, reference, "sharing.record_consent")
    consent = selectors.consent_of_dossier(actor=actor_from_request(request), dossier=dossier, consent_id=consent_id)
    check(request, "sharing.withdraw_consent", consent)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.consent_withdraw(
                actor=actor_from_request(request), consent=consent, withdrawn_on=form.cleaned_data["withdrawn_on"]
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De toestemming is ingetrokken. U kunt er niet meer op delen."))
            return redirect("dossiers:detail", reference=reference)
    selectors.consent_shown(actor=actor_from_request(request), dossier=dossier, consent=consent)
    return render(
        request, "sharing/withdraw_form.html", {"form": form, "dossier": dossier, "consent": consent}, status=422
    )


@require_POST
@requires("sharing.use_sharing")
def grant_revoke(request: HttpRequest, reference: str, grant_id: int) -> HttpResponse:
    dossier = _dossier(request, reference, "sharing.record_disclosure")
    actor = actor_from_request(request)
    grant = selectors.grant_of_dossier(actor=actor, dossier=dossier, grant_id=grant_id)
    check(request, "sharing.revoke_grant", grant)
    try:
        services.grant_revoke(actor=actor, grant=grant)
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("De toegang is beëindigd."))
    return redirect("dossiers:detail", reference=reference)


# --- the dossier's disclosure log ---------------------------------------------------------------


@require_GET
@requires("sharing.use_sharing")
def disclosure_log(request: HttpRequest, reference: str) -> HttpResponse:
    """/delen/<reference>/verstrekkingen/ — every disclosure of the dossier, newest first, 50 a page."""
    dossier = _dossier(request, reference, "sharing.view_disclosures")
    actor = actor_from_request(request)
    try:
        number = int(request.GET.get("pagina", "1"))
    except ValueError:
        number = 1
    try:
        page = selectors.disclosure_log_page(actor=actor, dossier=dossier, page=number)
    except NotFoundError as exc:
        raise Http404 from exc
    context = {
        "dossier": dossier,
        "page": page,
        "disclosures": selectors.with_running_grants(page.rows),
        "on_team": may(request, "sharing.record_disclosure", dossier),
    }
    return render(request, "sharing/disclosure_log.html", context)


# --- deelhulp ----------------------------------------------------------------------------------


def _recipient_kind(actor: Actor, recipient: Organisation) -> deelhulp.Recipient:
    if recipient.type == OrganisationType.VEILIG_THUIS:
        return deelhulp.Recipient.VEILIG_THUIS
    if actor.membership is not None and recipient.pk == actor.membership.organisation_id:
        return deelhulp.Recipient.COLLEGA
    return deelhulp.Recipient.KETENPARTNER


def _advice_json(result: deelhulp.Result) -> dict[str, Any]:
    return {
        "advice": str(result.advice),
        "basis": str(result.basis) if result.basis else "",
        "reasons": [str(r) for r in result.reasons],
        "also": [str(a) for a in result.also],
        "leave_out": sorted(result.leave_out),
        "rules_version": result.rules_version,
    }


@require_http_methods(["GET", "POST"])
@requires("sharing.use_sharing")
def deelhulp_view(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _dossier(request, reference, "sharing.record_disclosure")
    actor = actor_from_request(request)
    posted = None
    if request.method == "POST":
        # The recording part appears only with the advice: prefill it the first time.
        posted = request.POST.copy()
        for key, default in (
            ("shared_on", timezone.localdate().isoformat()),
            ("client_informed_on", timezone.localdate().isoformat()),
            ("grant_days", "14"),
        ):
            if key not in posted:
                posted[key] = default
    form = DeelhulpForm(
        posted,
        persons=selectors.person_choices(actor=actor, dossier=dossier, form="deelhulp_form"),
        organisations=organisation_choices(actor=actor),
        professionals=selectors.professionals_in_municipality(actor=actor),
        initial={"shared_on": timezone.localdate(), "client_informed_on": timezone.localdate(), "grant_days": 14},
    )
    context: dict[str, Any] = {"form": form, "dossier": dossier, "max_days": services.MAX_GRANT_DAYS}
    if request.method != "POST":
        return render(request, "sharing/deelhulp.html", context)
    record = "vastleggen" in request.POST
    if form.is_valid():
        data = form.cleaned_data
        try:
            found = selectors.deelhulp_lookup(
                actor=actor,
                dossier=dossier,
                recipient_id=data["recipient_organisation"],
                about_ids=list(data["about"]),
                categories=set(data["categories"]),
                on=data.get("shared_on"),
            )
            answers = deelhulp.Answers(
                recipient=_recipient_kind(actor, found.recipient),
                purpose=data["purpose"],
                consent=found.consent,
                about_violence=data["about_violence"],
                convenant_covers=found.flow is not None,
                conflict=form.conflict_answers(),
                categories=frozenset(data["categories"]),
                needed=frozenset(data.get("needed") or []),
                less_is_enough=data["less_is_enough"],
                inform_client=data["inform_client"] == "ja",
                not_informing_reason=data.get("not_informing_reason") or "",
            )
            result = deelhulp.advise(answers)
        except NotFoundError as exc:
            raise Http404 from exc
        except deelhulp.InvalidAnswersError as exc:
            form.add_error(None, str(exc))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            context.update(recipient=found.recipient, consent=found.consent, consents=found.consents, flow=found.flow)
            context["result"] = result
            context["leave_out"] = sorted(result.leave_out)
            context["basis_label"] = dict(LegalBasis.choices).get(str(result.basis), "") if result.basis else ""
            if not record:
                return render(request, "sharing/deelhulp.html", context)
            basis = data.get("legal_basis") or (str(result.basis) if result.basis else "")
            informed = data["inform_client"] == "ja"
            reason = data.get("not_informed_reason") or str(
                deelhulp.NOT_INFORMING_REASONS.get(data.get("not_informing_reason") or "", "")
            )
            try:
                disclosure = services.disclosure_record(
                    actor=actor,
                    dossier=dossier,
                    data=services.DisclosureData(
                        about_ids=list(data["about"]),
                        categories=list(data["categories"]),
                        items=(data.get("items") or "").splitlines(),
                        recipient_organisation_id=found.recipient.pk,
                        recipient_user_id=data.get("recipient_user"),
                        purpose=data["purpose"],
                        legal_basis=basis,
                        shared_on=data.get("shared_on"),
                        client_informed=informed,
                        client_informed_on=data.get("client_informed_on") if informed else None,
                        not_informed_reason="" if informed else reason,
                        no_consent_reason=data.get("no_consent_reason") or "",
                        advice=_advice_json(result),
                        override_motivation=data.get("override_motivation") or "",
                        grant_days=data.get("grant_days") or 0,
                    ),
                )
            except NotFoundError as exc:
                raise Http404 from exc
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("De verstrekking %(ref)s is vastgelegd.") % {"ref": disclosure.reference})
                return redirect("dossiers:detail", reference=reference)
    return render(request, "sharing/deelhulp.html", context, status=422 if record or form.errors else 200)


# --- the recipient -----------------------------------------------------------------------------


@require_GET
@requires("sharing.use_sharing")
def shared_with_me(request: HttpRequest) -> HttpResponse:
    grants = selectors.my_grants(actor=actor_from_request(request))
    return render(request, "sharing/shared_with_me.html", {"grants": grants})


@require_GET
@requires("sharing.use_sharing")
def shared_view(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant: AccessGrant = selectors.shared_view(actor=actor_from_request(request), grant_id=grant_id)
    check(request, "sharing.view_shared_part", grant)
    context = {"grant": grant, "disclosure": grant.disclosure, "part": selectors.shared_part(grant)}
    return render(request, "sharing/shared_view.html", context)


# --- the aandachtsfunctionaris and the municipality --------------------------------------------


def _organisation_filters(request: HttpRequest) -> tuple[DisclosureFilterForm, str, date | None]:
    form = DisclosureFilterForm(request.GET or None)
    basis, since = "", None
    if form.is_valid():
        basis = form.cleaned_data.get("basis") or ""
        if form.cleaned_data.get("periode"):
            since = timezone.localdate() - timedelta(days=int(form.cleaned_data["periode"]))
    return form, basis, since


@require_GET
@requires("sharing.view_organisation_disclosures")
def organisation_disclosures(request: HttpRequest) -> HttpResponse:
    form, basis, since = _organisation_filters(request)
    rows = selectors.organisation_disclosures(actor=actor_from_request(request), basis=basis, since=since)
    query = request.GET.urlencode()
    return render(request, "sharing/organisation.html", {"form": form, "rows": rows, "query": query})


@require_GET
@requires("sharing.view_organisation_disclosures")
def organisation_disclosures_csv(request: HttpRequest) -> HttpResponse:
    form, basis, since = _organisation_filters(request)
    rows = selectors.organisation_disclosures_export(
        actor=actor_from_request(request),
        basis=basis,
        since=since,
        filters={k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else None,
    )
    header = [_("kenmerk"), _("gedeeld op"), _("ontvanger"), _("grondslag"), _("gegevens"), _("ingelicht"), _("door")]
    lines = [
        [
            d.reference,
            d.shared_on.isoformat(),
            d.recipient_organisation.name,
            d.get_legal_basis_display(),
            ", ".join(d.categories),
            _("ja") if d.client_informed else _("nee"),
            d.decided_by.get_full_name() or d.decided_by.username,
        ]
        for d in rows
    ]
    return csv_response([header, *lines], filename="verstrekkingen.csv")


@require_GET
@requires("sharing.view_counts")
def municipality_counts(request: HttpRequest) -> HttpResponse:
    counts = selectors.municipality_counts(actor=actor_from_request(request))
    return render(request, "sharing/counts.html", counts)


# --- convenants --------------------------------------------------------------------------------


@require_GET
@requires("sharing.manage_convenants")
def convenant_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    return render(request, "sharing/convenant_list.html", {"convenants": selectors.convenants_list(actor=actor)})


@require_http_methods(["GET", "POST"])
@requires("sharing.manage_convenants")
def convenant_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = ConvenantForm(request.POST or None, organisations=organisation_choices(actor=actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        flows = [
            services.FlowData(
                from_types=list(data[f"flow{n}_from_types"]),
                to_types=list(data[f"flow{n}_to_types"]),
                purpose=data[f"flow{n}_purpose"],
                categories=list(data[f"flow{n}_categories"]),
                legal_basis=data[f"flow{n}_legal_basis"],
                legal_reference=data[f"flow{n}_legal_reference"],
            )
            for n, _fields in form.flow_groups()
            if data.get(f"flow{n}_legal_basis")
        ]
        try:
            services.convenant_create(
                actor=actor,
                data=services.ConvenantData(
                    title=data["title"],
                    party_ids=list(data.get("parties") or []),
                    purposes=data["purposes"].splitlines(),
                    start_date=data["start_date"],
                    end_date=data.get("end_date"),
                    document_url=data.get("document_url") or "",
                    flows=flows,
                ),
            )
        except NotFoundError as exc:
            raise Http404 from exc
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Het convenant is vastgelegd."))
            return redirect("sharing:convenants")
    status = 422 if request.method == "POST" else 200
    return render(request, "sharing/convenant_form.html", {"form": form}, status=status)
