"""Matching a bank transaction to what it pays: an open invoice, a refund owed, by rules in turn.

Money in is matched to an open invoice by these rules in turn: the structured reference
the invoice asked for (``+++...+++``, ``RF..``) found in the structured or the free
communication; the invoice's number found in the free communication; the client's name
with exactly one open invoice of exactly that amount. Money in that settles no invoice
is matched to a refund a supplier owes back
(:func:`partage.core.spending.refunds.refunds_owed`), once the transaction is known to
come from the supplier (its account is one staff verified for the supplier, now or
before, or its name the supplier's), by these rules in turn: the number of the
supplier's credit note found in the communication; the supplier with exactly one refund
owed of exactly that amount.
Both indexes are built once per import, so matching a transaction reads nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.banking.models import PayeeAccount, PayeeStatus
from partage.core.contract.bank import BankTransaction
from partage.core.contract.money import from_minor
from partage.core.members.models import Entity, Party
from partage.core.platform.db.engine import chunks
from partage.core.sales.models import Invoice
from partage.core.sales.receivables import outstanding_query
from partage.core.sales.references import compact, payment_reference
from partage.core.spending.refunds import refunds_owed

#: Tokens of a communication that may be a reference: a Belgian structured
#: communication, an RF creditor reference, an invoice number, or a run of digits.
TOKEN = re.compile(
    r"\+{3}\s*\d{3}\s*/\s*\d{4}\s*/\s*\d{5}\s*\+{3}"
    r"|RF\d{2}(?:\s?[0-9A-Z]){1,21}"
    r"|[A-Z]{1,8}\d{4}-\d{6}"
    r"|\d{12}",
    re.IGNORECASE,
)
#: The supplier accounts that say who sent money: those staff verified, now or before
#: (an account a document proposed and no one confirmed says nothing).
VOUCHED = (PayeeStatus.VERIFIED.value, PayeeStatus.REPLACED.value)


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
            .outerjoin(
                PayeeAccount,
                (PayeeAccount.party_id == Party.id) & PayeeAccount.status.in_(VOUCHED),
            )
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
