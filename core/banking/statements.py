"""Payments in: importing bank statements, matching each transaction, and the
reconciliation queue.

A statement is read by the country plugin when it is in a national format (Belgium:
CODA), else as CAMT.053 by the core's default plugin. Importing it is one act, in the
caller's transaction: the statement is recorded under its key (account and statement
id), and each transaction:

* money in is matched to an open invoice, by these rules in turn — the structured
  reference the invoice asked for (``+++...+++``, ``RF..``) found in the structured or
  the free communication; the invoice's number found in the free communication; the
  client's name with exactly one open invoice of exactly that amount — and posted
  through :func:`partage.core.sales.payments.receive_payment` (idempotent by the
  transaction's key), an excess staying on the client's account as credit;
* money in that settles no invoice is matched to a refund a supplier owes back
  (:func:`partage.core.spending.refunds.refunds_owed`), once the transaction is
  known to come from the supplier — its account is the supplier's payee account, or
  its name the supplier's — by these rules in turn: the number of the supplier's
  credit note found in the communication; the supplier with exactly one refund owed of
  exactly that amount. The amount must be the refund's exactly; it is received through
  :func:`partage.core.spending.refunds.receive_supplier_refund` on the booking
  date;
* money out is matched to the payment order of a SEPA batch by its end-to-end id;
* the rest waits in the reconciliation queue (status ``queued``, with the reason),
  where a person settles it with :func:`settle_queued`: as a client's payment, or as
  the refund of a supplier's credit note of exactly its amount.

Importing the same statement again changes nothing: its key is known. A transaction
already imported with another statement (same account and entry reference) is skipped.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct, NotFound
from partage.core.banking.models import (
    PayeeAccount,
    PaymentOrder,
    StatementRecord,
    StatementTransaction,
    TransactionStatus,
)
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.errors import PartageError
from partage.core.contract.money import from_minor
from partage.core.members.models import Entity, Party
from partage.core.platform import audit
from partage.core.platform.db.engine import chunks
from partage.core.sales.models import Invoice
from partage.core.sales.payments import receive_payment
from partage.core.sales.receivables import outstanding_query
from partage.core.sales.references import compact, payment_reference
from partage.core.spending.refunds import receive_supplier_refund, refund_due, refunds_owed

TRANSACTIONS: Table = StatementTransaction.__table__  # type: ignore[assignment]
#: Tokens of a communication that may be a reference: a Belgian structured
#: communication, an RF creditor reference, an invoice number, or a run of digits.
TOKEN = re.compile(
    r"\+{3}\s*\d{3}\s*/\s*\d{4}\s*/\s*\d{5}\s*\+{3}"
    r"|RF\d{2}(?:\s?[0-9A-Z]){1,21}"
    r"|[A-Z]{1,8}\d{4}-\d{6}"
    r"|\d{12}",
    re.IGNORECASE,
)


@dataclass
class OpenInvoice:
    """An invoice still owed, as matching sees it."""

    id: int
    number: str
    entity: str
    party: str
    outstanding: Decimal


@dataclass
class OpenInvoices:
    """Every open invoice, indexed by reference, number and client name."""

    by_reference: dict[str, OpenInvoice] = field(default_factory=dict)
    by_party_name: dict[str, list[OpenInvoice]] = field(default_factory=lambda: defaultdict(list))

    def find(self, token: str) -> OpenInvoice | None:
        return self.by_reference.get(compact(token))


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def open_invoices(session: Session, coop: Cooperative) -> OpenInvoices:
    """Index the open invoices of the instance for matching."""
    rows = outstanding_query().subquery()
    found = OpenInvoices()
    for invoice_id, number, entity, party, name, owed in session.execute(
        select(rows.c.id, Invoice.number, Entity.code, Party.code, Party.name, rows.c.outstanding)
        .join(Invoice, Invoice.id == rows.c.id)
        .join(Entity, Entity.id == Invoice.entity_id)
        .join(Party, Party.id == Invoice.party_id)
    ):
        item = OpenInvoice(invoice_id, number, entity, party, from_minor(int(owed), coop.currency))
        found.by_reference[compact(payment_reference(coop.plugins, invoice_id, number))] = item
        found.by_reference[compact(number)] = item
        found.by_party_name[_name_key(name)].append(item)
    return found


@dataclass(frozen=True)
class Match:
    """How a transaction was matched: the invoice and the rule."""

    invoice: OpenInvoice
    rule: str


def match(transaction: BankTransaction, invoices: OpenInvoices) -> Match | str:
    """The invoice a payment received settles, or why none could be chosen."""
    if transaction.structured_reference:
        found = invoices.find(transaction.structured_reference)
        if found is not None:
            return Match(found, "structured_reference")
    for token in TOKEN.findall(transaction.remittance or ""):
        found = invoices.find(token)
        if found is not None:
            rule = "structured_reference" if "-" not in token else "invoice_number"
            return Match(found, rule)
    if transaction.counterparty_name:
        candidates = [
            i
            for i in invoices.by_party_name.get(_name_key(transaction.counterparty_name), [])
            if i.outstanding == transaction.amount
        ]
        if len(candidates) == 1:
            return Match(candidates[0], "amount_and_party")
        if len(candidates) > 1:
            return f"{len(candidates)} open invoices of that client have this amount"
    if transaction.structured_reference:
        return f"reference {transaction.structured_reference} is not an open invoice's"
    return "no reference, invoice number, or client with one invoice of this amount"


@dataclass
class OwedRefund:
    """A refund a supplier owes back, as matching sees it: its credit note's id and
    number, the supplier's id and code, and the amount (net and VAT)."""

    id: int
    reference: str
    party_id: int
    party: str
    amount: Decimal

    def named_in(self, communication: str) -> bool:
        """Whether the communication quotes the credit note's number as a whole word
        (``CN-5`` is not found in ``CN-55``)."""
        pattern = rf"(?<![0-9A-Za-z]){re.escape(self.reference)}(?![0-9A-Za-z])"
        return re.search(pattern, communication, re.IGNORECASE) is not None


