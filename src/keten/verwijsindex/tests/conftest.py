from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from keten.accounts.models import OrganisationType, Role, User
from keten.testing.factories import OrganisationFactory, make_user
from keten.verwijsindex import services


@pytest.fixture
def jgz_nurse(db: Any) -> User:
    return make_user(Role.PROFESSIONAL, OrganisationFactory(name="JGZ Test", type=OrganisationType.JGZ), username="jgz")


@pytest.fixture
def teacher(db: Any) -> User:
    return make_user(
        Role.PROFESSIONAL, OrganisationFactory(name="School Test", type=OrganisationType.ONDERWIJS), username="juf"
    )


@pytest.fixture
def wijkteam_worker(db: Any) -> User:
    return make_user(
        Role.PROFESSIONAL, OrganisationFactory(name="Wijkteam Test", type=OrganisationType.WIJKTEAM), username="wt"
    )


@pytest.fixture
def registration() -> Callable[..., services.Registration]:
    def _make(bsn: str = "999994669", **overrides: Any) -> services.Registration:
        identity = services.Identity(
            bsn=bsn,
            first_name=overrides.pop("first_name", "Noor"),
            last_name=overrides.pop("last_name", "de Vries"),
            date_of_birth=overrides.pop("date_of_birth", date(2014, 3, 2)),
            parent_bsns=overrides.pop("parent_bsns", []),
        )
        values: dict[str, Any] = {
            "identity": identity,
            "risk_categories": ["c"],
            "criteria_confirmed": True,
            "parents_informed_on": date(2026, 11, 1),
            "youth_informed_on": date(2026, 11, 1),
        }
        values.update(overrides)
        return services.Registration(**values)

    return _make
