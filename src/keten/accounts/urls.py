from django.urls import path

from keten.accounts import views

app_name = "accounts"

urlpatterns = [
    path("uitloggen/", views.logout_view, name="logout"),
    path("beheer/", views.beheer, name="beheer"),
]
