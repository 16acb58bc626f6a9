from django.urls import path

from keten.accounts import account_views, beheer_views, reset_views, views

app_name = "accounts"

urlpatterns = [
    path("uitloggen/", views.logout_view, name="logout"),
    # a person's own account
    path("", account_views.account_home, name="home"),
    path("wachtwoord/", account_views.password_change, name="password_change"),
    path("geen-tweestaps/", account_views.no_second_factor, name="no_second_factor"),
    path("instellen/<str:token>/", account_views.setup_link, name="setup_link"),
    path("beheer/", beheer_views.beheer, name="beheer"),
    # organisations and their teams
    path("beheer/organisaties/", beheer_views.organisation_list, name="beheer_organisations"),
    path("beheer/organisaties/nieuw/", beheer_views.organisation_create, name="beheer_organisation_create"),
    path("beheer/organisaties/<int:pk>/", beheer_views.organisation_detail, name="beheer_organisation"),
    path("beheer/organisaties/<int:pk>/wijzigen/", beheer_views.organisation_edit, name="beheer_organisation_edit"),
    path(
        "beheer/organisaties/<int:pk>/deactiveren/",
        beheer_views.organisation_deactivate,
        name="beheer_organisation_deactivate",
    ),
    path(
        "beheer/organisaties/<int:pk>/activeren/",
        beheer_views.organisation_reactivate,
        name="beheer_organisation_reactivate",
    ),
    path("beheer/organisaties/<int:pk>/teams/nieuw/", beheer_views.team_create, name="beheer_team_create"),
    path("beheer/teams/<int:pk>/wijzigen/", beheer_views.team_edit, name="beheer_team_edit"),
    # wijken
    path("beheer/wijken/", beheer_views.wijk_list, name="beheer_wijken"),
    path("beheer/wijken/nieuw/", beheer_views.wijk_create, name="beheer_wijk_create"),
    # professionals and their roles
    path("beheer/medewerkers/", beheer_views.user_list, name="beheer_users"),
    path("beheer/medewerkers/nieuw/", beheer_views.user_create, name="beheer_user_create"),
    path("beheer/medewerkers/<int:pk>/", beheer_views.user_detail, name="beheer_user"),
    path("beheer/medewerkers/<int:pk>/wijzigen/", beheer_views.user_edit, name="beheer_user_edit"),
    path("beheer/medewerkers/<int:pk>/deactiveren/", beheer_views.user_deactivate, name="beheer_user_deactivate"),
    path("beheer/medewerkers/<int:pk>/activeren/", beheer_views.user_reactivate, name="beheer_user_reactivate"),
    path("beheer/medewerkers/<int:pk>/herstellen/", reset_views.user_reset, name="beheer_user_reset"),
    path("beheer/medewerkers/<int:pk>/rollen/nieuw/", beheer_views.membership_add, name="beheer_membership_add"),
    path("beheer/rollen/<int:pk>/wijzigen/", beheer_views.membership_role, name="beheer_membership_role"),
    path("beheer/rollen/<int:pk>/beeindigen/", beheer_views.membership_end, name="beheer_membership_end"),
    # four eyes on resets
    path("beheer/herstelverzoeken/", reset_views.reset_request_list, name="beheer_reset_requests"),
    path("beheer/herstelverzoeken/<int:pk>/", reset_views.reset_request_detail, name="beheer_reset_request"),
    path(
        "beheer/herstelverzoeken/<int:pk>/goedkeuren/",
        reset_views.reset_request_approve,
        name="beheer_reset_request_approve",
    ),
    path(
        "beheer/herstelverzoeken/<int:pk>/afwijzen/",
        reset_views.reset_request_decline,
        name="beheer_reset_request_decline",
    ),
    # system clients (API)
    path(
        "beheer/organisaties/<int:pk>/koppelingen/nieuw/",
        beheer_views.api_client_create,
        name="beheer_api_client_create",
    ),
    path("beheer/koppelingen/<int:pk>/", beheer_views.api_client_detail, name="beheer_api_client"),
    path("beheer/koppelingen/<int:pk>/intrekken/", beheer_views.api_client_revoke, name="beheer_api_client_revoke"),
]
