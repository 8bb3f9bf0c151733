"""An issued invoice's files over HTTP: its PDF and its e-invoice (and a quote's PDF),
for the logins that reach its entity, from the API and from the interface alike.

The files are the ones :mod:`partage.core.documents.service` keeps: the first request
renders and stores one (an audited act, hence a write transaction even for a GET), every
later request answers the stored bytes unchanged, so the response carries the file's
SHA-256 as a strong ``ETag`` and a client that already holds it gets ``304 Not
Modified``. An invoice number of another entity is answered exactly as an unknown one:
trying numbers reveals nothing about other members' sales (see
:mod:`partage.core.access.roles`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request, Response
from litestar.status_codes import HTTP_200_OK, HTTP_304_NOT_MODIFIED
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.roles import Principal, reachable_entity
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.contract.errors import N_
from partage.core.documents import service
from partage.core.members.models import Entity
from partage.core.platform import issuer as issuers
from partage.core.platform.db.engine import transaction
from partage.core.platform.issuer import Issuer
from partage.core.sales.models import Invoice, Quote
from partage.core.web.problems import IssuerMissing
from partage.core.web.site import Site

Produce = Callable[..., service.StoredFile]
#: The files an invoice has on the web, by the last segment of their address.
PRODUCERS: dict[str, Produce] = {
    "pdf": service.invoice_pdf,
    "einvoice": service.invoice_einvoice,
}


def entity_invoice(session: Session, entity: Entity, number: str) -> Invoice:
    """The entity's invoice or credit note ``number``; an unknown number and another
    entity's get the same "not found"."""
    found = session.scalars(
        select(Invoice).where(Invoice.number == number, Invoice.entity_id == entity.id)
    ).one_or_none()
    if found is None:
        raise NotFound(
            "invoice",
            N_("no such invoice of entity {entity_code}"),
            value=repr(number),
            entity_code=entity.code,
        )
    return found


def issuer_of(coop: Cooperative) -> Issuer:
    """The instance's issuer, or a refusal naming the configuration key to add."""
    found = coop.instance.issuer
    if found is None:
        raise IssuerMissing(
            issuers.KEY,
            N_(
                "needed to issue documents: add an [{issuers_key}] table to "
                "the instance's configuration ({item_a})"
            ),
            issuers_key=issuers.KEY,
            item_a=", ".join(issuers.REQUIRED),
        )
    return found


def issued_file(
    site: Site,
    principal: Principal,
    code: str,
    number: str,
    produce: Produce,
    *,
    language: str | None = None,
) -> service.StoredFile:
    """The stored file of an invoice the login reaches, produced now if it is the first
    request; one transaction, so a refusal (no issuer, a format that refuses the
    invoice) stores nothing."""
    with transaction(site.sessions) as session:
        entity = reachable_entity(session, principal, code)
        entity_invoice(session, entity, number)
        return produce(
            session,
            site.coop,
            number,
            issuer_of(site.coop),
            actor=principal.actor,
            language=language,
        )


def quote_file(
    site: Site, principal: Principal, code: str, reference: str, *, language: str | None = None
) -> service.StoredFile:
    """The PDF of a quote of an entity the login reaches; another entity's quote is
    answered as an unknown one."""
    with transaction(site.sessions) as session:
        entity = reachable_entity(session, principal, code)
        found = session.scalar(
            select(Quote.id).where(Quote.reference == reference, Quote.entity_id == entity.id)
        )
        if found is None:
            raise NotFound(
                "quote",
                N_("no such quote of entity {entity_code}"),
                value=repr(reference),
                entity_code=entity.code,
            )
        return service.quote_pdf(
            session, site.coop, reference, issuer_of(site.coop), language=language
        )


def content_disposition(filename: str) -> str:
    """An ``attachment`` disposition whose quoted name cannot break the header."""
    safe = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f'attachment; filename="{safe}"'


def etag_of(stored: service.StoredFile) -> str:
    return f'"{stored.sha256}"'


def holds(request: Request[Any, Any, Any], etag: str) -> bool:
    """Whether the client's ``If-None-Match`` names this file (weak or strong)."""
    wanted = request.headers.get("if-none-match", "")
    tags = {tag.strip().removeprefix("W/") for tag in wanted.split(",")}
    return etag in tags or "*" in tags


def download(request: Request[Any, Any, Any], stored: service.StoredFile) -> Response[bytes]:
    """The file as an attachment, with its SHA-256 as ETag; ``304`` when the client
    holds it already. ``private, no-cache``: only this login may keep it, and it asks
    again (cheaply, by ETag) rather than trust a copy whose access may have ended."""
    etag = etag_of(stored)
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if holds(request, etag):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(
        stored.content,
        status_code=HTTP_200_OK,
        media_type=stored.media_type,
        headers={**headers, "Content-Disposition": content_disposition(stored.filename)},
    )
