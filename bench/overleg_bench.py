"""In-process timings of the overleg pages that have targets, on a database seeded with ``large``.

    DJANGO_SETTINGS_MODULE=keten.conf.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keten_overleg_bench \\
    .venv/bin/python bench/overleg_bench.py --runs 100

Runs as bench-professional (``manage.py seed --profile large`` makes the data) and reports the
median of ``--runs`` runs (after one warm-up) of:

* the meeting page's data for the next planned straf–zorg meeting (15 cases with their open
  agreements and discussion records: selector with audit, and the API response through Django's
  test client);
* the "my agreements" dashboard (selector with audit, and the API response).

It refuses to run on a database whose name does not end in ``_bench`` (every read writes audit
events). ``bench/run.py --only overleg`` measures the same pages over HTTP.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import django

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from keten.accounts.models import User  # noqa: E402
from keten.core.actor import actor_for_user  # noqa: E402
from keten.overleg.agreements.selectors import my_agreements  # noqa: E402
from keten.overleg.meetings.selectors import meeting_page  # noqa: E402
from keten.overleg.models import Agreement, Meeting  # noqa: E402
from keten.seeding.overleg_large import bench_meeting  # noqa: E402
from keten.testing.auth import login_verified  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    name = str(connection.settings_dict.get("NAME", ""))
    if not name.endswith("_bench"):
        sys.exit("overleg_bench only runs on a database whose name ends in _bench")
    meeting = bench_meeting()
    if meeting is None:
        sys.exit("no planned straf–zorg meeting: seed the large profile first")
    prof = User.objects.get(username="bench-professional")
    actor = actor_for_user(prof)
    client = login_verified(Client(), prof)

    def page() -> None:
        result = meeting_page(actor=actor, pk=meeting.pk)
        assert len(result.rows) == 15, len(result.rows)

    def page_api() -> None:
        response = client.get(f"/api/v1/overleg/meetings/{meeting.pk}/")
        assert response.status_code == 200, response.status_code

    def mine() -> None:
        my_agreements(actor=actor)

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
    print(
        f"database {connection.vendor} {name}; {Meeting.objects.count()} meetings, "
        f"{Agreement.objects.count()} agreements; {len(my_agreements(actor=actor))} open agreements "
        f"of bench-professional; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} CPUs"
    )
    for label, (median, best, p95, queries) in results.items():
        print(f"{label}: median {median:.1f} ms, best {best:.1f} ms, p95 {p95:.1f} ms, {queries} queries ({runs} runs)")


if __name__ == "__main__":
    main()
