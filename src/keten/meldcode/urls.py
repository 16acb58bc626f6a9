from django.urls import path

from keten.meldcode import views

app_name = "meldcode"

urlpatterns = [
    path("consultaties/", views.consultation_inbox, name="inbox"),
    path("consultaties/<int:pk>/", views.consultation_detail, name="consultation"),
    path("<str:reference>/", views.traject_detail, name="traject"),
]
