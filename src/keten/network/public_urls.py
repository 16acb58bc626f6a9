"""URLs of the public routekaart for parents and citizens (no login)."""

from django.urls import URLPattern

app_name = "publiek"

urlpatterns: list[URLPattern] = []
