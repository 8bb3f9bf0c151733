"""Bodies of spending: expense claims, supplier documents imported, purchases booked."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec
from msgspec import Meta, Struct

from partage.core.web.problems import ProblemOut
from partage.core.web.schemas import Amount, Code, MemberNumber, Name, Request, Text

#: A file sent as base64. Its size is bounded by the instance's configuration, not by
#: the schema: over ``[limits]`` it is refused 413 before it is decoded.
Base64File = Annotated[
    str,
    Meta(
        min_length=4,
        description=(
            "the file in base64; at most [limits] receipt_bytes (default 10,000,000) for a "
            "receipt and einvoice_bytes (default 5,000,000) for an e-invoice once decoded, "
            "else 413 naming the field and the limit"
        ),
    ),
]


class ExpenseIn(Request):
    category: Code
    net: Amount
    receipt_name: Name
    receipt_base64: Base64File
    vat: Amount = "0"
    rate_code: Code | None = None
    on: date | None = None
    description: Text = ""
    member: MemberNumber | None = None


class ExpenseOut(Struct, kw_only=True):
    id: int
    entity: str
    member: int
    on: date
    category: str
    net: str
    vat: str
    receipt_name: str
    reimbursed_on: date | None
    #: ``pending`` while its VAT waits for an adviser, ``refused`` if refused; ``None``
    #: once it counts.
    pending: Literal["pending", "refused"] | None = None


class PurchaseImportIn(Request):
    """A supplier's e-invoice or credit note to book: Peppol UBL, Factur-X PDF or CII XML."""

    filename: Name
    content_base64: Base64File
    category: Literal["purchases", "expenses"] | None = None


class FindingOut(Struct, kw_only=True):
    """One official rule a supplier document breaks or advises against, and where."""

    rule: str
    message: str
    where: str | None


class PurchaseImportOut(Struct, kw_only=True):
    """What importing a supplier document booked (nothing new when ``replayed``)."""

    entity: str
    filename: str
    format: Literal["ubl", "cii"]
    kind: Literal["invoice", "credit_note"]
    number: str
    supplier: str
    supplier_name: str
    total: str
    currency: str
    purchases: list[int]
    replayed: bool
    warnings: list[FindingOut]
    #: What was booked, in the books' currency (``books_currency``): the total, and for a
    #: document in another currency the ECB reference rate used and its day; the VAT of
    #: another country booked as a cost.
    books_currency: str = ""
    booked_total: str = ""
    exchange_rate: str | None = None
    exchange_rate_on: date | None = None
    foreign_vat: str | None = None


class ImportProblemOut(ProblemOut, kw_only=True):
    """The problem answered when a supplier document is refused: every finding (none
    when content_base64 is not base64 at all)."""

    findings: list[FindingOut] = msgspec.field(default_factory=list)


class PurchaseOut(Struct, kw_only=True):
    """A supplier invoice or credit note booked for an entity; ``credits`` is the supplier
    reference of the invoice a credit note corrects.

    ``payee_iban`` is the account the supplier's document asked to be paid into. An
    open invoice's ``payment`` says whether a payment file may pay it: ``verified`` (into
    the supplier's verified account), ``no_verified_account`` or ``account_pending``
    (its document named an account waiting for staff), with ``payment_hold`` the
    reason; ``None`` for a credit note or an invoice already settled. ``pending`` says
    a stand-alone credit note does not count yet (or was refused).
    """

    id: int
    kind: str
    entity: str
    supplier_reference: str
    supplier: str
    supplier_name: str
    issued_on: date
    due_on: date
    category: str
    net: str
    vat: str
    total: str
    payment_reference: str | None
    credits: str | None
    paid_on: date | None
    payee_iban: str | None = None
    payment: Literal["verified", "no_verified_account", "account_pending"] | None = None
    payment_hold: str | None = None
    #: ``pending`` while a stand-alone credit note waits for staff, ``refused`` if
    #: refused; ``None`` once it counts.
    pending: Literal["pending", "refused"] | None = None
    #: The supplier document's currency when not the books' (``net``, ``vat`` and
    #: ``total`` are in the books'), its amount with VAT there, and the ECB reference
    #: rate used (units of ``currency`` for one unit of the books' currency) and its day.
    currency: str | None = None
    original_total: str | None = None
    exchange_rate: str | None = None
    exchange_rate_on: date | None = None
    #: VAT of another country the supplier charged, booked within ``net`` as a cost
    #: (not deductible here), and that country.
    foreign_vat: str | None = None
    foreign_vat_country: str | None = None
    #: Whether the paper document it was booked with is kept
    #: (``GET /entities/{code}/purchases/{id}/receipt``).
    receipt: bool = False


