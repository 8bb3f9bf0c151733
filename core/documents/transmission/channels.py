"""The transmission interface, and its two adapters: a Peppol access point's REST API
and a French approved platform's AFNOR XP Z12-013 flow service.

A :class:`Channel` does three things and knows nothing of the books: :meth:`~Channel.send`
hands one document over and answers the provider's id of it; :meth:`~Channel.status`
answers where that document stands; :meth:`~Channel.receive` answers the supplier
documents waiting. An error is either transient (:class:`Transient`: the provider did
not answer, answered 429 or 5xx — try again later) or permanent (:class:`Refused`: a
4xx answer — the same request will be refused again, so it is shown, never retried).

**Peppol access point** (:class:`AccessPoint`). Access points expose their own REST APIs
in front of the AS4 network; this adapter speaks the common shape, with the Peppol
identifiers of the BIS Billing 3.0 specification:

- ``POST {base}/outbound-documents`` with JSON ``{"sender", "receiver",
  "documentTypeId", "processId", "filename", "content"}``: participants as
  ``iso6523-actorid-upis::0208:<enterprise number>``, the content base64; answers
  ``201``/``202`` with ``{"id"}``.
- ``GET {base}/outbound-documents/{id}`` answers ``{"status", "reason"}``: the
  transport's ``queued``/``sent``/``delivered``/``failed``, then the buyer's Peppol
  Invoice Response code (UNCL 4343: ``AB``, ``IP``, ``UQ``, ``CA``, ``AP``, ``RE``,
  ``PD``).
- ``GET {base}/inbound-documents`` answers ``{"documents": [{"id", "filename",
  "mediaType", "content"}]}`` (base64), the supplier documents received.

**French approved platform** (:class:`FlowService`), the flow service of AFNOR XP
Z12-013 (Annex A) that every plateforme agréée exposes:

- ``POST {base}/v1/flows``, multipart: ``flowInfo`` (JSON: ``trackingId``, ``name``,
  ``flowSyntax`` — ``Factur-X``, ``CII`` or ``UBL`` —, ``flowProfile``,
  ``processingRule`` — ``B2B``, ``B2BInt``, ``B2C`` —, ``sha256``) and ``file``;
  answers ``202`` with ``{"flowId"}``.
- ``GET {base}/v1/flows/{flowId}`` answers the flow's metadata: its
  ``acknowledgement`` (``Pending``, ``Ok``, ``Error`` with ``details``) and its
  lifecycle statuses (``lifecycle``: ``[{"code", "label", "reason"}]``, the codes of the
  reform's invoice lifecycle: 200 Déposée ... 210 Refusée, 212 Encaissée, 213 Rejetée).
- ``POST {base}/v1/flows/search`` with ``{"where": {"flowDirection": ["In"], ...}}``
  lists the flows received; ``GET {base}/v1/flows/{flowId}?docType=Original`` gives
  each file.

Both send the token as ``Authorization: Bearer``. httpx carries the requests.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from partage.core.platform.einvoicing_settings import Provider

#: Peppol BIS Billing 3.0 identifiers (OpenPeppol, BIS Billing 3.0, section 3.3).
PEPPOL_PROCESS = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
PEPPOL_INVOICE = (
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2::Invoice##"
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
)
PEPPOL_CREDIT_NOTE = (
    "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2::CreditNote##"
    "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0::2.1"
)
PARTICIPANT_SCHEME = "iso6523-actorid-upis"

#: The Peppol Invoice Response codes (UNCL 4343 subset) and the status each means.
RESPONSE_CODES = {
    "AB": "delivered",
    "IP": "delivered",
    "UQ": "delivered",
    "CA": "delivered",
    "AP": "delivered",
    "RE": "rejected",
    "PD": "paid",
}
#: The access point's transport states and the status each means.
TRANSPORT_STATES = {
    "queued": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "failed": "rejected",
}
#: The lifecycle codes of the French reform's invoices (AFNOR XP Z12-012) and the
#: status each means: deposited, issued, received, made available, taken in charge,
#: approved (wholly, partly), disputed, suspended, completed, refused, payment
#: sent, cashed, rejected.
LIFECYCLE_CODES = {
    "200": "sent",
    "201": "sent",
    "202": "delivered",
    "203": "delivered",
    "204": "delivered",
    "205": "delivered",
    "206": "delivered",
    "207": "delivered",
    "208": "delivered",
    "209": "delivered",
    "210": "rejected",
    "211": "paid",
    "212": "paid",
    "213": "rejected",
}


class ChannelError(Exception):
    """The provider did not take the request."""


class Transient(ChannelError):
    """The provider could not answer now (network error, 429, 5xx): try again later."""


class Refused(ChannelError):
    """The provider refused the request (4xx): the same request would be refused again."""


@dataclass(frozen=True)
class Outgoing:
    """A document to hand over.

    Attributes:
        number: the invoice's number (the flow's tracking id).
        filename, media_type, content: the file (a Peppol UBL XML, a Factur-X PDF).
        recipient: the buyer's address on the network (``0208:0123456789``, a SIREN).
        credit_note: whether it is a credit note.
        processing_rule: on a platform, ``B2B`` for an invoice to a domestic business,
            ``B2C`` or ``B2BInt`` for the e-reporting of a consumer or cross-border sale.
    """

    number: str
    filename: str
    media_type: str
    content: bytes
    recipient: str
    credit_note: bool = False
    processing_rule: str = "B2B"


@dataclass(frozen=True)
class RemoteStatus:
    """Where a sent document stands at the provider.

    Attributes:
        status: ``sent``, ``delivered``, ``rejected`` or ``paid``.
        detail: the provider's words (the refusal's reason, the lifecycle label).
    """

    status: str
    detail: str = ""


@dataclass(frozen=True)
class Incoming:
    """A supplier document waiting at the provider.

    Attributes:
        external_id: the provider's id of it.
        filename, media_type, content: the file.
    """

    external_id: str
    filename: str
    media_type: str
    content: bytes


class Channel(Protocol):
    """One network's provider, as the transmission service uses it."""

    name: str

    def send(self, document: Outgoing) -> str:
        """Hand ``document`` over; answers the provider's id of it."""
        ...

    def status(self, external_id: str) -> RemoteStatus:
        """Where the document of ``external_id`` stands."""
        ...

    def receive(self) -> Sequence[Incoming]:
        """The supplier documents waiting."""
        ...


