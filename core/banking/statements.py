"""Payments in: importing bank statements.

A statement is read by the country plugin when it is in a national format (Belgium:
CODA), else as CAMT.053 by the core's default plugin. Importing it is one act, in the
caller's transaction: the statement is recorded under its key (account and statement
id), and each transaction:

* money in carrying the structured reference of a new member's shares pays them
  (:func:`partage.core.members.membership.pay_shares`): they enter the register on
  the booking date; a wrong amount waits in the queue with the rule it breaks;
* money in matched to an open invoice (:mod:`.matching`) is posted through
  :func:`partage.core.sales.payments.receive_payment` (idempotent by the
  transaction's key), an excess staying on the client's account as credit;
* money in matched to a refund a supplier owes back must be the refund's amount
  exactly; it is received through
  :func:`partage.core.spending.refunds.receive_supplier_refund` on the booking date;
* money out is matched to the payment order of a SEPA batch by its end-to-end id;
* money out the bank took on its own — its charges, and the return of a payment it had
  credited — is booked as an act of the entity it concerns, accepted whatever the
  entity holds (:mod:`.bank_debits`);
* the rest waits in the reconciliation queue (status ``queued``, with the reason),
  where a person settles it (:mod:`.reconciliation`).

Importing the same statement again changes nothing: its key is known. A transaction
already imported with another statement (same account and entry reference) is skipped.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, within_bounds
from partage.core.banking import bank_debits
from partage.core.banking.matching import (
    Match,
    OpenInvoices,
    OwedRefunds,
    RefundMatch,
    match,
    match_refund,
    open_invoices,
    owed_refunds,
)
from partage.core.banking.models import (
    PaymentOrder,
    StatementRecord,
    StatementTransaction,
    TransactionStatus,
)
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.errors import N_, PartageError
from partage.core.members.membership import due_by_reference, pay_shares
from partage.core.members.models import SharePaymentDue
from partage.core.platform import audit
from partage.core.platform.db.engine import chunks
from partage.core.platform.db.text_rules import TextRefused, check_text
from partage.core.platform.limits import bounded
from partage.core.sales.payments import receive_payment
from partage.core.spending.refunds import receive_supplier_refund

TRANSACTIONS: Table = StatementTransaction.__table__  # type: ignore[assignment]


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

    usage = True


def read_statements(coop: Cooperative, content: bytes, filename: str) -> list[BankStatement]:
    """The statements of a file: the country's format if it recognises it, else CAMT.053
    (the core's default plugin reads it). A file over ``[limits] statement_bytes`` is
    refused before any parser reads it."""
    bounded(filename, len(content), coop.limits.statement_bytes, "statement_bytes")
    try:
        given = coop.plugins.hook.partage_parse_bank_statement(content=content, filename=filename)
    except PartageError as error:
        raise StatementRefused(filename, N_("{refusal}"), refusal=error) from None
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
                N_("currency {statement_currency} is not the books' {coop_currency}"),
                value=key,
                statement_currency=statement.currency,
                coop_currency=coop.currency,
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
    """Each transaction of the statement not imported before, as a row to insert: paid
    out, matched and posted, or queued with the reason."""
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
        row: dict[str, object] = _held(
            {
                "statement_id": record.id,
                "key": key,
                "amount": _minor(coop, transaction.amount, key),
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
        )
        if not transaction.credit:
            order = orders.get(transaction.end_to_end_id or "")
            kind = bank_debits.kind_of(transaction)
            if order is not None and kind != "charge":
                row.update(
                    status=TransactionStatus.PAID_OUT.value, rule="payment_order", order_id=order
                )
            elif kind == "return":
                row.update(bank_debits.book_return(session, coop, transaction, key, actor=actor))
            elif kind == "charge":
                row.update(bank_debits.book_charge(session, coop, transaction, key, actor=actor))
            else:
                row["note"] = "money out with no payment order of a batch"
        elif (due := _share_due(session, transaction)) is not None:
            row.update(_pay_shares(session, coop, transaction, key, due, actor))
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


def _minor(coop: Cooperative, amount: Decimal, key: str) -> int:
    """A transaction's amount in minor units, if one act may carry it; else a refusal
    naming the transaction (a larger figure would overflow the database's integers)."""
    try:
        return coop.minor(within_bounds(amount, coop.currency, field="amount"))
    except InvalidAct as error:
        raise StatementRefused(f"transaction {key:.60} amount", error.rule) from None


def _held(row: dict[str, object]) -> dict[str, object]:
    """``row`` if each of its texts fits its column and holds no control character
    (rows are inserted in bulk, past the session's own check); else a refusal naming
    the transaction and the field."""
    for name, value in row.items():
        if isinstance(value, str):
            column = TRANSACTIONS.c[name].type
            try:
                check_text(name, value, getattr(column, "length", None))
            except TextRefused as error:
                raise StatementRefused(
                    f"transaction {row['key']!s:.60} {name}", error.rule
                ) from None
    return row


def _share_due(session: Session, transaction: BankTransaction) -> SharePaymentDue | None:
    """The unpaid shares whose reference the transaction carries, if any."""
    for text in (transaction.structured_reference, transaction.remittance):
        if text and (due := due_by_reference(session, text)) is not None:
            return due
    return None


def _pay_shares(
    session: Session,
    coop: Cooperative,
    transaction: BankTransaction,
    key: str,
    due: SharePaymentDue,
    actor: str,
) -> dict[str, object]:
    """Money in paying shares due: they enter the register; a wrong amount waits in the
    queue with the rule it breaks, and nothing is posted."""
    try:  # the amount is checked before anything is written
        pay_shares(
            session,
            coop,
            due,
            coop.minor(transaction.amount),
            on=transaction.booked_on,
            paid_by=key,
            actor=actor,
        )
    except InvalidAct as refused:
        return {"note": f"shares {due.reference}: {refused.rule}"[:500]}
    return {"status": TransactionStatus.MATCHED.value, "rule": "share_reference"}


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
