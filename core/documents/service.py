"""The files of an issued invoice: its PDF and its e-invoice, produced once and kept.

The first request renders the file from the books and stores it with its SHA-256 in
the same transaction (an audited act); every later request returns the stored bytes,
even if templates, brand or law changed since, because what the client received must
be shown again exactly. Stored files never change (:mod:`.models`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ActError, Cooperative, NotFound
from partage.core.contract.errors import N_, PartageError
from partage.core.documents.build import invoice_document, quote_document
from partage.core.documents.models import InvoiceFile
from partage.core.documents.pdf import render_pdf
from partage.core.platform import audit
from partage.core.platform.db.immutable import store_once
from partage.core.platform.issuer import Issuer
from partage.core.sales.invoices import invoice_by_number
from partage.core.sales.models import Invoice, Quote

PDF = "pdf"


class EInvoiceRefused(ActError):
    """The country's e-invoice format refuses the document; the message names the rule."""


@dataclass(frozen=True)
class StoredFile:
    """A document file as stored.

    Attributes:
        format: ``"pdf"`` or the e-invoice format's name.
        media_type, filename, content, sha256: the file.
        created: whether this request produced it (``False``: it was already stored).
    """

    format: str
    media_type: str
    filename: str
    content: bytes
    sha256: str
    created: bool


def _stored(row: InvoiceFile, created: bool) -> StoredFile:
    return StoredFile(row.format, row.media_type, row.filename, row.content, row.sha256, created)


def _file(session: Session, invoice: Invoice, format: str) -> InvoiceFile | None:
    return session.scalars(
        select(InvoiceFile).where(
            InvoiceFile.invoice_id == invoice.id, InvoiceFile.format == format
        )
    ).one_or_none()


def _keep(
    session: Session,
    invoice: Invoice,
    *,
    format: str,
    media_type: str,
    filename: str,
    language: str,
    content: bytes,
    actor: str,
) -> StoredFile:
    digest = hashlib.sha256(content).hexdigest()
    row = InvoiceFile(
        invoice_id=invoice.id,
        format=format,
        media_type=media_type,
        filename=filename,
        language=language,
        content=content,
        sha256=digest,
        created_by=actor,
    )
    row, created = store_once(session, row, lambda: _file(session, invoice, format))
    if not created:
        return _stored(row, False)
    audit.record(
        session,
        actor=actor,
        action="document.issue",
        subject=f"invoice:{invoice.number}",
        reason=f"{format} file",
        data={"format": format, "sha256": digest, "bytes": len(content)},
    )
    return _stored(row, True)


def invoice_pdf(
    session: Session,
    coop: Cooperative,
    number: str,
    issuer: Issuer,
    *,
    actor: str,
    language: str | None = None,
) -> StoredFile:
    """The PDF of an invoice or credit note: rendered and stored on first request."""
    invoice = invoice_by_number(session, number)
    found = _file(session, invoice, PDF)
    if found is not None:
        return _stored(found, False)
    document = invoice_document(session, coop, invoice, issuer, language=language)
    content = render_pdf(document, coop.plugins, country=coop.instance.country_plugin)
    return _keep(
        session,
        invoice,
        format=PDF,
        media_type="application/pdf",
        filename=f"{invoice.number}.pdf",
        language=document.language,
        content=content,
        actor=actor,
    )


def invoice_einvoice(
    session: Session,
    coop: Cooperative,
    number: str,
    issuer: Issuer,
    *,
    actor: str,
    language: str | None = None,
) -> StoredFile:
    """The country's e-invoice of an invoice or credit note, produced and stored on
    first request (its PDF too, which formats like Factur-X carry)."""
    invoice = invoice_by_number(session, number)
    found = session.scalars(
        select(InvoiceFile).where(InvoiceFile.invoice_id == invoice.id, InvoiceFile.format != PDF)
    ).one_or_none()
    if found is not None:
        return _stored(found, False)
    pdf = invoice_pdf(session, coop, number, issuer, actor=actor, language=language)
    language = session.scalars(
        select(InvoiceFile.language).where(
            InvoiceFile.invoice_id == invoice.id, InvoiceFile.format == PDF
        )
    ).one()
    document = invoice_document(session, coop, invoice, issuer, language=language)
    try:
        produced = coop.plugins.hook.partage_einvoice(document=document, pdf=pdf.content)
    except PartageError as exc:
        raise EInvoiceRefused("invoice", N_("{refusal}"), value=number, refusal=exc) from None
    if produced is None:
        raise EInvoiceRefused(
            "invoice", N_("the country plugin has no e-invoice format"), value=number
        )
    return _keep(
        session,
        invoice,
        format=produced.format,
        media_type=produced.media_type,
        filename=produced.filename,
        language=document.language,
        content=produced.content,
        actor=actor,
    )


def quote_pdf(
    session: Session,
    coop: Cooperative,
    reference: str,
    issuer: Issuer,
    *,
    language: str | None = None,
) -> StoredFile:
    """The PDF of a quote's latest version, rendered on each request: a quote is an
    offer, not a tax document, so nothing is kept; its date and lines are the quote's,
    so the same version renders to the same bytes."""
    quote = session.scalars(
        select(Quote).where(Quote.reference == reference).order_by(Quote.version.desc())
    ).first()
    if quote is None:
        raise NotFound("quote", N_("no such quote"), value=repr(reference))
    document = quote_document(session, coop, quote, issuer, language=language)
    content = render_pdf(document, coop.plugins, country=coop.instance.country_plugin)
    suffix = "" if quote.version == 1 else f"-{quote.version}"
    return StoredFile(
        PDF,
        "application/pdf",
        f"{quote.reference}{suffix}.pdf",
        content,
        hashlib.sha256(content).hexdigest(),
        created=False,
    )
