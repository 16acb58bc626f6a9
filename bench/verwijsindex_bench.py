"""Verwijsindex benchmark on the ``national`` profile (PostgreSQL), in its own database.

    python bench/verwijsindex_bench.py [--scale 0.1] [--reseed] [--single 300] [--bulk-rows 1000]
                                       [--bulk-calls 2] [--workers 2] [--api-rows 1000]
                                       [--bulk-families shared|disjoint|both] [--output FILE]

1. Creates ``BENCH_VI_DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/keten_vi_bench) if
   missing, migrates it and loads ``seed --profile national --scale S`` unless it holds signals
   already (``--reseed`` drops and recreates it first). Same benchmark-only keys as ``bench/run.py``.
2. Measures, in a separate process (``measure``), through the service
   :func:`keten.verwijsindex.services.signal_register` (each registration its own transaction,
   with its matching, audit events, notifications and feed rows, exactly as a request does):

   * single registration latency (one process, sequential), p50/p95/p99, queries per registration;
   * match notification latency: the time from the registration's commit until a second database
     connection sees the other professional's notification row;
   * bulk throughput of the bulk service :func:`keten.verwijsindex.services.signals_register_bulk`
     (what the API bulk endpoint calls): ``--workers`` processes at the same time, each making
     ``--bulk-calls`` calls of ``--bulk-rows`` rows with a system token of one organisation (rows
     per second, Python and PostgreSQL backend CPU per row, the workers' CPU share, load average).
     Each process first makes one small call that is rolled back (a warm process, as a server's).
     ``--bulk-families shared`` lets every process draw from the same test-BSN families, so they
     queue on the same children's row locks (a stress case); ``disjoint`` gives each process its
     own share of the families (two source systems with their own clients); ``both`` (default)
     measures the two one after the other;
   * the API bulk endpoint ``POST /api/v1/verwijsindex/signals/bulk/`` in-process (Django test
     client, no HTTP server), ``--bulk-calls`` calls of ``--api-rows`` rows, with a system token
     (the same figures, including request parsing and per-row validation);
   * ``lifecycle_run`` for tomorrow (one night's batch) and for a week ahead, each rolled back so
     the data stays reusable;
   * ``EXPLAIN (ANALYZE, BUFFERS)`` of the key queries.

   Registrations are a mix: half on seeded young people with a test BSN and their parents' BSNs
   (often a client or family match), a quarter on new young people without BSN who share seeded
   parents (family matches), a quarter on new young people without BSN or parents.
3. Writes one JSON file (``var/bench/verwijsindex-<scale>.json`` by default) with the figures, the
   row counts, the load average and the CPU share of the measuring processes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
import zlib
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchenv import ROOT, VAR, bench_env

PY = str(ROOT / ".venv" / "bin" / "python")
MANAGE = str(ROOT / "manage.py")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/keten_vi_bench"


def log(message: str) -> None:
    print(f"[vi-bench] {message}", file=sys.stderr, flush=True)


def database_url() -> str:
    return os.environ.get("BENCH_VI_DATABASE_URL", DEFAULT_URL)


def environment() -> dict[str, str]:
    env = bench_env()
    env["DATABASE_URL"] = database_url()
    return env


# --- outer process --------------------------------------------------------------------------------


def ensure_database(url: str, *, reseed: bool) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("BENCH_VI_DATABASE_URL must point at 127.0.0.1")
    name = parsed.path.lstrip("/")
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and reseed:
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def outer(args: argparse.Namespace) -> None:
    env = environment()
    ensure_database(database_url(), reseed=args.reseed)
    subprocess.run([PY, MANAGE, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    seed_seconds = None
    state = inner_json(env, "status")
    if state["signals"] == 0:
        log(f"seeding the national profile at scale {args.scale}")
        started = time.monotonic()
        subprocess.run(
            [PY, MANAGE, "seed", "--profile", "national", "--scale", str(args.scale)], env=env, cwd=ROOT, check=True
        )
        seed_seconds = round(time.monotonic() - started, 1)
        state = inner_json(env, "status")
    else:
        log(f"database holds {state['signals']:,} signals; reusing it")
    load_before = os.getloadavg()
    result = inner_json(
        env,
        "measure",
        "--single",
        str(args.single),
        "--bulk-rows",
        str(args.bulk_rows),
        "--bulk-calls",
        str(args.bulk_calls),
        "--workers",
        str(args.workers),
        "--api-rows",
        str(args.api_rows),
        "--bulk-families",
        args.bulk_families,
    )
    result.update(
        {
            "scale": args.scale,
            "seed_seconds": seed_seconds,
            "rows": state,
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "cpus": os.cpu_count(),
        }
    )
    output = Path(args.output or VAR / f"verwijsindex-{state['scale_label']}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, default=str))
    log(f"written {output}")
    print(json.dumps(result, indent=2, default=str))


def inner_json(env: dict[str, str], *args: str) -> Any:
    out = subprocess.run([PY, __file__, *args], env=env, cwd=ROOT, check=True, text=True, stdout=subprocess.PIPE).stdout
    return json.loads(out.strip().splitlines()[-1])


# --- inner process (Django) -----------------------------------------------------------------------


def _setup() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def status() -> dict[str, Any]:
    from django.db import connection

    counts: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for label, table in (
            ("youths", "verwijsindex_youth"),
            ("parents", "verwijsindex_parentkey"),
            ("parent_links", "verwijsindex_parentlink"),
            ("signals", "verwijsindex_signal"),
            ("matches", "verwijsindex_match"),
            ("participants", "verwijsindex_matchparticipant"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (fixed table names)
            counts[label] = cursor.fetchone()[0]
        cursor.execute("SELECT status, count(*) FROM verwijsindex_signal GROUP BY status")
        counts.update({f"signals_{k}": v for k, v in cursor.fetchall()})
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        counts["database_size"] = cursor.fetchone()[0]
    counts["scale_label"] = f"{counts['youths'] / 4_500_000:.3g}"
    return counts


def _family_label(known: list[tuple[str, Any, list[str]]]) -> dict[str, str]:
    """Each young person's family: the smallest BSN among the young people and parents it is
    connected with through parent links (siblings and half-siblings end up in one family)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for bsn, _dob, parents in known:
        for p in parents:
            a, b = find("y" + bsn), find("p" + p)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = {}
    for bsn, _dob, _parents in known:
        members.setdefault(find("y" + bsn), []).append(bsn)
    return {bsn: min(group) for group in members.values() for bsn in group}


