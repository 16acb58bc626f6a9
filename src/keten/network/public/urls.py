"""URLs of the public routekaart for parents and citizens (no login)."""

from django.urls import URLPattern, path

from keten.network.public import views

app_name = "publiek"

urlpatterns: list[URLPattern] = [
    path("", views.routekaart, name="start"),
    path("routekaart/", views.routekaart, name="routekaart"),
]