@dataclass
class OwedRefunds:
    """Every refund suppliers owe back, by supplier, and those suppliers by payee
    account and by name: a refund is looked for among its payer's only."""

    by_party: dict[int, list[OwedRefund]] = field(default_factory=lambda: defaultdict(list))
    parties_by_iban: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    parties_by_name: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def of_payer(self, transaction: BankTransaction) -> list[OwedRefund]:
        """The refunds owed by the suppliers the transaction comes from: their payee
        account is its counterparty's, or their name its counterparty name."""
        parties: set[int] = set()
        if transaction.counterparty_iban:
            parties |= self.parties_by_iban.get(compact(transaction.counterparty_iban), set())
        if transaction.counterparty_name:
            parties |= self.parties_by_name.get(_name_key(transaction.counterparty_name), set())
        return [refund for party in sorted(parties) for refund in self.by_party.get(party, [])]

    def settled(self, refund: OwedRefund) -> None:
        """Forget a refund received, so that no later transaction matches it again."""
        self.by_party[refund.party_id].remove(refund)


def owed_refunds(session: Session, coop: Cooperative) -> OwedRefunds:
    """Index the refunds suppliers owe back for matching."""
    found = OwedRefunds()
    notes = refunds_owed(session)
    codes: dict[int, str] = {}
    for part in chunks(sorted({note.party_id for note in notes})):
        for party_id, code, name, iban in session.execute(
            select(Party.id, Party.code, Party.name, PayeeAccount.iban)
            .outerjoin(PayeeAccount, PayeeAccount.party_id == Party.id)
            .where(Party.id.in_(part))
        ):
            codes[party_id] = code
            found.parties_by_name[_name_key(name)].add(party_id)
            if iban:
                found.parties_by_iban[compact(iban)].add(party_id)
    for note in notes:
        found.by_party[note.party_id].append(
            OwedRefund(
                note.id,
                note.supplier_reference,
                note.party_id,
                codes[note.party_id],
                from_minor(note.total, coop.currency),
            )
        )
    return found


