"""A real HTTP server on the loopback address standing in for a Peppol access point and
a French approved platform (AFNOR XP Z12-013 flow service), in a thread, for the
transmission tests: it keeps what it receives, answers the statuses a test sets, and
can be told to fail the next requests (503, 400)."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

from partage.core.platform.einvoicing_settings import EInvoicingSettings, Provider


@dataclass
class Recorded:
    """What the stand-in received and what it answers.

    Attributes:
        requests: ``(method, path, headers, body)`` of every request, in order.
        outbound: documents sent to it, by id: the JSON body (access point) or the
            ``flowInfo`` and file (platform).
        statuses: the answer of a status request, by id.
        failures: HTTP codes to answer the next sending requests with, first first.
        inbound: supplier documents waiting, as ``(id, filename, media type, bytes)``.
    """

    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    outbound: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    failures: list[int] = field(default_factory=list)
    inbound: list[tuple[str, str, str, bytes]] = field(default_factory=list)


def _multipart(headers: Any, body: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The parts of a multipart/form-data body, by name: (filename, bytes)."""
    raw = b"Content-Type: " + headers["Content-Type"].encode() + b"\r\n\r\n" + body
    parsed = message_from_bytes(raw, policy=policy.HTTP)
    parts = {}
    for part in parsed.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        parts[str(name)] = (part.get_filename(), part.get_payload(decode=True))
    return parts


class StandIn:
    """The server; ``start()`` it, read :attr:`recorded`, ``stop()`` it."""

    def __init__(self) -> None:
        self.recorded = Recorded()
        recorded = self.recorded

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def _answer(self, code: int, body: Any, media: str = "application/json") -> None:
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def do_POST(self) -> None:
                body = self._body()
                path = urlparse(self.path).path
                recorded.requests.append(("POST", path, dict(self.headers), body))
                if self.headers.get("Authorization") != "Bearer secret-token":
                    return self._answer(401, {"message": "bad token"})
                if path.endswith("/v1/flows/search"):
                    results = [{"flowId": i, "name": n} for i, n, _, _ in recorded.inbound]
                    return self._answer(200, {"results": results})
                if recorded.failures:
                    code = recorded.failures.pop(0)
                    return self._answer(code, {"errorMessage": f"refused with {code}"})
                ident = f"doc-{len(recorded.outbound) + 1}"
                if path.endswith("/outbound-documents"):
                    recorded.outbound[ident] = json.loads(body)
                    return self._answer(201, {"id": ident})
                if path.endswith("/v1/flows"):
                    parts = _multipart(self.headers, body)
                    info = json.loads(parts["flowInfo"][1])
                    recorded.outbound[ident] = {"flowInfo": info, "file": parts["file"][1]}
                    return self._answer(202, {"flowId": ident, "trackingId": info["trackingId"]})
                return self._answer(404, {"message": "no such path"})

            def do_GET(self) -> None:
                url = urlparse(self.path)
                recorded.requests.append(("GET", url.path, dict(self.headers), b""))
                ident = url.path.rsplit("/", 1)[-1]
                if url.path.endswith("/inbound-documents"):
                    docs = [
                        {
                            "id": i,
                            "filename": n,
                            "mediaType": m,
                            "content": base64.b64encode(c).decode(),
                        }
                        for i, n, m, c in recorded.inbound
                    ]
                    return self._answer(200, {"documents": docs})
                if "docType=Original" in (url.query or ""):
                    for i, _, m, c in recorded.inbound:
                        if i == ident:
                            return self._answer(200, c, m)
                    return self._answer(404, {"message": "no such flow"})
                if ident in recorded.statuses:
                    return self._answer(200, recorded.statuses[ident])
                return self._answer(404, {"message": "no such document"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def settings_for(standin: StandIn, **options: Any) -> EInvoicingSettings:
    """``[einvoicing]`` settings naming the stand-in as both the access point (under
    ``/ap``) and the platform (under ``/pa``), with no wait between retries."""
    values: dict[str, Any] = {
        "peppol": Provider(
            "Test AP", "access-point", f"{standin.url}/ap", "secret-token", "0208:0999999999"
        ),
        "platform": Provider(
            "Test PA", "afnor-flow", f"{standin.url}/pa", "secret-token", "999999999"
        ),
        "first_retry_seconds": 1,
        "max_attempts": 3,
        "timeout_seconds": 5,
    }
    values.update(options)
    return EInvoicingSettings(**values)