def _words(response: httpx.Response) -> str:
    """The provider's explanation of an error answer (its JSON message, else its text)."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    if isinstance(body, dict):
        for key in ("errorMessage", "message", "reason", "detail", "error"):
            if body.get(key):
                return str(body[key])[:500]
    return response.text[:500]


class _Http:
    """Requests to one provider, errors sorted into transient and permanent."""

    def __init__(self, provider: Provider, timeout: float, transport: Any = None) -> None:
        self.name = provider.name
        self.provider = provider
        self.client = httpx.Client(
            base_url=provider.base_url.rstrip("/"),
            timeout=timeout,
            headers={"Authorization": f"Bearer {provider.token}", "Accept": "application/json"},
            transport=transport,
        )

    def request(self, method: str, path: str, **options: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **options)
        except httpx.HTTPError as exc:
            raise Transient(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise Transient(f"HTTP {response.status_code}: {_words(response)}")
        if response.status_code >= 400:
            raise Refused(f"HTTP {response.status_code}: {_words(response)}")
        return response

    def json(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError as exc:
            raise Transient(f"the provider answered no JSON: {response.text[:200]}") from exc
        if not isinstance(body, dict):
            raise Transient("the provider answered JSON that is not an object")
        return body


class AccessPoint(_Http):
    """A Peppol access point's REST API (see the module's description)."""

    def send(self, document: Outgoing) -> str:
        if not self.provider.sender_id:
            raise Refused(
                "the cooperative's own Peppol participant id ([einvoicing.peppol] "
                "sender_id) is not configured"
            )
        body = {
            "sender": f"{PARTICIPANT_SCHEME}::{self.provider.sender_id}",
            "receiver": f"{PARTICIPANT_SCHEME}::{document.recipient}",
            "documentTypeId": PEPPOL_CREDIT_NOTE if document.credit_note else PEPPOL_INVOICE,
            "processId": PEPPOL_PROCESS,
            "filename": document.filename,
            "content": base64.b64encode(document.content).decode("ascii"),
        }
        answer = self.json(self.request("POST", "/outbound-documents", json=body))
        if not answer.get("id"):
            raise Transient("the access point answered no document id")
        return str(answer["id"])

    def status(self, external_id: str) -> RemoteStatus:
        answer = self.json(self.request("GET", f"/outbound-documents/{external_id}"))
        raw = str(answer.get("status", ""))
        reason = str(answer.get("reason") or "")
        found = RESPONSE_CODES.get(raw.upper()) or TRANSPORT_STATES.get(raw.lower())
        if found is None:
            raise Transient(f"the access point answered an unknown status {raw!r}")
        return RemoteStatus(found, reason or raw)

    def receive(self) -> list[Incoming]:
        answer = self.json(self.request("GET", "/inbound-documents"))
        return [
            Incoming(
                str(item["id"]),
                str(item.get("filename") or f"{item['id']}.xml"),
                str(item.get("mediaType") or "application/xml"),
                base64.b64decode(str(item["content"])),
            )
            for item in answer.get("documents", [])
        ]


#: The flow syntax of each e-invoice media type.
SYNTAXES = {"application/pdf": "Factur-X", "application/xml": "CII"}


class FlowService(_Http):
    """A French approved platform's AFNOR XP Z12-013 flow service (see the module)."""

    def send(self, document: Outgoing) -> str:
        info = {
            "trackingId": document.number,
            "name": document.filename,
            "flowSyntax": SYNTAXES.get(document.media_type, "CII"),
            "flowProfile": "EN16931",
            "processingRule": document.processing_rule,
            "sha256": hashlib.sha256(document.content).hexdigest(),
        }
        files = {
            "flowInfo": (None, json.dumps(info), "application/json"),
            "file": (document.filename, document.content, document.media_type),
        }
        answer = self.json(self.request("POST", "/v1/flows", files=files))
        if not answer.get("flowId"):
            raise Transient("the platform answered no flowId")
        return str(answer["flowId"])

    def status(self, external_id: str) -> RemoteStatus:
        answer = self.json(
            self.request("GET", f"/v1/flows/{external_id}", params={"docType": "Metadata"})
        )
        acknowledgement = answer.get("acknowledgement") or {}
        if acknowledgement.get("status") == "Error":
            details = acknowledgement.get("details") or []
            words = "; ".join(str(d.get("reasonMessage", d)) for d in details) or "Error"
            return RemoteStatus("rejected", words[:1000])
        lifecycle = answer.get("lifecycle") or []
        if not lifecycle:
            return RemoteStatus("sent", str(acknowledgement.get("status") or "Pending"))
        last = lifecycle[-1]
        code = str(last.get("code", ""))
        found = LIFECYCLE_CODES.get(code)
        if found is None:
            raise Transient(f"the platform answered an unknown lifecycle code {code!r}")
        label = " ".join(str(last.get(k) or "") for k in ("code", "label", "reason")).strip()
        return RemoteStatus(found, label)

    def receive(self) -> list[Incoming]:
        search = {"limit": 100, "where": {"flowDirection": ["In"]}}
        answer = self.json(self.request("POST", "/v1/flows/search", json=search))
        found = []
        for flow in answer.get("results", []):
            ident = str(flow["flowId"])
            original = self.request("GET", f"/v1/flows/{ident}", params={"docType": "Original"})
            media = original.headers.get("content-type", "application/octet-stream")
            found.append(
                Incoming(
                    ident, str(flow.get("name") or ident), media.split(";")[0], original.content
                )
            )
        return found


def channel_for(provider: Provider, timeout: float, transport: Any = None) -> Channel | None:
    """The adapter of a configured provider (``None`` when none is configured)."""
    if not provider.configured:
        return None
    if provider.api == "afnor-flow":
        return FlowService(provider, timeout, transport)
    return AccessPoint(provider, timeout, transport)
