"""The demo profile: what ``seed --profile demo`` makes, and that it is consistent."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.nl import bsn as stdnum_bsn

from keten.accounts.models import Membership, Municipality, Organisation, OrganisationType, Role, User
from keten.core.actor import actor_for_user
from keten.core.audit import verify_chain
from keten.core.crypto import bsn_index
from keten.core.models import AuditAction, AuditEvent
from keten.dossiers import selectors
from keten.dossiers.models import BreakGlassAccess, CaseTeamMember, Dossier, Family, Person
from keten.notifications.models import Notification
from keten.seeding.accounts import base32_key, demo_backup_codes, demo_totp_key
from keten.seeding.common import DEMO_PASSWORD, SeedError, reserved_test_bsns, wipe_database

pytestmark = pytest.mark.django_db


def _seed() -> str:
    out = io.StringIO()
    call_command("seed", profile="demo", verbosity=0, stdout=out)
    return out.getvalue()


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _membership(username: str) -> Membership:
    return Membership.objects.select_related("organisation", "team").get(user__username=username)


def test_test_bsn_range_is_elfproef_valid_and_small() -> None:
    numbers = reserved_test_bsns()
    assert 900 <= len(numbers) <= 920
    assert all(n.startswith("99999") and len(n) == 9 and stdnum_bsn.is_valid(n) for n in numbers)


def test_demo_profile_makes_a_usable_municipality() -> None:
    output = _seed()

    municipality = Municipality.objects.get()
    assert municipality.name == "Lindeveld"  # the gemeente organisation is "Gemeente Lindeveld"
    assert municipality.wijken.count() == 5
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    assert 140 <= User.objects.count() <= 170
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)

    # Demo logins: one per role, password, the standard TOTP device with the public key, five backup codes.
    prof = _membership("demo-professional")
    assert prof.role == Role.PROFESSIONAL
    assert prof.organisation.type == OrganisationType.WIJKTEAM
    assert _membership("demo-aandachtsfunctionaris").organisation == prof.organisation
    assert _membership("demo-aandachtsfunctionaris").role == Role.AANDACHTSFUNCTIONARIS
    assert _membership("demo-teamleider").team == prof.team
    assert _membership("demo-teamleider").role == Role.TEAMLEIDER
    assert _membership("demo-collega").team == prof.team
    assert _membership("demo-veiligthuis").organisation.type == OrganisationType.VEILIG_THUIS
    assert _membership("demo-beleid").role == Role.BELEIDSMEDEWERKER
    assert _membership("demo-beheerder").role == Role.FUNCTIONEEL_BEHEERDER
    superuser = _user("demo-superuser")
    assert superuser.is_superuser
    assert superuser.is_staff
    assert _membership("demo-superuser").organisation.type == OrganisationType.GEMEENTE
    assert _membership("demo-privacy").role == Role.PRIVACY_OFFICER
    assert _membership("demo-privacy").organisation.type == OrganisationType.GEMEENTE
    for username in (
        "demo-professional",
        "demo-aandachtsfunctionaris",
        "demo-teamleider",
        "demo-collega",
        "demo-veiligthuis",
        "demo-beleid",
        "demo-beheerder",
        "demo-privacy",
        "demo-superuser",
    ):
        user = _user(username)
        assert check_password(DEMO_PASSWORD, user.password)
        device = TOTPDevice.objects.get(user=user)
        assert device.name == "default"  # the login wizard only asks devices named "default"
        assert device.confirmed
        assert device.key == demo_totp_key(username)
        backup = StaticDevice.objects.get(user=user, name="backup")
        assert sorted(backup.token_set.values_list("token", flat=True)) == sorted(demo_backup_codes(username))
        assert username in output
        assert base32_key(device.key) in output
    assert DEMO_PASSWORD in output
    assert "demo_totp" in output

    # Case teams: demo-professional on 12, demo-collega on none of those, demo-veiligthuis on a few.
    def active(username: str) -> set[int]:
        return set(
            CaseTeamMember.objects.filter(user__username=username, ended_at__isnull=True).values_list(
                "dossier_id", flat=True
            )
        )

    assert len(active("demo-professional")) == 12
    assert not active("demo-professional") & active("demo-collega")
    assert active("demo-collega")
    assert 2 <= len(active("demo-veiligthuis")) <= 6
    assert CaseTeamMember.objects.values("organisation__type").distinct().count() >= 6
    assert {Dossier.Status.OPEN, Dossier.Status.CLOSED} <= set(Dossier.objects.values_list("status", flat=True))

    # Client data: test persons only, BSNs from the test range with a matching blind index.
    assert 30 <= Family.objects.count() <= 60
    assert not Family.objects.filter(is_test=False).exists()
    assert not Person.objects.filter(is_test=False).exists()
    with_bsn = list(Person.objects.exclude(bsn__isnull=True))
    assert with_bsn
    for person in with_bsn:
        assert person.bsn.startswith("99999")
        assert stdnum_bsn.is_valid(person.bsn)
        assert person.bsn_index == bsn_index(person.bsn)

    # Events: a break-the-glass, a notification about it, and an intact audit chain.
    assert BreakGlassAccess.objects.filter(user__username="demo-collega").exists()
    # Both grants wait in the privacy officer's review queue; the older one is late.
    from keten.dossiers.access.break_glass import review_queue

    queue = review_queue(actor=actor_for_user(_user("demo-privacy")))
    assert len(queue) == 2
    assert [row.overdue for row in queue] == [False, True]
    assert all(row.reason for row in queue)
    assert AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()
    assert Notification.objects.filter(recipient__username="demo-aandachtsfunctionaris", kind="break_glass").exists()
    assert Notification.objects.filter(recipient__username="demo-professional", read_at__isnull=True).exists()
    report = verify_chain()
    assert report.ok
    assert report.checked == AuditEvent.objects.count() > 300

    # Dashboards have something to show: figures per wijk without suppressed cells, team workload.
    beleid = actor_for_user(_user("demo-beleid"))
    aggregates = selectors.dossier_aggregates(actor=beleid)
    assert all(row["open"] is not None for row in aggregates["by_wijk"])
    workload = selectors.team_workload(actor=actor_for_user(_user("demo-teamleider")))
    assert any(row["open_dossiers"] for row in workload)
    assert not selectors.dossiers_visible_to(actor_for_user(superuser)).exists()

    # Seeding twice needs --reset.
    with pytest.raises(CommandError):
        _seed()


def test_demo_totp_prints_a_valid_code_for_demo_accounts_only() -> None:
    _seed()
    out = io.StringIO()
    call_command("demo_totp", "demo-beleid", stdout=out)
    device = TOTPDevice.objects.get(user__username="demo-beleid")
    assert device.verify_token(out.getvalue().strip())

    # A real (enrolled) key is never printed.
    TOTPDevice.objects.filter(user__username="demo-beleid").update(key="00" * 20)
    with pytest.raises(CommandError):
        call_command("demo_totp", "demo-beleid", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("demo_totp", "nobody", stdout=io.StringIO())


def test_reset_empties_the_database_including_the_audit_log(settings: Any) -> None:
    _seed()
    call_command("seed", profile="demo", reset=True, verbosity=0, stdout=io.StringIO())
    assert Municipality.objects.count() == 1
    assert verify_chain().ok

    settings.SETTINGS_MODULE = "keten.conf.production"
    with pytest.raises(SeedError):
        wipe_database()


def test_demo_sociale_kaart_has_entries_agreements_and_deliberate_gaps() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from keten.network.models import Agreement, OrganisationEntry, PostcodeRange

    _seed()
    assert OrganisationEntry.objects.count() == Organisation.objects.count()
    assert PostcodeRange.objects.count() == 5
    assert Agreement.objects.count() >= 12
    stale_before = timezone.now() - timedelta(days=183)
    assert OrganisationEntry.objects.filter(last_confirmed_at__lt=stale_before).count() >= 2
    assert OrganisationEntry.objects.filter(last_confirmed_at__isnull=True).exists()
    assert Agreement.objects.filter(review_date__lt=timezone.localdate()).exists()
    oud = Agreement.objects.filter(wijken__code="OL", parties__type="onderwijs")
    assert not oud.exists()
