from django.urls import path

from keten.network import gap_views, views

app_name = "network"

urlpatterns = [
    path("", views.search, name="search"),
    path("organisaties/<int:pk>/", views.organisation, name="organisation"),
    path("organisaties/<int:pk>/wijzigen/", views.entry_edit, name="entry_edit"),
    path("organisaties/<int:pk>/bevestigen/", views.entry_confirm, name="entry_confirm"),
    path("afspraken/", views.agreement_list, name="agreements"),
    path("afspraken/nieuw/", views.agreement_create, name="agreement_create"),
    path("afspraken/<int:pk>/wijzigen/", views.agreement_edit, name="agreement_edit"),
    path("gemeente/", gap_views.overview, name="gaps"),
    path("gemeente/export.csv", gap_views.export_csv, name="gaps_csv"),
    path("gemeente/export.xlsx", gap_views.export_xlsx, name="gaps_xlsx"),
    path("gemeente/wijk/<int:wijk_id>/", gap_views.overview, name="gaps_wijk"),
    path("gemeente/wijk/<int:wijk_id>/export.csv", gap_views.export_csv, name="gaps_wijk_csv"),
    path("gemeente/wijk/<int:wijk_id>/export.xlsx", gap_views.export_xlsx, name="gaps_wijk_xlsx"),
]
