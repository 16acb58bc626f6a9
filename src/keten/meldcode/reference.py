"""The default checklists shipped with Keten (child signals, parent and family risk factors, protective factors).

``data/checklists.json`` holds version 1 of each list for all organisation types. A functioneel
beheerder publishes adapted versions (per organisation type) through the beheer pages; trajecten
keep the version they were started with.
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
    """Create version 1 of each default list where no list of that kind exists yet; returns how many."""
    created = 0
    for spec in default_checklists():
        if checklist_model.objects.filter(kind=spec["kind"], organisation_type="").exists():
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