class Workload:
    """Registrations drawn from the seeded test-BSN families, plus new young people.

    With ``parts`` > 1 the test-BSN families are split into that many disjoint shares (by family,
    so siblings and their parents stay together) and this workload only draws from share ``part``:
    two source systems that each register their own children, instead of both on the same ones.
    """

    def __init__(self, seed: int, part: int = 0, parts: int = 1) -> None:
        from keten.accounts.models import CASE_ROLES, Membership
        from keten.core.actor import Actor
        from keten.seeding.common import reserved_test_bsns
        from keten.verwijsindex.models import ParentKey, ParentLink, Youth
        from keten.verwijsindex.services import DEFAULT_REGISTERING_TYPES, parent_key, youth_key

        self.rng = random.Random(seed)
        bsns = reserved_test_bsns()
        by_key = {youth_key(b): b for b in bsns}
        by_parent = {parent_key(b): b for b in bsns}
        youths = list(Youth.objects.filter(bsn_key__in=list(by_key)))
        parents = dict(ParentKey.objects.filter(key__in=list(by_parent)).values_list("pk", "key"))
        links: dict[int, list[str]] = {}
        for youth_id, parent_id in ParentLink.objects.filter(parent_id__in=list(parents)).values_list(
            "youth_id", "parent_id"
        ):
            links.setdefault(youth_id, []).append(by_parent[parents[parent_id]])
        self.known = sorted(
            ((by_key[y.bsn_key], y.date_of_birth, links.get(y.pk, [])) for y in youths), key=lambda k: k[0]
        )
        if parts > 1:
            family = _family_label(self.known)
            self.known = [k for k in self.known if zlib.crc32(family[k[0]].encode()) % parts == part]
            links = {i: k[2] for i, k in enumerate(self.known)}
        self.families = [p for p in links.values() if p]
        memberships = Membership.objects.filter(
            is_active=True, role__in=CASE_ROLES, organisation__type__in=DEFAULT_REGISTERING_TYPES
        )
        self.actors = []
        seen: set[int] = set()
        for m in memberships.select_related("user", "organisation", "team").order_by("pk"):
            if m.user_id not in seen:
                seen.add(m.user_id)
                self.actors.append(Actor(user=m.user, membership=m))
        self.counter = 0

    def next(self) -> tuple[Any, Any]:
        from datetime import timedelta

        from django.utils import timezone

        from keten.verwijsindex.services import Identity, Registration

        rng = self.rng
        today = timezone.localdate()
        self.counter += 1
        roll = rng.random()
        if roll < 0.5 and self.known:
            bsn, dob, parent_bsns = rng.choice(self.known)
            identity = Identity(
                date_of_birth=dob, bsn=bsn, first_name="Bench", last_name="Jongere", parent_bsns=parent_bsns
            )
        else:
            dob = today - timedelta(days=rng.randrange(1, 17 * 365))
            parent_bsns = rng.choice(self.families) if roll < 0.75 and self.families else []
            identity = Identity(
                date_of_birth=dob,
                first_name=f"Nieuw{rng.getrandbits(40):x}",
                last_name=f"Bench{os.getpid()}x{self.counter}",
                parent_bsns=parent_bsns,
            )
        registration = Registration(
            identity=identity,
            risk_categories=[rng.choice("abcdefghijkl")],
            criteria_confirmed=True,
            parents_informed_on=today,
            youth_informed_on=today,
        )
        return rng.choice(self.actors), registration


