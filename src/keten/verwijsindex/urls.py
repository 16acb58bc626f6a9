from django.urls import path

from keten.verwijsindex import views

app_name = "verwijsindex"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/<str:action>/", views.match_action, name="match_action"),
    path("regie/", views.regie, name="regie"),
]
