"""The OpenAPI document says how the API refuses, for every operation, in one place.

Litestar documents what each handler returns and, for handlers with parameters, a 400
in its own error shape, which is not what :mod:`.problems` sends. Rather than repeat
the refusals on each of the sixty-odd handlers, this module rewrites the generated
document once, before it is served:

* every refusal is an ``application/problem+json`` body of the ``Problem`` schema below,
  the shape :func:`.problems.problem` writes (the refusal's type, title, status, detail,
  address, field and rule, plus the extra members some refusals carry);
* each operation lists the statuses it can answer, by one rule read from the operation
  itself (see :func:`refusals`): 401 always (no session, or wrong credentials); 403
  and 404 whenever a login's role is checked (a role not allowed; something the login
  may not reach, its own member account or a code the request names included); 400
  and 422 when the request carries parameters or a body (a malformed or out-of-range
  value, a value the engine refuses or a control character);
  413 with a body; 409 for acts (every method but GET: a closed record or period, an
  exhausted fund, an idempotency key in use); 429 on the operations that throttle
  failed logins and requests for a password-reset link;
* the operations a stranger may call (logging in, a password reset) need no bearer token;
* the request bodies that refuse unknown fields (every subclass of
  :class:`.schemas.Request`) say so with ``additionalProperties: false``.

An answer whose media type a query parameter chooses (the audit export's CSV or JSON)
lists each (:data:`ANSWERS`). A status an operation documents itself (the file
endpoints' 304, 404, 409 and 422, the purchase import's findings) keeps its own
description; its body becomes a problem unless the handler already declared one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin

from partage.core.web import schemas
from partage.core.web.problems import PROBLEM_JSON

PROBLEM = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM}"}
#: The body of every refusal, as :func:`partage.core.web.problems.problem` writes it.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": (
        "A refusal (RFC 9457 problem details) naming the field and the rule it breaks. "
        "Some refusals add members: `errors` (every field a request breaks), "
        "`retry_after` (seconds to wait), `missing` (the amount lacking), "
        "`guarantee_fund` (the fund's figures), `findings` (an e-invoice's findings)."
    ),
    "required": ["type", "title", "status", "detail", "instance", "field", "rule"],
    "properties": {
        "type": {"type": "string", "description": "urn:partage:problem:<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "the address refused"},
        "field": {"type": ["string", "null"], "description": "the field refused, if one"},
        "rule": {"type": "string", "description": "the rule the request breaks"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "rule"],
                "properties": {"field": {"type": "string"}, "rule": {"type": "string"}},
            },
        },
        "retry_after": {"type": "integer", "minimum": 0},
        "missing": {"type": "string"},
        "guarantee_fund": {"type": "object"},
        "findings": {"type": "array", "items": {"type": "object"}},
    },
}
#: What each documented refusal means, whatever the operation.
REASONS = {
    400: "The request does not match its schema (the field and the rule are named)",
    401: "No valid session: log in first (or the login's credentials are wrong)",
    403: "The login's role does not allow this",
    404: "No such resource within the login's reach",
    409: "The act conflicts with the state of the books or of the request",
    413: "The request body is larger than the server accepts",
    422: "A value is refused (the field and the rule are named)",
    429: "Too many failed attempts: wait `Retry-After` seconds",
}
#: Successful answers whose media type a query parameter chooses (by operation id):
#: Litestar documents one media type per status, these carry several.
ANSWERS: dict[str, dict[str, Any]] = {
    "export_audit": {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    },
}
#: Request bodies that are a document with its own published JSON schema (by operation
#: id): the network report a franchisee exports, in the newest version this core reads.
PUBLISHED_BODIES = {"receive_network_report": "NetworkReport"}
#: The operations that throttle repeated failures (by operation id).
THROTTLED = frozenset({"login", "ask_password_reset", "apply"})
#: The operations a stranger may call: no token needed, no role checked (so no 403).
OPEN = frozenset({"login", "ask_password_reset", "use_password_reset"})
METHODS = ("get", "put", "post", "delete", "patch")


def refusals(operation_id: str, method: str, operation: dict[str, Any]) -> list[int]:
    """The refusals an operation can answer, by the rule of the module's docstring."""
    carries = bool(operation.get("parameters")) or "requestBody" in operation
    statuses = {401} | (set() if operation_id in OPEN else {403, 404})
    if carries:
        statuses |= {400, 422}
    if "requestBody" in operation:
        statuses.add(413)
    if method != "get":
        statuses.add(409)
    if operation_id in THROTTLED:
        statuses.add(429)
    return sorted(statuses)


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}


