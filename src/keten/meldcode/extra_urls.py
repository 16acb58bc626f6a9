"""Routes of the meldcode report, figures and checklist beheer, added to ``keten.meldcode.urls``."""

from django.urls import path, re_path

from keten.meldcode import beheer_views, figures, report

urlpatterns = [
    path("cijfers/", figures.figures_view, name="figures"),
    path("cijfers.csv", figures.figures_csv, name="figures_csv"),
    path("beheer/checklists/", beheer_views.checklist_list, name="checklists"),
    path("beheer/checklists/<int:pk>/", beheer_views.checklist_detail, name="checklist"),
    path("beheer/checklists/<int:pk>/nieuwe-versie/", beheer_views.checklist_publish, name="checklist_publish"),
    re_path(r"^(?P<reference>M-[0-9A-Za-z]+)/rapport\.pdf$", report.report_view, name="report"),
]
