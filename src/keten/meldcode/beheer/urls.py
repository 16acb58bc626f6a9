"""Routes of the checklist beheer, in the ``meldcode`` namespace (included by ``keten.meldcode.urls``)."""

from django.urls import path

from keten.meldcode.beheer import views

urlpatterns = [
    path("beheer/checklists/", views.checklist_list, name="checklists"),
    path("beheer/checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path("beheer/checklists/<int:pk>/nieuwe-versie/", views.checklist_publish, name="checklist_publish"),
]
