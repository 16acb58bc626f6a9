"""Routes of the trajecten, in the ``meldcode`` namespace (included by ``keten.meldcode.urls``)."""

from django.urls import path, re_path

from keten.meldcode.trajecten import views
from keten.meldcode.trajecten.actions import ACTIONS

# A traject's reference is "M-" plus ten characters; matching only that keeps other paths free.
TRAJECT = r"^(?P<reference>M-[0-9A-Za-z]+)/"
_ACTIONS = "|".join([*ACTIONS, "afweging-opnieuw"])

urlpatterns = [
    path("nieuw/", views.traject_new, name="new"),
    path("organisatie/", views.organisation_overview, name="organisation"),
    path("dossier/<str:reference>/start/", views.traject_start, name="start"),
    re_path(TRAJECT + r"$", views.traject_detail, name="traject"),
    re_path(TRAJECT + rf"(?P<action>{_ACTIONS})/$", views.traject_action, name="action"),
    re_path(TRAJECT + r"corrigeren/(?P<entry_id>[0-9]+)/$", views.entry_correct, name="correct"),
]
