"""Load benchmark of the JSON API: concurrent clients on loopback, SQLite and PostgreSQL.

The application is served by uvicorn in a child process (forked, so it owns its own
interpreter and GIL); the clients are threads of this process, each logged in as a
different member and working on its own entity, as members do. Two scenarios:

* ``invoice``: ``POST /api/v1/entities/{code}/invoices`` (one transaction: numbering,
  VAT per line, fee, entries in two books, audit);
* ``dashboard``: ``GET /api/v1/entities/{code}`` (funds, guarantee, open invoices, last
  payslips, the books in plain words).

It reports requests per second and the p50/p99 latency of each, and the count of
answers other than the expected status (there should be none). Nothing asserts a
threshold. The world is the test suite's Testland instance (tests/engine_support.py).

Usage (from the repository root)::

    python benchmarks/api_load.py                                  # both backends
    python benchmarks/api_load.py --backend sqlite --clients 4 --requests 50
    python benchmarks/api_load.py --output results.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from partage.core.access.logins import create_user
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_person, web_site

PG_ADMIN = os.environ.get(
    "PARTAGE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark password"
LINES = [{"description": "Work", "quantity": "3", "unit_price": "120.00"}]


@dataclass(frozen=True)
class Result:
    """One scenario on one backend.

    Attributes:
        backend: sqlite or postgresql.
        scenario: invoice or dashboard.
        clients: concurrent clients.
        requests: requests sent in all.
        unexpected: answers with another status than expected.
        seconds: wall time.
        per_second: requests per second.
        p50_ms, p99_ms: latency percentiles in milliseconds.
    """

    backend: str
    scenario: str
    clients: int
    requests: int
    unexpected: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database(backend: str, folder: Path) -> tuple[str, Callable[[], None]]:
    """An empty database and how to drop it."""
    if backend == "sqlite":
        return f"sqlite:///{folder / 'load.db'}", lambda: None
    name = f"partage_load_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin.url.set(database=name).render_as_string(hide_password=False), drop


def prepare(url: str, clients: int) -> tuple[Site, list[tuple[str, str]]]:
    """The Testland world plus one member, entity and login per client."""
    site = web_site(make_engine(url))
    assert isinstance(site, Site)
    accounts = []
    with transaction(site.sessions) as session:
        for index in range(clients):
            number = 100 + index
            member = membership.admit_member(
                session,
                site.coop,
                web_person(number, f"Load{index}"),  # type: ignore[arg-type]
                share_class="A",
                shares=1,
                on=WEB_DAY,
                actor="benchmark",
            )
            entity = members.open_entity(
                session,
                site.coop,
                holders=[member.number],
                name=f"Load {index}",
                kind="freelance",
                office="cap",
                on=WEB_DAY,
                actor="benchmark",
            )
            username = f"load{index}"
            create_user(
                session,
                site.hasher,
                username=username,
                password=PASSWORD,
                role="member",
                member=member.number,
                actor="benchmark",
            )
            accounts.append((username, entity.code))
    return site, accounts


def serve(site: Site, port: int) -> None:
    """The child process: drop the parent's connections, then serve."""
    bind = site.sessions.kw["bind"]
    bind.dispose(close=False)
    uvicorn.run(create_app(site), host="127.0.0.1", port=port, log_level="warning")


def wait_until_up(base: str, child: multiprocessing.Process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not child.is_alive():
            raise SystemExit("the server process died")
        try:
            httpx.get(f"{base}/api/v1/schema/openapi.json", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start within 60 s")


def drive(
    base: str, accounts: Sequence[tuple[str, str]], scenario: str, per_client: int
) -> tuple[list[float], int, float]:
    """Run ``per_client`` requests from each client at once; latencies and errors."""

    def one_client(account: tuple[str, str]) -> tuple[list[float], int]:
        username, code = account
        with httpx.Client(base_url=base, timeout=60) as client:
            token = client.post(
                "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
            ).json()["token"]
            client.headers["Authorization"] = f"Bearer {token}"
            times, bad = [], 0
            for _ in range(per_client):
                started = time.perf_counter()
                if scenario == "invoice":
                    answer = client.post(
                        f"/api/v1/entities/{code}/invoices",
                        json={"client": "C000001", "lines": LINES},
                    )
                    bad += answer.status_code != 201
                else:
                    answer = client.get(f"/api/v1/entities/{code}")
                    bad += answer.status_code != 200
                times.append(time.perf_counter() - started)
            return times, bad

    started = time.perf_counter()
    with ThreadPoolExecutor(len(accounts)) as pool:
        results = list(pool.map(one_client, accounts))
    elapsed = time.perf_counter() - started
    latencies = [t for times, _ in results for t in times]
    return latencies, sum(bad for _, bad in results), elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(backend: str, clients: int, requests: int) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        url, drop = database(backend, Path(folder))
        try:
            site, accounts = prepare(url, clients)
            port = free_port()
            context = multiprocessing.get_context("fork")
            child = context.Process(target=serve, args=(site, port), daemon=True)
            child.start()
            base = f"http://127.0.0.1:{port}"
            try:
                wait_until_up(base, child)
                per_client = max(1, requests // clients)
                for scenario in ("invoice", "dashboard"):
                    latencies, bad, elapsed = drive(base, accounts, scenario, per_client)
                    results.append(
                        Result(
                            backend,
                            scenario,
                            clients,
                            len(latencies),
                            bad,
                            round(elapsed, 3),
                            round(len(latencies) / elapsed, 1),
                            round(statistics.median(latencies) * 1000, 1),
                            round(percentile(latencies, 0.99) * 1000, 1),
                        )
                    )
            finally:
                if child.pid is not None:
                    os.kill(child.pid, signal.SIGTERM)
                child.join(timeout=10)
            site.sessions.kw["bind"].dispose()
        finally:
            drop()
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=400, help="requests per scenario")
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    args = parser.parse_args(argv)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    results = [r for backend in backends for r in run(backend, args.clients, args.requests)]
    print(
        f"{'backend':<11} {'scenario':<10} {'clients':>7} {'requests':>8} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'unexpected':>10}"
    )
    for r in results:
        print(
            f"{r.backend:<11} {r.scenario:<10} {r.clients:>7} {r.requests:>8} "
            f"{r.per_second:>8} {r.p50_ms:>8} {r.p99_ms:>8} {r.unexpected:>10}"
        )
    if args.output:
        args.output.write_text(
            json.dumps(
                {
                    "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
                    "results": [asdict(r) for r in results],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
