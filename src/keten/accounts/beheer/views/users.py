"""Beheer pages of professionals: list, create, detail, edit, (de)activate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.accounts import selectors, services
from keten.accounts.beheer.forms import UserCreateForm, UserEditForm
from keten.accounts.beheer.views.pages import USER_LIST_LIMIT, confirm_page, form_page, no_store
from keten.core.access import check, may, requires
from keten.core.actor import actor_from_request
from keten.core.pages import data_of, submit, version_of


@requires("accounts.manage")
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "")
    if status not in ("", "actief", "inactief"):
        status = ""
    users = selectors.users_for_beheer(actor=actor, query=query, status=status)
    total = users.count()
    context = {"users": users[:USER_LIST_LIMIT], "total": total, "limit": USER_LIST_LIMIT, "q": query, "status": status}
    return render(request, "accounts/beheer/user_list.html", context)


def _user_data(data: dict[str, Any]) -> services.UserData:
    return services.UserData(
        username=data["username"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data.get("phone") or "",
        job_title=data.get("job_title") or "",
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = UserCreateForm(
        data_of(request),
        organisations=selectors.account_organisation_choices(actor=actor),
        teams=selectors.team_choices_for_beheer(actor=actor),
    )
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.user_create(
                actor=actor,
                data=_user_data(data),
                organisation_id=data["organisation"],
                team_id=data.get("team"),
                role=data["role"],
            ),
        )
        if outcome.ok and outcome.value is not None:
            user = outcome.value
            messages.success(
                request,
                _(
                    "De medewerker %(name)s is aangemaakt. Er is een instellink gestuurd naar %(email)s; daarmee "
                    "kiest de medewerker zelf een wachtwoord en stelt tweestapsverificatie in (24 uur geldig)."
                )
                % {"name": user, "email": user.email},
            )
            if not may(request, "accounts.manage_account", user):
                return redirect("accounts:beheer_users")
            return redirect("accounts:beheer_user", pk=user.pk)
    return form_page(
        request,
        form,
        title=_("Nieuwe medewerker"),
        intro=_(
            "De medewerker krijgt een e-mail met een link waarmee hij of zij zelf een wachtwoord kiest en "
            "tweestapsverificatie instelt met een app op de telefoon. U ziet geen wachtwoord."
        ),
        submit=_("Medewerker aanmaken"),
        back=reverse("accounts:beheer_users"),
        outcome=outcome,
    )


@requires("accounts.manage")
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    context = {
        "person": user,
        "memberships": selectors.user_memberships_for_beheer(actor=actor, user=user),
        "has_two_factor": selectors.user_has_two_factor(user=user),
        "is_self": user.pk == request.user.pk,
        "pending_reset": selectors.reset_requests_for_beheer(actor=actor).filter(user=user).first(),
    }
    return no_store(render(request, "accounts/beheer/user_detail.html", context))


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    initial: dict[str, Any] = {
        f: getattr(user, f) for f in ("username", "first_name", "last_name", "email", "phone", "job_title")
    }
    initial["version"] = user.version
    form = UserEditForm(data_of(request), initial=initial)
    back = reverse("accounts:beheer_user", args=[user.pk])
    outcome = None
    if request.method == "POST":
        outcome = submit(
            form,
            lambda data: services.user_update(
                actor=actor, user=user, data=_user_data(data), expected_version=version_of(form)
            ),
        )
        if outcome.ok:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(back)
    return form_page(
        request, form, title=_("%(name)s wijzigen") % {"name": user}, submit=_("Opslaan"), back=back, outcome=outcome
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    return confirm_page(
        request,
        run=lambda: services.user_deactivate(actor=actor, user=user),
        success=lambda: _("%(name)s kan niet meer inloggen.") % {"name": user},
        title=_("%(name)s deactiveren") % {"name": user},
        text=_(
            "De medewerker kan daarna niet meer inloggen; elke open sessie stopt direct en de persoonlijke "
            "agenda-link werkt niet meer. Rollen en geschiedenis blijven bewaard en u kunt het account later "
            "weer activeren."
        ),
        submit=_("Deactiveren"),
        back=reverse("accounts:beheer_user", args=[user.pk]),
        danger=True,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    return confirm_page(
        request,
        run=lambda: services.user_reactivate(actor=actor, user=user),
        success=lambda: _("%(name)s kan weer inloggen.") % {"name": user},
        title=_("%(name)s weer activeren") % {"name": user},
        text=_("De medewerker kan daarna weer inloggen met de rollen die nog actief zijn."),
        submit=_("Activeren"),
        back=reverse("accounts:beheer_user", args=[user.pk]),
    )
