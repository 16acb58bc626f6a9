"""Routes of the meldcode (namespace ``meldcode``), gathered from its sub-domains."""

from django.urls import re_path

from keten.meldcode import report
from keten.meldcode.beheer.urls import urlpatterns as beheer
from keten.meldcode.consultations.urls import urlpatterns as consultations
from keten.meldcode.figures.urls import urlpatterns as figures
from keten.meldcode.trajecten.urls import TRAJECT
from keten.meldcode.trajecten.urls import urlpatterns as trajecten

app_name = "meldcode"

urlpatterns = [
    *figures,
    *beheer,
    re_path(TRAJECT + r"rapport\.pdf$", report.report_view, name="report"),
    *trajecten,
    *consultations,
]
