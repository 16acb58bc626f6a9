"""Beheer pages of the sociale kaart: import and export of organisations, professionals and postcode ranges.

Only a functioneel beheerder of the gemeente organisation reaches these pages; everyone else gets
404. An upload is read into plain records that wait in the session until the beheerder confirms the
preview; the confirmation classifies them again and writes them in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from keten.core.access import check, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import ConflictError, DomainError
from keten.core.forms import apply_domain_error
from keten.core.pages import ConfirmForm
from keten.network import importing, services
from keten.network.import_forms import ConfirmImportForm, PostcodeRangeForm, UploadForm

SESSION_KEY = "keten_import"

View = Callable[..., HttpResponse]


def _titles() -> dict[str, str]:
    return {
        importing.ORGANISATIONS: _("Organisaties"),
        importing.PROFESSIONALS: _("Medewerkers"),
        importing.POSTCODE_RANGES: _("Postcodegebieden"),
    }


def _import_titles() -> dict[str, str]:
    return {
        importing.ORGANISATIONS: _("Organisaties importeren"),
        importing.PROFESSIONALS: _("Medewerkers importeren"),
        importing.POSTCODE_RANGES: _("Postcodegebieden importeren"),
    }


def import_page(*methods: str) -> Callable[[View], View]:
    """``network.import`` first (404 for everyone else), then the kind of records, then the HTTP method."""
    allowed = methods or ("GET",)

    def decorator(view: View) -> View:
        @requires("network.import")
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if kwargs.get("kind", importing.ORGANISATIONS) not in importing.KINDS:
                raise Http404
            if request.method not in allowed:
                return HttpResponseNotAllowed(allowed)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _download(file: importing.ExportFile) -> HttpResponse:
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


@import_page("GET")
def index(request: HttpRequest) -> HttpResponse:
    imports = _import_titles()
    kinds = [{"kind": kind, "title": title, "import_title": imports[kind]} for kind, title in _titles().items()]
    return render(request, "network/beheer/index.html", {"kinds": kinds})


@import_page("GET", "POST")
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    actor = actor_from_request(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            records = importing.read_upload(kind, file.read(importing.MAX_FILE_BYTES + 1), file.name)
        except importing.ImportFileError as exc:
            apply_domain_error(form, exc)
        else:
            request.session[SESSION_KEY] = {
                "kind": kind,
                "token": secrets.token_urlsafe(16),
                "filename": file.name[:200],
                "municipality": importing.import_municipality_id(actor),
                "records": [[number, cells] for number, cells in records],
            }
            return redirect("network_beheer:import_preview", kind=kind)
    context = {
        "form": form,
        "kind": kind,
        "title": _import_titles()[kind],
        "columns": importing.COLUMNS[kind],
        "choices": importing.choice_labels(),
        "max_rows": importing.MAX_ROWS,
    }
    return render(request, "network/beheer/upload.html", context, status=422 if form.errors else 200)


def _stored(request: HttpRequest, actor: Actor, kind: str) -> dict[str, Any] | None:
    stored = request.session.get(SESSION_KEY)
    if (
        not isinstance(stored, dict)
        or stored.get("kind") != kind
        or stored.get("municipality") != importing.import_municipality_id(actor)
    ):
        return None
    return stored


@import_page("GET", "POST")
def preview(request: HttpRequest, kind: str) -> HttpResponse:
    actor = actor_from_request(request)
    stored = _stored(request, actor, kind)
    if stored is None:
        messages.info(request, _("Kies eerst een bestand om te importeren."))
        return redirect("network_beheer:import", kind=kind)
    records = [(int(number), dict(cells)) for number, cells in stored["records"]]
    result = importing.import_preview(actor=actor, kind=kind, records=records)
    initial = {"token": stored["token"], "digest": result.digest()}
    form = ConfirmImportForm(
        request.POST if request.method == "POST" else None, initial=initial, has_errors=result.has_errors
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["token"] != stored["token"]:
            form.add_error(None, _("Dit overzicht hoort bij een ander bestand. Controleer het overzicht opnieuw."))
        else:
            try:
                done = importing.import_apply(
                    actor=actor,
                    kind=kind,
                    records=records,
                    only_valid=form.cleaned_data["only_valid"],
                    expected_digest=form.cleaned_data["digest"],
                )
            except ConflictError as exc:
                messages.warning(request, exc.message)
                return redirect("network_beheer:import_preview", kind=kind)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                del request.session[SESSION_KEY]
                messages.success(
                    request,
                    _(
                        "De import is klaar: %(created)d nieuw, %(updated)d gewijzigd, %(unchanged)d ongewijzigd, "
                        "%(skipped)d overgeslagen."
                    )
                    % vars(done),
                )
                if done.new_users:
                    messages.info(
                        request,
                        _(
                            "De nieuwe medewerkers krijgen een instellink per e-mail (24 uur geldig). Daarmee kiezen "
                            "zij zelf een wachtwoord en stellen zij tweestapsverificatie in."
                        ),
                    )
                return redirect("network_beheer:index")
    context = {
        "form": form,
        "kind": kind,
        "title": _import_titles()[kind],
        "filename": stored["filename"],
        "preview": result,
        "counts": result.counts,
    }
    return _no_store(render(request, "network/beheer/preview.html", context, status=422 if form.errors else 200))


@import_page("POST")
def cancel(request: HttpRequest, kind: str) -> HttpResponse:
    """Forget the uploaded rows (they may hold contact details) without importing anything."""
    request.session.pop(SESSION_KEY, None)
    messages.info(request, _("De import is geannuleerd. Er is niets opgeslagen."))
    return redirect("network_beheer:index")


@import_page("GET")
def template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    return _download(importing.template_file(actor=actor_from_request(request), kind=kind, fmt=fmt))


@import_page("GET")
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    return _download(importing.export_file(actor=actor_from_request(request), kind=kind, fmt=fmt))


@import_page("GET", "POST")
def postcode_ranges(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    wijken = importing.wijken_with_ranges(actor=actor)
    form = PostcodeRangeForm(
        request.POST if request.method == "POST" else None, wijken=[(w.pk, w.name) for w in wijken]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.postcode_range_create(
                actor=actor, wijk_id=data["wijk"], start=data["start"], end=data["end"]
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Het postcodegebied %(start)d–%(end)d is toegevoegd aan wijk %(wijk)s.")
                % {"start": created.start, "end": created.end, "wijk": created.wijk.name},
            )
            return redirect("network_beheer:postcode_ranges")
    context = {"wijken": wijken, "form": form}
    return render(request, "network/beheer/postcode_ranges.html", context, status=422 if form.errors else 200)


@import_page("GET", "POST")
def postcode_range_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    found = importing.postcode_range_for_beheer(actor=actor, pk=pk)
    check(request, "network.manage_postcode_range", found)
    back = reverse("network_beheer:postcode_ranges")
    label = {"start": found.start, "end": found.end, "wijk": found.wijk.name}
    if request.method == "POST":
        services.postcode_range_delete(actor=actor, postcode_range=found)
        messages.success(request, _("Het postcodegebied %(start)d–%(end)d van wijk %(wijk)s is verwijderd.") % label)
        return redirect(back)
    context = {
        "form": ConfirmForm(),
        "title": _("Postcodegebied %(start)d–%(end)d verwijderen") % label,
        "text": _(
            "Postcodes van %(start)d tot en met %(end)d horen daarna niet meer bij wijk %(wijk)s. "
            "Wie op zo'n postcode zoekt, vindt dan geen wijk meer."
        )
        % label,
        "submit_label": _("Verwijderen"),
        "back_url": back,
        "danger": True,
    }
    return render(request, "accounts/beheer/confirm.html", context)
