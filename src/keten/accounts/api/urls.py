"""The accounts API under /api/v1/organisations/ (included from keten.api_urls)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.accounts.api import views as v

urlpatterns = [
    path("", login_not_required(v.OrganisationListView.as_view()), name="api-organisations"),
]
