from django.urls import path

from keten.overleg import views
from keten.overleg.agreements import views as agreements
from keten.overleg.calendar import views as calendar
from keten.overleg.discussions import views as discussions
from keten.overleg.figures import views as figures
from keten.overleg.meetings import views as meetings
from keten.overleg.registrations import views as registrations
from keten.overleg.types import views as types

app_name = "overleg"

urlpatterns = [
    path("", views.index, name="index"),
    path("afspraken/", agreements.my_agreements, name="my_agreements"),
    path("afspraken/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("afspraken/<int:pk>/wijzigen/", agreements.agreement_update, name="agreement_update"),
    path("afspraken/<int:pk>/afronden/", agreements.agreement_close, name="agreement_close"),
    path("aanmelden/dossier/<str:reference>/", registrations.register, name="register"),
    path("aanmelden/match/<int:match_id>/", registrations.register_from_match, name="register_from_match"),
    path("aanmeldingen/<int:pk>/", registrations.registration_detail, name="registration"),
    path("aanmeldingen/<int:pk>/afsluiten/", registrations.registration_close, name="registration_close"),
    path("aanmeldingen/<int:pk>/agenderen/", registrations.registration_schedule, name="registration_schedule"),
    path(
        "aanmeldingen/<int:pk>/casusregisseur/",
        registrations.registration_casusregisseur,
        name="registration_regisseur",
    ),
    path("triage/", registrations.triage, name="triage"),
    path("triage/<int:pk>/toelaten/", registrations.triage_admit, name="triage_admit"),
    path("triage/<int:pk>/afwijzen/", registrations.triage_decline, name="triage_decline"),
    path("bijeenkomsten/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("bijeenkomsten/<int:pk>/aanwezigheid/", meetings.meeting_attendance, name="meeting_attendance"),
    path("bijeenkomsten/<int:pk>/deelnemers/", meetings.meeting_attendee_add, name="meeting_attendee_add"),
    path("bijeenkomsten/<int:pk>/afronden/", meetings.meeting_hold, name="meeting_hold"),
    path("bijeenkomsten/<int:pk>/afgelasten/", meetings.meeting_cancel, name="meeting_cancel"),
    path("bijeenkomsten/<int:pk>/verslag.pdf", meetings.minutes_view, name="minutes"),
    path("agendapunten/<int:pk>/", discussions.item_detail, name="item"),
    path("agendapunten/<int:pk>/verslag/", discussions.item_discussion, name="item_discussion"),
    path("agendapunten/<int:pk>/afspraak/", discussions.item_agreement, name="item_agreement"),
    path("agendapunten/<int:pk>/van-de-agenda/", discussions.item_remove, name="item_remove"),
    path("agenda.ics", calendar.calendar, name="calendar"),
    path("agenda/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("agenda-abonnement/", views.calendar_feed_create, name="calendar_feed_create"),
    path("agenda-abonnement/intrekken/", calendar.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("inrichting/", types.types, name="types"),
    path("inrichting/nieuw/", types.type_create, name="type_create"),
    path("inrichting/<int:pk>/", types.type_edit, name="type"),
    path("inrichting/<int:pk>/processtappen/", types.type_step_add, name="type_step_add"),
    path("inrichting/<int:pk>/bijeenkomsten/", types.type_meeting_add, name="type_meeting_add"),
    path("cijfers/", figures.figures, name="figures"),
]
