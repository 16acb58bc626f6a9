"""Beheer pages of teams (of an organisation) and wijken (of the municipality)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.accounts import selectors, services
from keten.accounts.beheer.forms import TeamForm, WijkForm
from keten.accounts.beheer.views.pages import form_page
from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.pages import data_of, submit, version_of


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_teams", organisation)
    back = reverse("accounts:beheer_organisation", args=[organisation.pk])
    form = TeamForm(data_of(request), wijken=selectors.wijk_choices_for_beheer(actor=actor))
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.team_create(
                actor=actor, organisation=organisation, name=data["name"], wijk_id=data.get("wijk")
            ),
        )
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("Het team %(name)s is aangemaakt.") % {"name": outcome.value.name})
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Nieuw team bij %(name)s") % {"name": organisation.name},
        submit=_("Team aanmaken"),
        back=back,
        outcome=outcome,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    team = selectors.team_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_teams", team.organisation)
    back = reverse("accounts:beheer_organisation", args=[team.organisation_id])
    form = TeamForm(
        data_of(request),
        initial={"name": team.name, "wijk": team.wijk_id, "version": team.version},
        wijken=selectors.wijk_choices_for_beheer(actor=actor),
    )
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.team_update(
                actor=actor,
                team=team,
                name=data["name"],
                wijk_id=data.get("wijk"),
                expected_version=version_of(form),
            ),
        )
        if outcome.ok:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Team %(name)s wijzigen") % {"name": team.name},
        submit=_("Opslaan"),
        back=back,
        outcome=outcome,
    )


@requires("accounts.manage_municipality")
@require_GET
def wijk_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    wijken = selectors.wijken_for_beheer(actor=actor)
    return render(request, "accounts/beheer/wijk_list.html", {"wijken": wijken})


@requires("accounts.manage_municipality")
@require_http_methods(["GET", "POST"])
def wijk_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = WijkForm(data_of(request))
    outcome = None
    if request.method == "POST":
        outcome = submit(form, lambda data: services.wijk_create(actor=actor, name=data["name"], code=data["code"]))
        if outcome.ok and outcome.value is not None:
            messages.success(request, _("De wijk %(name)s is aangemaakt.") % {"name": outcome.value.name})
            return redirect("accounts:beheer_wijken")
    return form_page(
        request,
        form,
        title=_("Nieuwe wijk"),
        submit=_("Wijk aanmaken"),
        back=reverse("accounts:beheer_wijken"),
        outcome=outcome,
    )
