"""The ``Idempotency-Key`` header of the API's acts: sent again, a request gets its
first answer back instead of making a second act.

Every act-creating request of the API (``POST``, ``PUT``, ``PATCH``, ``DELETE``) may
carry ``Idempotency-Key: <1 to 100 printable ASCII characters>``. The key belongs to
the login that sends it and to the entity the address names
(``/api/v1/entities/{code}/...``), so it never reveals another login's or entity's
act. The rules live in :mod:`partage.core.access.idempotency`; this middleware reads
the request, claims the key, runs the handler and keeps a successful answer (2xx) for
replays, which carry ``Idempotency-Replayed: true``. A refusal (4xx) or failure gives
the key back: it wrote nothing, so the request may be corrected and sent again.

A request without the header behaves as before; a request the API cannot
authenticate is left to the handler, which answers 401.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, cast

from anyio import to_thread
from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import (
    ASGIApp,
    HTTPReceiveMessage,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    HTTPScope,
    Message,
    Receive,
    Scope,
    Send,
)

from partage.core.access import idempotency
from partage.core.access.idempotency import Answer, Claim
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.web.deps import principal_for, site_of, token_of_headers

HEADER = "Idempotency-Key"
REPLAYED = "Idempotency-Replayed"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")
ACTING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """What makes two requests the same request: method, address, query and body."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _content_type(raw: Any) -> str:
    for name, value in raw:
        if name.lower() == b"content-type":
            return str(value.decode("latin-1"))
    return ""


async def _replay(send: Send, answer: Answer) -> None:
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": answer.status,
        "headers": [
            (b"content-type", answer.content_type.encode("latin-1")),
            (b"content-length", str(len(answer.body)).encode()),
            (REPLAYED.lower().encode(), b"true"),
        ],
    }
    body: HTTPResponseBodyEvent = {
        "type": "http.response.body",
        "body": answer.body,
        "more_body": False,
    }
    await send(start)
    await send(body)


class IdempotencyMiddleware(ASGIMiddleware):
    """Replays the first answer of a request sent again with the same key."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        http = cast(HTTPScope, scope)
        headers = Headers.from_scope(http)
        key = headers.get(HEADER.lower())
        if key is None or http["method"] not in ACTING_METHODS:
            await next_app(scope, receive, send)
            return
        if not KEY_PATTERN.match(key):
            raise InvalidAct(
                HEADER, N_("must be 1 to 100 printable ASCII characters, without spaces"), value=key
            )
        site = site_of(scope["app"].state)
        principal = await to_thread.run_sync(principal_for, site, token_of_headers(headers))
        if principal is None:  # the handler answers 401
            await next_app(scope, receive, send)
            return
        body = await _body(receive)
        entity = str(http["path_params"].get("code", ""))
        claim = Claim(principal.user_id, entity, key)
        seal = fingerprint(http["method"], http["path"], http["query_string"], body)
        first = await to_thread.run_sync(idempotency.claim, site.sessions, claim, seal)
        if first is not None:
            await _replay(send, first)
            return
        answer: dict[str, Any] = {"status": 500, "type": "", "body": []}
        delivered = False

        async def replay_body() -> HTTPReceiveMessage:
            nonlocal delivered
            if delivered:
                return cast(HTTPReceiveMessage, await receive())
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["type"] = _content_type(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer["body"].append(message.get("body", b""))
            await send(message)

        try:
            await next_app(scope, replay_body, keep)
        except BaseException:
            await to_thread.run_sync(idempotency.release, site.sessions, claim)
            raise
        if 200 <= answer["status"] < 300:
            kept = Answer(answer["status"], answer["type"], b"".join(answer["body"]))
            await to_thread.run_sync(idempotency.complete, site.sessions, claim, kept)
        else:
            await to_thread.run_sync(idempotency.release, site.sessions, claim)
