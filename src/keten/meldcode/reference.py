"""The default checklists shipped with Keten (child signals, parent and family risk factors, protective factors).

``data/checklists.json`` holds version 1 of each national list, for all organisation types. The
national lists are read-only in the beheer: the functioneel beheerder of a gemeente organisation
publishes adapted versions for their own municipality (for all or one organisation type) through the
beheer pages; trajecten keep the version they were started with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "checklists.json"


def default_checklists() -> list[dict[str, Any]]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return list(json.load(handle)["checklists"])


def load_default_checklists(checklist_model: Any, *, now: Any) -> int:
    """Create version 1 of each default list where no national list of that kind exists yet; returns how many.

    National lists have no municipality (``checklist_model`` may be the historical model of a
    migration from before lists had one).
    """
    national: dict[str, Any] = {"organisation_type": ""}
    if any(field.name == "municipality" for field in checklist_model._meta.get_fields()):
        national["municipality"] = None
    created = 0
    for spec in default_checklists():
        if checklist_model.objects.filter(kind=spec["kind"], **national).exists():
            continue
        checklist_model.objects.create(
            kind=spec["kind"],
            organisation_type="",
            version=1,
            title=spec["title"],
            items=spec["items"],
            published_at=now,
        )
        created += 1
    return created
