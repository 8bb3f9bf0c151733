"""``partage demo`` killed during its month (SIGKILL, as a power cut would) finishes the
month on its next run, without doing an act twice: the database ends as an uninterrupted
run of the same month leaves it, table by table, and its books balance."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from partage.core.platform.db.engine import make_engine
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.pg_databases import Databases

#: The month and size of the demo each test lives: small, so that a run takes seconds.
DEMO = ["demo", "--members", "10", "--month", "2026-03", "--seed", "3"]
SCRIPT = Path(sys.executable).parent / "partage"


@pytest.fixture
def second_url(database_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another empty database on the backend of ``database_url``, for the run left alone."""
    if database_url.startswith("sqlite"):
        yield database_url.replace("partage.db", "uninterrupted.db")
        return
    databases: Databases = request.getfixturevalue("postgres_databases")
    url = databases.new()
    yield url
    databases.release(url)


def steps(engine: Engine) -> int:
    """How many steps of the month the journal holds (0 before the schema exists)."""
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM simulation_step")).scalar())
    except DBAPIError:  # not migrated yet, or the demo holds a write lock on SQLite
        return 0


def kill_after(url: str, engine: Engine, step: int) -> None:
    """Start ``partage demo`` and kill it with SIGKILL once its journal holds ``step``
    steps; it must have been killed before finishing the month."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTAGE_")}
    demo = subprocess.Popen(
        [str(SCRIPT), "--database-url", url, *DEMO],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        while demo.poll() is None and steps(engine) < step:
            time.sleep(0.005)
        demo.send_signal(signal.SIGKILL)
    finally:
        _, err = demo.communicate(timeout=60)
    assert demo.returncode == -signal.SIGKILL, err.decode()


#: The kept balances are counted by key, with their sums: a balance may be held in as
#: many parts (slots) as there were concurrent connections.
KEPT = (
    "SELECT count(*), coalesce(sum(debit), 0), coalesce(sum(credit), 0) FROM "
    "(SELECT sum(debit) AS debit, sum(credit) AS credit FROM account_balance "
    "GROUP BY book_id, account_id, month, kind) AS kept"
)


def counts(engine: Engine) -> dict[str, int]:
    """The number of rows of every table but the schema's version (of the kept
    balances: their keys, and their sums)."""
    tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
    with engine.connect() as connection:
        found = {
            t: int(connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in tables
            if t != "account_balance"
        }
        keys, debit, credit = connection.execute(text(KEPT)).one()
    return found | {
        "account_balance": int(keys),
        "account_balance debit": int(debit),
        "account_balance credit": int(credit),
    }


def unbalanced(engine: Engine) -> list[object]:
    """Entries whose debits and credits differ."""
    with engine.connect() as connection:
        return list(
            connection.execute(
                text(
                    "SELECT entry_id FROM journal_line GROUP BY entry_id "
                    "HAVING sum(debit) <> sum(credit)"
                )
            )
        )


def invoices(engine: Engine) -> list[tuple[object, ...]]:
    """Every invoice's number, day and amounts, in number order."""
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text("SELECT number, issued_on, net, vat FROM invoice ORDER BY number")
            )
        ]


def test_a_demo_killed_during_its_month_finishes_it_without_doing_an_act_twice(
    capsys: pytest.CaptureFixture[str], database_url: str, second_url: str
) -> None:
    code, out, err = run(["--database-url", second_url, *DEMO], capsys)
    assert code == 0, err
    alone = make_engine(second_url)
    expected, total = counts(alone), steps(alone)
    expected_invoices = invoices(alone)
    alone.dispose()
    assert expected["invoice"] > 0 and expected["payslip"] > 0 and total > 100

    engine = make_engine(database_url)
    try:
        # Killed among the newcomers, in the middle of the month's acts, and near its
        # end: each later run resumes what the one before it committed.
        for step in (5, total // 2, total - 5):
            kill_after(database_url, engine, step)
        code, out, err = run(["--database-url", database_url, *DEMO], capsys)
        assert code == 0, err
        assert "Activity: March 2026 was interrupted; finishing it as it was started" in out
        replayed = re.search(r"; (\d+) steps taken from the interrupted run", out)
        assert replayed and total - 5 <= int(replayed.group(1)) <= total, out
        assert "difference 0.00 EUR" in out
        assert counts(engine) == expected
        assert invoices(engine) == expected_invoices
        assert unbalanced(engine) == []
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        # Finished, the month is simulated like any other: the next run goes on.
        code, out, err = run(["--database-url", database_url, "demo", "--members", "10"], capsys)
        assert code == 0, err
        assert "Activity: April 2026 simulated (seed 0, the month after" in out
    finally:
        engine.dispose()


@pytest.mark.sqlite
def test_an_interrupted_month_is_finished_before_another_is_asked_for(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    engine = make_engine(sqlite_url)
    try:
        kill_after(sqlite_url, engine, 20)
    finally:
        engine.dispose()
    code, _, err = run(["--database-url", sqlite_url, *DEMO[:3], "--month", "2026-04"], capsys)
    assert (code, err.strip()) == (
        1,
        "partage: error: month: 2026-03 was interrupted before it ended; "
        "run the demo without --month to finish it first",
    )
    code, out, err = run(["--database-url", sqlite_url, "demo", "--members", "10"], capsys)
    assert code == 0, err
    assert "Activity: March 2026 simulated (seed 3, first month)" in out
