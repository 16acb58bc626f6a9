"""The API under /api/v1/. Authentication is DRF's (token or verified session): unauthenticated calls
get the uniform JSON 401 instead of the login page redirect of the UI. Each app routes its own
endpoints in its ``api/urls.py``."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    path("organisations/", include("keten.accounts.api.urls")),
    path("", include("keten.dossiers.api.urls")),
    path("", include("keten.sharing.api.urls")),
    path("network/", include("keten.network.api.urls")),
    path("meldcode/", include("keten.meldcode.api.urls")),
    path("verwijsindex/", include("keten.verwijsindex.api.urls")),
    path("overleg/", include("keten.overleg.api.urls")),
]
