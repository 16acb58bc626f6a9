"""URLs of Samenwerking in beeld (in the ``network`` namespace, see ``keten.network.urls``)."""

from django.urls import URLPattern, path

from keten.network.gaps import views

urlpatterns: list[URLPattern] = [
    path("gemeente/", views.overview, name="gaps"),
    path("gemeente/export.csv", views.export_csv, name="gaps_csv"),
    path("gemeente/export.xlsx", views.export_xlsx, name="gaps_xlsx"),
    path("gemeente/wijk/<int:wijk_id>/", views.overview, name="gaps_wijk"),
    path("gemeente/wijk/<int:wijk_id>/export.csv", views.export_csv, name="gaps_wijk_csv"),
    path("gemeente/wijk/<int:wijk_id>/export.xlsx", views.export_xlsx, name="gaps_wijk_xlsx"),
]
