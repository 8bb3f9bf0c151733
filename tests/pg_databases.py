"""The PostgreSQL databases of one test process: one for each test, copies of built
worlds, and a pool of emptied databases to hand out.

On PostgreSQL, emptying a database between tests (``DROP SCHEMA public CASCADE``),
migrating it and building a test world again cost seconds per test, where SQLite
copies a file. The server can clone a database just as cheaply (``CREATE DATABASE ...
TEMPLATE``, a tenth of a second), so a migrated schema or a world built once is kept as
a template database, and later tests get a clone of it as their database
(:mod:`tests.schema_template`).

What costs here is dropping a database: the server checkpoints on every ``DROP
DATABASE``, about a second on this kind of disk. So no database is dropped until the
process ends: a test's database, once the test is done, is emptied by a background
thread while the next tests run, and goes back to the pool; a clone takes its test's
database name, and the empty database it replaces goes back to the pool under another
name. The process holds as many databases as it had in use at once, plus its
templates, and drops them all when its session ends.

Every database is set to ``synchronous_commit = off``: a test's commits do not wait for
the disk, which nothing in a test needs (the server still never loses consistency).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import uuid
from collections.abc import Hashable
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from partage.core.platform.db.engine import make_engine


class Databases:
    """The databases of one test process on one PostgreSQL server, all named
    ``partage_test_<worker>_<random>_...``."""

    def __init__(self, admin_url: str, worker: str) -> None:
        self.admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.prefix = f"partage_test_{worker}_{uuid.uuid4().hex[:6]}"
        self.templates: dict[Hashable, tuple[str, Any]] = {}
        self._count = 0
        self._empty: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._used: queue.Queue[str | None] = queue.Queue()
        self._cleaner = threading.Thread(target=self._clean_behind, daemon=True)
        self._cleaner.start()

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
        self._empty.put(spare)
        self._create(name, template)
        return extra

    def close(self) -> None:
        """Wait for the cleaning thread, then drop every database of this process."""
        self._used.put(None)
        self._cleaner.join()
        with self.admin.connect() as connection:
            names = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"),
                {"prefix": f"{self.prefix}_%"},
            ).scalars()
            for name in list(names):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()

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


def _evict(name: str) -> str:
    """The statement that ends every other connection to database ``name``."""
    return (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )


#: This process's databases, once a PostgreSQL test asked for one.
CURRENT: Databases | None = None
