"""The demo profile's meldcode-trajecten: every step and outcome, a stuck one, a GGZ Kindcheck, overdue feedback."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from keten.accounts.models import OrganisationType, User
from keten.core.actor import actor_for_user
from keten.core.audit import verify_chain
from keten.meldcode.models import Consultation, EntryKind, Status, Traject
from keten.meldcode.trajecten import selectors as traject_selectors

pytestmark = pytest.mark.django_db


def test_demo_has_trajecten_in_every_step_and_outcome() -> None:
    call_command("seed", profile="demo", verbosity=0, stdout=io.StringIO())
    trajecten = list(Traject.objects.all())
    assert {t.status for t in trajecten} == set(Status.values) - {Status.GEMELD_EN_HULP}
    assert {t.current_step for t in trajecten} >= {1, 2, 3, 5}
    assert {t.outcome for t in trajecten} >= {"hulp", "melden", "afsluiten"}
    # One stuck traject, one melding with overdue feedback, one positive Kindcheck by GGZ.
    af = actor_for_user(User.objects.get(username="demo-aandachtsfunctionaris"))
    overview = traject_selectors.organisation_overview(actor=af)
    assert sum(1 for t in overview if t.is_stalled) == 1  # type: ignore[attr-defined]
    assert sum(1 for t in overview if t.feedback_overdue) == 1  # type: ignore[attr-defined]
    kindcheck = Traject.objects.get(organisation__type=OrganisationType.GGZ)
    assert kindcheck.entries.get().kind == EntryKind.KINDCHECK
    assert kindcheck.entries.get().data["outcome"] == "positief"
    # The aandachtsfunctionaris has an open consultation waiting in the inbox.
    assert Consultation.objects.filter(requested_to=af.user, state=Consultation.State.OPEN).count() == 1
    # Dates run forward: nothing recorded before the traject started.
    for traject in trajecten:
        assert all(e.created_at >= traject.started_at for e in traject.entries.all())
    assert verify_chain().ok
