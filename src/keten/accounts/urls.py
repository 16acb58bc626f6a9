from django.urls import path

from keten.accounts.beheer.views import api_clients, memberships, organisations, overview, resets, teams, users
from keten.accounts.login.views import logout_view
from keten.accounts.own import views as own

app_name = "accounts"

urlpatterns = [
    path("uitloggen/", logout_view, name="logout"),
    # a person's own account
    path("", own.account_home, name="home"),
    path("wachtwoord/", own.password_change, name="password_change"),
    path("geen-tweestaps/", own.no_second_factor, name="no_second_factor"),
    path("instellen/<str:token>/", own.setup_link, name="setup_link"),
    path("beheer/", overview.beheer, name="beheer"),
    # organisations and their teams
    path("beheer/organisaties/", organisations.organisation_list, name="beheer_organisations"),
    path("beheer/organisaties/nieuw/", organisations.organisation_create, name="beheer_organisation_create"),
    path("beheer/organisaties/<int:pk>/", organisations.organisation_detail, name="beheer_organisation"),
    path("beheer/organisaties/<int:pk>/wijzigen/", organisations.organisation_edit, name="beheer_organisation_edit"),
    path(
        "beheer/organisaties/<int:pk>/deactiveren/",
        organisations.organisation_deactivate,
        name="beheer_organisation_deactivate",
    ),
    path(
        "beheer/organisaties/<int:pk>/activeren/",
        organisations.organisation_reactivate,
        name="beheer_organisation_reactivate",
    ),
    path("beheer/organisaties/<int:pk>/teams/nieuw/", teams.team_create, name="beheer_team_create"),
    path("beheer/teams/<int:pk>/wijzigen/", teams.team_edit, name="beheer_team_edit"),
    # wijken
    path("beheer/wijken/", teams.wijk_list, name="beheer_wijken"),
    path("beheer/wijken/nieuw/", teams.wijk_create, name="beheer_wijk_create"),
    # professionals and their roles
    path("beheer/medewerkers/", users.user_list, name="beheer_users"),
    path("beheer/medewerkers/nieuw/", users.user_create, name="beheer_user_create"),
    path("beheer/medewerkers/<int:pk>/", users.user_detail, name="beheer_user"),
    path("beheer/medewerkers/<int:pk>/wijzigen/", users.user_edit, name="beheer_user_edit"),
    path("beheer/medewerkers/<int:pk>/deactiveren/", users.user_deactivate, name="beheer_user_deactivate"),
    path("beheer/medewerkers/<int:pk>/activeren/", users.user_reactivate, name="beheer_user_reactivate"),
    path("beheer/medewerkers/<int:pk>/herstellen/", resets.user_reset, name="beheer_user_reset"),
    path("beheer/medewerkers/<int:pk>/rollen/nieuw/", memberships.membership_add, name="beheer_membership_add"),
    path("beheer/rollen/<int:pk>/wijzigen/", memberships.membership_role, name="beheer_membership_role"),
    path("beheer/rollen/<int:pk>/beeindigen/", memberships.membership_end, name="beheer_membership_end"),
    # four eyes on resets
    path("beheer/herstelverzoeken/", resets.reset_request_list, name="beheer_reset_requests"),
    path("beheer/herstelverzoeken/<int:pk>/", resets.reset_request_detail, name="beheer_reset_request"),
    path(
        "beheer/herstelverzoeken/<int:pk>/goedkeuren/",
        resets.reset_request_approve,
        name="beheer_reset_request_approve",
    ),
    path(
        "beheer/herstelverzoeken/<int:pk>/afwijzen/",
        resets.reset_request_decline,
        name="beheer_reset_request_decline",
    ),
    # system clients (API)
    path(
        "beheer/organisaties/<int:pk>/koppelingen/nieuw/",
        api_clients.api_client_create,
        name="beheer_api_client_create",
    ),
    path("beheer/koppelingen/<int:pk>/", api_clients.api_client_detail, name="beheer_api_client"),
    path("beheer/koppelingen/<int:pk>/intrekken/", api_clients.api_client_revoke, name="beheer_api_client_revoke"),
]
