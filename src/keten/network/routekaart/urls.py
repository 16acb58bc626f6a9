"""URLs of the routekaart for professionals (per wijk, web page and PDF)."""

from django.urls import URLPattern, path

from keten.network.routekaart import views

app_name = "routekaart"

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("<int:wijk_id>/", views.detail, name="wijk"),
    path("<int:wijk_id>/pdf/", views.pdf, name="pdf"),
]
