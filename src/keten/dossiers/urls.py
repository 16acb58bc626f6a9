from django.urls import path

from keten.dossiers import views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nieuw/", views.dossier_create, name="create"),
    path("noodtoegang/", views.break_glass, name="break_glass"),
    path("<str:reference>/", views.dossier_detail, name="detail"),
    path("<str:reference>/wijzigen/", views.dossier_edit, name="edit"),
    path("<str:reference>/notities/", views.note_add, name="note_add"),
    path("<str:reference>/personen/nieuw/", views.person_add, name="person_add"),
    path("<str:reference>/personen/<str:pseudonym>/", views.person_edit, name="person_edit"),
    path("<str:reference>/casusteam/nieuw/", views.case_team_add, name="team_add"),
    path("<str:reference>/casusteam/<int:member_id>/beeindigen/", views.case_team_remove, name="team_remove"),
]
