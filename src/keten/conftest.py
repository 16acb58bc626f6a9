"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from keten.accounts.models import Organisation, Role, User
from keten.core.actor import Actor, actor_for_user
from keten.testing.auth import login_verified
from keten.testing.factories import OrganisationFactory, make_dossier, make_user


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: cache keys hold database ids and versions, which a
    rolled-back test database hands out again."""
    from django.core.cache import cache

    from keten.core.localcache import clear_all

    cache.clear()
    clear_all()


@pytest.fixture
def organisation(db: Any) -> Organisation:
    return OrganisationFactory(name="Wijkteam Noord")


@pytest.fixture
def professional(organisation: Organisation) -> User:
    return make_user(Role.PROFESSIONAL, organisation, username="prof")


@pytest.fixture
def outsider(organisation: Organisation) -> User:
    """A professional of the same organisation who is NOT on the case team."""
    return make_user(Role.PROFESSIONAL, organisation, username="outsider")


@pytest.fixture
def officer(organisation: Organisation) -> User:
    return make_user(Role.AANDACHTSFUNCTIONARIS, organisation, username="af")


@pytest.fixture
def dossier(professional: User) -> Any:
    return make_dossier(professional, bsn="999994669", family_name="Gezin Bakker")


@pytest.fixture
def actor_of() -> Callable[[User], Actor]:
    def _actor(user: User) -> Actor:
        # A fresh user instance: cached_property active_membership must not leak between actors.
        return actor_for_user(User.objects.get(pk=user.pk))

    return _actor


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def _client(user: User) -> Client:
        return login_verified(Client(), user)

    return _client