class Counter:
    """Counts statements: those through Django's cursor (``connection.execute_wrapper``) and the
    ``COPY`` statements the bulk inserts send straight through psycopg (while it is active)."""

    active: Counter | None = None

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> Counter:
        from django.db import connection

        _patch_copy()
        Counter.active = self
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        Counter.active = None
        self._wrapper.__exit__(*exc)


def _patch_copy() -> None:
    import psycopg

    original = psycopg.Cursor.copy
    if getattr(original, "_vi_bench", False):
        return

    def copy(self: Any, *args: Any, **kwargs: Any) -> Any:
        if Counter.active is not None:
            Counter.active.count += 1
        return original(self, *args, **kwargs)

    copy._vi_bench = True  # type: ignore[attr-defined]
    psycopg.Cursor.copy = copy  # type: ignore[method-assign]


def backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by one PostgreSQL backend (same machine)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def register_loop(rows: int, seed: int, *, notify_probe: int = 0) -> dict[str, Any]:
    """Sequential registrations through the service; per-registration wall time in ms."""
    import psycopg
    from django.conf import settings
    from django.db import connection

    from keten.core.errors import DomainError
    from keten.notifications.models import Notification
    from keten.verwijsindex.services import signal_register

    work = Workload(seed)
    latencies: list[float] = []
    queries: list[int] = []
    notify_ms: list[float] = []
    kinds = {"client": 0, "gezin": 0, "none": 0, "refused": 0}
    probe = None
    if notify_probe:
        db = settings.DATABASES["default"]
        probe = psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
        )
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    pg0 = backend_cpu(backend)
    cpu0 = time.process_time()
    started = time.perf_counter()
    while len(latencies) < rows:
        actor, registration = work.next()
        counter = Counter()
        last_note = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        t0 = time.perf_counter()
        try:
            with counter:
                result = signal_register(actor=actor, data=registration)
        except DomainError:
            kinds["refused"] += 1
            continue
        t1 = time.perf_counter()
        latencies.append((t1 - t0) * 1000)
        queries.append(counter.count)
        if not result.matches:
            kinds["none"] += 1
            continue
        for match in result.matches:
            kinds[match.kind] += 1
        if probe is not None and len(notify_ms) < notify_probe:
            other = (
                match.participants.exclude(signal__professional=actor.user)
                .values_list("signal__professional_id", flat=True)
                .first()
            )
            # Visible to the other professional from a separate connection, i.e. committed. A match
            # between signals of one professional (a family with two of their clients) has nobody
            # else to notify: it is not a sample.
            while other is not None:
                row = probe.execute(
                    f"SELECT 1 FROM {table} WHERE recipient_id = %s AND id > %s AND kind = 'verwijsindex.match'",  # noqa: S608
                    [other, last_note],
                ).fetchone()
                if row is not None:
                    notify_ms.append((time.perf_counter() - t1) * 1000)
                    break
                if time.perf_counter() - t1 > 5:
                    notify_ms.append(float("inf"))
                    break
                time.sleep(0.001)
    wall = time.perf_counter() - started
    return {
        "rows": len(latencies),
        "wall_s": round(wall, 2),
        "cpu_s": round(time.process_time() - cpu0, 2),
        "pg_cpu_s": round(backend_cpu(backend) - pg0, 2),
        "latencies": latencies,
        "queries": queries,
        "notify_ms": notify_ms,
        "kinds": kinds,
    }


