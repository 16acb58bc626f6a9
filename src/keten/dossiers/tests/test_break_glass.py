"""Break the glass: only within the own municipality, told to the case team, refused shortly after a
removal from the case team, the reason encrypted, and every grant in a review queue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from keten.accounts.models import Membership, OrganisationType, Role
from keten.core.models import AuditEvent
from keten.dossiers.models import BreakGlassAccess, CaseRole, CaseTeamMember, Dossier
from keten.notifications.models import Notification
from keten.testing.auth import login_verified
from keten.testing.factories import MunicipalityFactory, OrganisationFactory, make_dossier, make_user

pytestmark = pytest.mark.django_db

REASON = "Politie meldt acute onveiligheid, regievoerder onbereikbaar"
GLASS = "/dossiers/noodtoegang/"
QUEUE = "/dossiers/noodtoegang/beoordelen/"


def _elsewhere(**kwargs):
    """An organisation in another municipality."""
    municipality = MunicipalityFactory(name="Gemeente Elders", cbs_code="GM0002")
    return OrganisationFactory(municipality=municipality, **kwargs)


def _gemeente(municipality=None):
    kwargs = {"municipality": municipality} if municipality is not None else {}
    return OrganisationFactory(name="Gemeente", type=OrganisationType.GEMEENTE, **kwargs)


def _break(client: Client, dossier: Dossier, reason: str = REASON):
    return client.post(GLASS, {"reference": dossier.reference, "reason": reason})


# --- scope ----------------------------------------------------------------------------------


def test_dossier_of_another_municipality_behaves_as_an_unknown_reference(client_for, dossier):
    stranger = make_user(Role.PROFESSIONAL, _elsewhere())
    client = client_for(stranger)
    other = _break(client, dossier)
    unknown = client.post(GLASS, {"reference": "D-ONBEKEND1", "reason": REASON})
    assert other.status_code == unknown.status_code == 422
    assert "Er is geen dossier met dit nummer." in other.content.decode()
    assert "Er is geen dossier met dit nummer." in unknown.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert client.get(f"/dossiers/{dossier.reference}/").status_code == 404
    events = list(AuditEvent.objects.filter(action="break_glass").order_by("id"))
    assert [e.details for e in events] == [{"result": "not_found"}, {"result": "not_found"}]
    # Nothing in the event tells the other municipality's family apart from a typing error.
    assert events[0].client_pseudonym == events[1].client_pseudonym == ""


# --- who is told ----------------------------------------------------------------------------


def test_regievoerder_and_officers_of_every_organisation_on_the_case_team_are_told(
    client_for, django_capture_on_commit_callbacks
):
    wijkteam = OrganisationFactory(name="Wijkteam Zuid")
    school = OrganisationFactory(name="Basisschool De Linde", type=OrganisationType.ONDERWIJS)
    jgz = OrganisationFactory(name="JGZ", type=OrganisationType.JGZ)
    regievoerder = make_user(Role.PROFESSIONAL, wijkteam)
    teacher = make_user(Role.PROFESSIONAL, school)
    dossier = make_dossier(regievoerder, teacher, family_name="Gezin Bakker")
    wijkteam_af = make_user(Role.AANDACHTSFUNCTIONARIS, wijkteam)
    school_af = make_user(Role.AANDACHTSFUNCTIONARIS, school)
    make_user(Role.AANDACHTSFUNCTIONARIS, OrganisationFactory(name="Sportclub"))  # not on the case team
    # An aandachtsfunctionaris alone in their organisation breaks the glass.
    actor = make_user(Role.AANDACHTSFUNCTIONARIS, jgz)
    with django_capture_on_commit_callbacks(execute=True):
        assert _break(client_for(actor), dossier).status_code == 302
    told = set(Notification.objects.filter(kind="break_glass").values_list("recipient_id", flat=True))
    assert told == {regievoerder.pk, wijkteam_af.pk, school_af.pk}
    for notification in Notification.objects.filter(kind="break_glass"):
        assert REASON not in notification.title + notification.body
        assert "Bakker" not in notification.title + notification.body
    assert len(mail.outbox) == 3
    assert all(REASON not in m.body and "Bakker" not in m.body for m in mail.outbox)


def test_the_actor_is_never_told_of_their_own_break_the_glass(client_for, django_capture_on_commit_callbacks):
    wijkteam = OrganisationFactory(name="Wijkteam Oost")
    regievoerder = make_user(Role.PROFESSIONAL, wijkteam)
    dossier = make_dossier(regievoerder)
    actor = make_user(Role.AANDACHTSFUNCTIONARIS, wijkteam)  # an officer of the team's organisation
    with django_capture_on_commit_callbacks(execute=True):
        assert _break(client_for(actor), dossier).status_code == 302
    told = set(Notification.objects.filter(kind="break_glass").values_list("recipient_id", flat=True))
    assert told == {regievoerder.pk}


def test_privacy_officer_of_the_municipality_is_told_when_nobody_else_can_be(
    client_for, django_capture_on_commit_callbacks
):
    school = OrganisationFactory(name="Basisschool", type=OrganisationType.ONDERWIJS)
    teacher = make_user(Role.PROFESSIONAL, school)
    dossier = make_dossier(teacher)
    # No regievoerder any more, and no aandachtsfunctionaris at the school.
    CaseTeamMember.objects.filter(dossier=dossier).update(case_role=CaseRole.HULPVERLENER)
    Dossier.objects.filter(pk=dossier.pk).update(coordinator=None)
    privacy = make_user(Role.PRIVACY_OFFICER, _gemeente())
    make_user(Role.PRIVACY_OFFICER, _elsewhere(type=OrganisationType.GEMEENTE))
    actor = make_user(Role.PROFESSIONAL, OrganisationFactory(name="Huisartsenpraktijk"))
    with django_capture_on_commit_callbacks(execute=True):
        assert _break(client_for(actor), dossier).status_code == 302
    told = list(Notification.objects.filter(kind="break_glass").values_list("recipient_id", flat=True))
    assert told == [privacy.pk]


# --- removed from the case team -------------------------------------------------------------


def test_someone_removed_from_the_case_team_recently_is_refused_and_sent_to_the_regievoerder(
    client_for, professional, outsider, dossier
):
    member = CaseTeamMember.objects.create(
        dossier=dossier,
        user=outsider,
        organisation=outsider.active_membership.organisation,
        case_role=CaseRole.HULPVERLENER,
    )
    removed = client_for(professional).post(f"/dossiers/{dossier.reference}/casusteam/{member.pk}/beeindigen/")
    assert removed.status_code == 302
    client = client_for(outsider)
    refused = _break(client, dossier)
    assert refused.status_code == 422
    assert "regievoerder" in refused.content.decode()
    assert not BreakGlassAccess.objects.exists()
    assert client.get(f"/dossiers/{dossier.reference}/").status_code == 404
    event = AuditEvent.objects.get(action="break_glass")
    assert event.details == {"result": "refused_recently_removed"}
    # Thirty days after the removal break-the-glass is possible again (with its review).
    CaseTeamMember.objects.filter(pk=member.pk).update(ended_at=timezone.now() - timedelta(days=31))
    assert _break(client, dossier).status_code == 302


# --- the reason -----------------------------------------------------------------------------


def test_reason_is_encrypted_and_kept_out_of_the_audit_event_and_notifications(
    client_for, outsider, officer, dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _break(client_for(outsider), dossier).status_code == 302
    grant = BreakGlassAccess.objects.get()
    assert grant.reason == REASON
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM dossiers_breakglassaccess WHERE id = %s", [grant.pk])
        (raw,) = cursor.fetchone()
    assert "Politie" not in raw
    event = AuditEvent.objects.get(action="break_glass")
    assert "Politie" not in event.reason + json.dumps(event.details)
    assert event.details == {"grant": grant.pk}
    assert event.object_id == dossier.reference
    assert event.client_pseudonym == dossier.family.pseudonym
    notification = officer.notifications.get(kind="break_glass")
    assert "Politie" not in notification.title + notification.body


# --- the review queue -----------------------------------------------------------------------


@pytest.fixture
def team():
    """A dossier of a wijkteam and a school; JGZ (not on the team) breaks the glass."""
    wijkteam = OrganisationFactory(name="Wijkteam West")
    school = OrganisationFactory(name="Basisschool West", type=OrganisationType.ONDERWIJS)
    jgz = OrganisationFactory(name="JGZ West", type=OrganisationType.JGZ)
    regievoerder = make_user(Role.PROFESSIONAL, wijkteam, first_name="Ria", last_name="Regie")
    teacher = make_user(Role.PROFESSIONAL, school)
    dossier = make_dossier(regievoerder, teacher, family_name="Gezin Bakker")
    actor = make_user(Role.PROFESSIONAL, jgz, first_name="Jan", last_name="Jeugdarts")
    return {
        "dossier": dossier,
        "regievoerder": regievoerder,
        "actor": actor,
        "wijkteam_af": make_user(Role.AANDACHTSFUNCTIONARIS, wijkteam),
        "school_af": make_user(Role.AANDACHTSFUNCTIONARIS, school),
        "jgz_af": make_user(Role.AANDACHTSFUNCTIONARIS, jgz),
        "other_af": make_user(Role.AANDACHTSFUNCTIONARIS, OrganisationFactory(name="Sportclub West")),
        "privacy": make_user(Role.PRIVACY_OFFICER, _gemeente()),
        "privacy_elsewhere": make_user(Role.PRIVACY_OFFICER, _elsewhere(type=OrganisationType.GEMEENTE)),
    }


def _grant(client_for, team) -> BreakGlassAccess:
    assert _break(client_for(team["actor"]), team["dossier"]).status_code == 302
    return BreakGlassAccess.objects.get()


@pytest.mark.parametrize("reviewer", ["wijkteam_af", "school_af", "jgz_af", "privacy"])
def test_queue_shows_who_when_which_dossier_the_reason_and_takes_a_review(client_for, team, reviewer):
    grant = _grant(client_for, team)
    client = client_for(team[reviewer])
    page = client.get(QUEUE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Jan Jeugdarts" in text
    assert team["dossier"].reference in text
    assert REASON in text
    assert timezone.localtime(grant.granted_at).strftime("%d-%m-%Y") in text
    assert "Gezin Bakker" not in text
    reviewed = client.post(f"{QUEUE}{grant.pk}/", {"verdict": "justified", "note": "Terecht: acute situatie."})
    assert reviewed.status_code == 302
    text = client.get(QUEUE, {"status": "alle"}).content.decode()
    assert "Terecht: acute situatie." in text
    assert grant.reviews.get().reviewer_id == team[reviewer].pk
    event = AuditEvent.objects.get(object_type="break_glass_review")
    assert event.client_pseudonym == team["dossier"].family.pseudonym
    assert "Terecht" not in json.dumps(event.details) + event.reason
    # Reading the queue (reasons are shown there) is audited with the families shown.
    read = AuditEvent.objects.filter(object_type="break_glass_queue").first()
    assert read is not None
    assert team["dossier"].family.pseudonym in read.clients.values_list("pseudonym", flat=True)


@pytest.mark.parametrize("outside", ["other_af", "privacy_elsewhere", "regievoerder", "actor"])
def test_queue_hides_the_grant_from_anyone_outside_its_scope(client_for, team, outside):
    grant = _grant(client_for, team)
    client = client_for(team[outside])
    page = client.get(QUEUE)
    if outside in ("other_af", "privacy_elsewhere"):
        assert page.status_code == 200
        assert team["dossier"].reference not in page.content.decode()
    else:
        assert page.status_code == 404
    response = client.post(f"{QUEUE}{grant.pk}/", {"verdict": "unjustified", "note": "Niet terecht."})
    assert response.status_code == 404
    assert not grant.reviews.exists()


def test_an_officer_never_reviews_their_own_break_the_glass(client_for, team):
    jgz = team["jgz_af"]
    assert _break(client_for(jgz), team["dossier"]).status_code == 302
    grant = BreakGlassAccess.objects.get(user=jgz)
    client = client_for(jgz)
    assert team["dossier"].reference not in client.get(QUEUE).content.decode()
    assert client.post(f"{QUEUE}{grant.pk}/", {"verdict": "justified", "note": "Eigen."}).status_code == 404


def test_reviews_are_appended_and_the_latest_counts(client_for, team):
    from keten.core.models import AppendOnlyError

    grant = _grant(client_for, team)
    client_for(team["wijkteam_af"]).post(f"{QUEUE}{grant.pk}/", {"verdict": "justified", "note": "Eerste oordeel."})
    client_for(team["privacy"]).post(f"{QUEUE}{grant.pk}/", {"verdict": "unjustified", "note": "Toch niet nodig."})
    reviews = list(grant.reviews.order_by("id"))
    assert [r.justified for r in reviews] == [True, False]
    with pytest.raises(AppendOnlyError):
        reviews[0].save()
    with pytest.raises(AppendOnlyError):
        grant.reviews.update(justified=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM dossiers_breakglassreview WHERE id = %s", [reviews[0].pk])
        (raw,) = cursor.fetchone()
    assert "oordeel" not in raw


def test_a_review_needs_a_verdict_and_a_note(client_for, team):
    grant = _grant(client_for, team)
    response = client_for(team["privacy"]).post(f"{QUEUE}{grant.pk}/", {"verdict": "", "note": ""})
    assert response.status_code == 422
    assert not grant.reviews.exists()


def test_unreviewed_grants_older_than_five_working_days_are_flagged(client_for, team):
    grant = _grant(client_for, team)
    client = client_for(team["privacy"])
    assert "Te laat beoordeeld" not in client.get(QUEUE).content.decode()
    # Friday 2 January 2026 plus five working days is Friday 9 January.
    granted = timezone.make_aware(datetime(2026, 1, 2, 10, 0))
    BreakGlassAccess.objects.filter(pk=grant.pk).update(granted_at=granted, expires_at=granted + timedelta(hours=1))
    from keten.dossiers.access import break_glass

    assert not break_glass.is_overdue(granted, today=datetime(2026, 1, 9).date())
    assert break_glass.is_overdue(granted, today=datetime(2026, 1, 12).date())
    assert "Te laat beoordeeld" in client.get(QUEUE).content.decode()
    client.post(f"{QUEUE}{grant.pk}/", {"verdict": "justified", "note": "Achteraf terecht."})
    assert "Te laat beoordeeld" not in client.get(QUEUE, {"status": "alle"}).content.decode()


ROLES = [*Role.values, "superuser"]


def _user_for(role: str):
    if role == "superuser":
        return make_user(Role.FUNCTIONEEL_BEHEERDER, OrganisationFactory(), is_superuser=True, is_staff=True)
    organisation = _gemeente() if role == Role.PRIVACY_OFFICER else OrganisationFactory()
    return make_user(role, organisation)


@pytest.mark.parametrize("role", ROLES)
def test_queue_and_menu_only_for_officers_and_the_privacy_officer(role):
    regievoerder = make_user(Role.PROFESSIONAL)
    dossier = make_dossier(regievoerder)
    actor = make_user(Role.PROFESSIONAL)
    assert _break(login_verified(Client(), actor), dossier).status_code == 302
    grant = BreakGlassAccess.objects.get()
    client = login_verified(Client(), _user_for(role))
    allowed = role in (Role.AANDACHTSFUNCTIONARIS, Role.PRIVACY_OFFICER)
    assert client.get(QUEUE).status_code == (200 if allowed else 404)
    assert (QUEUE in client.get("/").content.decode()) is allowed
    # Only the privacy officer of the municipality reviews this grant: the aandachtsfunctionaris of an
    # organisation that is neither on the case team nor the actor's does not see it.
    reviewed = client.post(f"{QUEUE}{grant.pk}/", {"verdict": "justified", "note": "Terecht."})
    assert reviewed.status_code == (302 if role == Role.PRIVACY_OFFICER else 404)


def test_a_privacy_officer_outside_the_gemeente_organisation_is_not_one(client_for, team):
    grant = _grant(client_for, team)
    odd = make_user(Role.PRIVACY_OFFICER, OrganisationFactory(name="Wijkteam Noordwest"))
    client = client_for(odd)
    assert client.get(QUEUE).status_code == 404
    assert client.post(f"{QUEUE}{grant.pk}/", {"verdict": "justified", "note": "x"}).status_code == 404


def test_privacy_officer_sees_no_client_data(client_for, team):
    privacy = team["privacy"]
    assert Membership.objects.get(user=privacy).role == Role.PRIVACY_OFFICER
    client = client_for(privacy)
    assert client.get(f"/dossiers/{team['dossier'].reference}/").status_code == 404
    assert client.get("/dossiers/").status_code == 404
    assert _break(client, team["dossier"]).status_code == 404
