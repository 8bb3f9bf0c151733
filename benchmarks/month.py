"""Benchmark of one month of activity of a large national instance, through the acts.

What it measures, on SQLite and on PostgreSQL: a fresh database of the Belgian
instance (its country plugin, chart and offices, as ``partage demo`` sets it up) lives
one month of :func:`partage.core.demo.month.simulate_month` at the reference size —
10,000 entities (about 8,300 members), 30,000 invoices, 20,000 payments and a payroll
run of up to 10,000 payslips, with the quotes, purchases, expense claims, credit notes
and client default that go with them. Every act goes through the service layer, one
transaction each (the payroll run is one transaction), with every rule checked.

It reports, per act kind, how many were done and refused, the time spent, the acts
per second and the statements each act sent to the database (its round trips, less
its BEGIN and COMMIT), then the total; with ``--profile``, the functions where the time went
(cProfile, by cumulative and by own time). Nothing here asserts a threshold.

Usage::

    python benchmarks/month.py --backend all                   # the reference size
    python benchmarks/month.py --backend sqlite --scale 0.02   # 200 entities, a smoke run
    python benchmarks/month.py --scale 0.05 --profile          # where the time goes

PostgreSQL is reached at ``PARTAGE_BENCH_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``); the script creates a database named
``partage_bench_month_<random>`` there and drops it at the end, even on error.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from partage.core.acts.cooperative import Cooperative
from partage.core.demo.meter import ACT_KIND
from partage.core.demo.month import MonthReport, Volume, simulate_month
from partage.core.members.instance import bootstrap
from partage.core.platform.db.engine import make_engine
from partage.core.platform.runtime import build_runtime

REFERENCE_ENTITIES = 10_000
DEFAULT_PG_URL = os.environ.get(
    "PARTAGE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
MONTH = date(2026, 5, 1)


@contextlib.contextmanager
def fresh_database(backend: str, admin_url: str) -> Iterator[str]:
    """The URL of an empty database of ``backend``, removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="partage_bench_month_") as folder:
            yield f"sqlite:///{Path(folder) / 'month.db'}"
        return
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"partage_bench_month_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_month(
    backend: str, volume: Volume, seed: int, instance: str, profile: bool, admin_url: str
) -> dict[str, Any]:
    """Set up a fresh instance, live the month, return the measures."""
    with (
        fresh_database(backend, admin_url) as url,
        build_runtime(instance, database_url=url) as runtime,
    ):
        config = runtime.config
        bootstrap(
            runtime.engine,
            config.instance,
            runtime.plugins,
            actor="benchmark",
            fiscal_year_start_month=config.fiscal_year_start_month,
        )
        coop = Cooperative.from_runtime(runtime)
        statements: Counter[str] = Counter()
        kept: Counter[str] = Counter()

        def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
            kind = ACT_KIND.get()
            if kind is not None:
                statements[kind] += 1
                # on PostgreSQL the lines' insert adds to them in the same statement
                if "INSERT INTO account_balance" in sql:
                    kept[kind] += 1

        # one per statement sent, an executemany counted once (one round trip on
        # psycopg's pipeline and on SQLite's in-process calls)
        event.listen(runtime.engine, "before_cursor_execute", count)
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        report = simulate_month(runtime.sessions, coop, MONTH, volume, seed=seed, actor="benchmark")
        if profiler is not None:
            profiler.disable()
        elapsed = time.perf_counter() - started
    result = measures(backend, report, elapsed)
    for kind, row in result["kinds"].items():
        attempts = row["done"] + row["refused"]
        row["statements_per_act"] = round(statements[kind] / attempts, 1) if attempts else None
        # of which adding to the kept balances (one per post: on PostgreSQL the lines'
        # insert itself, on SQLite a statement of its own)
        row["balance_statements_per_act"] = round(kept[kind] / attempts, 1) if attempts else None
    if profiler is not None:
        result["profile"] = profile_summary(profiler)
    return result


def measures(backend: str, report: MonthReport, elapsed: float) -> dict[str, Any]:
    """Per act kind: done, refused, skipped, seconds and acts per second."""
    meter = report.meter
    refused: dict[str, int] = {}
    for (kind, _), n in meter.refused.items():
        refused[kind] = refused.get(kind, 0) + n
    rates = meter.rates()
    kinds = {
        kind: {
            "done": meter.done.get(kind, 0),
            "refused": refused.get(kind, 0),
            "skipped": meter.skipped.get(kind, 0),
            "seconds": round(seconds, 3),
            "acts_per_second": round(rates.get(kind, 0.0), 1),
        }
        for kind, seconds in sorted(meter.seconds.items())
    }
    done = sum(meter.done.values())
    attempted = done + sum(refused.values())
    return {
        "backend": backend,
        "kinds": kinds,
        "done": done,
        "refused": sum(refused.values()),
        "seconds_in_acts": round(meter.total_seconds, 2),
        "seconds_total": round(elapsed, 2),
        "acts_per_second": round(attempted / meter.total_seconds, 1),
        "refusals": {f"{k} {e}": meter.examples[k, e] for k, e in sorted(meter.refused)},
    }


def profile_summary(profiler: cProfile.Profile, rows: int = 30) -> str:
    """The functions that took the most time, cumulative then own time."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write("--- by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(rows)
    out.write("--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(rows)
    return out.getvalue()


def show(result: dict[str, Any]) -> None:
    print(f"\n== {result['backend']} ==")
    print(
        f"{'act':<20}{'done':>8}{'refused':>9}{'skipped':>9}{'seconds':>10}{'acts/s':>9}"
        f"{'stmts/act':>11}"
    )
    for kind, row in result["kinds"].items():
        per_act = row.get("statements_per_act")
        print(
            f"{kind:<20}{row['done']:>8}{row['refused']:>9}{row['skipped']:>9}"
            f"{row['seconds']:>10.2f}{row['acts_per_second']:>9.1f}"
            f"{'' if per_act is None else per_act:>11}"
        )
    print(
        f"{'total':<20}{result['done']:>8}{result['refused']:>9}{'':>9}"
        f"{result['seconds_in_acts']:>10.2f}{result['acts_per_second']:>9.1f}"
        f"   (wall {result['seconds_total']:.1f} s with planning and reads)"
    )
    for what, example in result["refusals"].items():
        print(f"  refused {what}: e.g. {example}")
    if "profile" in result:
        print(result["profile"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "all"), default="all")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help=f"fraction of the reference size ({REFERENCE_ENTITIES} entities)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--instance", default="be")
    parser.add_argument("--profile", action="store_true", help="print a cProfile summary")
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    parser.add_argument("--postgres-url", default=DEFAULT_PG_URL)
    args = parser.parse_args(argv)
    volume = Volume.for_entities(max(1, round(REFERENCE_ENTITIES * args.scale)))
    backends = ["sqlite", "postgresql"] if args.backend == "all" else [args.backend]
    print(f"month of activity: {asdict(volume)}")
    print(f"python {platform.python_version()} on {platform.platform()}")
    results = []
    for backend in backends:
        result = run_month(
            backend, volume, args.seed, args.instance, args.profile, args.postgres_url
        )
        show(result)
        results.append(result)
    if args.output:
        args.output.write_text(
            json.dumps({"volume": asdict(volume), "results": results}, indent=2) + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
