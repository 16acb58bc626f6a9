"""The dossier timeline: its registry, cursor, the dossier's own source and the page.

The sources of the apps above dossiers are tested together in ``tests/test_timeline.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keten.accounts.models import Role
from keten.core.errors import NotFoundError
from keten.core.models import AuditEvent
from keten.dossiers import services, timeline
from keten.dossiers.models import BreakGlassAccess, Dossier, DossierNote
from keten.dossiers.timeline import Cursor, TimelineEntry, TimelineSource, timeline_page
from keten.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _url(dossier: Dossier, query: str = "") -> str:
    return f"/dossiers/{dossier.reference}/tijdlijn/" + (f"?{query}" if query else "")


def _notes(actor: Any, dossier: Dossier, n: int) -> list[DossierNote]:
    return [services.note_add(actor=actor, dossier=dossier, text=f"Notitie nummer {i}") for i in range(n)]


# --- the registry --------------------------------------------------------------------------------


def _nothing(*_args: Any) -> list[TimelineEntry]:
    return []


@pytest.fixture
def extra_source() -> Iterator[TimelineSource]:
    source = TimelineSource(name="plannen", kinds=[("plan.evaluaties", "Evaluaties")], collect=_nothing, order=40)
    yield source
    timeline.unregister("plannen")


def test_a_source_registers_once_and_offers_its_kinds(extra_source: TimelineSource) -> None:
    assert timeline.register(extra_source) is extra_source
    assert timeline.register(extra_source) is extra_source  # again: a no-op
    assert [s.name for s in timeline.registered()][-1] == "plannen"
    assert ("plan.evaluaties", "Evaluaties") in timeline.all_kinds()


def test_a_second_source_under_the_same_name_or_with_a_taken_kind_is_refused(extra_source: TimelineSource) -> None:
    timeline.register(extra_source)
    with pytest.raises(ImproperlyConfigured):
        timeline.register(TimelineSource(name="plannen", kinds=[], collect=_nothing))
    with pytest.raises(ImproperlyConfigured):
        timeline.register(TimelineSource(name="nog-een", kinds=[("notities", "Notities")], collect=_nothing))
    with pytest.raises(ImproperlyConfigured):
        timeline.register(TimelineSource(name="nog-een", kinds=[("Geen Naam!", "x")], collect=_nothing))
    assert "nog-een" not in {s.name for s in timeline.registered()}


def test_a_page_asks_only_the_sources_of_the_kinds_shown(
    professional: Any, dossier: Dossier, actor_of: Any, extra_source: TimelineSource
) -> None:
    asked: list[frozenset[str]] = []

    def collect(actor: Any, d: Dossier, kinds: frozenset[str], before: Cursor | None, limit: int) -> list[Any]:
        asked.append(kinds)
        return [
            TimelineEntry(
                kind="plan.evaluaties",
                kind_label="Evaluatie",
                when=date(2020, 1, 1),
                title="Evaluatie van het plan",
                dossier_id=d.pk,
                event="plan.evaluation",
                row_id=1,
            )
        ]

    timeline.unregister("plannen")
    timeline.register(TimelineSource(name="plannen", kinds=[("plan.evaluaties", "Evaluaties")], collect=collect))
    page = timeline_page(actor_of(professional), dossier, kinds=["notities"])
    assert asked == []
    assert all(e.kind == "notities" for e in page.entries)
    page = timeline_page(actor_of(professional), dossier)
    assert asked == [frozenset({"plan.evaluaties"})]
    # Its date counts as the start of that day: the oldest entry.
    assert page.entries[-1].title == "Evaluatie van het plan"
    assert not page.entries[-1].has_time


def test_an_unknown_kind_is_refused(professional: Any, dossier: Dossier, actor_of: Any) -> None:
    with pytest.raises(ValueError, match="unknown"):
        timeline_page(actor_of(professional), dossier, kinds=["geheim"])


# --- the cursor ----------------------------------------------------------------------------------


def test_a_cursor_survives_its_text() -> None:
    cursor = Cursor(moment=timezone.now(), row_id=12, event="dossiers.note")
    assert Cursor.parse(str(cursor)) == cursor


@pytest.mark.parametrize(
    "text",
    ["", "abc", "1~2", "1~2~3~4", "x~2~dossiers.note", "1~-2~dossiers.note", "1~2~Dossiers Note", "9" * 40 + "~1~a"],
)
def test_a_garbled_cursor_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        Cursor.parse(text)


def test_a_date_is_the_start_of_its_day_in_amsterdam() -> None:
    moment = timeline.moment_of(date(2026, 7, 1))
    assert moment == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)
    assert timezone.localtime(moment).hour == 0


# --- the dossier's own source --------------------------------------------------------------------


def test_notes_team_changes_and_status_changes(
    professional: Any, organisation: Any, dossier: Dossier, actor_of: Any
) -> None:
    actor = actor_of(professional)
    colleague = make_user(Role.PROFESSIONAL, organisation, username="collega", first_name="Kim", last_name="de Vries")
    services.note_add(actor=actor, dossier=dossier, text="Moeder   belde\nover de school.")
    member = services.case_team_add(actor=actor, dossier=dossier, user_id=colleague.pk, case_role="hulpverlener")
    services.case_team_remove(actor=actor, dossier=dossier, member_id=member.pk)
    for status in ("closed", "open"):
        dossier.refresh_from_db()
        services.dossier_update(
            actor=actor,
            dossier=dossier,
            expected_version=dossier.version,
            summary="",
            status=status,
            coordinator_id=professional.pk,
        )
    dossier.refresh_from_db()
    # A change that leaves the status as it is, is no status change.
    services.dossier_update(
        actor=actor,
        dossier=dossier,
        expected_version=dossier.version,
        summary="Nieuw",
        status="open",
        coordinator_id=None,
    )
    entries = timeline_page(actor, dossier).entries
    titles = [e.title for e in entries]
    assert titles[:5] == [
        "Dossier heropend",
        "Dossier gesloten",
        "Kim de Vries uit het casusteam",
        "Kim de Vries toegevoegd aan het casusteam",
        "Notitie toegevoegd",
    ]
    assert titles.count("Dossier aangemaakt") == 1
    assert len([t for t in titles if t.startswith("Dossier")]) == 3
    note = entries[4]
    assert note.detail == "Moeder belde over de school."
    assert note.actor_name == str(professional)
    assert note.url == f"/dossiers/{dossier.reference}/notities/"
    assert entries[3].detail == "Hulpverlener, Wijkteam Noord"
    assert entries[3].actor_name == str(professional)
    # Who changed the status is known when the change came through a page (the history middleware).
    assert entries[0].detail == "Status: Open"
    assert entries[1].detail == "Status: Gesloten"
    assert [e.kind for e in timeline_page(actor, dossier, kinds=["dossierstatus"]).entries] == ["dossierstatus"] * 3


def test_entries_with_the_same_moment_are_paged_without_gaps_or_repeats(
    professional: Any, dossier: Dossier, actor_of: Any
) -> None:
    actor = actor_of(professional)
    notes = _notes(actor, dossier, 7)
    same = timezone.now() - timedelta(days=1)
    DossierNote.objects.filter(dossier=dossier).update(created_at=same)
    seen: list[int] = []
    before = None
    while True:
        page = timeline_page(actor, dossier, kinds=["notities"], before=before, limit=2)
        seen += [e.row_id for e in page.entries]
        if page.next_cursor is None:
            break
        before = page.next_cursor
    assert seen == sorted((n.pk for n in notes), reverse=True)


def test_a_long_note_is_cut_short() -> None:
    assert timeline.shorten("a" * 300, 10) == "aaaaaaaaa…"
    assert timeline.shorten(" kort\n ") == "kort"


def _count(actor: Any, dossier: Dossier) -> int:
    with CaptureQueriesContext(connection) as ctx:
        timeline_page(actor, dossier)
    return len(ctx.captured_queries)


def test_a_fixed_number_of_queries(
    professional: Any, organisation: Any, dossier: Dossier, actor_of: Any, django_assert_num_queries: Any
) -> None:
    actor = actor_of(professional)
    _notes(actor, dossier, 2)
    small = _count(actor, dossier)
    assert small == 12  # the apps' sources ask once whether the dossier has anything of theirs
    for i in range(40):
        colleague = make_user(Role.PROFESSIONAL, organisation, username=f"collega{i}")
        services.case_team_add(actor=actor, dossier=dossier, user_id=colleague.pk, case_role="hulpverlener")
    _notes(actor, dossier, 38)
    for status in ("closed", "open") * 5:
        dossier.refresh_from_db()
        services.dossier_update(
            actor=actor,
            dossier=dossier,
            expected_version=dossier.version,
            summary="",
            status=status,
            coordinator_id=None,
        )
    with django_assert_num_queries(small):
        page = timeline_page(actor, dossier)
    assert len(page.entries) == timeline.PAGE_SIZE


# --- access and audit ----------------------------------------------------------------------------


def test_outside_the_case_team_the_timeline_does_not_exist(
    outsider: Any, dossier: Dossier, actor_of: Any, client_for: Any
) -> None:
    with pytest.raises(NotFoundError):
        timeline_page(actor_of(outsider), dossier)
    assert client_for(outsider).get(_url(dossier)).status_code == 404
    assert client_for(outsider).get("/dossiers/D-BESTAATNIET/tijdlijn/").status_code == 404
    assert not AuditEvent.objects.filter(object_type="dossier.timeline").exists()


def test_a_break_the_glass_reader_sees_it_read_only(
    outsider: Any, professional: Any, dossier: Dossier, actor_of: Any, client_for: Any
) -> None:
    _notes(actor_of(professional), dossier, 1)
    now = timezone.now()
    BreakGlassAccess.objects.create(
        dossier=dossier,
        user=outsider,
        organisation=outsider.active_membership.organisation,
        reason="Politie meldt acute onveiligheid, regievoerder onbereikbaar",
        granted_at=now,
        expires_at=now + timedelta(hours=1),
    )
    response = client_for(outsider).get(_url(dossier))
    assert response.status_code == 200
    text = response.content.decode()
    assert "U bekijkt dit dossier met noodtoegang" in text
    assert "Notitie toegevoegd" in text
    assert client_for(outsider).post(_url(dossier)).status_code == 405


# --- the page ------------------------------------------------------------------------------------


def test_the_page_lists_the_entries_newest_first_with_time_badge_and_link(
    professional: Any, dossier: Dossier, actor_of: Any, client_for: Any
) -> None:
    _notes(actor_of(professional), dossier, 1)
    response = client_for(professional).get(_url(dossier))
    assert response.status_code == 200
    text = response.content.decode()
    # The Tijdlijn section of the dossier's workspace: the family's header, the section marked current.
    assert '<h1 class="utrecht-heading-1 keten-workspace__title">Gezin Bakker</h1>' in text
    assert '<h2 class="utrecht-heading-2" id="h-tijdlijn" tabindex="-1">Tijdlijn</h2>' in text
    assert f'href="/dossiers/{dossier.reference}/tijdlijn/" aria-current="page"' in text
    assert '<ol class="utrecht-ordered-list keten-timeline"' in text
    assert text.index("Notitie toegevoegd") < text.index("Dossier aangemaakt")
    assert '<span class="utrecht-data-badge">Notitie</span>' in text
    assert f'href="/dossiers/{dossier.reference}/notities/"' in text
    assert "<time datetime=" in text
    assert 'name="soort" value="notities"' in text
    assert "Alles tonen" in text
    assert "Oudere gebeurtenissen" not in text
    assert "noodtoegang" not in text
    assert AuditEvent.objects.filter(object_type="dossier.timeline", object_id=dossier.reference).count() == 1


def test_the_filter_and_the_link_to_older_entries(
    professional: Any, dossier: Dossier, actor_of: Any, client_for: Any
) -> None:
    _notes(actor_of(professional), dossier, 30)
    client = client_for(professional)
    text = client.get(_url(dossier, "soort=casusteam")).content.decode()
    assert "toegevoegd aan het casusteam" in text
    assert "Notitie toegevoegd" not in text
    checkbox = 'value="casusteam" id="soort-2" class="utrecht-checkbox utrecht-checkbox--html-input'
    assert f'{checkbox} utrecht-checkbox--custom" checked' in text
    assert (
        'value="notities" id="soort-1" class="utrecht-checkbox utrecht-checkbox--html-input utrecht-checkbox--custom">'
        in text
    )
    first = client.get(_url(dossier, "soort=notities")).content.decode()
    assert first.count("Notitie toegevoegd") == timeline.PAGE_SIZE
    assert "Oudere gebeurtenissen" in first
    older = first.split('href="/dossiers/')[-1]
    link = "/dossiers/" + older.split('"')[0].replace("&amp;", "&")
    assert "soort=notities" in link
    assert "voor=" in link
    second = client.get(link).content.decode()
    assert second.count("Notitie toegevoegd") == 30 - timeline.PAGE_SIZE
    assert "Nieuwste gebeurtenissen" in second
    assert "Oudere gebeurtenissen" not in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("voor=garbage", "De link naar oudere gebeurtenissen klopt niet."),
        ("voor=1~1~x&soort=notities", None),
        ("soort=geheim", "Dat soort gebeurtenis kennen we niet."),
        ("soort=notities&soort=%3Cscript%3E", "Dat soort gebeurtenis kennen we niet."),
        ("voor=" + "9" * 300, "De link naar oudere gebeurtenissen klopt niet."),
    ],
)
def test_bad_input_gives_a_dutch_message_and_the_first_page(
    professional: Any, dossier: Dossier, actor_of: Any, client_for: Any, query: str, message: str | None
) -> None:
    _notes(actor_of(professional), dossier, 1)
    response = client_for(professional).get(_url(dossier, query))
    text = response.content.decode()
    if message is None:
        # A well-formed cursor far in the past: an empty page, no message.
        assert response.status_code == 200
        assert "Er zijn geen gebeurtenissen van de gekozen soorten." in text
        return
    assert response.status_code == 400
    assert message in text
    assert "U ziet nu alle gebeurtenissen, de nieuwste eerst." in text
    assert "Notitie toegevoegd" in text
    assert "Dossier aangemaakt" in text
    assert "<script>" not in text


def test_htmx_gets_only_the_list(professional: Any, dossier: Dossier, actor_of: Any, client_for: Any) -> None:
    _notes(actor_of(professional), dossier, 1)
    # What htmx sends for the filter form and the paging links, which target the list.
    response = client_for(professional).get(
        _url(dossier, "soort=notities"), headers={"HX-Request": "true", "HX-Target": "dossier-timeline"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<div id="dossier-timeline"')
    assert "<html" not in text
    assert "Notitie toegevoegd" in text


def test_the_filter_form_and_links_work_with_and_without_htmx(
    professional: Any, dossier: Dossier, client_for: Any
) -> None:
    text = client_for(professional).get(_url(dossier)).content.decode()
    assert f'<form method="get" action="{_url(dossier)}"' in text
    assert f'hx-get="{_url(dossier)}" hx-target="#dossier-timeline" hx-swap="outerHTML" hx-push-url="true"' in text
