"""Beheer pages of a professional's roles: add a role, change it, end it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keten.accounts import selectors, services
from keten.accounts.beheer.forms import MembershipAddForm, RoleForm
from keten.accounts.beheer.views.pages import confirm_page, form_page
from keten.core.access import check, requires
from keten.core.actor import actor_from_request
from keten.core.pages import data_of, submit


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    back = reverse("accounts:beheer_user", args=[user.pk])
    # Roles are given in the beheerder's own organisation.
    form = MembershipAddForm(
        data_of(request),
        organisations=selectors.organisation_choices_for_beheer(actor=actor),
        teams=selectors.team_choices_for_beheer(actor=actor),
    )
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.membership_add(
                actor=actor,
                user=user,
                organisation_id=data["organisation"],
                team_id=data.get("team"),
                role=data["role"],
            ),
        )
        if outcome.ok:
            messages.success(request, _("De rol is toegevoegd."))
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Rol toevoegen voor %(name)s") % {"name": user},
        submit=_("Rol toevoegen"),
        back=back,
        outcome=outcome,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    membership = selectors.membership_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_membership", membership)
    back = reverse("accounts:beheer_user", args=[membership.user_id])
    form = RoleForm(data_of(request), initial={"role": membership.role})
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form, lambda data: services.membership_change_role(actor=actor, membership=membership, role=data["role"])
        )
        if outcome.ok:
            messages.success(request, _("De rol is gewijzigd."))
            return redirect(back)
    return form_page(
        request,
        form,
        title=_("Rol van %(name)s bij %(organisation)s wijzigen")
        % {"name": membership.user, "organisation": membership.organisation.name},
        submit=_("Rol wijzigen"),
        back=back,
        outcome=outcome,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    membership = selectors.membership_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_membership", membership)
    return confirm_page(
        request,
        run=lambda: services.membership_end(actor=actor, membership=membership),
        success=lambda: _("De rol is beëindigd."),
        title=_("Rol beëindigen"),
        text=_("%(name)s werkt daarna niet meer als %(role)s bij %(organisation)s.")
        % {
            "name": membership.user,
            "role": membership.get_role_display(),
            "organisation": membership.organisation.name,
        },
        submit=_("Rol beëindigen"),
        back=reverse("accounts:beheer_user", args=[membership.user_id]),
        danger=True,
    )