def summarise(loop: dict[str, Any]) -> dict[str, Any]:
    lat = loop["latencies"]
    return {
        "rows": loop["rows"],
        "p50_ms": pct(lat, 0.50),
        "p95_ms": pct(lat, 0.95),
        "p99_ms": pct(lat, 0.99),
        "max_ms": round(max(lat), 2),
        "mean_ms": round(statistics.fmean(lat), 2),
        "queries_median": statistics.median(loop["queries"]),
        "matches": loop["kinds"],
        "sequential_rate_per_s": round(loop["rows"] / loop["wall_s"], 1),
        "process_cpu_share": round(loop["cpu_s"] / loop["wall_s"], 2),
        "python_cpu_ms_per_row": round(loop["cpu_s"] * 1000 / loop["rows"], 1),
        "postgres_cpu_ms_per_row": round(loop["pg_cpu_s"] * 1000 / loop["rows"], 1),
    }


def _bulk_payload(work: Workload, members: list[Any], rows: int) -> list[Any]:
    registrations = []
    for _n in range(rows):
        _actor, reg = work.next()
        reg.professional_id = work.rng.choice(members).user.pk
        registrations.append(reg)
    return registrations


def _system_actor(work: Workload, label: str) -> tuple[Any, list[Any], str]:
    """A system token of the organisation with the most registering professionals, and those members."""
    from collections import Counter as Tally

    from keten.accounts.models import ApiClient
    from keten.core.actor import Actor
    from keten.core.crypto import hash_token

    org_id = Tally(a.membership.organisation_id for a in work.actors).most_common(1)[0][0]
    members = [a for a in work.actors if a.membership.organisation_id == org_id]
    secret = f"vi-bench-{label}-{os.getpid()}-{time.time_ns()}"
    client = ApiClient.objects.create(
        organisation=members[0].membership.organisation,
        name=f"Bench {secret}",
        token_prefix=secret[-12:],
        token_hash=hash_token(secret),
        scopes=["verwijsindex:write", "verwijsindex:read"],
    )
    return Actor(user=None, membership=None, api_client=client), members, secret


