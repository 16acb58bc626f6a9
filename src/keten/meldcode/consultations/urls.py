"""Routes of the consultations, in the ``meldcode`` namespace (included by ``keten.meldcode.urls``)."""

from django.urls import path

from keten.meldcode.consultations import views

urlpatterns = [
    path("consultaties/", views.consultation_inbox, name="inbox"),
    path("consultaties/<int:pk>/", views.consultation_detail, name="consultation"),
]
