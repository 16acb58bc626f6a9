"""The sociale kaart API under /api/v1/network/ (included from keten.api_urls)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.network.api import views as v

urlpatterns = [
    path(
        "organisations/",
        login_not_required(v.SocialeKaartOrganisationsView.as_view()),
        name="api-network-organisations",
    ),
    path("agreements/", login_not_required(v.AgreementListView.as_view()), name="api-network-agreements"),
    path("professionals/", login_not_required(v.ProfessionalListView.as_view()), name="api-network-professionals"),
    path("routekaart/", login_not_required(v.PublicRoutekaartView.as_view()), name="api-network-routekaart"),
]
