"""The calendar subscription: a secret link that serves the owner's meetings to an agenda app."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from keten.accounts.models import Membership, User
from keten.core.actor import Actor
from keten.core.models import AuditAction, AuditEvent
from keten.overleg.calendar import services as calendar_services
from keten.overleg.models import CalendarFeed, CaseRegistration, OverlegKind, OverlegType
from keten.overleg.tests.conftest import World, make_meeting

ActorOf = Callable[[User], Actor]
ClientFor = Callable[[User], Client]

FEED_PATH = re.compile(r"/overleg/agenda/([A-Za-z0-9_-]+)\.ics")


def _feed(token: str) -> str:
    return f"/overleg/agenda/{token}.ics"


def _fetch(token: str) -> Any:
    """Fetch the feed as an agenda app does: without a session."""
    return Client().get(_feed(token))


def _feed_audit() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="overleg.calendar_feed").order_by("id"))


def test_link_made_on_the_page_serves_the_meetings_without_client_data(
    client_for: ClientFor, world: World, admitted: CaseRegistration
) -> None:
    client = client_for(world.member)
    page = client.post("/overleg/agenda-abonnement/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    html = page.content.decode()
    found = FEED_PATH.search(html)
    assert found is not None
    token = found.group(1)
    assert f'value="http://testserver/overleg/agenda/{token}.ics"' in html
    assert f'href="webcal://testserver/overleg/agenda/{token}.ics"' in html

    response = _fetch(token)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store"
    body = response.content
    events = list(Calendar.from_ical(body).walk("VEVENT"))
    assert len(events) == 2
    assert {str(e["summary"]) for e in events} == {world.overleg.name}
    text = body.decode()
    for secret in (
        world.dossier.reference,
        world.dossier.family.pseudonym,
        world.dossier.family.name,
        admitted.reason,
        admitted.goal,
    ):
        assert secret not in text

    # Afterwards the page only says that a link exists; the link itself is not shown again.
    later = client.get("/overleg/").content.decode()
    assert token not in later
    assert "Er is een actieve link" in later
    assert "Nieuwe link maken" in later


def test_only_the_hash_of_the_token_is_stored(world: World, actor_of: ActorOf) -> None:
    token = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    feed = CalendarFeed.objects.get(user=world.member)
    assert len(token) >= 40
    assert feed.token_hash == CalendarFeed.hash_token(token)
    assert token not in feed.token_hash


def test_unknown_token_is_404(world: World, actor_of: ActorOf) -> None:
    calendar_services.calendar_feed_create(actor=actor_of(world.member))
    response = _fetch("niet-de-goede-sleutel")
    assert response.status_code == 404
    assert response.content == b""
    assert _fetch("x" * 500).status_code == 404


def test_revoked_link_is_404(world: World, actor_of: ActorOf) -> None:
    actor = actor_of(world.member)
    token = calendar_services.calendar_feed_create(actor=actor)
    assert _fetch(token).status_code == 200
    assert calendar_services.calendar_feed_revoke(actor=actor) is True
    assert _fetch(token).status_code == 404
    assert calendar_services.calendar_feed_revoke(actor=actor) is False


def test_new_link_revokes_the_old_one(world: World, actor_of: ActorOf) -> None:
    old = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    new = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    assert old != new
    assert _fetch(old).status_code == 404
    assert _fetch(new).status_code == 200
    assert CalendarFeed.objects.filter(user=world.member, revoked_at__isnull=True).count() == 1
    assert CalendarFeed.objects.filter(user=world.member).count() == 2


def test_inactive_user_gets_404(world: World, actor_of: ActorOf) -> None:
    token = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    User.objects.filter(pk=world.member.pk).update(is_active=False)
    assert _fetch(token).status_code == 404


def test_user_without_active_membership_gets_404(world: World, actor_of: ActorOf) -> None:
    token = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    Membership.objects.filter(user=world.member).update(is_active=False)
    assert _fetch(token).status_code == 404


def test_feed_holds_only_the_owners_meetings(world: World, actor_of: ActorOf) -> None:
    # An overleg of the gemeente, in which the politie takes no part.
    other = OverlegType.objects.create(
        municipality=world.gemeente.municipality,
        name="Wijk-casusoverleg Noord",
        kind=OverlegKind.WIJK,
        lead_organisation=world.gemeente,
        weekdays=[1],
        start_time=dt.time(9, 0),
        duration_minutes=60,
        location="Wijkcentrum",
        privacy_basis="Convenant wijkaanpak",
    )
    make_meeting(other, timezone.now() + dt.timedelta(days=2), world.beleid)
    member_feed = _fetch(calendar_services.calendar_feed_create(actor=actor_of(world.member)))
    beleid_feed = _fetch(calendar_services.calendar_feed_create(actor=actor_of(world.beleid)))
    assert "Wijk-casusoverleg Noord" not in member_feed.content.decode()
    assert world.overleg.name in member_feed.content.decode()
    assert "Wijk-casusoverleg Noord" in beleid_feed.content.decode()
    assert world.overleg.name not in beleid_feed.content.decode()


@pytest.mark.parametrize("path", ["/overleg/agenda-abonnement/", "/overleg/agenda-abonnement/intrekken/"])
def test_making_and_revoking_need_sign_in_and_post(client_for: ClientFor, world: World, path: str) -> None:
    anonymous = Client().post(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/inloggen/")
    assert client_for(world.member).get(path).status_code == 405
    assert not CalendarFeed.objects.exists()


def test_revoke_on_the_page(client_for: ClientFor, world: World, actor_of: ActorOf) -> None:
    token = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    response = client_for(world.member).post("/overleg/agenda-abonnement/intrekken/", follow=True)
    assert response.status_code == 200
    assert "De abonnementslink is ingetrokken" in response.content.decode()
    assert "Abonnementslink maken" in response.content.decode()
    assert _fetch(token).status_code == 404


def test_audit_rows_never_hold_the_token(client_for: ClientFor, world: World, actor_of: ActorOf) -> None:
    first = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    _fetch(first)
    page = client_for(world.member).post("/overleg/agenda-abonnement/")
    found = FEED_PATH.search(page.content.decode())
    assert found is not None
    second = found.group(1)
    _fetch(second)
    client_for(world.member).post("/overleg/agenda-abonnement/intrekken/")
    events = _feed_audit()
    assert [e.action for e in events] == [
        AuditAction.CREATE,
        AuditAction.VIEW,
        AuditAction.CREATE,
        AuditAction.VIEW,
        AuditAction.DELETE,
    ]
    for event in AuditEvent.objects.all():
        row = " ".join(str(v) for v in vars(event).values())
        for token in (first, second):
            assert token not in row
            assert CalendarFeed.hash_token(token) not in row


def test_use_is_written_once_an_hour_and_audited_once(world: World, actor_of: ActorOf) -> None:
    token = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    feed = CalendarFeed.objects.get(user=world.member)
    assert feed.last_used_at is None

    assert _fetch(token).status_code == 200
    feed.refresh_from_db()
    first_use = feed.last_used_at
    assert first_use is not None
    for _ in range(3):
        assert _fetch(token).status_code == 200
    feed.refresh_from_db()
    assert feed.last_used_at == first_use
    views = [e for e in _feed_audit() if e.action == AuditAction.VIEW]
    assert len(views) == 1

    # More than an hour later the next fetch notes the use again, still without an audit row.
    earlier = timezone.now() - dt.timedelta(hours=2)
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=earlier)
    _fetch(token)
    feed.refresh_from_db()
    assert feed.last_used_at is not None
    assert feed.last_used_at > earlier
    assert len([e for e in _feed_audit() if e.action == AuditAction.VIEW]) == 1


def test_a_fetch_within_the_hour_writes_nothing(
    world: World, actor_of: ActorOf, django_assert_max_num_queries: Any
) -> None:
    token = calendar_services.calendar_feed_create(actor=actor_of(world.member))
    _fetch(token)
    client = Client()
    with django_assert_max_num_queries(20) as captured:
        assert client.get(_feed(token)).status_code == 200
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert writes == []
