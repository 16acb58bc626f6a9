"""Beheer pages of the functioneel beheerder: organisations, teams, wijken, professionals, API clients.

Views translate HTTP to selector and service calls; they hold no rules. Each page asks the policy
through ``keten.core.access``: ``@requires("accounts.manage")`` (or ``accounts.manage_municipality``)
for the page, then ``check(...)`` for the object a selector loaded. Anyone without the functioneel
beheerder role gets 404 on every page here (a superuser too); so does anything outside the
beheerder's scope (the rules and their row filters are in ``keten.accounts.rules``): the accounts of
another organisation, an organisation of another municipality, the municipality's organisations and
wijken for anyone but the gemeente's beheerder. Only then is the HTTP method checked (405).

A generated API token is shown exactly once, on the page the form redirects to, and then removed
from the session; passwords are never shown (set-up links, see ``reset_views``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keten.accounts import selectors, services
from keten.accounts.forms import (
    ApiClientForm,
    ApiClientScopesForm,
    ConfirmForm,
    MembershipAddForm,
    OrganisationForm,
    RoleForm,
    TeamForm,
    UserCreateForm,
    UserEditForm,
    WijkForm,
)
from keten.accounts.models import Role
from keten.core.access import check, may, requires
from keten.core.actor import Actor, actor_from_request
from keten.core.errors import ConflictError, DomainError
from keten.core.forms import apply_domain_error

SECRET_SESSION_KEY = "keten_beheer_secret"  # noqa: S105 (a session key, not a secret)
USER_LIST_LIMIT = 200


def _data(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so the form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    submit: str,
    back: str,
    intro: str = "",
    status: int | None = None,
) -> HttpResponse:
    context = {"form": form, "title": title, "submit_label": submit, "back_url": back, "intro": intro}
    return render(request, "accounts/beheer/form.html", context, status=status or _status(request))


def _refused(form: Any, exc: DomainError) -> int:
    """Show a refused save on the form; the status of the page (409 when someone else changed it)."""
    apply_domain_error(form, exc)
    return 409 if isinstance(exc, ConflictError) else 422


def _confirm_page(
    request: HttpRequest,
    *,
    title: str,
    text: str,
    submit: str,
    back: str,
    form: Any = None,
    danger: bool = False,
) -> HttpResponse:
    context = {
        "form": form or ConfirmForm(),
        "title": title,
        "text": text,
        "submit_label": submit,
        "back_url": back,
        "danger": danger,
    }
    return render(request, "accounts/beheer/confirm.html", context, status=_status(request))


def _confirmed_action(
    request: HttpRequest,
    *,
    run: Callable[[], Any],
    success: Callable[[], str],
    back: str,
    **confirm: Any,
) -> HttpResponse:
    """GET shows a confirmation page; POST runs the service and returns to ``back`` with its message."""
    if request.method == "POST":
        try:
            run()
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success())
        return redirect(back)
    return _confirm_page(request, back=back, **confirm)


def _keep_secret(request: HttpRequest, kind: str, pk: int, value: str) -> None:
    request.session[SECRET_SESSION_KEY] = {"kind": kind, "pk": pk, "value": value}


def _pop_secret(request: HttpRequest, kind: str, pk: int) -> str | None:
    secret = request.session.get(SECRET_SESSION_KEY)
    if not secret or secret.get("kind") != kind or secret.get("pk") != pk:
        return None
    del request.session[SECRET_SESSION_KEY]
    return str(secret["value"])


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


# --- overview ---------------------------------------------------------------------------------


@requires("accounts.manage")
@require_GET
def beheer(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    role_labels = dict(Role.choices)
    summary = selectors.beheer_summary(actor=actor)
    roles = [{"label": role_labels.get(r["role"], r["role"]), "n": r["n"]} for r in summary.get("roles", [])]
    return render(request, "accounts/beheer.html", {"summary": summary, "roles": roles})


# --- organisations ----------------------------------------------------------------------------


@requires("accounts.manage")
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    query = request.GET.get("q", "")[:100]
    organisations = selectors.organisations_for_beheer(actor=actor, query=query)
    return render(request, "accounts/beheer/organisation_list.html", {"organisations": organisations, "q": query})


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
    form = OrganisationForm(_data(request), wijken=selectors.wijk_choices_for_beheer(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=actor, data=_organisation_data(form.cleaned_data))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De organisatie %(name)s is aangemaakt.") % {"name": organisation.name})
            return redirect("accounts:beheer_organisation", pk=organisation.pk)
    return _form_page(
        request,
        form,
        title=_("Nieuwe organisatie"),
        submit=_("Organisatie aanmaken"),
        back=reverse("accounts:beheer_organisations"),
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
        "state": services.organisation_state(organisation),
    }
    form = OrganisationForm(_data(request), initial=initial, wijken=selectors.wijk_choices_for_beheer(actor=actor))
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=actor,
                organisation=organisation,
                data=_organisation_data(form.cleaned_data),
                expected_state=form.cleaned_data.get("state") or None,
            )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("accounts:beheer_organisation", pk=organisation.pk)
    return _form_page(
        request,
        form,
        title=_("Organisatie %(name)s wijzigen") % {"name": organisation.name},
        submit=_("Opslaan"),
        back=reverse("accounts:beheer_organisation", args=[organisation.pk]),
        status=status,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def organisation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.change_organisation", organisation)
    back = reverse("accounts:beheer_organisation", args=[organisation.pk])
    return _confirmed_action(
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
        back=back,
        danger=True,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def organisation_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.change_organisation", organisation)
    back = reverse("accounts:beheer_organisation", args=[organisation.pk])
    return _confirmed_action(
        request,
        run=lambda: services.organisation_reactivate(actor=actor, organisation=organisation),
        success=lambda: _("De organisatie %(name)s is weer actief.") % {"name": organisation.name},
        title=_("Organisatie %(name)s weer activeren") % {"name": organisation.name},
        text=_("Actieve medewerkers kunnen daarna weer namens deze organisatie werken."),
        submit=_("Activeren"),
        back=back,
    )


# --- teams and wijken -------------------------------------------------------------------------


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_teams", organisation)
    back = reverse("accounts:beheer_organisation", args=[organisation.pk])
    form = TeamForm(_data(request), wijken=selectors.wijk_choices_for_beheer(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=actor,
                organisation=organisation,
                name=form.cleaned_data["name"],
                wijk_id=form.cleaned_data.get("wijk"),
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("Het team %(name)s is aangemaakt.") % {"name": team.name})
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Nieuw team bij %(name)s") % {"name": organisation.name},
        submit=_("Team aanmaken"),
        back=back,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    team = selectors.team_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_teams", team.organisation)
    back = reverse("accounts:beheer_organisation", args=[team.organisation_id])
    form = TeamForm(
        _data(request),
        initial={"name": team.name, "wijk": team.wijk_id, "state": services.team_state(team)},
        wijken=selectors.wijk_choices_for_beheer(actor=actor),
    )
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(
                actor=actor,
                team=team,
                name=form.cleaned_data["name"],
                wijk_id=form.cleaned_data.get("wijk"),
                expected_state=form.cleaned_data.get("state") or None,
            )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Team %(name)s wijzigen") % {"name": team.name},
        submit=_("Opslaan"),
        back=back,
        status=status,
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
    form = WijkForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            wijk = services.wijk_create(actor=actor, name=form.cleaned_data["name"], code=form.cleaned_data["code"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De wijk %(name)s is aangemaakt.") % {"name": wijk.name})
            return redirect("accounts:beheer_wijken")
    return _form_page(
        request, form, title=_("Nieuwe wijk"), submit=_("Wijk aanmaken"), back=reverse("accounts:beheer_wijken")
    )


# --- professionals ----------------------------------------------------------------------------


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


def _membership_choices(actor: Actor) -> dict[str, Any]:
    """Roles are given in the beheerder's own organisation."""
    return {
        "organisations": selectors.organisation_choices_for_beheer(actor=actor),
        "teams": selectors.team_choices_for_beheer(actor=actor),
    }


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    form = UserCreateForm(
        _data(request),
        organisations=selectors.account_organisation_choices(actor=actor),
        teams=selectors.team_choices_for_beheer(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=actor,
                data=_user_data(data),
                organisation_id=data["organisation"],
                team_id=data.get("team"),
                role=data["role"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
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
    return _form_page(
        request,
        form,
        title=_("Nieuwe medewerker"),
        intro=_(
            "De medewerker krijgt een e-mail met een link waarmee hij of zij zelf een wachtwoord kiest en "
            "tweestapsverificatie instelt met een app op de telefoon. U ziet geen wachtwoord."
        ),
        submit=_("Medewerker aanmaken"),
        back=reverse("accounts:beheer_users"),
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
    return _no_store(render(request, "accounts/beheer/user_detail.html", context))


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    initial = {f: getattr(user, f) for f in ("username", "first_name", "last_name", "email", "phone", "job_title")}
    initial["state"] = services.user_state(user)
    form = UserEditForm(_data(request), initial=initial)
    back = reverse("accounts:beheer_user", args=[user.pk])
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=actor,
                user=user,
                data=_user_data(form.cleaned_data),
                expected_state=form.cleaned_data.get("state") or None,
            )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect(back)
    return _form_page(
        request, form, title=_("%(name)s wijzigen") % {"name": user}, submit=_("Opslaan"), back=back, status=status
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    back = reverse("accounts:beheer_user", args=[user.pk])
    return _confirmed_action(
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
        back=back,
        danger=True,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    back = reverse("accounts:beheer_user", args=[user.pk])
    return _confirmed_action(
        request,
        run=lambda: services.user_reactivate(actor=actor, user=user),
        success=lambda: _("%(name)s kan weer inloggen.") % {"name": user},
        title=_("%(name)s weer activeren") % {"name": user},
        text=_("De medewerker kan daarna weer inloggen met de rollen die nog actief zijn."),
        submit=_("Activeren"),
        back=back,
    )


# --- memberships ------------------------------------------------------------------------------


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    user = selectors.user_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_account", user)
    back = reverse("accounts:beheer_user", args=[user.pk])
    form = MembershipAddForm(_data(request), **_membership_choices(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.membership_add(
                actor=actor,
                user=user,
                organisation_id=data["organisation"],
                team_id=data.get("team"),
                role=data["role"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De rol is toegevoegd."))
            return redirect(back)
    return _form_page(
        request, form, title=_("Rol toevoegen voor %(name)s") % {"name": user}, submit=_("Rol toevoegen"), back=back
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def membership_role(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    membership = selectors.membership_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_membership", membership)
    back = reverse("accounts:beheer_user", args=[membership.user_id])
    form = RoleForm(_data(request), initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(actor=actor, membership=membership, role=form.cleaned_data["role"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De rol is gewijzigd."))
            return redirect(back)
    return _form_page(
        request,
        form,
        title=_("Rol van %(name)s bij %(organisation)s wijzigen")
        % {"name": membership.user, "organisation": membership.organisation.name},
        submit=_("Rol wijzigen"),
        back=back,
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    membership = selectors.membership_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_membership", membership)
    back = reverse("accounts:beheer_user", args=[membership.user_id])
    return _confirmed_action(
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
        back=back,
        danger=True,
    )


# --- API clients ------------------------------------------------------------------------------


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def api_client_create(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    organisation = selectors.organisation_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_api_clients", organisation)
    form = ApiClientForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            client, token = services.api_client_create(
                actor=actor,
                organisation=organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            _keep_secret(request, "token", client.pk, token)
            messages.success(request, _("De koppeling %(name)s is aangemaakt.") % {"name": client.name})
            return redirect("accounts:beheer_api_client", pk=client.pk)
    return _form_page(
        request,
        form,
        title=_("Nieuwe systeemkoppeling voor %(name)s") % {"name": organisation.name},
        intro=_("Een systeem van de organisatie krijgt een token waarmee het de API van Keten mag gebruiken."),
        submit=_("Koppeling aanmaken"),
        back=reverse("accounts:beheer_organisation", args=[organisation.pk]),
    )


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def api_client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    client = selectors.api_client_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_api_clients", client.organisation)
    form = ApiClientScopesForm(_data(request), initial={"scopes": client.scopes})
    if request.method == "POST" and form.is_valid():
        try:
            services.api_client_update_scopes(actor=actor, api_client=client, scopes=form.cleaned_data["scopes"])
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("De rechten zijn opgeslagen."))
            return redirect("accounts:beheer_api_client", pk=client.pk)
    context = {
        "client": client,
        "form": form,
        "scope_labels": [label for value, label in client.Scope.choices if value in client.scopes],
        "new_token": _pop_secret(request, "token", client.pk) if request.method == "GET" else None,
    }
    return _no_store(render(request, "accounts/beheer/api_client_detail.html", context, status=_status(request)))


@requires("accounts.manage")
@require_http_methods(["GET", "POST"])
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_from_request(request)
    client = selectors.api_client_for_beheer(actor=actor, pk=pk)
    check(request, "accounts.manage_api_clients", client.organisation)
    back = reverse("accounts:beheer_api_client", args=[client.pk])
    return _confirmed_action(
        request,
        run=lambda: services.api_client_revoke(actor=actor, api_client=client),
        success=lambda: _("De koppeling %(name)s is ingetrokken.") % {"name": client.name},
        title=_("Koppeling %(name)s intrekken") % {"name": client.name},
        text=_(
            "Het token werkt direct niet meer. Dit kan niet ongedaan worden gemaakt; maak zo nodig een nieuwe "
            "koppeling."
        ),
        submit=_("Intrekken"),
        back=back,
        danger=True,
    )
