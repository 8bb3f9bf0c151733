"""Bodies of sales: quotes and their lines, invoices, what clients still owe, payments."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from msgspec import Meta, Struct

from partage.core.web.schemas import Amount, Code, Name, Quantity, Request


class LineIn(Request):
    description: Name
    quantity: Quantity
    unit_price: Amount
    rate_code: Code | None = None
    supply: Literal["services", "goods"] = "services"


Lines = Annotated[list[LineIn], Meta(min_length=1, max_length=100)]
#: A public tender's or lot's reference, as the buyer's procurement notice gives it.
TenderReference = Annotated[str, Meta(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")]


class QuoteIn(Request):
    client: Code
    lines: Lines
    on: date | None = None
    valid_days: Annotated[int, Meta(ge=1, le=365)] = 30
    revises: Code | None = None


class DecisionIn(Request):
    accept: bool
    on: date | None = None


class QuoteOut(Struct, kw_only=True):
    reference: str
    version: int
    entity: str
    client: str
    issued_on: date
    valid_until: date
    status: str
    net: str
    vat: str
    total: str


class InvoiceIn(Request):
    client: Code
    lines: Lines
    on: date | None = None
    due_on: date | None = None
    quote: Code | None = None
    #: The public tender or lot the invoice answers (BT-17 of the e-invoice).
    tender_reference: TenderReference | None = None


class InvoiceOut(Struct, kw_only=True):
    number: str
    kind: str
    entity: str
    client: str
    issued_on: date
    due_on: date
    net: str
    vat: str
    total: str
    fee: str
    fee_rate: str
    outstanding: str
    tender_reference: str | None = None


class OpenInvoice(Struct, kw_only=True):
    number: str
    client: str
    client_name: str
    issued_on: date
    due_on: date
    total: str
    outstanding: str
    overdue: bool


class PaymentIn(Request):
    key: Annotated[str, Meta(min_length=1, max_length=100)]
    client: Code
    amount: Amount
    method: Literal["bank", "cash"] = "cash"
    on: date | None = None
    reference: Annotated[str, Meta(max_length=100)] = ""


class PaymentOut(Struct, kw_only=True):
    """A payment received. Declared cash is ``pending`` until staff of the entity's
    office validate it (``pending_id`` is its pending act): it settled nothing yet and
    counts nowhere; ``refused`` if they refused it."""

    id: int
    amount: str
    method: str
    received_on: date
    settled: list[list[str]]
    credit_left: str
    replayed: bool
    status: Literal["received", "pending", "validated", "refused"] = "received"
    pending_id: int | None = None