def _strict_bodies() -> set[str]:
    """The names of the request bodies that refuse unknown fields."""
    names: set[str] = set()
    pending: list[type] = [schemas.Request]
    while pending:
        cls = pending.pop()
        names.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return names


def _refs(node: object) -> Iterator[str]:
    """The component names referred to anywhere inside a schema node."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            yield ref.rsplit("/", 1)[1]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(path, method, operation)`` of every operation of a document."""
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def _as_component(node: object, name: str) -> object:
    """A published schema's node as a component's: its ``$defs`` references pointed at
    the components, and a map's value schema (``additionalProperties: {...}``) stated
    as a pattern, so that every object says it refuses what it does not name."""
    if isinstance(node, list):
        return [_as_component(item, name) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _as_component(v, name) for k, v in node.items() if k not in ("$schema", "$id")}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        out["$ref"] = f"#/components/schemas/{name}_{ref.removeprefix('#/$defs/')}"
    if isinstance(out.get("additionalProperties"), dict):
        out["patternProperties"] = {"^.+$": out["additionalProperties"]}
        out["additionalProperties"] = False
    return out


def _published(components: dict[str, Any], name: str) -> dict[str, Any]:
    """Add the network report's schema to ``components`` as ``name`` (its definitions as
    ``name_<definition>``); the reference to it."""
    from partage.core.franchise.report_schema import schema
    from partage.core.platform.network import report_schema_versions

    published = copy.deepcopy(schema(report_schema_versions()[-1]))
    for definition, node in published.pop("$defs", {}).items():
        components[f"{name}_{definition}"] = _as_component(node, name)
    components[name] = _as_component(published, name)
    return {"$ref": f"#/components/schemas/{name}"}


def documented(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of Litestar's document with the refusals and strict bodies stated."""
    out = copy.deepcopy(document)
    components = out.setdefault("components", {}).setdefault("schemas", {})
    components[PROBLEM] = copy.deepcopy(PROBLEM_SCHEMA)
    bodies: set[str] = set()
    for _path, method, operation in operations(out):
        published = PUBLISHED_BODIES.get(str(operation.get("operationId", "")))
        if published is not None and "requestBody" in operation:
            operation["requestBody"]["content"] = {
                "application/json": {"schema": _published(components, published)}
            }
        responses = operation.setdefault("responses", {})
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400:
                content = response.get("content", {})
                if PROBLEM_JSON not in content:
                    response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}
        if operation.get("operationId") in OPEN:
            operation["security"] = []  # Litestar keeps the router's bearer requirement
        if operation.get("operationId") in ANSWERS:
            responses["200"]["content"] = copy.deepcopy(ANSWERS[operation["operationId"]])
        for status in refusals(str(operation.get("operationId", "")), method, operation):
            responses.setdefault(str(status), _problem_response(REASONS[status]))
        if operation.get("operationId") in THROTTLED:
            responses["429"]["headers"] = {
                "Retry-After": {
                    "description": "seconds to wait before trying again",
                    "schema": {"type": "integer"},
                }
            }
        bodies.update(_refs(operation.get("requestBody", {})))
    strict = _strict_bodies()
    seen: set[str] = set()
    while bodies:
        name = bodies.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        schema = components[name]
        if name in strict and schema.get("type") == "object":
            schema["additionalProperties"] = False
        bodies.update(_refs(schema))
    return out


class _Documented:
    """Serves the document with its refusals stated, rewritten once per document."""

    _source: int | None = None
    _result: dict[str, Any] | None = None

    def _documented(self, openapi_schema: dict[str, Any]) -> dict[str, Any]:
        if self._result is None or self._source != id(openapi_schema):
            self._result, self._source = documented(openapi_schema), id(openapi_schema)
        return self._result


class JsonDocument(_Documented, JsonRenderPlugin):
    """``openapi.json``, refusals stated."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, self._documented(openapi_schema))


class YamlDocument(_Documented, YamlRenderPlugin):
    """``openapi.yaml``, refusals stated."""

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return super().render(request, self._documented(openapi_schema))
