from django.urls import path

from keten.accounts import beheer_views, views

app_name = "accounts"

urlpatterns = [
    path("uitloggen/", views.logout_view, name="logout"),
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
    path("beheer/medewerkers/<int:pk>/wachtwoord/", beheer_views.user_password_reset, name="beheer_user_password"),
    path(
        "beheer/medewerkers/<int:pk>/tweestapsverificatie/",
        beheer_views.user_two_factor_reset,
        name="beheer_user_two_factor_reset",
    ),
    path("beheer/medewerkers/<int:pk>/rollen/nieuw/", beheer_views.membership_add, name="beheer_membership_add"),
    path("beheer/rollen/<int:pk>/wijzigen/", beheer_views.membership_role, name="beheer_membership_role"),
    path("beheer/rollen/<int:pk>/beeindigen/", beheer_views.membership_end, name="beheer_membership_end"),
    # system clients (API)
    path(
        "beheer/organisaties/<int:pk>/koppelingen/nieuw/",
        beheer_views.api_client_create,
        name="beheer_api_client_create",
    ),
    path("beheer/koppelingen/<int:pk>/", beheer_views.api_client_detail, name="beheer_api_client"),
    path("beheer/koppelingen/<int:pk>/intrekken/", beheer_views.api_client_revoke, name="beheer_api_client_revoke"),
]
