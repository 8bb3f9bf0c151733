"""The PostgreSQL databases of one test process: one for each test, copies of built
worlds, and a pool of emptied databases to hand out.

On PostgreSQL, emptying a database between tests (``DROP SCHEMA public CASCADE``),
migrating it and building a test world again cost seconds per test, where SQLite
copies a file. The server can clone a database just as cheaply (``CREATE DATABASE ...
TEMPLATE``, a tenth of a second), so a migrated schema or a world built once is kept as
a template database, and later tests get a clone of it as their database
(:mod:`tests.schema_template`).

What costs here is dropping a database: the server checkpoints on every ``DROP
DATABASE``, up to a second on a slow disk. So the tests never wait for one: a test's
database, once the test is done, is emptied by a background thread while the next
tests run, and goes back to the pool; a clone takes its test's database name, and the
empty database it replaces is renamed (which is immediate) and dropped by another
background thread. The process holds about as many databases as it has in use at
once, plus its templates, and drops them all when its session ends.

Every database is set to ``synchronous_commit = off``: a test's commits do not wait for
the disk, which nothing in a test needs (the server still never loses consistency).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import sys
import threading
import uuid
from collections.abc import Hashable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from partage.core.platform.db.engine import make_engine

#: Threads dropping databases behind the tests, in each test process.
DROPPERS = 3


class Databases:
    """The databases of one test process on one PostgreSQL server, all named
    ``partage_test_<worker>_<random>_...``."""

    def __init__(self, admin_url: str, worker: str) -> None:
        self.admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"partage_test_{worker}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.templates: dict[Hashable, tuple[str, Any]] = {}
        self._count = 0
        self._empty: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._used: queue.Queue[str | None] = queue.Queue()
        self._doomed: queue.Queue[str | None] = queue.Queue()
        # Drops run side by side: the checkpoint each one asks for then serves several.
        self._behind = [
            threading.Thread(target=self._clean_behind, daemon=True),
            *(threading.Thread(target=self._drop_behind, daemon=True) for _ in range(DROPPERS)),
        ]
        for thread in self._behind:
            thread.start()
        for name in _matching(self.admin, "partage_test_%"):
            if (pid := re.match(r"partage_test_[^_]+_(\d+)_[0-9a-f]{6}_", name)) and not _alive(
                int(pid[1])
            ):
                self._doomed.put(name)  # left by a run that was killed

    # --- what tests ask for -------------------------------------------------------------
    def new(self) -> str:
        """The URL of an empty database, for one test."""
        try:
            name = self._empty.get_nowait()
        except queue.Empty:
            name = self._name("db")
            self._create(name, "template0")
        return self._url(name)

    def release(self, url: str) -> None:
        """The test of ``url`` is done: empty its database in the background, for another."""
        name = make_url(url).database
        assert name is not None
        self._used.put(name)

    def keep(self, engine: Engine, key: Hashable, extra: Any) -> None:
        """Keep the database of ``engine`` (just built) as the template of ``key``."""
        name = engine.url.database
        assert name is not None
        template = self._name("template")
        engine.dispose()
        self._execute(_evict(name), f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        self.templates[key] = (template, extra)

    def copy(self, engine: Engine, key: Hashable) -> Any:
        """Make the (empty) database of ``engine`` a clone of the template of ``key``;
        the extra kept with that template."""
        template, extra = self.templates[key]
        name = engine.url.database
        assert name is not None
        spare = self._name("db")
        engine.dispose()
        self._execute(_evict(name), f'ALTER DATABASE "{name}" RENAME TO "{spare}"')
        self._doomed.put(spare)
        self._create(name, template)
        return extra

    def close(self) -> None:
        """Stop the threads behind the tests, then leave every database of this process
        to a detached process that drops them: the test run does not wait for the
        server's checkpoints (a run killed before that is swept by the next one)."""
        for backlog in (self._used, self._doomed):
            while True:
                try:
                    backlog.get_nowait()
                except queue.Empty:
                    break
        self._used.put(None)
        for _ in range(DROPPERS):
            self._doomed.put(None)
        for thread in self._behind:
            thread.join()
        admin = self.admin.url.render_as_string(hide_password=False)
        self.admin.dispose()
        subprocess.Popen(
            [sys.executable, "-m", "tests.pg_databases", admin, f"{self.prefix}_%"],
            cwd=Path(__file__).parents[1],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    # --- the work ---------------------------------------------------------------------------
    def _name(self, kind: str) -> str:
        self._count += 1
        return f"{self.prefix}_{kind}{self._count}"

    def _url(self, name: str) -> str:
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, *statements: str) -> None:
        with self.admin.connect() as connection:
            for statement in statements:
                connection.execute(text(statement))

    def _create(self, name: str, template: str) -> None:
        self._execute(
            f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
            f'ALTER DATABASE "{name}" SET synchronous_commit TO off',
        )

    def _clean_behind(self) -> None:
        """Empty each database a test is done with, then hand it out again; one that
        cannot be emptied is left for :meth:`close` to drop."""
        while (name := self._used.get()) is not None:
            with contextlib.suppress(Exception):
                self._execute(_evict(name))
                engine = make_engine(self._url(name))
                try:
                    with engine.begin() as connection:
                        connection.execute(text("DROP SCHEMA public CASCADE"))
                        connection.execute(text("CREATE SCHEMA public"))
                finally:
                    engine.dispose()
                self._empty.put(name)

    def _drop_behind(self) -> None:
        """Drop each database a clone took the name of."""
        while (name := self._doomed.get()) is not None:
            _drop(self.admin, name)


def _evict(name: str) -> str:
    """The statement that ends every other connection to database ``name``."""
    return (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _drop_all(admin_url: str, pattern: str) -> None:
    """Drop every database whose name matches ``pattern``, a few at a time."""
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with ThreadPoolExecutor(DROPPERS) as pool:
        list(pool.map(lambda name: _drop(admin, name), _matching(admin, pattern)))
    admin.dispose()


def _matching(admin: Engine, pattern: str) -> list[str]:
    """The names of the databases that match ``pattern`` (SQL ``LIKE``)."""
    with admin.connect() as connection:
        return list(
            connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                {"pattern": pattern},
            ).scalars()
        )


def _drop(admin: Engine, name: str) -> None:
    """Drop database ``name``; one that cannot be dropped now is left to a later sweep."""
    with contextlib.suppress(Exception), admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    _drop_all(sys.argv[1], sys.argv[2])


#: This process's databases, once a PostgreSQL test asked for one.
CURRENT: Databases | None = None