def bulk_loop(rows: int, calls: int, seed: int, part: int = 0, parts: int = 1) -> dict[str, Any]:
    """``calls`` calls of the bulk service, ``rows`` registrations each, with a system token.

    Before the timed calls the process makes one small call that is rolled back: a serving process
    has imported the URL configuration and the holiday calendar and derived its encryption keys
    after its first request; a cold process spends about a second of CPU on that.
    """
    from collections import Counter as Tally

    from django.db import connection, transaction
    from django.utils import timezone

    from keten.core.workdays import add_working_days
    from keten.verwijsindex.services import signals_register_bulk

    work = Workload(seed, part, parts)
    actor, members, _secret = _system_actor(work, "bulk")
    with transaction.atomic():
        signals_register_bulk(actor=actor, registrations=_bulk_payload(work, members, min(rows, 20)))
        transaction.set_rollback(True)
    add_working_days(timezone.localdate(), 1)  # the holiday calendar (if the call made no match)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    seconds: list[float] = []
    statuses: Tally[str] = Tally()
    queries: list[int] = []
    cpu = pg_cpu = 0.0
    for _call in range(calls):
        payload = _bulk_payload(work, members, rows)
        counter = Counter()
        pg0, cpu0 = backend_cpu(backend), time.process_time()
        t0 = time.perf_counter()
        with counter:
            outcomes = signals_register_bulk(actor=actor, registrations=payload)
        seconds.append(time.perf_counter() - t0)
        cpu += time.process_time() - cpu0
        pg_cpu += backend_cpu(backend) - pg0
        queries.append(counter.count)
        statuses.update(o.status for o in outcomes)
        statuses.update(f"match_{m.kind}" for o in outcomes for m in o.matches)
    return {
        "rows": rows * calls,
        "wall_s": sum(seconds),
        "call_seconds": [round(x, 3) for x in seconds],
        "cpu_s": cpu,
        "pg_cpu_s": pg_cpu,
        "queries_per_call": queries,
        "statuses": dict(statuses),
    }


