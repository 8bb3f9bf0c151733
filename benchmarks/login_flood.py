"""Dashboards under a flood of bad logins: does guessing passwords stall the others?

The application is served by uvicorn in a child process (see ``api_load.py``), with
argon2's production parameters (64 MiB, t=3, p=4). Eight members read their entity's
dashboard in a loop while 64 clients send bad logins at once. Three floods:

* ``none``: the dashboards alone;
* ``spread``: each bad login from another address (``X-Forwarded-For``, as a botnet
  would), so no delay applies and every attempt costs a hash — the limiter alone
  keeps the hashing to its slots;
* ``one-address``: every bad login from one address, which the login delays slow down
  before any hash.

``--slots`` sets how many hashes run at once (the default is the application's); a
large number shows what an unbounded hashing would do. It reports the dashboards' p50
and p99 latency and how many bad logins were answered (401) or slowed down (429).
Nothing asserts a threshold.

Usage (from the repository root)::

    python benchmarks/login_flood.py
    python benchmarks/login_flood.py --slots 64 --seconds 10
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from argon2 import PasswordHasher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.api_load import PASSWORD, database, free_port, prepare, serve, wait_until_up
from partage.core.web.accounts import signin
from partage.core.web.site import Site

READERS = 8
FLOODERS = 64


def serve_with(site: Site, port: int, slots: int) -> None:
    signin.HASHING_SLOTS = slots
    serve(site, port)


def run(flood: str, seconds: float, slots: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        url, drop = database("sqlite", Path(folder))
        site, accounts = prepare(url, READERS)
        site.hasher = PasswordHasher()  # production parameters, not the tests' cheapest
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        child = multiprocessing.get_context("fork").Process(
            target=serve_with, args=(site, port, slots)
        )
        child.start()
        try:
            wait_until_up(base, child)
            tokens = [
                httpx.post(
                    f"{base}/api/v1/auth/login",
                    json={"username": name, "password": PASSWORD},
                    timeout=60,
                ).json()["token"]
                for name, _ in accounts
            ]
            stop = threading.Event()
            answers: Counter[int] = Counter()

            def flooder(index: int) -> None:
                n = 0
                with httpx.Client(base_url=base, timeout=120) as client:
                    while not stop.is_set():
                        n += 1
                        address = f"10.{index}.{n // 250 % 250}.{n % 250}"
                        if flood == "one-address":
                            address = "203.0.113.1"
                        answer = client.post(
                            "/api/v1/auth/login",
                            json={"username": f"nobody{index}", "password": "wrong guess!"},
                            headers={"X-Forwarded-For": address},
                        )
                        answers[answer.status_code] += 1

            def reader(number: int) -> list[float]:
                token, (_, code) = tokens[number], accounts[number]
                took = []
                with httpx.Client(base_url=base, timeout=120) as client:
                    deadline = time.monotonic() + seconds
                    while time.monotonic() < deadline:
                        start = time.perf_counter()
                        client.get(
                            f"/api/v1/entities/{code}",
                            headers={"Authorization": f"Bearer {token}"},
                        )
                        took.append((time.perf_counter() - start) * 1000)
                return took

            with ThreadPoolExecutor(FLOODERS + READERS) as pool:
                floods = (
                    [pool.submit(flooder, i) for i in range(FLOODERS)] if flood != "none" else []
                )
                time.sleep(1 if floods else 0)
                latencies = [t for f in [pool.submit(reader, i) for i in range(READERS)]
                             for t in f.result()]  # fmt: skip
                stop.set()
                for f in floods:
                    f.result()
        finally:
            child.terminate()
            child.join()
            drop()
    ordered = sorted(latencies)
    return {
        "flood": flood,
        "slots": slots,
        "dashboards": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
        "bad_logins": dict(sorted(answers.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--slots", type=int, default=signin.HASHING_SLOTS)
    parser.add_argument("--flood", choices=["none", "spread", "one-address", "all"], default="all")
    options = parser.parse_args()
    floods = ["none", "spread", "one-address"] if options.flood == "all" else [options.flood]
    for flood in floods:
        print(run(flood, options.seconds, options.slots), flush=True)


if __name__ == "__main__":
    main()
