"""Beheer pages of an organisation's system clients (API tokens): create, change the rights, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keten.accounts import selectors, services
from keten.accounts.beheer.forms import ApiClientForm, ApiClientScopesForm
from keten.accounts.beheer.views.pages import confirm_page, form_page, keep_secret, no_store, pop_secret
from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.pages import data_of, submit


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def api_client_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_api_clients", organisation)
    form = ApiClientForm(data_of(request))
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.api_client_create(
                actor=actor, organisation=organisation, name=data["name"], scopes=data["scopes"]
            ),
        )
        if outcome.ok and outcome.value is not None:
            client, token = outcome.value
            keep_secret(request, "token", client.pk, token)
            messages.success(request, _("De koppeling %(name)s is aangemaakt.") % {"name": client.name})
            return redirect("accounts:beheer_api_client", pk=client.pk)
    return form_page(
        request,
        form,
        title=_("Nieuwe systeemkoppeling voor %(name)s") % {"name": organisation.name},
        intro=_("Een systeem van de organisatie krijgt een token waarmee het de API van Keten mag gebruiken."),
        submit=_("Koppeling aanmaken"),
        back=reverse("accounts:beheer_organisation", args=[organisation.pk]),
        outcome=outcome,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def api_client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    client = selectors.api_client_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_api_clients", client.organisation)
    form = ApiClientScopesForm(data_of(request), initial={"scopes": client.scopes})
    if request.method == "POST":
        outcome = submit(
            form, lambda data: services.api_client_update_scopes(actor=actor, api_client=client, scopes=data["scopes"])
        )
        if outcome.ok:
            messages.success(request, _("De rechten zijn opgeslagen."))
            return redirect("accounts:beheer_api_client", pk=client.pk)
    context = {
        "client": client,
        "form": form,
        "scope_labels": [label for value, label in client.Scope.choices if value in client.scopes],
        "new_token": pop_secret(request, "token", client.pk) if request.method == "GET" else None,
    }
    status = 422 if request.method == "POST" else 200
    return no_store(render(request, "accounts/beheer/api_client_detail.html", context, status=status))


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    client = selectors.api_client_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_api_clients", client.organisation)
    return confirm_page(
        request,
        run=lambda: services.api_client_revoke(actor=actor, api_client=client),
        success=lambda: _("De koppeling %(name)s is ingetrokken.") % {"name": client.name},
        title=_("Koppeling %(name)s intrekken") % {"name": client.name},
        text=_(
            "Het token werkt direct niet meer. Dit kan niet ongedaan worden gemaakt; maak zo nodig een nieuwe "
            "koppeling."
        ),
        submit=_("Intrekken"),
        back=reverse("accounts:beheer_api_client", args=[client.pk]),
        danger=True,
    )
