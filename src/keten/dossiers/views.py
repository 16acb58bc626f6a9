"""Dossier pages. Views translate HTTP to service and selector calls; they hold no rules.

Every page declares its permission (:func:`keten.core.access.requires`); a dossier is loaded through
the selector, which returns only dossiers the actor may see, and a write asks
``dossiers.change_dossier`` of it before any form is validated — so a break-the-glass reader, who may
read the dossier, gets 404 on every write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keten.accounts.selectors import wijk_choices
from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.listing import list_context
from keten.dossiers import selectors, services
from keten.dossiers.access.offers import remember_offer
from keten.dossiers.forms import (
    CaseTeamAddForm,
    DossierCreateForm,
    DossierEditForm,
    NoteForm,
    PersonForm,
)
from keten.dossiers.sections import sections_for


def _get(request: HttpRequest, reference: str, *, audit_read: bool = True) -> Any:
    """A dossier the actor may see (404 otherwise, through the selector's ``NotFoundError``)."""
    return selectors.dossier_get(actor=actor_from_request(request), reference=reference, audit_read=audit_read)


def _get_for_change(request: HttpRequest, reference: str, *, audit_read: bool = False) -> Any:
    """A dossier the actor may change: seen through the selector, then ``dossiers.change_dossier``."""
    dossier = _get(request, reference, audit_read=audit_read)
    check(request, "dossiers.change_dossier", dossier)
    return dossier


def _refusal_context(request: HttpRequest, form: Any, exc: DomainError) -> dict[str, Any]:
    """Show a refusal next to its field; for a duplicate, what may be shown of it and, when the person
    is known in a dossier the user cannot see, the offer to ask its regievoerder for access."""
    apply_domain_error(form, exc)
    if not isinstance(exc, services.DuplicateError):
        return {}
    report = exc.report
    offer = remember_offer(request, report.hidden_dossier_ids) if report.hidden_dossier_ids else ""
    return {"duplicates": report, "access_offer": offer}


def _person_data(data: dict[str, Any]) -> services.PersonData:
    return services.PersonData(
        relation=data["relation"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data.get("date_of_birth"),
        bsn=data.get("bsn") or "",
        address=data.get("address") or "",
    )


@require_http_methods(["GET", "POST"])
@requires("dossiers.view_dossiers")
def dossier_list(request: HttpRequest) -> HttpResponse:
    """The actor's dossiers. Searches are POSTed: a name or BSN never ends up in a URL or access log;
    status, sort order and page are GET parameters (a POST without search text is redirected to them)."""
    params = request.POST if request.method == "POST" else request.GET
    query = request.POST.get("q", "") if request.method == "POST" else ""
    listing = selectors.DOSSIER_LIST.parse(params, search=query)
    url = reverse("dossiers:list")
    if request.method == "POST" and not listing.search and not listing.errors and not getattr(request, "htmx", False):
        return redirect(listing.href(url))
    page = selectors.dossier_page(actor=actor_from_request(request), listing=listing)
    context = {"rows": page.rows, "listing": list_context(listing, page, url=url, target_id="dossier-rows")}
    template = "dossiers/_list_rows.html" if getattr(request, "htmx", False) else "dossiers/list.html"
    response = render(request, template, context)
    if request.method == "POST" and not listing.search:
        response["HX-Push-Url"] = listing.href(url)  # without search text, the list has an address
    return response


@require_http_methods(["GET", "POST"])
@requires("dossiers.add_dossier")
def dossier_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = DossierCreateForm(request.POST or None, wijken=wijk_choices(actor=actor))
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = _person_data(data)
        try:
            dossier = services.dossier_create(
                actor=actor,
                family_name=data["family_name"],
                address=data.get("family_address") or "",
                wijk_id=data.get("wijk"),
                persons=[person],
                confirm_duplicates=data.get("confirm_duplicate", False),
            )
        except DomainError as exc:
            extra = _refusal_context(request, form, exc)
        else:
            messages.success(request, _("Het dossier is aangemaakt."))
            return redirect("dossiers:detail", reference=dossier.reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/create.html", {"form": form, **extra}, status=status)


@requires("dossiers.view_dossiers")
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The dossier page: the family, its case team and notes, and the sections the apps above add
    (:mod:`keten.dossiers.sections`)."""
    actor = actor_from_request(request)
    page = selectors.dossier_detail(actor=actor, reference=reference)
    dossier = page.dossier
    context = page.context()
    context["note_form"] = NoteForm()
    context["sections"] = sections_for(request, actor, page)
    context["edit_form"] = DossierEditForm(
        initial={
            "summary": dossier.summary,
            "status": dossier.status,
            "coordinator": dossier.coordinator_id,
            "version": dossier.version,
        },
        team=page.team,
    )
    return render(request, "dossiers/detail.html", context)


@require_POST
@requires("dossiers.view_dossiers")
def dossier_edit(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_from_request(request)
    dossier = _get_for_change(request, reference)
    team = selectors.dossier_detail(actor=actor, reference=reference).team
    form = DossierEditForm(request.POST, team=team)
    if form.is_valid():
        try:
            services.dossier_update(
                actor=actor,
                dossier=dossier,
                expected_version=form.cleaned_data["version"],
                summary=form.cleaned_data["summary"],
                status=form.cleaned_data["status"],
                coordinator_id=form.cleaned_data.get("coordinator"),
            )
        except ConflictError as exc:
            messages.error(request, exc.message)
            return redirect("dossiers:detail", reference=reference)
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("dossiers:detail", reference=reference)
    return render(request, "dossiers/edit.html", {"form": form, "dossier": dossier}, status=422)


@require_POST
@requires("dossiers.view_dossiers")
def note_add(request: HttpRequest, reference: str) -> HttpResponse:
    dossier = _get_for_change(request, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=actor_from_request(request), dossier=dossier, text=form.cleaned_data["text"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De notitie is toegevoegd."))
            return redirect("dossiers:detail", reference=reference)
    return render(request, "dossiers/note_form.html", {"form": form, "dossier": dossier}, status=422)


@require_http_methods(["GET", "POST"])
@requires("dossiers.view_dossiers")
def person_add(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_from_request(request)
    dossier = _get_for_change(request, reference, audit_read=request.method == "GET")
    form = PersonForm(request.POST or None)
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        data = _person_data(form.cleaned_data)
        try:
            services.person_add(
                actor=actor,
                dossier=dossier,
                data=data,
                confirm_duplicate=form.cleaned_data.get("confirm_duplicate", False),
            )
        except DomainError as exc:
            extra = _refusal_context(request, form, exc)
        else:
            messages.success(request, _("Het gezinslid is toegevoegd."))
            return redirect("dossiers:detail", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "dossiers/person_form.html", {"form": form, "dossier": dossier, "mode": "add", **extra}, status=status
    )


@require_http_methods(["GET", "POST"])
@requires("dossiers.view_dossiers")
def person_edit(request: HttpRequest, reference: str, pseudonym: str) -> HttpResponse:
    actor = actor_from_request(request)
    dossier = _get_for_change(request, reference)
    person = selectors.person_get(actor=actor, pseudonym=pseudonym)
    if person.family_id != dossier.family_id:
        raise Http404
    initial = {
        "relation": person.relation,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "date_of_birth": person.date_of_birth,
        "bsn": person.bsn,
        "address": person.address,
        "version": person.version,
    }
    form = PersonForm(request.POST or None, initial=initial)
    form.fields.pop("confirm_duplicate")
    extra: dict[str, Any] = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=actor,
                person=person,
                expected_version=form.cleaned_data.get("version") or 0,
                data=_person_data(form.cleaned_data),
            )
        except ConflictError as exc:
            form.add_error(None, exc.message)
        except DomainError as exc:
            extra = _refusal_context(request, form, exc)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("dossiers:detail", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "dossiers/person_form.html",
        {"form": form, "dossier": dossier, "person": person, "mode": "edit", **extra},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@requires("dossiers.view_dossiers")
def case_team_add(request: HttpRequest, reference: str) -> HttpResponse:
    actor = actor_from_request(request)
    dossier = _get_for_change(request, reference)
    candidates = list(selectors.case_team_candidates(actor=actor, dossier=dossier)[:500])
    form = CaseTeamAddForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_team_add(
                actor=actor,
                dossier=dossier,
                user_id=form.cleaned_data["user"],
                case_role=form.cleaned_data["case_role"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De medewerker is toegevoegd aan het casusteam."))
            return redirect("dossiers:detail", reference=reference)
    status = 422 if request.method == "POST" else 200
    return render(request, "dossiers/team_add.html", {"form": form, "dossier": dossier}, status=status)


@require_POST
@requires("dossiers.view_dossiers")
def case_team_remove(request: HttpRequest, reference: str, member_id: int) -> HttpResponse:
    dossier = _get_for_change(request, reference)
    try:
        services.case_team_remove(actor=actor_from_request(request), dossier=dossier, member_id=member_id)
    except NotFoundError as exc:
        raise Http404 from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Het lidmaatschap van het casusteam is beëindigd."))
    return redirect("dossiers:detail", reference=reference)
