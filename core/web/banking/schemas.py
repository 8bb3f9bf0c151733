"""Bodies of suppliers' bank accounts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.schemas import Code, Request, Text

Iban = Annotated[str, Meta(min_length=5, max_length=42)]
Bic = Annotated[str, Meta(min_length=8, max_length=11)]


class PayeeIn(Request):
    """A supplier's bank account typed in by staff: verified at once."""

    supplier: Code
    iban: Iban
    bic: Bic | None = None


class RejectIn(Request):
    """Why an account is rejected."""

    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class PayeeOut(Struct, kw_only=True):
    """A supplier's bank account and where it stands.

    ``verified_iban`` is the supplier's verified account while this one waits (a
    pending account beside a verified one is a conflict: a document asked to be paid
    elsewhere); ``held`` counts the open invoices whose document named it and that wait
    for the decision. Who proposed and decided, and the document, are shown to staff.
    """

    id: int
    supplier: str
    supplier_name: str
    iban: str
    bic: str | None
    status: Literal["pending", "verified", "rejected", "replaced"]
    source: Literal["staff", "document", "recorded"]
    proposed_at: datetime
    verified_iban: str | None
    held: int
    proposed_by: str | None = None
    document: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: Text | None = None


class RefuseIn(Request):
    """Why a pending act is refused."""

    reason: Annotated[str, Meta(min_length=1, max_length=500)]


class PendingOut(Struct, kw_only=True):
    """An act that counts only once staff of its entity's office validate it: cash
    declared, a supplier credit note without its invoice in the books, an expense claim
    whose VAT no rate explains, an invoice an adviser proposes in default. ``rule`` says
    why it waits, with the amounts; ``subject_id`` is its payment, purchase, expense
    claim or invoice."""

    id: int
    kind: Literal[
        "cash_receipt", "supplier_credit_note", "expense_claim", "other_income", "invoice_default"
    ]
    entity: str
    subject_id: int
    on: date
    what: str
    amount: str
    status: Literal["pending", "validated", "refused"]
    rule: Text
    entered_by: str
    entered_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: Text | None = None
