"""The demo profile's informatie delen: a chain convenant, consents in every state, every legal basis, a grant."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.test import Client

from keten.accounts.models import User
from keten.core.actor import actor_for_user
from keten.core.audit import verify_chain
from keten.seeding.sharing_demo import CONVENANT_TITLE
from keten.sharing import selectors
from keten.sharing.models import Consent, Convenant, Disclosure, InzageRequest, LegalBasis

pytestmark = pytest.mark.django_db


def test_demo_has_sharing_data(client_for: Callable[[User], Client]) -> None:
    call_command("seed", profile="demo", verbosity=1, stdout=io.StringIO())
    convenant = Convenant.objects.get(title=CONVENANT_TITLE)
    assert convenant.flows.count() == 3
    party_types = set(convenant.parties.values_list("type", flat=True))
    assert {"wijkteam", "jgz", "onderwijs", "veilig_thuis"} <= party_types
    # Consents valid, withdrawn and expired.
    consents = list(Consent.objects.all())
    assert len(consents) == 3
    assert sum(1 for c in consents if c.withdrawn_on) == 1
    assert sum(1 for c in consents if c.valid_until and not c.withdrawn_on) == 1
    # A disclosure on every legal basis, all in one dossier.
    assert set(Disclosure.objects.values_list("legal_basis", flat=True)) == set(LegalBasis.values)
    assert Disclosure.objects.values("dossier").distinct().count() == 1
    # demo-collega has one running grant and can open it.
    collega = User.objects.get(username="demo-collega")
    grants = list(selectors.active_grants(collega))
    assert len(grants) == 1
    assert selectors.shared_view(actor=actor_for_user(collega), grant_id=grants[0].pk) == grants[0]
    # One open inzage request, visible on its page to the sharer.
    request = InzageRequest.objects.get()
    assert request.answered_on is None
    client = client_for(User.objects.get(username="demo-professional"))
    assert client.get(f"/delen/inzage/{request.pk}/").status_code == 200
    assert verify_chain().ok
