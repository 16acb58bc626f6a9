from django.urls import path, re_path

from keten.meldcode import views

app_name = "meldcode"

# A traject's reference is "M-" plus ten characters; matching only that keeps other paths free.
_TRAJECT = r"^(?P<reference>M-[0-9A-Za-z]+)/"
_ACTIONS = "|".join([*views.ACTIONS, "afweging-opnieuw"])

urlpatterns = [
    path("nieuw/", views.traject_new, name="new"),
    path("organisatie/", views.organisation_overview, name="organisation"),
    path("consultaties/", views.consultation_inbox, name="inbox"),
    path("consultaties/<int:pk>/", views.consultation_detail, name="consultation"),
    path("dossier/<str:reference>/start/", views.traject_start, name="start"),
    re_path(_TRAJECT + r"$", views.traject_detail, name="traject"),
    re_path(_TRAJECT + rf"(?P<action>{_ACTIONS})/$", views.traject_action, name="action"),
    re_path(_TRAJECT + r"corrigeren/(?P<entry_id>[0-9]+)/$", views.entry_correct, name="correct"),
]

# The report, the municipal figures and the checklist beheer live in their own module.
from keten.meldcode.extra_urls import urlpatterns as _extra  # noqa: E402

# First, so that no broader pattern above catches them.
urlpatterns = [*_extra, *urlpatterns]
