"""Benchmark steps that need Django: is the database seeded, bench sessions, in-process SQL timing.

Run by ``bench/run.py`` in the benchmark environment (``bench/benchenv.py``); prints one JSON
object on stdout.

    python bench/djangoside.py status
    python bench/djangoside.py sessions
    python bench/djangoside.py sql --runs 40 [--only NAME,...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from keten.accounts.models import User  # noqa: E402
from keten.core.middleware import IdleTimeoutMiddleware  # noqa: E402
from keten.core.models import AuditEvent  # noqa: E402
from keten.dossiers.models import CaseTeamMember  # noqa: E402
from keten.meldcode.models import Traject  # noqa: E402
from keten.network.models import PostcodeRange  # noqa: E402

PROFESSIONAL = "bench-professional"
OFFICER = "bench-aandachtsfunctionaris"


def status() -> dict[str, Any]:
    users = set(User.objects.filter(username__in=[PROFESSIONAL, OFFICER]).values_list("username", flat=True))
    seeded = users == {PROFESSIONAL, OFFICER}
    # The last id is as good as a count here and is instant on a million rows.
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return {"seeded": seeded, "audit_rows_approx": last}


def _session_for(user: User) -> str:
    """A signed-in, two-factor-verified session, exactly as the login flow leaves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    assert device is not None, f"{user.username} has no confirmed TOTP device"
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[IdleTimeoutMiddleware.SESSION_KEY] = int(time.time())
    store.create()
    assert store.session_key is not None
    return store.session_key


def _targets() -> dict[str, Any]:
    prof = User.objects.get(username=PROFESSIONAL)
    officer = User.objects.get(username=OFFICER)
    refs = list(
        CaseTeamMember.objects.filter(user=prof, ended_at__isnull=True)
        .order_by("dossier__reference")
        .values_list("dossier__reference", flat=True)
    )
    municipality_id = prof.memberships.get().organisation.municipality_id
    ranges = list(
        PostcodeRange.objects.filter(wijk__municipality_id=municipality_id)
        .order_by("start")
        .values_list("start", "wijk_id")
    )
    # The traject of bench-professional with the most entries (the seed gives one ~50).
    long_traject = (
        Traject.objects.filter(dossier__team__user=prof, dossier__team__ended_at__isnull=True)
        .annotate(n=Count("entries"))
        .order_by("-n", "pk")
        .values_list("reference", flat=True)
        .first()
    )
    return {
        "overleg_meeting": _bench_meeting(),
        "professional": {"id": prof.pk, "session": _session_for(prof)},
        "officer": {"id": officer.pk, "session": _session_for(officer)},
        "anonymous": {"id": None, "session": ""},
        "dossier_refs": refs,
        "postcode_ranges": ranges,
        "long_traject": long_traject,
        "cookie_name": settings.SESSION_COOKIE_NAME,
    }


def _bench_meeting() -> int | None:
    """The straf–zorg meeting the large profile prepared for the meeting page (15 cases)."""
    from keten.seeding.overleg_large import bench_meeting

    meeting = bench_meeting()
    return meeting.pk if meeting else None


#: Realistic sociale kaart searches: free text, a role in a wijk, kind + age + postcode, stems.
SEARCHES = [
    "?q=huiselijk+geweld",
    "?q=aandachtsfunctionaris+in+wijk+Oost",
    "?postcode={postcode}+AB&soort=jgz&leeftijd=2",
    "?q=kinderen&soort=kinderopvang",
    "?q=school+pesten&postcode={postcode}",
    "?q=Zo%C3%AB",
]


