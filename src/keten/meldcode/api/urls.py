"""The meldcode API under /api/v1/meldcode/ (included from keten.api_urls)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.meldcode.api import views as v

urlpatterns = [
    path("trajecten/", login_not_required(v.TrajectListView.as_view()), name="api-meldcode-trajecten"),
    path("trajecten/<str:reference>/", login_not_required(v.TrajectDetailView.as_view()), name="api-meldcode-traject"),
    path(
        "trajecten/<str:reference>/signals/",
        login_not_required(v.SignalCreateView.as_view()),
        name="api-meldcode-signals",
    ),
    path(
        "trajecten/<str:reference>/consultations/",
        login_not_required(v.ConsultationView.as_view()),
        name="api-meldcode-consultations",
    ),
    path(
        "trajecten/<str:reference>/afwegingen/",
        login_not_required(v.AfwegingCreateView.as_view()),
        name="api-meldcode-afwegingen",
    ),
    path(
        "trajecten/<str:reference>/decisions/",
        login_not_required(v.DecisionCreateView.as_view()),
        name="api-meldcode-decisions",
    ),
]
