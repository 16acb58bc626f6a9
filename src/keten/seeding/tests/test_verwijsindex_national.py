"""The national verwijsindex seed at a tiny scale: shapes, invariants the services rely on, encryption."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from keten.verwijsindex import services
from keten.verwijsindex.models import (
    LIVE_STATUSES,
    Match,
    MatchKind,
    MatchParticipant,
    ParentLink,
    Signal,
    SignalStatus,
    Youth,
)
from keten.verwijsindex.services import lifecycle_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> dict[str, int]:
    out = io.StringIO()
    call_command("seed", profile="national", scale=0.002, verbosity=0, stdout=out)
    return {
        "youths": Youth.objects.count(),
        "active": Signal.objects.filter(status=SignalStatus.ACTIEF).count(),
        "archived": Signal.objects.filter(status=SignalStatus.GEARCHIVEERD).count(),
    }


def test_volumes_follow_the_scale(seeded: dict[str, int]) -> None:
    assert seeded["youths"] == 9000
    assert abs(seeded["active"] - 4000) <= 10
    assert seeded["archived"] == 10000
    # Every young person has at least one signal, as in the live index.
    assert not Youth.objects.filter(signals__isnull=True).exists()
    assert ParentLink.objects.count() > seeded["youths"]


def test_matches_are_exactly_what_the_active_signals_make(seeded: dict[str, int]) -> None:
    active = Q(signals__status=SignalStatus.ACTIEF)
    multi = set(Youth.objects.annotate(n=Count("signals", filter=active)).filter(n__gte=2).values_list("pk", flat=True))
    client = Match.objects.filter(kind=MatchKind.CLIENT, status__in=LIVE_STATUSES)
    assert set(client.values_list("youth_id", flat=True)) == multi
    assert len(multi) > 100
    family = Match.objects.filter(kind=MatchKind.FAMILY, status__in=LIVE_STATUSES)
    assert family.count() > 10
    for match in family[:20]:
        youths = {p.signal.youth_id for p in match.participants.select_related("signal")}
        assert len(youths) >= 2
        linked = set(ParentLink.objects.filter(parent_id=match.parent_id).values_list("youth_id", flat=True))
        assert youths <= linked
    # Participants are active signals only, the coordinator one of them (never a school or police).
    assert not MatchParticipant.objects.exclude(signal__status=SignalStatus.ACTIEF).exists()
    for match in Match.objects.exclude(coordinator=None)[:50]:
        assert match.participants.filter(signal_id=match.coordinator_id).exists()
    # One active signal per professional per young person (the constraint the service relies on).
    dupes = (
        Signal.objects.filter(status=SignalStatus.ACTIEF)
        .values("youth_id", "professional_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not dupes.exists()


def test_encrypted_columns_hold_fernet_ciphertext_and_dates_are_consistent(seeded: dict[str, int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT display_name, date_of_birth FROM verwijsindex_youth LIMIT 5")
        for name, dob in cursor.fetchall():
            assert name.startswith("gAAAA")
            assert dob.startswith("gAAAA")
    today = timezone.localdate()
    for youth in Youth.objects.all()[:200]:
        assert youth.display_name
        assert youth.destroy_on == youth.date_of_birth.replace(year=youth.date_of_birth.year + 23) or (
            youth.date_of_birth.month == 2 and youth.date_of_birth.day == 29
        )
        assert youth.destroy_on > today
    assert not Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=today).exists()
    assert not Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__lt=today).exists()
    assert Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__gt=today + timedelta(days=4 * 365))


def test_tomorrows_lifecycle_run_finds_a_daily_batch(seeded: dict[str, int]) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    expiring = Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=tomorrow).count()
    report = lifecycle_run(today=tomorrow)
    assert report.expired == expiring
    assert not Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=tomorrow).exists()


def test_lifecycle_works_through_a_week_in_chunks(seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services.lifecycle, "LIFECYCLE_CHUNK", 7)
    day = timezone.localdate() + timedelta(days=8)
    expiring = set(Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=day).values_list("pk", flat=True))
    purgeable = Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__lt=day).count()
    assert len(expiring) > 3 * 7
    report = services.lifecycle_run(today=day)
    assert report.expired == len(expiring)
    assert report.archive_purged == purgeable
    assert (
        set(
            Signal.objects.filter(pk__in=expiring, status=SignalStatus.GEARCHIVEERD, ended_on=day).values_list(
                "pk", flat=True
            )
        )
        == expiring
    )
    assert not Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__lt=day).exists()
    # No live match is left with fewer than two active signals (two young people for a family).
    live = Match.objects.filter(status__in=LIVE_STATUSES)
    for match in live.filter(kind=MatchKind.CLIENT).annotate(
        n=Count("participants", filter=Q(participants__signal__status=SignalStatus.ACTIEF))
    ):
        assert match.n >= 2
    for match in live.filter(kind=MatchKind.FAMILY).annotate(
        n=Count(
            "participants__signal__youth",
            filter=Q(participants__signal__status=SignalStatus.ACTIEF),
            distinct=True,
        )
    ):
        assert match.n >= 2
    assert report.matches_ended > 0
