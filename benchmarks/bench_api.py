"""HTTP overhead of the service: requests per second and p50/p99 latency of POST /match on
loopback against a real server process, with the in-process ranking time beside it.

Run: ``make bench-api`` (or ``python benchmarks/bench_api.py [--workers N] [--clients N]``).
Target on the 2-core machine: p50 under 10 ms and at least 500 requests/s.

Two phases, every figure from this run:
1. latency: one client, one keep-alive connection, requests one after another (no queueing);
2. throughput: ``--clients`` client processes, each a keep-alive connection sending as fast
   as answers come, for ``--seconds``; latency under that load too.
The load generator runs on the same machine and takes CPU from the server: the figures are
a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import socket
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher import Catalog, load_profile, rank  # noqa: E402
from matcher.learn.model_store import load_best_ranker  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

PROFILE = ROOT / "examples" / "data_centre.json"
# Throughput is the point here, not the per-client rate limit (all load comes from one address).
os.environ.setdefault("KAINUU_RATE_LIMIT_ANONYMOUS", "100000000/minute")
PATH = "/api/v1/match?top=10"


def _client(port: int, body: bytes, seconds: float, warmup: int, out: mp.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # else Nagle + delayed ACK add 40 ms
    headers = {"Content-Type": "application/json"}
    for _ in range(warmup):
        conn.request("POST", PATH, body, headers)
        conn.getresponse().read()
    times, errors = [], 0
    end = time.perf_counter() + seconds
    while (t0 := time.perf_counter()) < end:
        conn.request("POST", PATH, body, headers)
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t0)
        errors += r.status != 200
    conn.close()
    out.put((times, errors))


def _run(port: int, body: bytes, clients: int, seconds: float) -> tuple[list[float], int, float]:
    q: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_client, args=(port, body, seconds, 50, q)) for _ in range(clients)]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    wall = time.perf_counter() - t0
    times = [t for ts, _ in results for t in ts]
    return times, sum(e for _, e in results), min(wall, seconds + 1e-9)


def pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workers", type=int, default=2, help="server processes")
    ap.add_argument("--clients", type=int, default=2, help="load-generator processes in phase 2 (one per core)")
    ap.add_argument("--seconds", type=float, default=10.0)
    a = ap.parse_args()
    body = PROFILE.read_bytes()

    catalog, ranker, prof = Catalog.load(), load_best_ranker(), load_profile(PROFILE)
    inproc = []
    for i in range(600):
        t0 = time.perf_counter()
        orjson.dumps(rank(prof, catalog, top=10, ranker=ranker).as_dict(), option=orjson.OPT_SERIALIZE_NUMPY)
        if i >= 100:
            inproc.append(time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as tmp, \
            ServerProcess(f"sqlite:///{tmp}/bench.sqlite", workers=a.workers) as server:
        lat, err1, _ = _run(server.port, body, 1, a.seconds / 2)
        load, err2, wall = _run(server.port, body, a.clients, a.seconds)

    print(f"POST /match (examples/data_centre.json, top 10, scope kainuu); server workers={a.workers}, "
          f"machine cores={mp.cpu_count()}")
    print(f"{'measurement':<48}{'requests':>10}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'in-process rank + orjson (no HTTP)':<48}{len(inproc):>10}{len(inproc) / sum(inproc):>10.0f}"
          f"{pct(inproc, .5):>10.2f}{pct(inproc, .99):>10.2f}")
    print(f"{'HTTP, 1 client, sequential':<48}{len(lat):>10}{len(lat) / sum(lat):>10.0f}"
          f"{pct(lat, .5):>10.2f}{pct(lat, .99):>10.2f}")
    print(f"{f'HTTP, {a.clients} clients, saturating':<48}{len(load):>10}{len(load) / wall:>10.0f}"
          f"{pct(load, .5):>10.2f}{pct(load, .99):>10.2f}")
    print(f"HTTP overhead at p50 (sequential): {pct(lat, .5) - pct(inproc, .5):.2f} ms; non-200 answers: "
          f"{err1 + err2}")
    ok = pct(lat, .5) < 10 and len(load) / wall >= 500
    print(f"target p50 < 10 ms and >= 500 req/s: {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
