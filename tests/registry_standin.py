"""A local stand-in for the public company registers: a real socket server on the
loopback serving recorded-shape JSON answers of VIES, a KBO/BCE JSON service and the
French business search, so the adapters are tested over HTTP with no network."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from partage.core.platform.registries import Registries, RegistrySettings

#: What VIES answers for a valid Belgian number (the shape of its REST API).
VIES_ANSWER = {
    "countryCode": "BE",
    "vatNumber": "0403170701",
    "requestDate": "2026-12-08T10:00:00.000Z",
    "valid": True,
    "requestIdentifier": "",
    "name": "NV ATELIER DU LIN",
    "address": "RUE DE LA STATION 12\n1000 BRUXELLES",
    "traderName": "---",
}
#: What the KBO/BCE JSON service answers for an enterprise number.
KBO_ANSWER = {
    "enterpriseNumber": "0403.170.701",
    "status": "AC",
    "denomination": "Atelier du Lin",
    "address": {
        "street": "Rue de la Station",
        "houseNumber": "12",
        "postalCode": "1000",
        "municipality": "Bruxelles",
    },
}
#: What the French business search answers for a SIREN.
SIRENE_ANSWER = {
    "results": [
        {
            "siren": "732829320",
            "nom_complet": "SCOP LES TISSERANDS",
            "siege": {
                "siret": "73282932000074",
                "numero_voie": "4",
                "type_voie": "RUE",
                "libelle_voie": "DES CANUTS",
                "code_postal": "69004",
                "libelle_commune": "LYON",
            },
        }
    ],
    "total_results": 1,
}


class Standin(ThreadingHTTPServer):
    """The server, with what it was asked and how it should behave."""

    daemon_threads = True
    mode = "ok"  # ok, slow, broken, garbage
    asked: list[tuple[str, str, Any]]


class _Handler(BaseHTTPRequestHandler):
    server: Standin

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def _answer(self, body: Any) -> None:
        mode = self.server.mode
        if mode == "slow":
            time.sleep(2.5)
        if mode == "broken":
            self.send_error(503)
            return
        data = b"<html>maintenance</html>" if mode == "garbage" else json.dumps(body).encode()
        if body is None and mode == "ok":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self.server.asked.append(("GET", self.path, self.headers.get("Authorization")))
        if self.path.startswith("/kbo/enterprise/0403170701"):
            self._answer(KBO_ANSWER)
        elif self.path.startswith("/sirene/search?q=732829320"):
            self._answer(SIRENE_ANSWER)
        elif self.path.startswith("/sirene/search"):
            self._answer({"results": [], "total_results": 0})
        else:
            self._answer(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.asked.append(("POST", self.path, body))
        if self.path == "/vies/check-vat-number":
            if body.get("countryCode") == "BE" and body.get("vatNumber") == "0403170701":
                self._answer(VIES_ANSWER)
            else:
                self._answer({**body, "valid": False, "name": "---", "address": "---"})
        else:
            self._answer(None)


@contextmanager
def registry_standin() -> Iterator[Standin]:
    """The stand-in listening on a free loopback port, stopped on the way out."""
    server = Standin(("127.0.0.1", 0), _Handler)
    server.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def base(server: Standin) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}"


def registries_for(server: Standin, *names: str, timeout: float = 1.0) -> Registries:
    """Settings enabling ``names`` on the stand-in, with a short timeout."""
    return Registries(
        {
            n: RegistrySettings(
                n, enabled=True, base_url=f"{base(server)}/{n}", timeout_seconds=timeout
            )
            for n in names
        }
    )
