from django.urls import path

from keten.meldcode import views

app_name = "meldcode"

urlpatterns = [
    path("consultaties/", views.consultation_inbox, name="inbox"),
    path("consultaties/<int:pk>/", views.consultation_detail, name="consultation"),
    path("<str:reference>/", views.traject_detail, name="traject"),
]

# The report, the municipal figures and the checklist beheer live in their own module.
from keten.meldcode.extra_urls import urlpatterns as _extra  # noqa: E402

urlpatterns += _extra
