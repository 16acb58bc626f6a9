"""Load generator: N client threads send GET requests to a Keten server on 127.0.0.1.

Runs as its own process so its CPU use can be told apart from the server's. Each client cycles
through the given paths with the session cookie, optionally pausing between requests, until the
request budget or the time budget is used up; then it stops by itself. Prints one JSON object:
latencies (ms), completed requests, errors, wall time and this process's own CPU time.

    python bench/loadgen.py --port 8765 --cookie NAME=VALUE --clients 16 --seconds 15 /dossiers/
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import threading
import time
from typing import Any


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cookie", default="", help="NAME=VALUE of the session cookie (none: anonymous)")
    parser.add_argument("--clients", type=int, default=1)
    parser.add_argument("--requests", type=int, default=0, help="stop after this many requests in all (0 = no limit)")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after this many seconds (0 = no limit)")
    parser.add_argument("--pause", type=float, default=0.0, help="mean pause per client between requests (s)")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost"):
        raise SystemExit("the load generator only talks to 127.0.0.1")
    if not args.requests and not args.seconds:
        raise SystemExit("give --requests or --seconds: every phase must stop by itself")

    headers = {
        "Host": f"{args.host}:{args.port}",
        "X-Forwarded-Proto": "https",
        "Accept": "text/html",
    }
    if args.cookie:
        headers["Cookie"] = args.cookie
    lock = threading.Lock()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    deadline = time.monotonic() + args.seconds if args.seconds else float("inf")

    def take_ticket() -> bool:
        nonlocal issued
        with lock:
            if args.requests and issued >= args.requests:
                return False
            issued += 1
            return True

    def client(index: int) -> None:
        rng = random.Random(index)
        n = index
        while time.monotonic() < deadline and take_ticket():
            path = args.paths[n % len(args.paths)]
            n += 1
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(args.host, args.port, timeout=60)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                status = response.status
            except OSError as exc:
                status = type(exc).__name__  # type: ignore[assignment]
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
            if args.pause:
                time.sleep(rng.uniform(0.8 * args.pause, 1.2 * args.pause))

    usage_start = resource.getrusage(resource.RUSAGE_SELF)
    wall_start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall_start
    usage_end = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (usage_end.ru_utime - usage_start.ru_utime) + (usage_end.ru_stime - usage_start.ru_stime)
    result: dict[str, Any] = {
        "clients": args.clients,
        "completed": len(latencies),
        "errors": errors,
        "wall_s": wall,
        "throughput_rps": len(latencies) / wall if wall else 0.0,
        "median_ms": statistics.median(latencies) if latencies else float("nan"),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies) if latencies else float("nan"),
        "loadgen_cpu_s": cpu,
        "loadgen_cpu_share": cpu / (wall * (os.cpu_count() or 1)) if wall else 0.0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