@dataclass(frozen=True)
class RefundMatch:
    """How a transaction was matched to a refund owed: the refund and the rule."""

    refund: OwedRefund
    rule: str


def match_refund(transaction: BankTransaction, refunds: OwedRefunds) -> RefundMatch | str | None:
    """The refund owed that money received is, why it cannot be chosen, or ``None``
    when the payer owes no refund."""
    owed = refunds.of_payer(transaction)
    if not owed:
        return None
    communication = " ".join(
        part for part in (transaction.structured_reference, transaction.remittance) if part
    )
    named = [refund for refund in owed if refund.named_in(communication)]
    if len(named) > 1:
        numbers = ", ".join(refund.reference for refund in named)
        return f"the communication names {len(named)} credit notes owed back: {numbers}"
    if named:
        (refund,) = named
        if refund.amount == transaction.amount:
            return RefundMatch(refund, "supplier_reference")
        return (
            f"credit note {refund.reference} of supplier {refund.party} is owed back as "
            f"{refund.amount}, not {transaction.amount}"
        )
    same = [refund for refund in owed if refund.amount == transaction.amount]
    if len(same) == 1:
        return RefundMatch(same[0], "supplier_amount")
    if same:
        return f"{len(same)} refunds owed by that supplier have this amount"
    listed = ", ".join(f"{refund.reference} ({refund.amount})" for refund in owed)
    return f"no refund owed by that supplier is of this amount: {listed}"


@dataclass(frozen=True)
class Imported:
    """What importing a statement file did.

    Attributes:
        statements: the keys of the statements in the file.
        new: transactions recorded now.
        matched: payments and refunds received and posted.
        refunds: of those, refunds of supplier credit notes.
        paid_out: money out matched to payment orders.
        queued: left in the reconciliation queue.
        replayed: every statement of the file had been imported before.
    """

    statements: tuple[str, ...]
    new: int = 0
    matched: int = 0
    refunds: int = 0
    paid_out: int = 0
    queued: int = 0
    replayed: bool = False


class StatementRefused(InvalidAct):
    """A statement file is malformed or does not fit the books; nothing was imported. The
    message names the file (or statement), the element or record, and the rule."""


def read_statements(coop: Cooperative, content: bytes, filename: str) -> list[BankStatement]:
    """The statements of a file: the country's format if it recognises it, else CAMT.053
    (the core's default plugin reads it)."""
    try:
        given = coop.plugins.hook.partage_parse_bank_statement(content=content, filename=filename)
    except PartageError as error:
        raise StatementRefused(filename, str(error)) from None
    return list(given)


