from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from keten.accounts.models import User
from keten.core.actor import Actor
from keten.meldcode.models import Traject
from keten.meldcode.trajecten import services as traject_services


@pytest.fixture
def traject(professional: User, dossier: Any, actor_of: Callable[[User], Actor]) -> Traject:
    child = dossier.family.persons.get()
    return traject_services.traject_start(actor=actor_of(professional), dossier=dossier, child_id=child.pk)
