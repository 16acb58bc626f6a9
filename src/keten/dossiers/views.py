"""Dossier pages. Views translate HTTP to service and selector calls; they hold no rules.

Every page declares its permission (:func:`keten.core.access.requires`); a dossier is loaded through
the selector, which returns only dossiers the actor may see, and a write asks
``dossiers.change_dossier`` of it before any form is validated — so a break-the-glass reader, who may
read the dossier, gets 404 on every write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keten.accounts.selectors import wijk_choices
from keten.core.access import check, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import ConflictError, DomainError, NotFoundError
from keten.core.forms import apply_domain_error
from keten.core.listing import list_context
from keten.core.pages import read_only_page
from keten.dossiers import sections, selectors, services
from keten.dossiers.access.offers import remember_offer
from keten.dossiers.forms import (
    CaseTeamAddForm,
    DossierCreateForm,
    DossierEditForm,
    NoteForm,
    PersonForm,
)
from keten.dossiers.timeline import Cursor, TimelinePage, timeline_page, unknown_kinds
from keten.dossiers.workspace import header_for

#: How many of the latest happenings the overview shows; the Tijdlijn section pages through all.
OVERVIEW_TIMELINE = 4
#: The query parameters of the timeline: kinds shown and the cursor of older entries.
KIND_PARAM = "soort"
CURSOR_PARAM = "voor"


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
    page = selectors.dossier_list_page(actor=actor_from_request(request), listing=listing)
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


def workspace_response(
    request: HttpRequest,
    actor: Actor,
    page: selectors.DossierPage,
    current: str,
    panel: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    """A workspace page: the header, the section navigation and the panel (``panel_template`` with
    what ``panel`` adds). An HTMX request from the navigation gets the panel only (with the
    navigation out of band, so that ``aria-current`` follows); a history restore gets the whole page."""
    context = page.context()
    context.update(
        header=header_for(actor, page),
        section_nav=sections.navigation(page.dossier.reference, current),
        current_section=current,
        **panel,
    )
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not getattr(htmx, "history_restore_request", False)
    response = render(request, "dossiers/_panel.html" if partial else "dossiers/detail.html", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@requires("dossiers.view_dossiers")
@read_only_page
def dossier_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The dossier's overview: the summary, all open deadlines, the status of every section
    (:mod:`keten.dossiers.sections`), each linking to its own page, and the latest happenings."""
    actor = actor_from_request(request)
    page = selectors.dossier_page(actor=actor, reference=reference)
    panel = {
        "panel_template": "dossiers/_overview.html",
        "panel_title": _("Overzicht"),
        "summaries": sections.summaries(actor, page),
        # The latest happenings; the Tijdlijn section pages through all of them.
        "timeline": timeline_page(actor, page.dossier, limit=OVERVIEW_TIMELINE, audit_read=False),
    }
    return workspace_response(request, actor, page, "", panel)


@require_http_methods(["GET", "HEAD"])
@requires("dossiers.view_dossiers")
@read_only_page
def dossier_section(request: HttpRequest, reference: str, slug: str) -> HttpResponse:
    """One section of the dossier (Gezin, Casusteam, Meldcode, …) on its own page; 404 for a name
    that is no section."""
    section = sections.get(slug)
    if section is None:
        raise Http404
    actor = actor_from_request(request)
    page = selectors.dossier_page(actor=actor, reference=reference)
    panel = {
        "panel_template": "dossiers/_section.html",
        "panel_title": section.label,
        "section": sections.render_section(request, actor, page, section),
    }
    return workspace_response(request, actor, page, slug, panel)


def _edit_form(data: Any, dossier: Any, team: list[Any]) -> DossierEditForm:
    initial = {
        "summary": dossier.summary,
        "status": dossier.status,
        "coordinator": dossier.coordinator_id,
        "version": dossier.version,
    }
    return DossierEditForm(data, initial=initial, team=team)


@require_http_methods(["GET", "POST"])
@requires("dossiers.view_dossiers")
def dossier_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """The dossier's status, regievoerder and summary, on a page of its own; back to the overview
    after saving. A dossier changed since the form was opened is not saved (409): the page says so,
    keeps what the user typed and shows the current values."""
    actor = actor_from_request(request)
    dossier = _get_for_change(request, reference, audit_read=request.method == "GET")
    team = selectors.DossierPage(actor=actor, dossier=dossier, on_team=True).team  # may change: on the team
    form = _edit_form(request.POST if request.method == "POST" else None, dossier, team)
    extra: dict[str, Any] = {}
    status = 200
    if request.method == "POST":
        status = 422
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
            except ConflictError:
                current = selectors.dossier_get(actor=actor, reference=reference)  # shown: audited
                data = request.POST.copy()
                data["version"] = str(current.version)
                form = _edit_form(data, current, team)
                form.is_valid()
                extra = {"conflict": True, "current": current}
                status = 409
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("De wijzigingen zijn opgeslagen."))
                return redirect("dossiers:detail", reference=reference)
    return render(request, "dossiers/edit.html", {"form": form, "dossier": dossier, **extra}, status=status)


