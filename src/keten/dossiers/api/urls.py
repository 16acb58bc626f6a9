"""The dossiers API under /api/v1/ (included from keten.api_urls): dossiers, their notes and figures."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.dossiers.api.figures import DossierFiguresView
from keten.dossiers.api.views import DossierDetailView, DossierListView, DossierNoteView, DossierSearchView

urlpatterns = [
    path("dossiers/", login_not_required(DossierListView.as_view()), name="api-dossiers"),
    path("dossiers/search/", login_not_required(DossierSearchView.as_view()), name="api-dossiers-search"),
    path("dossiers/<str:reference>/", login_not_required(DossierDetailView.as_view()), name="api-dossier-detail"),
    path("figures/dossiers/", login_not_required(DossierFiguresView.as_view()), name="api-figures-dossiers"),
    path("dossiers/<str:reference>/notes/", login_not_required(DossierNoteView.as_view()), name="api-dossier-notes"),
]
