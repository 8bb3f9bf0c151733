"""Read models of sales: an entity's quotes, its invoices with what is still owed, the
invoices its clients have not paid yet, and a quote looked up within the entity."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.contract.errors import N_
from partage.core.members.models import Entity, Party
from partage.core.sales.invoices import QuoteProgress
from partage.core.sales.models import DocumentDraft, Invoice, Quote
from partage.core.sales.receivables import outstanding_query
from partage.core.web.sales import schemas as s
from partage.core.web.schemas import money


def _no_quote(entity: Entity, reference: str) -> NotFound:
    return NotFound(
        "quote",
        N_("no such quote of entity {entity_code}"),
        value=repr(reference),
        entity_code=entity.code,
    )


def own_quote(session: Session, entity: Entity, reference: str) -> None:
    """Refuse a quote reference that is not the entity's (as not found)."""
    found = session.scalar(
        select(Quote.id).where(Quote.reference == reference, Quote.entity_id == entity.id).limit(1)
    )
    if found is None:
        raise _no_quote(entity, reference)


def entity_quote(session: Session, entity: Entity, reference: str) -> Quote:
    """The latest version of the entity's quote ``reference``; an unknown reference and
    another entity's get the same "not found"."""
    quote = session.scalars(
        select(Quote)
        .where(Quote.reference == reference, Quote.entity_id == entity.id)
        .order_by(Quote.version.desc())
    ).first()
    if quote is None:
        raise _no_quote(entity, reference)
    return quote


def own_invoice(session: Session, entity: Entity, number: str) -> None:
    """Refuse an invoice number that is not the entity's (as not found)."""
    found = session.scalar(
        select(Invoice.id).where(Invoice.number == number, Invoice.entity_id == entity.id)
    )
    if found is None:
        raise NotFound(
            "invoice",
            N_("no such invoice of entity {entity_code}"),
            value=repr(number),
            entity_code=entity.code,
        )


def own_draft(session: Session, entity: Entity, draft_id: int) -> None:
    """Refuse a draft that is not the entity's (as not found)."""
    draft = session.get(DocumentDraft, draft_id)
    if draft is None or draft.entity_id != entity.id:
        raise NotFound("draft", N_("no such draft"), value=str(draft_id))


def draft_entity(session: Session, draft_id: int) -> str:
    """The code of a draft's entity; refuses an unknown draft."""
    draft = session.get(DocumentDraft, draft_id)
    if draft is None:
        raise NotFound("draft", N_("no such draft"), value=str(draft_id))
    return session.get_one(Entity, draft.entity_id).code


def draft_out(draft: DocumentDraft, entity: str) -> s.DraftOut:
    return s.DraftOut(
        id=draft.id,
        entity=entity,
        kind=draft.kind,
        status=draft.status,  # type: ignore[arg-type]
        reason=draft.reason,
        issued=draft.issued,
    )


def progress_out(reference: str, progress: QuoteProgress) -> s.ProgressOut:
    return s.ProgressOut(
        reference=reference,
        agreed=str(progress.agreed),
        deposits=str(progress.deposits),
        invoiced=str(progress.invoiced),
        left=str(progress.left),
        invoices=list(progress.numbers),
        balanced=progress.balanced,
    )


def party_code(session: Session, party_id: int) -> str:
    return str(session.scalar(select(Party.code).where(Party.id == party_id)))


def quotes(session: Session, coop: Cooperative, entity: Entity) -> list[s.QuoteOut]:
    rows = session.execute(
        select(Quote, Party.code)
        .join(Party, Party.id == Quote.party_id)
        .where(Quote.entity_id == entity.id)
        .order_by(Quote.id.desc())
    )
    return [quote_out(q, entity.code, party, coop.currency) for q, party in rows]


def quote_out(q: Quote, entity: str, party: str, currency: str) -> s.QuoteOut:
    return s.QuoteOut(
        reference=q.reference,
        version=q.version,
        entity=entity,
        client=party,
        issued_on=q.issued_on,
        valid_until=q.valid_until,
        status=q.status,
        net=money(q.net, currency),
        vat=money(q.vat, currency),
        total=money(q.total, currency),
    )


def invoices(session: Session, coop: Cooperative, entity: Entity) -> list[s.InvoiceOut]:
    owed = {r.id: int(r.outstanding) for r in session.execute(outstanding_query(entity.id))}
    rows = session.execute(
        select(Invoice, Party.code)
        .join(Party, Party.id == Invoice.party_id)
        .where(Invoice.entity_id == entity.id)
        .order_by(Invoice.id.desc())
    )
    return [invoice_out(i, entity.code, p, owed.get(i.id, 0), coop.currency) for i, p in rows]


def invoice_out(i: Invoice, entity: str, party: str, owed: int, currency: str) -> s.InvoiceOut:
    return s.InvoiceOut(
        number=i.number,
        kind=i.kind,
        entity=entity,
        client=party,
        issued_on=i.issued_on,
        due_on=i.due_on,
        net=money(i.net, currency),
        vat=money(i.vat, currency),
        total=money(i.total, currency),
        fee=money(i.fee, currency),
        fee_rate=str(i.fee_rate),
        outstanding=money(owed, currency),
        tender_reference=i.tender_reference,
        supplied_on=i.supplied_on,
    )


def open_invoices(
    session: Session, coop: Cooperative, entity_id: int, today: date
) -> list[s.OpenInvoice]:
    """Invoices of an entity its clients have not paid yet, the oldest due first."""
    rows = outstanding_query(entity_id).subquery()
    query = (
        select(Invoice, Party.code, Party.name, rows.c.outstanding)
        .join(rows, rows.c.id == Invoice.id)
        .join(Party, Party.id == Invoice.party_id)
        .order_by(Invoice.due_on, Invoice.id)
    )
    return [
        s.OpenInvoice(
            number=i.number,
            client=code,
            client_name=name,
            issued_on=i.issued_on,
            due_on=i.due_on,
            total=money(i.total, coop.currency),
            outstanding=money(owed, coop.currency),
            overdue=i.due_on < today,
        )
        for i, code, name, owed in session.execute(query)
    ]
