"""Routes of the municipal figures, in the ``meldcode`` namespace (included by ``keten.meldcode.urls``)."""

from django.urls import path

from keten.meldcode.figures import views

urlpatterns = [
    path("cijfers/", views.figures_view, name="figures"),
    path("cijfers.csv", views.figures_csv, name="figures_csv"),
]
