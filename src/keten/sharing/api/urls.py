"""The informatie-delen API under /api/v1/ (included from keten.api_urls): a dossier's consents and
disclosures, withdrawing a consent, and the municipality's convenants."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.sharing.api import views as v

urlpatterns = [
    path(
        "dossiers/<str:reference>/consents/",
        login_not_required(v.ConsentListView.as_view()),
        name="api-sharing-consents",
    ),
    path(
        "sharing/consents/<int:pk>/withdraw/",
        login_not_required(v.ConsentWithdrawView.as_view()),
        name="api-sharing-consent-withdraw",
    ),
    path(
        "dossiers/<str:reference>/disclosures/",
        login_not_required(v.DisclosureListView.as_view()),
        name="api-sharing-disclosures",
    ),
    path("sharing/convenants/", login_not_required(v.ConvenantListView.as_view()), name="api-sharing-convenants"),
    path(
        "sharing/convenants/<int:pk>/",
        login_not_required(v.ConvenantDetailView.as_view()),
        name="api-sharing-convenant",
    ),
]
