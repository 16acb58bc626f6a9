"""The API under /api/v1/. Authentication is DRF's (token or verified session): unauthenticated calls
get the uniform JSON 401 instead of the login page redirect of the UI."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from keten.dossiers.api.figures import DossierFiguresView
from keten.dossiers.api.views import DossierDetailView, DossierListView, DossierNoteView, DossierSearchView
from keten.sharing.api.views import (
    ConsentListView,
    ConsentWithdrawView,
    ConvenantDetailView,
    ConvenantListView,
    DisclosureListView,
)

urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("organisations/", include("keten.accounts.api.urls")),
    path("dossiers/", login_not_required(DossierListView.as_view()), name="api-dossiers"),
    path("dossiers/search/", login_not_required(DossierSearchView.as_view()), name="api-dossiers-search"),
    path("dossiers/<str:reference>/", login_not_required(DossierDetailView.as_view()), name="api-dossier-detail"),
    path("figures/dossiers/", login_not_required(DossierFiguresView.as_view()), name="api-figures-dossiers"),
    path(
        "dossiers/<str:reference>/notes/",
        login_not_required(DossierNoteView.as_view()),
        name="api-dossier-notes",
    ),
    path(
        "dossiers/<str:reference>/consents/",
        login_not_required(ConsentListView.as_view()),
        name="api-sharing-consents",
    ),
    path(
        "sharing/consents/<int:pk>/withdraw/",
        login_not_required(ConsentWithdrawView.as_view()),
        name="api-sharing-consent-withdraw",
    ),
    path(
        "dossiers/<str:reference>/disclosures/",
        login_not_required(DisclosureListView.as_view()),
        name="api-sharing-disclosures",
    ),
    path("sharing/convenants/", login_not_required(ConvenantListView.as_view()), name="api-sharing-convenants"),
    path(
        "sharing/convenants/<int:pk>/",
        login_not_required(ConvenantDetailView.as_view()),
        name="api-sharing-convenant",
    ),
    path("network/", include("keten.network.api.urls")),
    path("meldcode/", include("keten.meldcode.api.urls")),
    path("verwijsindex/", include("keten.verwijsindex.api.urls")),
    path("overleg/", include("keten.overleg.api.urls")),
]