class PaperPurchaseIn(Request):
    """A supplier invoice that came on paper or as a plain PDF, with its file."""

    supplier: Code
    supplier_reference: Name
    net: Amount
    receipt_name: Name
    receipt_base64: Base64File
    category: Literal["purchases", "expenses"] = "purchases"
    rate_code: Code | None = None
    on: date | None = None
    due_on: date | None = None
    description: Text = ""
    payment_reference: Annotated[str, Meta(max_length=40)] | None = None


class ExpenseLineIn(Request):
    """One receipt of an expense claim with several."""

    category: Code
    net: Amount
    receipt_name: Name
    receipt_base64: Base64File
    vat: Amount = "0"
    description: Text = ""


class ExpenseClaimsIn(Request):
    """Several expenses, each with its own receipt, claimed at once (all or none)."""

    lines: Annotated[list[ExpenseLineIn], Meta(min_length=1, max_length=20)]
    on: date | None = None
    member: MemberNumber | None = None


class CategoryOut(Struct, kw_only=True):
    """An expense category in force for the entity on the day asked."""

    code: str
    label: str


class InternalInvoiceIn(Request):
    """Work the entity invoices to another entity of the cooperative."""

    buyer: Code
    amount: Amount
    description: Name
    on: date | None = None


class InternalDecisionIn(Request):
    """The buyer's holder accepts or refuses an internal invoice."""

    accept: bool
    reason: Text = ""


class InternalInvoiceOut(Struct, kw_only=True):
    """An invoice between two entities: ``pending`` until the buyer's holder decides."""

    number: str
    seller: str
    seller_name: str
    buyer: str
    buyer_name: str
    on: date
    description: str
    amount: str
    status: Literal["pending", "accepted", "refused"]
    decided_by: str | None = None


class CopyrightIn(Request):
    """A holder cedes their copyright on a work to the entity."""

    work: Name
    amount: Amount
    on: date | None = None
    member: MemberNumber | None = None


class CopyrightOut(Struct, kw_only=True):
    """A copyright cession: the gross paid, the flat-rate costs and the withholding the
    country's regime gives, and what the author receives."""

    id: int
    entity: str
    member: int
    on: date
    work: str
    amount: str
    flat_rate_costs: str
    withholding: str
    net: str


class OtherIncomeIn(Request):
    """A subsidy or a gift (patronage) received: counts once staff validate it."""

    kind: Literal["subsidy", "patronage"]
    funder: Code
    amount: Amount
    reference: Annotated[str, Meta(max_length=100)] = ""
    on: date | None = None


class SponsorshipIn(Request):
    """A sponsorship, invoiced to the sponsor with its VAT."""

    sponsor: Code
    amount: Amount
    description: Name
    rate_code: Code | None = None
    on: date | None = None


class OtherIncomeOut(Struct, kw_only=True):
    """Income besides sales. A subsidy or gift is ``pending`` until staff validate it;
    a sponsorship names its ``invoice``."""

    id: int
    kind: Literal["subsidy", "patronage", "sponsorship"]
    entity: str
    funder: str
    on: date
    amount: str
    reference: str
    pending: Literal["pending", "refused"] | None = None
    invoice: str | None = None
