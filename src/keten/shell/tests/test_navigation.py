"""The main menu: items by role, badge counts in one statement, the cached HTML per language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from keten.accounts.models import Role, User
from keten.core.queries import UserCounts
from keten.notifications.models import Notification
from keten.shell.navigation import main_menu
from keten.testing.factories import make_user


def _menu(client: Client) -> str:
    html = client.get("/").content.decode()
    start = html.index('aria-label="Hoofdmenu"')
    return html[start : html.index("</nav>", start)]


@pytest.mark.django_db
def test_menu_shows_the_items_of_the_role_and_the_unread_badge(client_for: Callable[[User], Client]) -> None:
    professional = make_user(Role.PROFESSIONAL)
    for _ in range(3):
        Notification.objects.create(recipient=professional, kind="test", title="Nieuwe match")
    menu = _menu(client_for(professional))
    assert 'href="/dossiers/"' in menu
    assert ">Consultaties<" in menu
    assert 'aria-label="3 ongelezen">3</span>' in menu
    assert "Auditlog" not in menu
    assert "Beheer" not in menu
    beleid = make_user(Role.BELEIDSMEDEWERKER)
    menu = _menu(client_for(beleid))
    assert "Consultaties" not in menu
    assert 'href="/dossiers/"' not in menu
    assert "ongelezen" not in menu


@pytest.mark.django_db
def test_menu_counts_take_one_statement(client_for: Callable[[User], Client]) -> None:
    professional = make_user(Role.PROFESSIONAL)
    client = client_for(professional)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    counting = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "keten_counted" in q["sql"]]
    assert len(counting) == 1
    assert "notifications_notification" in counting[0]
    assert "meldcode_consultation" in counting[0]
    assert "verwijsindex_match" in counting[0]


@pytest.mark.django_db
def test_user_counts_equal_the_orm_counts_for_every_user() -> None:
    a, b = make_user(Role.PROFESSIONAL), make_user(Role.PROFESSIONAL)
    Notification.objects.create(recipient=a, kind="test", title="x")
    Notification.objects.create(recipient=b, kind="test", title="y")
    read = Notification.objects.create(recipient=b, kind="test", title="z")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    factories = {
        "unread": lambda user: Notification.objects.filter(recipient=user, read_at__isnull=True),
        "all": lambda user: Notification.objects.filter(recipient=user).order_by("-id"),
        "titled": lambda user: Notification.objects.filter(recipient=user, title__in=["x", "z"]),
    }
    user_counts = UserCounts(factories)
    for user in (a, b, a):  # compiled once, bound to each user
        expected = {name: make(user).count() for name, make in factories.items()}
        assert user_counts(user.pk, list(factories)) == expected
    assert user_counts(b.pk, ["titled"]) == {"titled": 1}
    assert user_counts(a.pk, []) == {}


def test_user_counts_refuse_a_user_id_written_into_the_sql() -> None:
    def written_in(user: User) -> Any:
        return Notification.objects.extra(where=[f"recipient_id = {user.pk}"])  # noqa: S610 - what is refused

    user_counts = UserCounts({"bad": written_in})
    with pytest.raises(ValueError, match="parameter"):
        user_counts(1, ["bad"])


def test_menu_html_follows_the_language() -> None:
    nav = {"dossiers": True, "overleg": True}
    with translation.override("en"):
        english = main_menu("en", nav, {"unread_notifications": 2})
    with translation.override("nl"):
        dutch = main_menu("nl", nav, {"unread_notifications": 2})
    assert "Overzicht" in dutch
    assert "2 ongelezen" in dutch
    assert "Overzicht" not in english
    assert english != dutch
