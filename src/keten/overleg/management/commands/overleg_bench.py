"""``manage.py overleg_bench``: in-process timings of the overleg pages that have targets.

Runs on a database seeded with the ``large`` profile (``manage.py seed --profile large``), as
bench-professional, and reports the median of ``--runs`` runs (after one warm-up) of:

* the meeting page's data for the next planned straf–zorg meeting (15 cases with their open
  agreements and discussion records: selector with audit, and the API response through Django's
  test client);
* the "my agreements" dashboard (selector with audit, and the API response).

It refuses to run on a database whose name does not end in ``_bench`` (every read writes audit
events). Example::

    DJANGO_SETTINGS_MODULE=keten.conf.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keten_overleg_bench \\
    .venv/bin/python manage.py overleg_bench --runs 100
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext


def _timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float, int]:
    fn()  # warm up
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _i in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        reset_queries()
    times.sort()
    return statistics.median(times), times[0], times[max(0, int(len(times) * 0.95) - 1)], queries


class Command(BaseCommand):
    help = "Time the overleg meeting page and the my-agreements dashboard on a *_bench database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=50)

    def handle(self, *args: Any, **options: Any) -> None:
        from keten.accounts.models import User
        from keten.core.actor import actor_for_user
        from keten.overleg import selectors
        from keten.overleg.models import Agreement, Meeting
        from keten.seeding.overleg_large import bench_meeting
        from keten.testing.auth import login_verified

        name = str(connection.settings_dict.get("NAME", ""))
        if not name.endswith("_bench"):
            raise CommandError("overleg_bench only runs on a database whose name ends in _bench")
        meeting = bench_meeting()
        if meeting is None:
            raise CommandError("no planned straf–zorg meeting: seed the large profile first")
        prof = User.objects.get(username="bench-professional")
        actor = actor_for_user(prof)
        client = login_verified(Client(), prof)
        runs = options["runs"]

        def page() -> None:
            result = selectors.meeting_page(actor=actor, pk=meeting.pk)
            assert len(result.rows) == 15, len(result.rows)

        def page_api() -> None:
            response = client.get(f"/api/v1/overleg/meetings/{meeting.pk}/")
            assert response.status_code == 200, response.status_code

        def mine() -> None:
            selectors.my_agreements(actor=actor)

        def mine_api() -> None:
            response = client.get("/api/v1/overleg/agreements/")
            assert response.status_code == 200, response.status_code

        results = {
            "meeting page data (selector + audit)": _timed(page, runs),
            "meeting page (API, test client)": _timed(page_api, runs),
            "my agreements (selector + audit)": _timed(mine, runs),
            "my agreements (API, test client)": _timed(mine_api, runs),
        }
        load = os.getloadavg()
        self.stdout.write(
            f"database {connection.vendor} {name}; {Meeting.objects.count()} meetings, "
            f"{Agreement.objects.count()} agreements; {len(selectors.my_agreements(actor=actor))} open agreements "
            f"of bench-professional; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs"
        )
        for label, (median, best, p95, queries) in results.items():
            self.stdout.write(
                f"{label}: median {median:.1f} ms, best {best:.1f} ms, p95 {p95:.1f} ms, "
                f"{queries} queries ({runs} runs)"
            )
