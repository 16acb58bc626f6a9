"""Routes of the meldcode report, figures and checklist beheer, added to ``keten.meldcode.urls``."""

from django.urls import re_path

from keten.meldcode import report

urlpatterns = [
    re_path(r"^(?P<reference>M-[0-9A-Za-z]+)/rapport\.pdf$", report.report_view, name="report"),
]