def endpoints(targets: dict[str, Any]) -> list[dict[str, Any]]:
    prof_id = targets["professional"]["id"]
    return [
        {"name": "dossier list", "who": "professional", "paths": ["/dossiers/"]},
        {
            # The workspace's overview: header, deadlines and the first page of the timeline.
            "name": "dossier workspace",
            "who": "professional",
            "paths": [f"/dossiers/{ref}/" for ref in targets["dossier_refs"]],
        },
        {
            "name": "dossier timeline",
            "who": "professional",
            "paths": [f"/dossiers/{ref}/tijdlijn/" for ref in targets["dossier_refs"]],
        },
        # "Vandaag": a professional on 50 case teams, the aandachtsfunctionaris of the busiest organisation.
        {"name": "dashboard professional", "who": "professional", "paths": ["/"]},
        {"name": "dashboard aandachtsfunctionaris", "who": "officer", "paths": ["/"]},
        {"name": "audit log ?action=view", "who": "officer", "paths": ["/audit/?action=view"]},
        {"name": "audit log ?professional=", "who": "officer", "paths": [f"/audit/?professional={prof_id}"]},
        {
            "name": "sociale kaart search",
            "who": "professional",
            "paths": [
                "/sociale-kaart/" + query.format(postcode=postcode)
                for query, (postcode, _wijk) in zip(SEARCHES, targets["postcode_ranges"][::3], strict=False)
            ],
        },
        {
            "name": "public routekaart ?postcode=",
            "who": "anonymous",
            "paths": [f"/publiek/routekaart/?postcode={start}+AB" for start, _wijk in targets["postcode_ranges"]],
        },
        {
            "name": "routekaart PDF",
            "who": "professional",
            "paths": [f"/routekaart/{wijk}/pdf/" for _start, wijk in targets["postcode_ranges"][:8:2]],
            "single_requests": 10,
        },
        {"name": "meldcode traject", "who": "professional", "paths": [f"/meldcode/{targets['long_traject']}/"]},
        {"name": "meldcode organisation overview", "who": "officer", "paths": ["/meldcode/organisatie/"]},
        {
            "name": "meldcode report PDF",
            "who": "professional",
            "paths": [f"/meldcode/{targets['long_traject']}/rapport.pdf"],
            "single_requests": 10,
        },
        *(
            [
                {
                    "name": "overleg meeting page",
                    "who": "professional",
                    "paths": [f"/overleg/bijeenkomsten/{targets['overleg_meeting']}/"],
                },
                {"name": "overleg my agreements", "who": "professional", "paths": ["/overleg/afspraken/"]},
            ]
            if targets.get("overleg_meeting")
            else []
        ),
    ]


def selected(all_endpoints: list[dict[str, Any]], only: str) -> list[dict[str, Any]]:
    """The endpoints whose name contains one of the comma-separated words of ``only`` (all when empty)."""
    words = [w.strip().casefold() for w in only.split(",") if w.strip()]
    return [e for e in all_endpoints if not words or any(w in e["name"].casefold() for w in words)]


class QueryTimer:
    """Sums the wall time of every SQL statement run while installed (``connection.execute_wrapper``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def sql_timing(runs: int, only: str = "") -> dict[str, Any]:
    """Per endpoint: the same request in-process (no HTTP, no gunicorn), with the SQL timed apart."""
    targets = _targets()
    results = {}
    for endpoint in selected(endpoints(targets), only):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if targets[endpoint["who"]]["session"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = targets[endpoint["who"]]["session"]
        sql_ms: list[float] = []
        total_ms: list[float] = []
        counts: list[int] = []
        endpoint_runs = min(runs, endpoint.get("single_requests", runs))
        for i in range(endpoint_runs + 3):
            path = endpoint["paths"][i % len(endpoint["paths"])]
            timer = QueryTimer()
            start = time.perf_counter()
            with connection.execute_wrapper(timer):
                response = client.get(path, secure=True)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, (path, response.status_code)
            if i >= 3:  # the first requests warm caches and the session
                sql_ms.append(timer.seconds * 1000)
                total_ms.append(elapsed * 1000)
                counts.append(timer.count)
        results[endpoint["name"]] = {
            "sql_median_ms": statistics.median(sql_ms),
            "sql_p95_ms": statistics.quantiles(sql_ms, n=20)[-1],
            "queries": statistics.median(counts),
            "in_process_median_ms": statistics.median(total_ms),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["status", "sessions", "sql"])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--only", default="", help="comma-separated parts of endpoint names (default: all)")
    args = parser.parse_args()
    if args.step == "status":
        out: dict[str, Any] = status()
    elif args.step == "sessions":
        targets = _targets()
        out = {**targets, "endpoints": selected(endpoints(targets), args.only)}
    else:
        out = sql_timing(args.runs, args.only)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
