"""API contract fuzzing: schemathesis generates requests from the OpenAPI document
(valid and invalid ones) and every answer must be something other than a 5xx.

Bounded (a few examples per operation, derandomised) so the suite stays fast; run it
with more examples by raising ``PARTAGE_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient
from schemathesis.checks import not_a_server_error

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site

EXAMPLES = int(os.environ.get("PARTAGE_FUZZ_EXAMPLES", "4"))


@pytest.fixture(scope="module")
def served_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, str]]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    app = create_app(site)
    with TestClient(app) as client:
        token = client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": WEB_PASSWORD}
        ).json()["token"]
    yield app, {"Authorization": f"Bearer {token}"}
    engine.dispose()


@pytest.fixture(scope="module")
def api_schema(served_app: tuple[Any, dict[str, str]]) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/schema/openapi.json", served_app[0])


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_the_server_fail(
    case: Any, served_app: tuple[Any, dict[str, str]]
) -> None:
    response = case.call(headers=served_app[1])
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        kind = response.headers.get("content-type") or [""]
        assert (kind[0] if isinstance(kind, list) else kind).startswith("application/problem+json")
