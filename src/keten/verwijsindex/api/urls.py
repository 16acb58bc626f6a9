"""The verwijsindex API under /api/v1/verwijsindex/ (included from keten.api_urls)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.verwijsindex.api import views as v

urlpatterns = [
    path("signals/", login_not_required(v.SignalListView.as_view()), name="api-vi-signals"),
    path("signals/bulk/", login_not_required(v.SignalBulkView.as_view()), name="api-vi-signals-bulk"),
    path("signals/<int:pk>/", login_not_required(v.SignalDetailView.as_view()), name="api-vi-signal"),
    path("feed/", login_not_required(v.FeedView.as_view()), name="api-vi-feed"),
    path("webhooks/", login_not_required(v.WebhookListView.as_view()), name="api-vi-webhooks"),
    path("webhooks/<int:pk>/", login_not_required(v.WebhookDetailView.as_view()), name="api-vi-webhook"),
    path(
        "webhooks/<int:pk>/deliveries/",
        login_not_required(v.WebhookDeliveriesView.as_view()),
        name="api-vi-webhook-deliveries",
    ),
]
