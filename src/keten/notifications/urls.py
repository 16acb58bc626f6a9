from django.urls import path

from keten.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("gelezen/", views.notification_read_all, name="read_all"),
]
