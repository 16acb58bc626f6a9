from django.urls import path

from keten.shell import views

app_name = "shell"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("audit/", views.audit_log, name="audit_log"),
    path("cijfers.csv", views.figures_csv, name="figures_csv"),
]
