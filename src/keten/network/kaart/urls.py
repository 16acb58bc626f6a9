"""URLs of the sociale kaart itself (in the ``network`` namespace, see ``keten.network.urls``)."""

from django.urls import URLPattern, path

from keten.network.kaart import views

urlpatterns: list[URLPattern] = [
    path("", views.search, name="search"),
    path("organisaties/<int:pk>/", views.organisation, name="organisation"),
    path("organisaties/<int:pk>/wijzigen/", views.entry_edit, name="entry_edit"),
    path("organisaties/<int:pk>/bevestigen/", views.entry_confirm, name="entry_confirm"),
    path("afspraken/", views.agreement_list, name="agreements"),
    path("afspraken/nieuw/", views.agreement_create, name="agreement_create"),
    path("afspraken/<int:pk>/wijzigen/", views.agreement_edit, name="agreement_edit"),
]
