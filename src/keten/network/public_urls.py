"""URLs of the public routekaart for parents and citizens (no login)."""

from django.urls import URLPattern, path

from keten.network import public_views

app_name = "publiek"

urlpatterns: list[URLPattern] = [
    path("", public_views.routekaart, name="start"),
    path("routekaart/", public_views.routekaart, name="routekaart"),
]
