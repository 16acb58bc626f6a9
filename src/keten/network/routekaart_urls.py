"""URLs of the routekaart for professionals (per wijk, web page and PDF)."""

from django.urls import URLPattern

app_name = "routekaart"

urlpatterns: list[URLPattern] = []
