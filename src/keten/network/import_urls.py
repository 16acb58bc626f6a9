"""Beheer of the sociale kaart: bulk import and export, postcode ranges (mounted at /sociale-kaart/beheer/)."""

from django.urls import path

from keten.network import import_views

app_name = "network_beheer"

urlpatterns = [
    path("", import_views.index, name="index"),
    path("import/<slug:kind>/", import_views.upload, name="import"),
    path("import/<slug:kind>/controleren/", import_views.preview, name="import_preview"),
    path("import/<slug:kind>/annuleren/", import_views.cancel, name="import_cancel"),
    path("import/<slug:kind>/voorbeeld.<slug:fmt>", import_views.template, name="import_template"),
    path("export/<slug:kind>.<slug:fmt>", import_views.export, name="export"),
    path("postcodegebieden/", import_views.postcode_ranges, name="postcode_ranges"),
    path("postcodegebieden/<int:pk>/verwijderen/", import_views.postcode_range_delete, name="postcode_range_delete"),
]
