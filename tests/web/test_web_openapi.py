"""The OpenAPI document states how every operation refuses: each declares the refusals
it can answer as problem-details bodies of the ``Problem`` schema, and each request
body that refuses unknown fields says ``additionalProperties: false``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.openapi import OPEN, PROBLEM_SCHEMA, THROTTLED, operations
from partage.core.web.site import Site
from tests.engine_support import web_site

pytestmark = pytest.mark.sqlite
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient[Any]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield client
    engine.dispose()


@pytest.fixture(scope="module")
def document(served: TestClient[Any]) -> dict[str, Any]:
    answer = served.get("/api/v1/schema/openapi.json")
    assert answer.status_code == 200
    return dict(answer.json())


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = document["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def objects(document: dict[str, Any], node: object, seen: set[int]) -> Iterator[dict[str, Any]]:
    """Every object schema reachable from ``node``, references followed."""
    if isinstance(node, list):
        for item in node:
            yield from objects(document, item, seen)
        return
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))
    if "$ref" in node:
        yield from objects(document, resolve(document, node), seen)
        return
    if node.get("type") == "object" or "properties" in node:
        yield node
    for key in ("properties", "items", "oneOf", "anyOf", "allOf", "additionalProperties"):
        value = node.get(key)
        if isinstance(value, dict) and key == "properties":
            for item in value.values():
                yield from objects(document, item, seen)
        elif value is not None:
            yield from objects(document, value, seen)


def test_every_operation_declares_its_refusals(document: dict[str, Any]) -> None:
    found = list(operations(document))
    assert len(found) > 60
    for path, method, operation in found:
        ident = operation["operationId"]
        declared = {int(code) for code in operation["responses"] if int(code) >= 400}
        expected = {401}
        if ident not in OPEN:
            expected |= {403, 404}
        if operation.get("parameters") or "requestBody" in operation:
            expected |= {400, 422}
        if "requestBody" in operation:
            expected.add(413)
        if method != "get":
            expected.add(409)
        if ident in THROTTLED:
            expected.add(429)
        assert expected <= declared, f"{method.upper()} {path} lacks {expected - declared}"
        assert (operation["security"] == []) is (ident in OPEN), ident


def test_every_refusal_is_a_problem_body(document: dict[str, Any]) -> None:
    refusals = [
        (path, code, response)
        for path, _method, operation in operations(document)
        for code, response in operation["responses"].items()
        if int(code) >= 400
    ]
    assert refusals
    for path, code, response in refusals:
        assert list(response["content"]) == [PROBLEM], (path, code)
        schema = resolve(document, response["content"][PROBLEM]["schema"])
        assert set(PROBLEM_SCHEMA["required"]) <= set(schema["required"]), (path, code)


def test_the_problem_schema_is_what_the_api_sends(served: TestClient[Any]) -> None:
    """A real refusal carries exactly the members the schema requires, plus documented
    extras only."""
    answer = served.post("/api/v1/auth/login", json={"username": "x", "password": 3})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith(PROBLEM)
    body = answer.json()
    assert set(PROBLEM_SCHEMA["required"]) <= set(body) <= set(PROBLEM_SCHEMA["properties"])
    assert body["field"] == "password"


def test_request_bodies_refuse_unknown_fields_in_the_schema(document: dict[str, Any]) -> None:
    bodies = [
        (path, content["schema"])
        for path, _method, operation in operations(document)
        if "requestBody" in operation
        for content in operation["requestBody"]["content"].values()
    ]
    assert len(bodies) > 20
    for path, schema in bodies:
        found = list(objects(document, schema, set()))
        assert found, path
        for node in found:
            assert node.get("additionalProperties") is False, (path, node.get("title"))


def test_the_yaml_document_states_the_same(served: TestClient[Any]) -> None:
    answer = served.get("/api/v1/schema/openapi.yaml")
    assert answer.status_code == 200
    assert "application/problem+json" in answer.text
    assert "additionalProperties: false" in answer.text
