"""URLs of inzage and destruction requests, mounted at /delen/inzage/."""

from django.urls import path

from keten.sharing.inzage import views

app_name = "sharing_inzage"

urlpatterns = [
    path("dossier/<str:reference>/", views.overview, name="overview"),
    path("dossier/<str:reference>/inzage/", views.inzage_create, name="create"),
    path("dossier/<str:reference>/vernietiging/", views.destruction_create, name="destruction_create"),
    path("<int:pk>/", views.inzage_detail, name="detail"),
    path("<int:pk>/overzicht/", views.export_start, name="export_start"),
    path("overzicht/<int:pk>/", views.export_status, name="export"),
    path("overzicht/<int:pk>/overzicht.pdf", views.export_pdf, name="export_pdf"),
    path("vernietiging/<int:pk>/", views.destruction_detail, name="destruction"),
]
