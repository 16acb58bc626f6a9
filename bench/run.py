"""``make bench``: Keten's speed and memory benchmarks on the ``large`` profile (PostgreSQL).

1. Creates the benchmark database if missing (``BENCH_DATABASE_URL``, default
   postgres://postgres@127.0.0.1:5432/keten_bench), migrates it and loads ``seed --profile large``
   unless it is seeded already (``--reseed`` drops and recreates it first).
2. Serves Keten with gunicorn (production settings, benchmark-only keys) on 127.0.0.1.
3. Creates verified sessions for ``bench-professional`` and ``bench-aandachtsfunctionaris``.
4. Per endpoint, with the load generator (``bench/loadgen.py``) in its own process:
   service time with 1 client; saturation throughput with 16 clients without pause; latency with
   16 clients that pause about 1 s between requests. Then the SQL time of the same requests
   in-process, the peak RSS of every gunicorn worker and the load generator's share of the CPU.
Every phase is bounded by a request or time budget. Nothing but 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchenv import ROOT, VAR, bench_env, database_url

PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
MANAGE = str(ROOT / "manage.py")


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run(cmd: list[str], env: dict[str, str], *, capture: bool = False) -> str:
    result = subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, stdout=subprocess.PIPE if capture else None)
    return result.stdout if capture else ""


def django_step(env: dict[str, str], *args: str) -> Any:
    out = run([PY, str(ROOT / "bench" / "djangoside.py"), *args], env, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def _admin_conninfo(url: str) -> tuple[str, str]:
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("BENCH_DATABASE_URL must point at 127.0.0.1")
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    return admin, name


def ensure_database(url: str, *, reseed: bool) -> None:
    import psycopg

    admin, name = _admin_conninfo(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
        if exists and reseed:
            log(f"dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str], *, reseed: bool) -> None:
    ensure_database(database_url(), reseed=reseed)
    run([PY, MANAGE, "migrate", "--noinput", "-v0"], env)
    state = django_step(env, "status")
    if state["seeded"]:
        log(f"database already seeded (audit ids up to {state['audit_rows_approx']:,}); reusing it")
    else:
        log("seeding the large profile (takes several minutes)")
        started = time.monotonic()
        run([PY, MANAGE, "seed", "--profile", "large"], env)
        log(f"seeded in {time.monotonic() - started:.0f} s")
    # Every time: a manifest from an older checkout lacks new files, and the server would answer 500.
    log("collecting static files")
    run([PY, MANAGE, "collectstatic", "--noinput", "-v0"], env)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children_of(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            kids.append(int(entry.name))
    return sorted(kids)


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the peak resident set size of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the given processes so far, from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    cmd = [
        GUNICORN,
        "keten.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--pythonpath",
        str(ROOT / "src"),
    ]
    server = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            import http.client

            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not become healthy within 60 s")


def loadgen(port: int, cookie: str, paths: list[str], workers: list[int], **phase: Any) -> dict[str, Any]:
    """One bounded phase; adds the server's CPU time per request and the machine's load average."""
    cmd = [PY, str(ROOT / "bench" / "loadgen.py"), "--port", str(port), "--cookie", cookie]
    for key, value in phase.items():
        cmd += [f"--{key}", str(value)]
    cpu_before = cpu_seconds(workers)
    out = subprocess.run([*cmd, *paths], check=True, text=True, stdout=subprocess.PIPE, cwd=ROOT).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    served = result["completed"] + sum(result["errors"].values())
    result["server_cpu_ms_per_request"] = 1000 * (cpu_seconds(workers) - cpu_before) / served if served else 0.0
    result["load_average_1m"] = load_average()
    return result


def fmt(value: float) -> str:
    return f"{value:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reseed", action="store_true", help="drop and recreate the benchmark database first")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--single-requests", type=int, default=200)
    parser.add_argument("--saturation-seconds", type=float, default=15)
    parser.add_argument("--paced-seconds", type=float, default=30)
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument("--sql-runs", type=int, default=40)
    parser.add_argument(
        "--only",
        default="",
        help="run only endpoints whose name contains one of these comma-separated words, e.g. 'kaart,pdf'",
    )
    parser.add_argument("--output", default=str(VAR / "results.json"))
    args = parser.parse_args()

    env = bench_env()
    VAR.mkdir(parents=True, exist_ok=True)
    prepare(env, reseed=args.reseed)
    targets = django_step(env, "sessions", "--only", args.only)
    port = free_port()
    log(f"starting gunicorn with {args.workers} workers on 127.0.0.1:{port}")
    server = start_server(env, port, args.workers)
    results: dict[str, Any] = {"endpoints": {}, "config": vars(args), "cores": os.cpu_count()}
    results["load_average_1m_at_start"] = load_average()
    workers = children_of(server.pid)
    try:
        for endpoint in targets["endpoints"]:
            session = targets[endpoint["who"]]["session"]
            cookie = f"{targets['cookie_name']}={session}" if session else ""
            paths = endpoint["paths"]
            name = endpoint["name"]
            single_requests = min(args.single_requests, endpoint.get("single_requests", args.single_requests))
            warm = loadgen(port, cookie, paths, workers, clients=2, requests=min(20, single_requests))
            if warm["errors"]:
                raise SystemExit(f"{name}: warm-up failed: {warm['errors']}")
            log(f"{name}: 1 client")
            single = loadgen(port, cookie, paths, workers, clients=1, requests=single_requests)
            log(f"{name}: {args.clients} clients, no pause")
            saturated = loadgen(port, cookie, paths, workers, clients=args.clients, seconds=args.saturation_seconds)
            log(f"{name}: {args.clients} clients, ~{args.pause} s pause")
            paced = loadgen(
                port, cookie, paths, workers, clients=args.clients, seconds=args.paced_seconds, pause=args.pause
            )
            results["endpoints"][name] = {"single": single, "saturated": saturated, "paced": paced}
        results["worker_peak_rss_mb"] = {str(pid): peak_rss_mb(pid) for pid in workers}
        Path(args.output).write_text(json.dumps(results, indent=2))  # kept even if a later step fails
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            # Workers still busy with slow requests (PDFs) that clients gave up on.
            server.kill()
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            server.wait(timeout=30)
    log("timing the SQL of the same requests in-process")
    results["sql"] = django_step(env, "sql", "--runs", str(args.sql_runs), "--only", args.only)
    Path(args.output).write_text(json.dumps(results, indent=2))
    report(results)


def report(results: dict[str, Any]) -> None:
    rss = list(results["worker_peak_rss_mb"].values())
    header = (
        "| endpoint | 1 client median / p95 (ms) | 16 clients, no pause (req/s) | 16 clients, ~1 s pause "
        "median / p95 (ms) | SQL only median (ms, queries) | in-process median (ms) | server CPU per request (ms) "
        "| load generator CPU (sat. / paced) | load avg |"
    )
    print()
    print(header)
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results["endpoints"].items():
        sql = results["sql"][name]
        errors = sum(sum(p["errors"].values()) for p in r.values())
        print(
            f"| {name} | {fmt(r['single']['median_ms'])} / {fmt(r['single']['p95_ms'])} "
            f"| {fmt(r['saturated']['throughput_rps'])} "
            f"| {fmt(r['paced']['median_ms'])} / {fmt(r['paced']['p95_ms'])} "
            f"| {fmt(sql['sql_median_ms'])} ({sql['queries']:.0f}) "
            f"| {fmt(sql['in_process_median_ms'])} "
            f"| {fmt(r['saturated']['server_cpu_ms_per_request'])} "
            f"| {100 * r['saturated']['loadgen_cpu_share']:.0f}% / {100 * r['paced']['loadgen_cpu_share']:.0f}% "
            f"| {r['saturated']['load_average_1m']:.1f} |" + (f" errors: {errors}" if errors else "")
        )
    print()
    print(
        f"gunicorn workers: {len(rss)}; peak RSS per worker: "
        + ", ".join(f"{v:.0f} MB" for v in rss)
        + f" (max {max(rss):.0f} MB)"
    )
    print(
        f"machine: {results['cores']} cores; 1-minute load average before the run "
        f"{results['load_average_1m_at_start']:.1f}; results in var/bench/results.json"
    )


if __name__ == "__main__":
    main()