def _known_keys(session: Session, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for part in chunks(keys):
        known.update(
            session.scalars(
                select(StatementTransaction.key).where(StatementTransaction.key.in_(part))
            )
        )
    return known


def _orders(session: Session, ids: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(sorted(ids)):
        found.update(
            session.execute(
                select(PaymentOrder.end_to_end_id, PaymentOrder.id).where(
                    PaymentOrder.end_to_end_id.in_(part)
                )
            ).all()
        )
    return found


def import_statement(
    session: Session, coop: Cooperative, content: bytes, *, filename: str, actor: str
) -> Imported:
    """Import a statement file: record, match and post its transactions (see module)."""
    statements = read_statements(coop, content, filename)
    digest = hashlib.sha256(content).hexdigest()
    keys = tuple(f"{s.account_iban}/{s.statement_id}" for s in statements)
    known = set(session.scalars(select(StatementRecord.key).where(StatementRecord.key.in_(keys))))
    if known == set(keys):
        return Imported(keys, replayed=True)
    invoices = open_invoices(session, coop)
    refunds = owed_refunds(session, coop)
    counts: dict[str, int] = defaultdict(int)
    refunded = 0
    for statement, key in zip(statements, keys, strict=True):
        if key in known:
            continue
        if statement.currency != coop.currency:
            raise StatementRefused(
                "statement",
                f"currency {statement.currency} is not the books' {coop.currency}",
                value=key,
            )
        record = StatementRecord(
            key=key,
            format=statement.format,
            statement_id=statement.statement_id,
            account_iban=statement.account_iban,
            currency=statement.currency,
            transactions=len(statement.transactions),
            sha256=digest,
            imported_by=actor,
        )
        session.add(record)
        session.flush()
        rows = _reconcile(session, coop, record, statement, invoices, refunds, actor)
        for row in rows:
            counts[str(row["status"])] += 1
            refunded += row["credit_note_id"] is not None
        for part in range(0, len(rows), 5000):
            session.execute(insert(TRANSACTIONS), rows[part : part + 5000])
        audit.record(
            session,
            actor=actor,
            action="bank_statement.import",
            subject=f"bank_statement:{key}",
            data={"transactions": len(rows), **{k: v for k, v in counts.items()}},
        )
    return Imported(
        keys,
        new=sum(counts.values()),
        matched=counts[TransactionStatus.MATCHED.value],
        refunds=refunded,
        paid_out=counts[TransactionStatus.PAID_OUT.value],
        queued=counts[TransactionStatus.QUEUED.value],
    )


def _reconcile(
    session: Session,
    coop: Cooperative,
    record: StatementRecord,
    statement: BankStatement,
    invoices: OpenInvoices,
    refunds: OwedRefunds,
    actor: str,
) -> list[dict[str, object]]:
    prefix = f"{statement.account_iban}/"
    already = _known_keys(session, [prefix + t.key for t in statement.transactions])
    orders = _orders(
        session,
        {t.end_to_end_id for t in statement.transactions if t.end_to_end_id and not t.credit},
    )
    rows: list[dict[str, object]] = []
    for transaction in statement.transactions:
        key = prefix + transaction.key
        if key in already:
            continue
        already.add(key)
        row: dict[str, object] = {
            "statement_id": record.id,
            "key": key,
            "amount": coop.minor(transaction.amount),
            "credit": transaction.credit,
            "booked_on": transaction.booked_on,
            "value_on": transaction.value_on,
            "counterparty_name": (transaction.counterparty_name or None)
            and transaction.counterparty_name[:140],
            "counterparty_iban": transaction.counterparty_iban,
            "structured_reference": transaction.structured_reference,
            "remittance": transaction.remittance,
            "end_to_end_id": transaction.end_to_end_id,
            "status": TransactionStatus.QUEUED.value,
            "rule": None,
            "invoice_id": None,
            "payment_id": None,
            "order_id": None,
            "credit_note_id": None,
            "note": None,
        }
        if not transaction.credit:
            order = orders.get(transaction.end_to_end_id or "")
            if order is not None:
                row.update(
                    status=TransactionStatus.PAID_OUT.value, rule="payment_order", order_id=order
                )
            else:
                row["note"] = "money out with no payment order of a batch"
        else:
            found = match(transaction, invoices)
            if not isinstance(found, str):
                row.update(_receive(session, coop, transaction, key, found, actor))
            else:
                refund = match_refund(transaction, refunds)
                if isinstance(refund, RefundMatch):
                    row.update(_refund(session, coop, transaction, key, refund, actor))
                    refunds.settled(refund.refund)
                else:
                    row["note"] = refund or found
        rows.append(row)
    return rows


def _receive(
    session: Session,
    coop: Cooperative,
    transaction: BankTransaction,
    key: str,
    found: Match,
    actor: str,
) -> dict[str, object]:
    invoice = found.invoice
    settle = min(transaction.amount, invoice.outstanding)
    received = receive_payment(
        session,
        coop,
        key=f"bank:{key}"[:100],
        entity=invoice.entity,
        client=invoice.party,
        amount=transaction.amount,
        on=transaction.booked_on,
        actor=actor,
        allocations=[(invoice.number, settle)] if settle > 0 else [],
        reference=(transaction.structured_reference or transaction.key)[:100],
    )
    invoice.outstanding -= settle
    return {
        "status": TransactionStatus.MATCHED.value,
        "rule": found.rule,
        "invoice_id": invoice.id,
        "payment_id": received.payment.id,
        "note": None
        if settle == transaction.amount
        else (
            f"{transaction.amount - settle} {coop.currency} more than owed, kept as the "
            "client's credit"
        ),
    }


def _refund(
    session: Session,
    coop: Cooperative,
    transaction: BankTransaction,
    key: str,
    found: RefundMatch,
    actor: str,
) -> dict[str, object]:
    receive_supplier_refund(
        session,
        coop,
        found.refund.id,
        on=transaction.booked_on,
        actor=actor,
        reference=key[:100],
    )
    return {
        "status": TransactionStatus.MATCHED.value,
        "rule": found.rule,
        "credit_note_id": found.refund.id,
        "note": None,
    }


def queue(session: Session) -> list[StatementTransaction]:
    """The reconciliation queue: transactions waiting for a person, oldest first."""
    return list(
        session.scalars(
            select(StatementTransaction)
            .where(StatementTransaction.status == TransactionStatus.QUEUED.value)
            .order_by(StatementTransaction.booked_on, StatementTransaction.id)
        )
    )


def settle_queued(
    session: Session,
    coop: Cooperative,
    transaction_id: int,
    *,
    actor: str,
    entity: str | None = None,
    client: str | None = None,
    allocations: Sequence[tuple[str, Decimal | str]] | None = None,
    credit_note: int | None = None,
) -> StatementTransaction:
    """A person says what a queued transaction is: the payment of ``client`` to
    ``entity`` (posted as received, ``allocations`` naming the invoices it settles), or
    the refund of the supplier credit note ``credit_note``, whose amount it must be
    exactly."""
    row = session.get(StatementTransaction, transaction_id, with_for_update=True)
    if row is None:
        raise NotFound("bank transaction", "no such transaction", value=transaction_id)
    if row.status != TransactionStatus.QUEUED.value or not row.credit:
        raise ClosedRecord(
            "bank transaction", "not a payment waiting in the queue", value=transaction_id
        )
    if credit_note is not None:
        if entity is not None or client is not None or allocations:
            raise InvalidAct(
                "credit_note",
                "a supplier's refund names its credit note only, not an entity, "
                "a client or invoices",
            )
        return _settle_refund(session, coop, row, credit_note, actor=actor)
    if not entity or not client:
        raise InvalidAct(
            "entity, client", "say whose payment it is (or which credit note it refunds)"
        )
    received = receive_payment(
        session,
        coop,
        key=f"bank:{row.key}"[:100],
        entity=entity,
        client=client,
        amount=from_minor(row.amount, coop.currency),
        on=row.booked_on,
        actor=actor,
        allocations=allocations,
        reference=(row.structured_reference or row.key)[:100],
    )
    row.status = TransactionStatus.MATCHED.value
    row.rule = "manual"
    row.payment_id = received.payment.id
    row.invoice_id = None
    if received.settled:
        row.invoice_id = session.scalars(
            select(Invoice.id).where(Invoice.number == received.settled[0][0])
        ).one()
    row.note = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="bank_transaction.settle",
        subject=f"bank_transaction:{row.id}",
        data={"entity": entity, "client": client},
    )
    return row


def _settle_refund(
    session: Session, coop: Cooperative, row: StatementTransaction, credit_note: int, *, actor: str
) -> StatementTransaction:
    """A queued transaction received as the refund of a supplier's credit note."""
    note = refund_due(session, credit_note)
    if row.amount != note.total:
        raise InvalidAct(
            "credit_note",
            f"bank transaction {row.id} brings "
            f"{from_minor(row.amount, coop.currency)} {coop.currency}; the refund of credit "
            f"note {note.supplier_reference} is "
            f"{from_minor(note.total, coop.currency)} {coop.currency}",
        )
    receive_supplier_refund(
        session, coop, note.id, on=row.booked_on, actor=actor, reference=row.key[:100]
    )
    row.status = TransactionStatus.MATCHED.value
    row.rule = "manual"
    row.credit_note_id = note.id
    row.note = None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="bank_transaction.settle",
        subject=f"bank_transaction:{row.id}",
        data={"credit_note": note.id, "supplier_reference": note.supplier_reference},
    )
    return row
