"""Bodies of sales: quotes and their lines, invoices, what clients still owe, payments."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from litestar.params import PathParameter
from msgspec import Meta, Struct

from partage.core.web.schemas import Amount, Code, Name, Quantity, Request

#: A draft's id in a path, bounded as the database's integer keys are: a larger one is
#: answered 400, never looked up.
DraftPath = Annotated[int, PathParameter(ge=1, le=2_147_483_647, description="the draft's id")]

Percent = Annotated[
    str,
    Meta(
        pattern=r"^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$",
        description='a percentage between 0 and 100 as a decimal string, e.g. "12.5"',
        examples=["10"],
    ),
]
Unit = Literal["piece", "hour", "day", "month", "km", "kg", "flat", "unit"]
Notes = Annotated[str, Meta(max_length=2000)]


class LineIn(Request):
    """A line: quantity × unit price, less its discount (a percentage or an amount)."""

    description: Name
    quantity: Quantity
    unit_price: Amount
    rate_code: Code | None = None
    supply: Literal["services", "goods"] = "services"
    unit: Unit = "unit"
    discount_percent: Percent | None = None
    discount_amount: Amount | None = None


Lines = Annotated[list[LineIn], Meta(min_length=1, max_length=100)]
#: A public tender's or lot's reference, as the buyer's procurement notice gives it.
TenderReference = Annotated[str, Meta(max_length=64, pattern=r"^[^\x00-\x1f\x7f]*$")]


class QuoteIn(Request):
    client: Code
    lines: Lines
    on: date | None = None
    valid_days: Annotated[int, Meta(ge=1, le=365)] = 30
    revises: Code | None = None
    discount_percent: Percent | None = None
    discount_amount: Amount | None = None
    notes: Notes = ""


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
    discount_percent: Percent | None = None
    discount_amount: Amount | None = None
    notes: Notes = ""
    #: The day of the supply (EN 16931 BT-72) when it is not the invoice's date: the
    #: law requires it on the invoice then (Directive 2006/112/EC art. 226 7°; BE AR
    #: n°1 art. 5 §1; FR CGI ann. II art. 242 nonies A I).
    supplied_on: date | None = None


class DepositIn(Request):
    """A deposit on an accepted quote: a percentage of its net total or an amount
    excluding VAT (one of them)."""

    percent: Percent | None = None
    amount: Amount | None = None
    on: date | None = None
    due_on: date | None = None


class BalanceIn(Request):
    on: date | None = None
    due_on: date | None = None


class ProgressOut(Struct, kw_only=True):
    """What has been invoiced of a quote, excluding VAT."""

    reference: str
    agreed: str
    deposits: str
    invoiced: str
    left: str
    invoices: list[str]
    balanced: bool


class CreditNoteIn(Request):
    """A credit note: the whole invoice when ``lines`` is omitted, else those lines."""

    reason: Name
    lines: Lines | None = None
    on: date | None = None


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
    supplied_on: date | None = None


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
    method: Literal["bank", "cash", "cheque"] = "cash"
    on: date | None = None
    reference: Annotated[str, Meta(max_length=100)] = ""


class PaymentOut(Struct, kw_only=True):
    """A payment received. Declared cash or cheque is ``pending`` until staff of the entity's
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


class DraftIn(Request):
    """A draft quote or invoice: lines may be incomplete until it is submitted."""

    kind: Literal["quote", "invoice"]
    client: Code | None = None
    lines: Annotated[list[LineIn], Meta(max_length=100)] = []  # noqa: RUF012
    discount_percent: Percent | None = None
    discount_amount: Amount | None = None
    notes: Notes = ""


class DraftOut(Struct, kw_only=True):
    """A draft, where it stands, and what it became once issued."""

    id: int
    entity: str
    kind: str
    status: Literal["draft", "submitted", "returned", "issued"]
    reason: str | None = None
    issued: str | None = None


class ReturnIn(Request):
    reason: Name


class ValidationIn(Request):
    """Whether the office's staff validate its entities' quotes and invoices."""

    required: bool
