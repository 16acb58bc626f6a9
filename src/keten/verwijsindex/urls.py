from django.urls import path

from keten.verwijsindex import views

app_name = "verwijsindex"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("nieuw/", views.register, name="register"),
    path("signalen/<int:pk>/", views.signal_detail, name="signal"),
    path("signalen/<int:pk>/intrekken/", views.signal_withdraw, name="signal_withdraw"),
    path("signalen/<int:pk>/informeren/", views.signal_notice, name="signal_notice"),
    path("signalen/<int:pk>/geschiedenis/", views.signal_history, name="signal_history"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/<str:action>/", views.match_action, name="match_action"),
    path("regie/", views.regie, name="regie"),
    path("cijfers/", views.figures, name="figures"),
    path("beheer/", views.beheer, name="beheer"),
    path("beheer/regievoerders/", views.regievoerder_add, name="regievoerder_add"),
    path("beheer/regievoerders/<int:pk>/verwijderen/", views.regievoerder_remove, name="regievoerder_remove"),
]
