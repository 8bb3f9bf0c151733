"""API contract fuzzing, quick: schemathesis sends a few valid and invalid requests to
every operation of the OpenAPI document as an administrator on SQLite; every answer is
something other than a 5xx, with a documented status, content type and body.

The full run (every role, both backends, more examples, chained operations) is
``nox -s fuzz`` (``tests/fuzz``); ``PARTAGE_FUZZ_EXAMPLES`` raises this one's examples.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis

from partage.core.platform.db.engine import make_engine
from tests.fuzz_support import SCHEMA_PATH, Fuzzed, examples, fuzz_every_operation, fuzzed

pytestmark = pytest.mark.sqlite


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'web.db'}")
    with fuzzed(engine) as served:
        yield served
    engine.dispose()


def test_no_request_makes_the_server_fail_or_break_the_schema(world: Fuzzed) -> None:
    schema: Any = schemathesis.openapi.from_asgi(SCHEMA_PATH, world.app)
    failures = fuzz_every_operation(schema, world, "administrator", examples(2))
    assert not failures, "\n\n".join(failures)
    assert world.calls["administrator"] > 66
