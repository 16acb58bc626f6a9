"""Four eyes on resets of accounts that can see client data (issue 13, hole 2).

A reset of someone with a case role (or of a functioneel beheerder, who is a second pair of eyes
themselves) is a request until a second, different beheerder who manages the same account approves
it; only then is a set-up link issued. Requests, approvals and declines are audited. A changed
e-mail address is shown to the approver, and a request whose address changed since is refused.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from keten.accounts import services
from keten.accounts.models import ResetRequest, SetupLink, User
from keten.accounts.services.resets import account_reset
from keten.core.models import AuditEvent
from keten.testing.otp import links_in_outbox

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
REASON = "Telefoon gestolen, medewerker belde zelf"


def _request(client, person: User):
    return client.post(reverse("accounts:beheer_user_reset", args=[person.pk]), {"reason": REASON})


def _pending(person: User) -> ResetRequest:
    return ResetRequest.objects.get(user=person, status=ResetRequest.Status.PENDING)


def test_a_case_role_reset_waits_for_a_second_beheerder(client_for, partner_beheerder, partner_beheerder_2, worker):
    first = client_for(partner_beheerder)
    response = _request(first, worker)
    assert response.status_code == 302
    request = _pending(worker)
    assert (request.requested_by, request.reason, request.email) == (partner_beheerder, REASON, worker.email)
    # Nothing happened to the account yet.
    assert mail.outbox == []
    assert not SetupLink.objects.exists()
    assert User.objects.get(pk=worker.pk).check_password(PASSWORD)
    created = AuditEvent.objects.get(object_type="reset_request", action="create")
    assert (created.actor_id, created.reason) == (partner_beheerder.pk, REASON)

    # The requester cannot approve their own request.
    approve = reverse("accounts:beheer_reset_request_approve", args=[request.pk])
    refused = first.post(approve)
    assert refused.status_code == 422
    assert "andere functioneel beheerder" in refused.content.decode()
    assert _pending(worker)
    assert not SetupLink.objects.exists()

    # The second beheerder sees it waiting, and approves it.
    second = client_for(partner_beheerder_2)
    assert (
        reverse("accounts:beheer_reset_request", args=[request.pk])
        in second.get(reverse("accounts:beheer_reset_requests")).content.decode()
    )
    assert "1" in second.get(reverse("accounts:beheer")).content.decode()
    assert second.post(approve).status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ResetRequest.Status.APPROVED, partner_beheerder_2)
    assert links_in_outbox(to=worker.email)
    assert not User.objects.get(pk=worker.pk).has_usable_password()
    approved = AuditEvent.objects.get(object_type="reset_request", action="update")
    assert approved.actor_id == partner_beheerder_2.pk
    assert approved.details["decision"] == "approved"


def test_a_declined_request_changes_nothing_but_is_audited(client_for, partner_beheerder, partner_beheerder_2, worker):
    _request(client_for(partner_beheerder), worker)
    request = _pending(worker)
    response = client_for(partner_beheerder_2).post(
        reverse("accounts:beheer_reset_request_decline", args=[request.pk]),
        {"reason": "Niet met de medewerker gesproken"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ResetRequest.Status.DECLINED
    assert mail.outbox == []
    assert User.objects.get(pk=worker.pk).check_password(PASSWORD)
    event = AuditEvent.objects.get(object_type="reset_request", action="update")
    assert event.details["decision"] == "declined"
    # A decided request cannot be decided again.
    again = client_for(partner_beheerder_2).post(reverse("accounts:beheer_reset_request_approve", args=[request.pk]))
    assert again.status_code == 422
    assert not SetupLink.objects.exists()


def test_requests_outside_the_scope_are_404(
    client_for, partner_beheerder, beheerder, sport_beheerder, professional, worker
):
    _request(client_for(partner_beheerder), worker)
    request = _pending(worker)
    urls = [
        reverse("accounts:beheer_reset_request", args=[request.pk]),
        reverse("accounts:beheer_reset_request_approve", args=[request.pk]),
        reverse("accounts:beheer_reset_request_decline", args=[request.pk]),
    ]
    for outsider in (beheerder, sport_beheerder, professional):
        client = client_for(outsider)
        listing = client.get(reverse("accounts:beheer_reset_requests"))
        assert listing.status_code in (200, 404)
        assert reverse("accounts:beheer_reset_request", args=[request.pk]) not in listing.content.decode()
        for url in urls:
            # GET-only and POST-only pages answer 405 to the other method whatever the object.
            assert client.get(url).status_code in (404, 405), url
            assert client.post(url, {"reason": "x" * 20}).status_code in (404, 405), url
        for url in urls[1:]:
            assert client.post(url, {"reason": "x" * 20}).status_code == 404, url
    _pending(worker)
    assert not SetupLink.objects.exists()


def test_a_beheerders_own_account_needs_four_eyes_too(client_for, partner_beheerder, partner_beheerder_2):
    _request(client_for(partner_beheerder), partner_beheerder_2)
    assert _pending(partner_beheerder_2)
    assert mail.outbox == []


def test_an_account_without_client_data_is_reset_at_once(client_for, beheerder, gemeente_worker):
    _request(client_for(beheerder), gemeente_worker)
    assert not ResetRequest.objects.exists()
    assert links_in_outbox(to=gemeente_worker.email)


def test_nobody_resets_their_own_account(client_for, partner_beheerder):
    response = _request(client_for(partner_beheerder), partner_beheerder)
    assert response.status_code == 422
    assert not ResetRequest.objects.exists()
    assert mail.outbox == []


# --- the e-mail address ---------------------------------------------------------------------------


def _edit_email(client, person: User, email: str):
    return client.post(
        reverse("accounts:beheer_user_edit", args=[person.pk]),
        {
            "username": person.username,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": email,
            "phone": "",
            "job_title": "",
        },
    )


def test_changing_an_email_address_tells_the_old_address(client_for, partner_beheerder, worker):
    old = worker.email
    assert _edit_email(client_for(partner_beheerder), worker, "nieuw@example.org").status_code == 302
    [message] = mail.outbox
    assert message.to == [old]
    assert "e-mailadres" in message.body
    event = AuditEvent.objects.filter(object_type="user", action="update").latest("id")
    assert "email" in event.details["changed"]


def test_the_approver_sees_a_recently_changed_address(client_for, partner_beheerder, partner_beheerder_2, worker):
    first = client_for(partner_beheerder)
    _edit_email(first, worker, "omgeleid@example.org")
    worker.refresh_from_db()
    _request(first, worker)
    request = _pending(worker)
    page = client_for(partner_beheerder_2).get(reverse("accounts:beheer_reset_request", args=[request.pk]))
    text = page.content.decode()
    assert "omgeleid@example.org" in text
    assert "werker@example.org" in text  # the previous address
    assert "gewijzigd" in text


def test_an_address_changed_after_the_request_blocks_the_approval(
    client_for, partner_beheerder, partner_beheerder_2, worker
):
    first = client_for(partner_beheerder)
    _request(first, worker)
    request = _pending(worker)
    _edit_email(first, worker, "omgeleid@example.org")
    mail.outbox.clear()
    refused = client_for(partner_beheerder_2).post(reverse("accounts:beheer_reset_request_approve", args=[request.pk]))
    assert refused.status_code == 422
    assert "e-mailadres" in refused.content.decode()
    assert mail.outbox == []
    assert not SetupLink.objects.exists()


def test_a_recent_address_change_makes_any_reset_a_request(actor_of, beheerder, gemeente_worker):
    actor = actor_of(beheerder)
    services.user_update(
        actor=actor,
        user=gemeente_worker,
        data=services.UserData(
            username=gemeente_worker.username, first_name="B", last_name="M", email="ander@example.org"
        ),
    )
    mail.outbox.clear()
    account_reset(actor=actor, user=User.objects.get(pk=gemeente_worker.pk), reason=REASON)
    assert _pending(gemeente_worker)
    assert mail.outbox == []


def test_an_old_request_can_no_longer_be_approved(client_for, partner_beheerder, partner_beheerder_2, worker):
    _request(client_for(partner_beheerder), worker)
    request = _pending(worker)
    ResetRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - timedelta(days=8))
    refused = client_for(partner_beheerder_2).post(reverse("accounts:beheer_reset_request_approve", args=[request.pk]))
    assert refused.status_code == 422
    assert not SetupLink.objects.exists()
