"""The whole matrix: every route of Keten, from one module per app."""

from __future__ import annotations

from keten.testing.route_matrix.checks import Route
from keten.testing.route_matrix.routes import (
    accounts,
    core,
    dossiers,
    meldcode,
    network,
    overleg,
    sharing,
    shell,
    verwijsindex,
)

ROUTES: dict[str, Route] = {}
for _module in (accounts, core, dossiers, meldcode, network, overleg, sharing, shell, verwijsindex):
    _double = set(ROUTES) & set(_module.ROUTES)
    if _double:  # pragma: no cover - a mistake in the table
        raise ValueError(f"routes in two modules: {sorted(_double)}")
    ROUTES.update(_module.ROUTES)