@require_http_methods(["GET", "POST"])
@requires("dossiers.view_dossiers")
def note_add(request: HttpRequest, reference: str) -> HttpResponse:
    """The note form on a page of its own; back to the Notities section after saving."""
    dossier = _get_for_change(request, reference, audit_read=request.method == "GET")
    form = NoteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.note_add(actor=actor_from_request(request), dossier=dossier, text=form.cleaned_data["text"])
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("De notitie is toegevoegd."))
                return redirect("dossiers:section", reference=reference, slug="notities")
    return render(request, "dossiers/note_form.html", {"form": form, "dossier": dossier}, status=status)


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
            return redirect("dossiers:section", reference=reference, slug="gezin")
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
        except ConflictError:
            # Changed since the form was opened: keep what was typed, show the current values, and
            # let the user save again on the current version once they have checked.
            current = selectors.person_get(actor=actor, pseudonym=pseudonym)
            data = request.POST.copy()
            data["version"] = str(current.version)
            form = PersonForm(data, initial=initial)
            form.fields.pop("confirm_duplicate")
            form.is_valid()
            extra = {"conflict": True, "current": current}
        except DomainError as exc:
            extra = _refusal_context(request, form, exc)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("dossiers:section", reference=reference, slug="gezin")
    status = (409 if extra.get("conflict") else 422) if request.method == "POST" else 200
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
            return redirect("dossiers:section", reference=reference, slug="casusteam")
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
    return redirect("dossiers:section", reference=reference, slug="casusteam")


def timeline_context(page: TimelinePage, *, problem: str = "") -> dict[str, Any]:
    """What ``dossiers/_timeline.html`` needs: the page, its kinds and the links to older and newest
    entries."""
    query = QueryDict(mutable=True)
    if page.filtered:
        query.setlist(KIND_PARAM, sorted(page.kinds))
    newest = query.urlencode()
    if page.next_cursor is not None:
        query[CURSOR_PARAM] = str(page.next_cursor)
    return {
        "timeline": page,
        "timeline_kinds": [(key, label, key in page.kinds and page.filtered) for key, label in page.all_kinds],
        "timeline_older_query": query.urlencode() if page.next_cursor is not None else "",
        "timeline_newest_query": newest,
        "timeline_problem": problem,
    }


@require_GET
@requires("dossiers.view_dossiers")
@read_only_page
def dossier_timeline(request: HttpRequest, reference: str) -> HttpResponse:
    """The Tijdlijn section: everything that happened in the dossier across the apps, newest first.

    ``?soort=…&soort=…&voor=<cursor>``: a GET filter of kinds and a cursor for older entries. A garbled
    cursor or an unknown kind gives a Dutch message and the first page without a filter (400). With
    HTMX the filter and the paging links swap only the list; the section navigation the panel.
    """
    actor = actor_from_request(request)
    # 404 for anyone who may not see the dossier; the timeline audits the page's read, with the family.
    page = selectors.dossier_page(actor=actor, reference=reference, audit_read=False)
    kinds = [k for k in request.GET.getlist(KIND_PARAM) if k]
    raw_cursor = request.GET.get(CURSOR_PARAM, "")
    before: Cursor | None = None
    problem = ""
    if unknown_kinds(kinds):
        problem = _("Dat soort gebeurtenis kennen we niet. U ziet nu alle gebeurtenissen, de nieuwste eerst.")
    elif raw_cursor:
        try:
            before = Cursor.parse(raw_cursor)
        except ValueError:
            problem = _(
                "De link naar oudere gebeurtenissen klopt niet. U ziet nu alle gebeurtenissen, de nieuwste eerst."
            )
    if problem:
        kinds, before = [], None
    context = timeline_context(timeline_page(actor, page.dossier, kinds=kinds, before=before), problem=problem)
    status = 400 if problem else 200
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request and htmx.target == "dossier-timeline":
        return render(request, "dossiers/_timeline.html", {**page.context(), **context}, status=status)
    panel = {"panel_template": "dossiers/_timeline_panel.html", "panel_title": _("Tijdlijn"), **context}
    return workspace_response(request, actor, page, "tijdlijn", panel, status=status)
