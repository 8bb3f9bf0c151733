"""Every operation of the API fuzzed by schemathesis, as every role, on every backend.

Valid and invalid requests generated from the OpenAPI document; every answer must be
something other than a server error, with a status, a content type and a body the
document declares (:data:`tests.fuzz_support.CHECKS`). Not part of the default suite:
``nox -s fuzz`` runs it (``pytest -m fuzz tests/fuzz``), with
``PARTAGE_FUZZ_EXAMPLES`` examples per operation and role (25 unless set). The
stateful test chains operations through the links schemathesis infers from the
document (an entity's code from ``POST /entities`` to its invoices, and so on).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from partage.core.platform.db.engine import make_engine
from tests.conftest import BACKENDS
from tests.fuzz_support import (
    ROLES,
    SCHEMA_PATH,
    Fuzzed,
    examples,
    fuzz_chains,
    fuzz_every_operation,
    fuzzed,
)

pytestmark = pytest.mark.fuzz
EXAMPLES = examples(25)


@pytest.fixture(
    scope="module", params=[pytest.param(b, marks=getattr(pytest.mark, b)) for b in BACKENDS]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fuzzed]:
    """The populated world on one backend, fuzzed by every test of the module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'web.db'}"
    else:
        databases = request.getfixturevalue("postgres_databases")
        url = databases.new()
    engine = make_engine(url)
    with fuzzed(engine) as served:
        yield served
    engine.dispose()
    if request.param != "sqlite":
        databases.release(url)


@pytest.fixture(scope="module")
def api_schema(world: Fuzzed) -> Any:
    return schemathesis.openapi.from_asgi(SCHEMA_PATH, world.app)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_operation_as_every_role(
    api_schema: Any, role: str, world: Fuzzed, record_property: Any
) -> None:
    before = world.calls.get(role, 0)
    failures = fuzz_every_operation(api_schema, world, role, EXAMPLES)
    record_property("requests", world.calls[role] - before)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("role", ["member", "adviser", "administrator"])
def test_chains_of_operations(
    api_schema: Any, role: str, world: Fuzzed, record_property: Any
) -> None:
    before = world.calls.get(role, 0)
    fuzz_chains(api_schema, world, role, EXAMPLES)
    record_property("requests", world.calls[role] - before)
