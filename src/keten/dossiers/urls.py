from django.urls import path

from keten.dossiers import views
from keten.dossiers.access import views as access_views

app_name = "dossiers"

urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nieuw/", views.dossier_create, name="create"),
    path("noodtoegang/", access_views.break_glass_open, name="break_glass"),
    path("noodtoegang/beoordelen/", access_views.break_glass_queue, name="break_glass_queue"),
    path("noodtoegang/beoordelen/<int:grant_id>/", access_views.break_glass_review, name="break_glass_review"),
    path("toegangsverzoeken/", access_views.access_request_list, name="access_requests"),
    path("toegangsverzoeken/nieuw/", access_views.access_request_create, name="access_request_create"),
    path(
        "toegangsverzoeken/<int:request_id>/beslissen/",
        access_views.access_request_decide,
        name="access_request_decide",
    ),
    path("<str:reference>/", views.dossier_detail, name="detail"),
    path("<str:reference>/wijzigen/", views.dossier_edit, name="edit"),
    path("<str:reference>/tijdlijn/", views.dossier_timeline, name="timeline"),
    path("<str:reference>/notities/nieuw/", views.note_add, name="note_add"),
    path("<str:reference>/personen/nieuw/", views.person_add, name="person_add"),
    path("<str:reference>/personen/<str:pseudonym>/", views.person_edit, name="person_edit"),
    path("<str:reference>/casusteam/nieuw/", views.case_team_add, name="team_add"),
    path("<str:reference>/casusteam/<int:member_id>/beeindigen/", views.case_team_remove, name="team_remove"),
    # A section of the dossier's workspace (gezin, casusteam, meldcode, …): after every specific
    # pattern above, so that none of them is read as a section's name.
    path("<str:reference>/<slug:slug>/", views.dossier_section, name="section"),
]