def parallel_bulk(rows: int, workers: int, calls: int, *, disjoint: bool = False) -> dict[str, Any]:
    """``workers`` processes call the bulk service at the same time (``calls`` x ``rows`` each).

    ``disjoint``: each process registers on its own share of the test-BSN families (as two source
    systems with their own clients would); otherwise all draw from the same families and queue on
    the same young people's and parents' row locks.
    """
    procs = []
    load_before = os.getloadavg()
    for i in range(workers):
        share = ["--part", str(i), "--parts", str(workers)] if disjoint else []
        procs.append(
            subprocess.Popen(
                [
                    PY,
                    __file__,
                    "bulkworker",
                    "--rows",
                    str(rows),
                    "--calls",
                    str(calls),
                    "--seed",
                    str(1000 + i),
                    *share,
                ],
                stdout=subprocess.PIPE,
                text=True,
                env=os.environ.copy(),
            )
        )
    results = []
    for p in procs:
        out, _err = p.communicate()
        results.append(json.loads(out.strip().splitlines()[-1]))
    total = sum(r["rows"] for r in results)
    busy = max(r["wall_s"] for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        for k, v in r["statuses"].items():
            statuses[k] = statuses.get(k, 0) + v
    return {
        "workers": workers,
        "families": "disjoint per worker" if disjoint else "shared by the workers",
        "rows_per_call": rows,
        "calls_per_worker": calls,
        "rows": total,
        "rows_per_s": round(total / busy, 1),
        "created_per_s": round(statuses.get("created", 0) / busy, 1),
        "outcomes": statuses,
        "call_seconds": [r["call_seconds"] for r in results],
        "queries_per_call": [r["queries_per_call"] for r in results],
        "python_cpu_ms_per_row": round(sum(r["cpu_s"] for r in results) * 1000 / total, 3),
        "postgres_cpu_ms_per_row": round(sum(r["pg_cpu_s"] for r in results) * 1000 / total, 3),
        "worker_cpu_share": round(sum(r["cpu_s"] for r in results) / busy / (os.cpu_count() or 1), 2),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def api_bulk(rows: int, calls: int) -> dict[str, Any]:
    """The bulk endpoint in-process: ``calls`` POSTs of ``rows`` rows with a system token."""
    from django.db import connection, transaction
    from django.test import Client

    work = Workload(77)
    _actor, members, secret = _system_actor(work, "api")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def body(rows: int, call: int | str) -> str:
        payload = []
        for n, reg in enumerate(_bulk_payload(work, members, rows)):
            ident = reg.identity
            payload.append(
                {
                    "bsn": ident.bsn,
                    "first_name": ident.first_name,
                    "last_name": ident.last_name,
                    "date_of_birth": ident.date_of_birth.isoformat(),
                    "parent_bsns": ident.parent_bsns,
                    "risk_categories": reg.risk_categories,
                    "criteria_confirmed": True,
                    "parents_informed_on": reg.parents_informed_on.isoformat(),
                    "youth_informed_on": reg.youth_informed_on.isoformat(),
                    "professional": reg.professional_id,
                    "idempotency_key": f"{secret}-{call}-{n}",
                }
            )
        return json.dumps({"signals": payload})

    def post(body_json: str) -> Any:
        return client.post(
            "/api/v1/verwijsindex/signals/bulk/",
            body_json,
            content_type="application/json",
            secure=True,
            HTTP_AUTHORIZATION=f"Token {secret}",
        )

    # One small call rolled back first: the first request of a process loads the API's modules.
    with transaction.atomic():
        assert post(body(20, "warm")).status_code == 200
        transaction.set_rollback(True)
    results = []
    load_before = os.getloadavg()
    cpu = pg_cpu = wall = 0.0
    for call in range(calls):
        body_json = body(rows, call)
        pg0, cpu0 = backend_cpu(backend), time.process_time()
        t0 = time.perf_counter()
        response = post(body_json)
        elapsed = time.perf_counter() - t0
        wall += elapsed
        cpu += time.process_time() - cpu0
        pg_cpu += backend_cpu(backend) - pg0
        assert response.status_code == 200, (response.status_code, response.content[:500])
        answer = response.json()
        results.append(
            {
                "created": answer["created"],
                "failed": answer["failed"],
                "existing": answer["existing"],
                "seconds": round(elapsed, 2),
            }
        )
    created = sum(r["created"] for r in results)
    total = rows * calls
    return {
        "rows_per_call": rows,
        "calls": results,
        "rows_per_s": round(total / wall, 1),
        "created_per_s": round(created / wall, 1),
        "python_cpu_ms_per_row": round(cpu * 1000 / total, 3),
        "postgres_cpu_ms_per_row": round(pg_cpu * 1000 / total, 3),
        "process_cpu_share": round(cpu / wall, 2),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def lifecycle(days_ahead: int) -> dict[str, Any]:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from keten.verwijsindex.models import Signal, SignalStatus, Youth
    from keten.verwijsindex.services import lifecycle_run

    today = timezone.localdate() + timedelta(days=days_ahead)
    due = {
        "expiring": Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=today).count(),
        "purgeable": Signal.objects.filter(status=SignalStatus.GEARCHIVEERD, archive_until__lt=today).count(),
        "youths_23": Youth.objects.filter(destroy_on__lte=today).count(),
    }
    with transaction.atomic():
        t0 = time.perf_counter()
        report = lifecycle_run(today=today)
        seconds = time.perf_counter() - t0
        transaction.set_rollback(True)
    return {"today": today.isoformat(), "due": due, "report": report.__dict__, "seconds": round(seconds, 2)}


def explains() -> dict[str, list[str]]:
    from datetime import timedelta

    from django.utils import timezone

    from keten.verwijsindex.models import Match, MatchParticipant, ParentLink, Signal, SignalStatus, Youth

    tomorrow = timezone.localdate() + timedelta(days=1)
    youth = Youth.objects.filter(signals__status=SignalStatus.ACTIEF, bsn_key__isnull=False).order_by("-pk").first()
    assert youth is not None
    link = ParentLink.objects.filter(youth=youth).first()
    parent_id = link.parent_id if link else 0
    siblings = ParentLink.objects.filter(parent_id=parent_id).values_list("youth_id", flat=True)
    expiring = Signal.objects.filter(status=SignalStatus.ACTIEF, active_until__lt=tomorrow)
    queries = {
        "youth by bsn_key": Youth.objects.filter(bsn_key=youth.bsn_key),
        "active signals on a youth": Signal.objects.filter(youth=youth, status=SignalStatus.ACTIEF)
        .select_related("organisation", "professional")
        .order_by("pk"),
        "parent links of a youth": ParentLink.objects.filter(youth=youth),
        "active signals in a family": Signal.objects.filter(youth_id__in=siblings, status=SignalStatus.ACTIEF),
        "live client match of a youth": Match.objects.filter(
            kind="client", status__in=["open", "contact", "afgestemd"], youth=youth
        ),
        "expiring signals (tomorrow)": expiring,
        "matches touched by expiry": MatchParticipant.objects.filter(signal__in=expiring)
        .values_list("match_id", flat=True)
        .distinct(),
        "archive to purge (tomorrow)": Signal.objects.filter(
            status=SignalStatus.GEARCHIVEERD, archive_until__lt=tomorrow
        ).values_list("youth_id", flat=True),
        "youths turning 23 (tomorrow)": Youth.objects.filter(destroy_on__lte=tomorrow).values_list("pk", flat=True),
    }
    return {
        name: qs.explain(analyze=True, buffers=True).splitlines()  # type: ignore[attr-defined]
        for name, qs in queries.items()
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("warm-up")
    register_loop(30, 1)
    log(f"single registrations: {args.single}")
    load_single = os.getloadavg()
    single = register_loop(args.single, 2, notify_probe=50)
    notify = single["notify_ms"]
    single_summary = {
        **summarise(single),
        "load_average_before": [round(x, 2) for x in load_single],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    log(f"bulk service: {args.workers} processes x {args.bulk_calls} calls x {args.bulk_rows} rows")
    bulk = disjoint = None
    if args.bulk_rows and args.bulk_families in ("shared", "both"):
        bulk = parallel_bulk(args.bulk_rows, args.workers, args.bulk_calls)
    if args.bulk_rows and args.bulk_families in ("disjoint", "both"):
        log("bulk service, each process on its own share of the families")
        disjoint = parallel_bulk(args.bulk_rows, args.workers, args.bulk_calls, disjoint=True)
    log(f"API bulk: {args.api_rows} rows per call")
    api = api_bulk(args.api_rows, args.bulk_calls) if args.api_rows else None
    log("lifecycle")
    nights = {"tomorrow": lifecycle(1), "week_ahead": lifecycle(7)}
    log("explain")
    plans = explains()
    return {
        "single_service": single_summary,
        "notification_visible_ms": {
            "samples": len(notify),
            "p50": pct(notify, 0.5),
            "p95": pct(notify, 0.95),
            "max": round(max(notify), 2) if notify else None,
        },
        "bulk_service_parallel": bulk,
        "bulk_service_parallel_disjoint": disjoint,
        "bulk_api_in_process": api,
        "lifecycle": nights,
        "explain": plans,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", nargs="?", default="run", choices=["run", "status", "measure", "worker", "bulkworker"])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--bulk-rows", type=int, default=1000, help="rows per bulk call (at most 1,000)")
    parser.add_argument("--bulk-calls", type=int, default=2, help="bulk calls per process (and API calls)")
    parser.add_argument("--workers", type=int, default=2, help="processes calling the bulk service at once")
    parser.add_argument("--api-rows", type=int, default=1000)
    parser.add_argument(
        "--bulk-families",
        choices=["shared", "disjoint", "both"],
        default="both",
        help="bulk processes on the same test-BSN families, each on its own share, or both runs",
    )
    parser.add_argument("--part", type=int, default=0)
    parser.add_argument("--parts", type=int, default=1)
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--calls", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", default="")
    args = parser.parse_args()
    if args.step == "run":
        outer(args)
        return
    _setup()
    if args.step == "status":
        out: Any = status()
    elif args.step == "worker":
        out = register_loop(args.rows, args.seed)
    elif args.step == "bulkworker":
        out = bulk_loop(args.rows, args.calls, args.seed, args.part, args.parts)
    else:
        out = measure(args)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
