from django.urls import path

from keten.overleg import minutes, views

app_name = "overleg"

urlpatterns = [
    path("", views.index, name="index"),
    path("afspraken/", views.my_agreements, name="my_agreements"),
    path("afspraken/<int:pk>/", views.agreement_detail, name="agreement"),
    path("afspraken/<int:pk>/wijzigen/", views.agreement_update, name="agreement_update"),
    path("afspraken/<int:pk>/afronden/", views.agreement_close, name="agreement_close"),
    path("aanmelden/dossier/<str:reference>/", views.register, name="register"),
    path("aanmelden/match/<int:match_id>/", views.register_from_match, name="register_from_match"),
    path("aanmeldingen/<int:pk>/", views.registration_detail, name="registration"),
    path("aanmeldingen/<int:pk>/afsluiten/", views.registration_close, name="registration_close"),
    path("aanmeldingen/<int:pk>/agenderen/", views.registration_schedule, name="registration_schedule"),
    path("aanmeldingen/<int:pk>/casusregisseur/", views.registration_casusregisseur, name="registration_regisseur"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:pk>/toelaten/", views.triage_admit, name="triage_admit"),
    path("triage/<int:pk>/afwijzen/", views.triage_decline, name="triage_decline"),
    path("bijeenkomsten/<int:pk>/", views.meeting_detail, name="meeting"),
    path("bijeenkomsten/<int:pk>/aanwezigheid/", views.meeting_attendance, name="meeting_attendance"),
    path("bijeenkomsten/<int:pk>/deelnemers/", views.meeting_attendee_add, name="meeting_attendee_add"),
    path("bijeenkomsten/<int:pk>/afronden/", views.meeting_hold, name="meeting_hold"),
    path("bijeenkomsten/<int:pk>/afgelasten/", views.meeting_cancel, name="meeting_cancel"),
    path("bijeenkomsten/<int:pk>/verslag.pdf", minutes.minutes_view, name="minutes"),
    path("agendapunten/<int:pk>/", views.item_detail, name="item"),
    path("agendapunten/<int:pk>/verslag/", views.item_discussion, name="item_discussion"),
    path("agendapunten/<int:pk>/afspraak/", views.item_agreement, name="item_agreement"),
    path("agendapunten/<int:pk>/van-de-agenda/", views.item_remove, name="item_remove"),
    path("agenda.ics", views.calendar, name="calendar"),
    path("agenda/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("agenda-abonnement/", views.calendar_feed_create, name="calendar_feed_create"),
    path("agenda-abonnement/intrekken/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("inrichting/", views.types, name="types"),
    path("inrichting/nieuw/", views.type_create, name="type_create"),
    path("inrichting/<int:pk>/", views.type_edit, name="type"),
    path("inrichting/<int:pk>/processtappen/", views.type_step_add, name="type_step_add"),
    path("inrichting/<int:pk>/bijeenkomsten/", views.type_meeting_add, name="type_meeting_add"),
    path("cijfers/", views.figures, name="figures"),
]
