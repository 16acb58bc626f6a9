"""Beheer pages of the organisations of the municipality: list, create, detail, edit, (de)activate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.accounts import selectors, services
from keten.accounts.beheer.forms import OrganisationForm
from keten.accounts.beheer.views.pages import USER_LIST_LIMIT, confirm_page, form_page
from keten.core.access import check, may, requires
from keten.core.actor import actor_from_request
from keten.core.pages import data_of, submit, version_of


@requires("accounts.manage")
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    query = request.GET.get("q", "")[:100]
    organisations = selectors.organisations_for_beheer(actor=actor, query=query)
    return render(
        request,
        "accounts/beheer/organisation_list.html",
        {
            "organisations": organisations,
            "q": query,
            # New organisations are made by the gemeente's beheer; an organisation's own beheerder lists only.
            "may_create": may(request, "accounts.manage_municipality"),
        },
    )


def _organisation_data(data: dict[str, Any]) -> services.OrganisationData:
    return services.OrganisationData(
        name=data["name"],
        type=data["type"],
        wijk_ids=list(data.get("wijken") or []),
        phone=data.get("phone") or "",
        email=data.get("email") or "",
    )


@requires("accounts.manage_municipality")
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = OrganisationForm(data_of(request), wijken=selectors.wijk_choices_for_beheer(actor=actor))
    outcome = None
    if request.method == "POST":
        outcome = submit(form, lambda data: services.organisation_create(actor=actor, data=_organisation_data(data)))
        if outcome.ok and outcome.value is not None:
            organisation = outcome.value
            messages.success(request, _("De organisatie %(name)s is aangemaakt.") % {"name": organisation.name})
            return redirect("accounts:beheer_organisation", pk=organisation.pk)
    return form_page(
        request,
        form,
        title=_("Nieuwe organisatie"),
        submit=_("Organisatie aanmaken"),
        back=reverse("accounts:beheer_organisations"),
        outcome=outcome,
    )


@requires("accounts.manage")
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.view_organisation", organisation)
    scope = selectors.beheer_scope(actor=actor)
    members = (
        organisation.memberships.filter(is_active=True)
        .select_related("user", "team")
        .order_by("user__last_name", "user__first_name")
    )
    context = {
        "organisation": organisation,
        "wijken": organisation.wijken.order_by("name"),
        "teams": selectors.teams_for_beheer(actor=actor, organisation=organisation),
        "api_clients": selectors.api_clients_for_beheer(actor=actor, organisation=organisation),
        "members": members[:USER_LIST_LIMIT],
        # Accounts are managed by the organisation's own beheerder: link to them only there.
        "manages_members": organisation.pk == scope.organisation_id,
        "may_change": may(request, "accounts.change_organisation", organisation),
    }
    return render(request, "accounts/beheer/organisation_detail.html", context)


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.change_organisation", organisation)
    initial = {
        "name": organisation.name,
        "type": organisation.type,
        "wijken": list(organisation.wijken.values_list("pk", flat=True)),
        "phone": organisation.phone,
        "email": organisation.email,
        "version": organisation.version,
    }
    form = OrganisationForm(data_of(request), initial=initial, wijken=selectors.wijk_choices_for_beheer(actor=actor))
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.organisation_update(
                actor=actor,
                organisation=organisation,
                data=_organisation_data(data),
                expected_version=version_of(form),
            ),
        )
        if outcome.ok:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:beheer_organisation", pk=organisation.pk)
    return form_page(
        request,
        form,
        title=_("Organisatie %(name)s wijzigen") % {"name": organisation.name},
        submit=_("Opslaan"),
        back=reverse("accounts:beheer_organisation", args=[organisation.pk]),
        outcome=outcome,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def organisation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.change_organisation", organisation)
    return confirm_page(
        request,
        run=lambda: services.organisation_deactivate(actor=actor, organisation=organisation),
        success=lambda: _("De organisatie %(name)s is gedeactiveerd.") % {"name": organisation.name},
        title=_("Organisatie %(name)s deactiveren") % {"name": organisation.name},
        text=_(
            "Medewerkers kunnen daarna niet meer namens deze organisatie werken en de systeemkoppelingen van "
            "de organisatie werken niet meer. Gegevens en geschiedenis blijven bewaard; u kunt de organisatie "
            "later weer activeren."
        ),
        submit=_("Deactiveren"),
        back=reverse("accounts:beheer_organisation", args=[organisation.pk]),
        danger=True,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def organisation_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.change_organisation", organisation)
    return confirm_page(
        request,
        run=lambda: services.organisation_reactivate(actor=actor, organisation=organisation),
        success=lambda: _("De organisatie %(name)s is weer actief.") % {"name": organisation.name},
        title=_("Organisatie %(name)s weer activeren") % {"name": organisation.name},
        text=_("Actieve medewerkers kunnen daarna weer namens deze organisatie werken."),
        submit=_("Activeren"),
        back=reverse("accounts:beheer_organisation", args=[organisation.pk]),
    )
