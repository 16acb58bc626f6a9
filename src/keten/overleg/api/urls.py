"""The overleg API under /api/v1/overleg/ (included from keten.api_urls)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from keten.overleg.api import views as v

urlpatterns = [
    path("types/", login_not_required(v.OverlegTypeListView.as_view()), name="api-overleg-types"),
    path(
        "registrations/",
        login_not_required(v.RegistrationListView.as_view()),
        name="api-overleg-registrations",
    ),
    path(
        "registrations/<int:pk>/",
        login_not_required(v.RegistrationDetailView.as_view()),
        name="api-overleg-registration",
    ),
    path(
        "registrations/<int:pk>/admit/",
        login_not_required(v.RegistrationAdmitView.as_view()),
        name="api-overleg-registration-admit",
    ),
    path(
        "registrations/<int:pk>/decline/",
        login_not_required(v.RegistrationDeclineView.as_view()),
        name="api-overleg-registration-decline",
    ),
    path(
        "registrations/<int:pk>/close/",
        login_not_required(v.RegistrationCloseView.as_view()),
        name="api-overleg-registration-close",
    ),
    path("meetings/", login_not_required(v.MeetingListView.as_view()), name="api-overleg-meetings"),
    path("meetings/<int:pk>/", login_not_required(v.MeetingDetailView.as_view()), name="api-overleg-meeting"),
    path("agreements/", login_not_required(v.AgreementListView.as_view()), name="api-overleg-agreements"),
    path(
        "agreements/<int:pk>/",
        login_not_required(v.AgreementDetailView.as_view()),
        name="api-overleg-agreement",
    ),
    path(
        "agreements/<int:pk>/close/",
        login_not_required(v.AgreementCloseView.as_view()),
        name="api-overleg-agreement-close",
    ),
]
