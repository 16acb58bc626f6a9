from django.urls import path

from keten.core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit_log"),
    path("cijfers.csv", views.figures_csv, name="figures_csv"),
]
