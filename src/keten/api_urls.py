"""The API under /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from keten.accounts.api.views import OrganisationListView
from keten.dossiers.api.views import DossierDetailView, DossierListView, DossierNoteView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("organisations/", OrganisationListView.as_view(), name="api-organisations"),
    path("dossiers/", DossierListView.as_view(), name="api-dossiers"),
    path("dossiers/<str:reference>/", DossierDetailView.as_view(), name="api-dossier-detail"),
    path("dossiers/<str:reference>/notes/", DossierNoteView.as_view(), name="api-dossier-notes"),
]
