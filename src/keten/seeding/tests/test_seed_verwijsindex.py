"""The demo profile's verwijsindex: client and family matches, an overdue one, one across wijken, a regievoerder."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from keten.accounts.models import User
from keten.core.actor import actor_for_user
from keten.core.audit import verify_chain
from keten.verwijsindex import selectors
from keten.verwijsindex.models import (
    IndexSettings,
    Match,
    MatchKind,
    MatchStatus,
    Signal,
    SignalRecord,
    SignalStatus,
)

pytestmark = pytest.mark.django_db


def test_demo_has_verwijsindex_matches_in_every_state(client_for: Callable[[User], Client]) -> None:
    out = io.StringIO()
    call_command("seed", profile="demo", verbosity=1, stdout=out)
    today = timezone.localdate()
    matches = list(Match.objects.all())
    assert {m.kind for m in matches} == {MatchKind.CLIENT, MatchKind.FAMILY}
    assert {m.status for m in matches} == {MatchStatus.OPEN, MatchStatus.CONTACT, MatchStatus.AFGESTEMD}
    overdue = [m for m in matches if m.status == MatchStatus.OPEN and m.contact_due < today]
    assert len(overdue) == 1
    # The family match brings together professionals working in two different wijken.
    family = Match.objects.get(kind=MatchKind.FAMILY)
    wijken = {p.signal.wijk_id for p in family.participants.select_related("signal")}
    assert len(wijken) == 2
    assert None not in wijken
    # demo-professional takes part in some matches and has a postponed notice and a history to look up.
    prof = actor_for_user(User.objects.get(username="demo-professional"))
    assert len(selectors.my_matches(actor=prof)) == 2
    assert SignalRecord.objects.filter(signal__professional=prof.user, notice_postponed=True).count() == 1
    assert Signal.objects.filter(status=SignalStatus.GEARCHIVEERD).count() == 1
    # The regievoerder sees the overdue match; dates run forward.
    regie = actor_for_user(User.objects.get(username="demo-aandachtsfunctionaris"))
    assert [m.pk for m in selectors.regie_overview(actor=regie).overdue] == [overdue[0].pk]
    for match in matches:
        assert match.created_at.date() <= today
        assert all(e.created_at >= match.created_at for e in match.events.all())
        if match.contact_at is not None:
            assert match.contact_at >= match.created_at
    rules = IndexSettings.objects.get()
    assert rules.criteria_text
    assert len(rules.criteria_items) == 3
    assert "regievoerder verwijsindex" in out.getvalue()
    assert verify_chain().ok
    # Every demo login finds its verwijsindex page filled.
    client = client_for(prof.user)  # type: ignore[arg-type]
    assert "Milan de Graaf" in client.get("/verwijsindex/").content.decode()
    for match in selectors.my_matches(actor=prof):
        assert client.get(f"/verwijsindex/matches/{match.pk}/").status_code == 200
    assert "Sanne Bakker" in client_for(regie.user).get("/verwijsindex/regie/").content.decode()  # type: ignore[arg-type]
    beleid = client_for(User.objects.get(username="demo-beleid"))
    assert beleid.get("/verwijsindex/cijfers/").status_code == 200
    beheer = client_for(User.objects.get(username="demo-beheerder")).get("/verwijsindex/beheer/").content.decode()
    assert "Yasmina El Idrissi" in beheer
