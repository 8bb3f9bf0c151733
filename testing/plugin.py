"""The pytest plugin Partage registers under ``pytest11``.

It gives the conformance suite (:class:`partage.testing.ConformanceSuite`) what it needs
in any country package, with no conftest to copy: the plugin under test, built once per
test class, and an empty database per test on each backend asked for.

- ``--partage-backends sqlite,postgresql`` (default: ``PARTAGE_TEST_BACKENDS``, else
  ``sqlite``) chooses the backends of the scripted month;
- ``PARTAGE_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
  is the server where each PostgreSQL case creates, then drops, a database of its own;
  where none answers, those cases are skipped with the reason.

Every fixture is named ``partage_*`` so that it never shadows a project's own. The
plugin imports nothing heavy at start-up: a project that does not use the suite pays
nothing for it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from partage.testing.subject import Subject

pytest.register_assert_rewrite("partage.testing.conformance", "partage.testing.month")

BACKENDS = ("sqlite", "postgresql")
BACKENDS_ENV = "PARTAGE_TEST_BACKENDS"
POSTGRES_ENV = "PARTAGE_TEST_POSTGRES_URL"
POSTGRES_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("partage", "Partage conformance suite")
    group.addoption(
        "--partage-backends",
        default=None,
        help="database backends of the conformance suite's scripted month, comma separated "
        f"({', '.join(BACKENDS)}; default: {BACKENDS_ENV}, else sqlite)",
    )


CHOSEN_BACKENDS = pytest.StashKey[list[str]]()


def backends(config: pytest.Config) -> list[str]:
    """The backends asked for, each checked against the known ones."""
    raw = config.getoption("partage_backends") or os.environ.get(BACKENDS_ENV) or "sqlite"
    chosen = [name.strip() for name in raw.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BACKENDS]
    if unknown:
        raise pytest.UsageError(
            f"--partage-backends / {BACKENDS_ENV}: {', '.join(unknown)} not one of "
            f"{', '.join(BACKENDS)}"
        )
    return chosen


def pytest_configure(config: pytest.Config) -> None:
    config.stash[CHOSEN_BACKENDS] = backends(config)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "partage_backend" in metafunc.fixturenames:
        chosen: list[str] = metafunc.config.stash[CHOSEN_BACKENDS]
        metafunc.parametrize("partage_backend", chosen)


@pytest.fixture(scope="class")
def partage_subject(request: pytest.FixtureRequest) -> Subject:
    """The country plugin the test class names (``country``, ``plugin``, ``examples``)."""
    from partage.core.contract.errors import PartageError
    from partage.testing.subject import build_subject

    cls = request.cls
    if cls is None:
        pytest.fail("partage_subject serves test classes deriving from ConformanceSuite")
    try:
        return build_subject(
            getattr(cls, "country", ""),
            getattr(cls, "plugin", None),
            getattr(cls, "examples", None),
        )
    except PartageError as exc:
        pytest.fail(f"{cls.__name__}: {exc}", pytrace=False)


def _postgres_database() -> Iterator[str]:
    from sqlalchemy import text

    from partage.core.platform.db.engine import make_engine

    admin_url = os.environ.get(POSTGRES_ENV, POSTGRES_DEFAULT)
    try:
        admin = make_engine(
            admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
        )
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        pytest.skip(f"no PostgreSQL server answers at {admin_url}: {first}")
    name = f"partage_conformance_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def partage_database_url(partage_backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of this test alone, on the backend of this parametrisation."""
    if partage_backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'partage.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def partage_engine(partage_database_url: str) -> Iterator[Engine]:
    """An engine on :func:`partage_database_url`, disposed of after the test."""
    from partage.core.platform.db.engine import make_engine

    engine = make_engine(partage_database_url)
    yield engine
    engine.dispose()
