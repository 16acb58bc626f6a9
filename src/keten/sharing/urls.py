from django.urls import path

from keten.sharing import views

app_name = "sharing"

urlpatterns = [
    path("met-mij-gedeeld/", views.shared_with_me, name="shared_with_me"),
    path("toegang/<int:grant_id>/", views.shared_view, name="shared_view"),
    path("verstrekkingen/", views.organisation_disclosures, name="organisation"),
    path("verstrekkingen/export.csv", views.organisation_disclosures_csv, name="organisation_csv"),
    path("cijfers/", views.municipality_counts, name="counts"),
    path("convenanten/", views.convenant_list, name="convenants"),
    path("convenanten/nieuw/", views.convenant_create, name="convenant_create"),
    path("<str:reference>/deelhulp/", views.deelhulp_view, name="deelhulp"),
    path("<str:reference>/verstrekkingen/", views.disclosure_log, name="disclosure_log"),
    path("<str:reference>/toestemming/nieuw/", views.consent_create, name="consent_create"),
    path("<str:reference>/toestemming/<int:consent_id>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("<str:reference>/toegang/<int:grant_id>/beeindigen/", views.grant_revoke, name="grant_revoke"),
]
