"""``manage.py account_setup_link``: the operator's way to reset an account when no second beheerder exists."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from keten.accounts.models import User
from keten.core.models import AuditEvent
from keten.testing.otp import links_in_outbox

pytestmark = pytest.mark.django_db


def test_command_resets_and_mails_a_link_without_printing_it(worker, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "account_setup_link",
            worker.username,
            "--reason",
            "Enige beheerder is ziek",
            "--operator",
            "ops",
            stdout=out,
        )
    [token] = links_in_outbox(to=worker.email)
    assert token not in out.getvalue()
    assert worker.email in out.getvalue()
    assert not User.objects.get(pk=worker.pk).has_usable_password()
    event = AuditEvent.objects.get(object_type="account_reset")
    assert (event.actor_id, event.actor_label, event.reason) == (None, "ops", "Enige beheerder is ziek")


def test_command_refuses_unknown_accounts_and_short_reasons(worker):
    with pytest.raises(CommandError):
        call_command("account_setup_link", "niemand", "--reason", "Enige beheerder is ziek", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("account_setup_link", worker.username, "--reason", "kort", stdout=StringIO())
    assert User.objects.get(pk=worker.pk).has_usable_password()
