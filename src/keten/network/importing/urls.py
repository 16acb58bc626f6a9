"""Beheer of the sociale kaart: bulk import and export, postcode ranges (mounted at /sociale-kaart/beheer/)."""

from django.urls import path

from keten.network.importing import views

app_name = "network_beheer"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/<slug:kind>/", views.upload, name="import"),
    path("import/<slug:kind>/controleren/", views.preview, name="import_preview"),
    path("import/<slug:kind>/annuleren/", views.cancel, name="import_cancel"),
    path("import/<slug:kind>/voorbeeld.<slug:fmt>", views.template, name="import_template"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("postcodegebieden/", views.postcode_ranges, name="postcode_ranges"),
    path("postcodegebieden/<int:pk>/verwijderen/", views.postcode_range_delete, name="postcode_range_delete"),
]
