"""The API under /api/v1/. Authentication is DRF's (token or verified session): unauthenticated calls
get the uniform JSON 401 instead of the login page redirect of the UI."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from keten.accounts.api.views import OrganisationListView
from keten.dossiers.api.figures import DossierFiguresView
from keten.dossiers.api.views import DossierDetailView, DossierListView, DossierNoteView, DossierSearchView
from keten.meldcode.api.views import (
    AfwegingCreateView,
    ConsultationView,
    DecisionCreateView,
    SignalCreateView,
    TrajectDetailView,
    TrajectListView,
)
from keten.network.api.views import (
    AgreementListView,
    ProfessionalListView,
    PublicRoutekaartView,
    SocialeKaartOrganisationsView,
)
from keten.sharing.api.views import (
    ConsentListView,
    ConsentWithdrawView,
    ConvenantDetailView,
    ConvenantListView,
    DisclosureListView,
)
from keten.verwijsindex.api.views import (
    FeedView,
    SignalBulkView,
    SignalDetailView,
    SignalListView,
    WebhookDeliveriesView,
    WebhookDetailView,
    WebhookListView,
)

urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("organisations/", login_not_required(OrganisationListView.as_view()), name="api-organisations"),
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
        "network/organisations/",
        login_not_required(SocialeKaartOrganisationsView.as_view()),
        name="api-network-organisations",
    ),
    path("network/agreements/", login_not_required(AgreementListView.as_view()), name="api-network-agreements"),
    path(
        "network/professionals/",
        login_not_required(ProfessionalListView.as_view()),
        name="api-network-professionals",
    ),
    path(
        "network/routekaart/",
        login_not_required(PublicRoutekaartView.as_view()),
        name="api-network-routekaart",
    ),
    path("meldcode/trajecten/", login_not_required(TrajectListView.as_view()), name="api-meldcode-trajecten"),
    path(
        "meldcode/trajecten/<str:reference>/",
        login_not_required(TrajectDetailView.as_view()),
        name="api-meldcode-traject",
    ),
    path(
        "meldcode/trajecten/<str:reference>/signals/",
        login_not_required(SignalCreateView.as_view()),
        name="api-meldcode-signals",
    ),
    path(
        "meldcode/trajecten/<str:reference>/consultations/",
        login_not_required(ConsultationView.as_view()),
        name="api-meldcode-consultations",
    ),
    path(
        "meldcode/trajecten/<str:reference>/afwegingen/",
        login_not_required(AfwegingCreateView.as_view()),
        name="api-meldcode-afwegingen",
    ),
    path(
        "meldcode/trajecten/<str:reference>/decisions/",
        login_not_required(DecisionCreateView.as_view()),
        name="api-meldcode-decisions",
    ),
    path("verwijsindex/signals/", login_not_required(SignalListView.as_view()), name="api-vi-signals"),
    path("verwijsindex/signals/bulk/", login_not_required(SignalBulkView.as_view()), name="api-vi-signals-bulk"),
    path(
        "verwijsindex/signals/<int:pk>/",
        login_not_required(SignalDetailView.as_view()),
        name="api-vi-signal",
    ),
    path("verwijsindex/feed/", login_not_required(FeedView.as_view()), name="api-vi-feed"),
    path("verwijsindex/webhooks/", login_not_required(WebhookListView.as_view()), name="api-vi-webhooks"),
    path(
        "verwijsindex/webhooks/<int:pk>/",
        login_not_required(WebhookDetailView.as_view()),
        name="api-vi-webhook",
    ),
    path(
        "verwijsindex/webhooks/<int:pk>/deliveries/",
        login_not_required(WebhookDeliveriesView.as_view()),
        name="api-vi-webhook-deliveries",
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
    path("overleg/", include("keten.overleg.api.urls")),
]
