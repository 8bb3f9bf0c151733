"""The neutral document model: an invoice or credit note as every format sees it.

A PDF, a Peppol UBL file and a Factur-X CII file are three renderings of one set of
facts; building each format from this model (rather than from the database rows)
keeps the formats consistent and lets a country plugin produce its own format from the
same facts. The field names follow the EN 16931 semantic model, whose business terms
(``BT-1`` invoice number...) are cited where they help. Amounts are ``Decimal`` in the
document currency, rounded to its minor unit; rates are fractions (``0.21``).

The types are part of the plugin contract (re-exported by :mod:`partage.core.contract`):
a country plugin receives an :class:`InvoiceDocument` and returns an :class:`EInvoice`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from partage.core.contract.periods import Period

#: The core's document words: the printed words per language in ``labels.toml``,
#: including ``identity``, the issuer's legal line at the foot of every page. A
#: country's folder (``partage_document_templates``) overrides them word by word, so
#: these names are part of the contract; the layout itself is the core's.
DOCUMENT_TEMPLATES = Path(__file__).resolve().parent / "document_templates"


@dataclass(frozen=True)
class Address:
    """A postal address (EN 16931 BG-5 / BG-8).

    Attributes:
        street: street and number (BT-35).
        city: city (BT-37).
        postcode: post code (BT-38).
        country: ISO 3166-1 alpha-2 code, upper case (BT-40).
    """

    street: str
    city: str
    postcode: str
    country: str

    def one_line(self) -> str:
        """The address on one line, as a letterhead prints it."""
        return ", ".join(p for p in (self.street, f"{self.postcode} {self.city}".strip()) if p)


@dataclass(frozen=True)
class DocumentParty:
    """The seller or the buyer of a document.

    Attributes:
        name: registered name (BT-27 / BT-44).
        address: postal address.
        vat_number: VAT identifier with its country prefix (BT-31 / BT-48), if any.
        company_id: legal registration number (BT-30 / BT-47): the Belgian enterprise
            number, the French SIREN...
        trading_name: the name the party trades under, when it differs (BT-28): for
            the seller, the autonomous entity in whose name the cooperative invoices.
        email: where documents go.
        legal_form: legal form and registration mentions (BT-33), seller only.
        code: the party's reference in the books (client code), if any.
    """

    name: str
    address: Address
    vat_number: str | None = None
    company_id: str | None = None
    trading_name: str | None = None
    email: str | None = None
    legal_form: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class DocumentLine:
    """One invoice line (BG-25).

    Attributes:
        number: the line's identifier (BT-126), ``"1"``, ``"2"``...
        description: the item's name (BT-153).
        quantity: invoiced quantity (BT-129).
        unit_code: UN/ECE recommendation 20 unit (BT-130), ``"C62"`` for "one".
        unit_price: net price of one unit (BT-146).
        net: line net amount, quantity × price rounded (BT-131).
        vat_code: the country plugin's VAT code of the line (kept for the books).
        vat_category: UNCL 5305 category (BT-151): ``S``, ``Z``, ``E``, ``AE``, ``K``,
            ``G``, ``O``.
        vat_rate: the rate as a fraction (BT-152 is this × 100).
        price_base_quantity: how many units ``unit_price`` is the price of (BT-149), 1
            unless the document says otherwise.
        allowance: the line's discount (BT-136), already taken off ``net``.
        allowance_percent: that discount as a percentage (BT-138), if it was one.
    """

    number: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    net: Decimal
    vat_code: str
    vat_category: str
    vat_rate: Decimal
    unit_code: str = "C62"
    price_base_quantity: Decimal = Decimal(1)
    allowance: Decimal = Decimal(0)
    allowance_percent: Decimal | None = None


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level allowance (BG-20) or charge (BG-21), on one VAT category.

    Attributes:
        charge: ``True`` for a charge (BT-99), ``False`` for an allowance (BT-92).
        amount: the amount, without VAT.
        vat_category: its VAT category (BT-95 / BT-102).
        vat_rate: its VAT rate as a fraction (BT-96 / BT-103).
        reason: why (BT-97 / BT-104), if said.
        base: the amount it is a percentage of (BT-93 / BT-100), if it was given as one.
        percent: that percentage (BT-94 / BT-101).
    """

    charge: bool
    amount: Decimal
    vat_category: str
    vat_rate: Decimal
    reason: str = ""
    base: Decimal | None = None
    percent: Decimal | None = None


@dataclass(frozen=True)
class VatBreakdown:
    """VAT of one category and rate (BG-23).

    Attributes:
        category: UNCL 5305 code (BT-118).
        rate: fraction (BT-119 / 100).
        base: sum of the category's line net amounts (BT-116).
        vat: VAT on that base, rounded once (BT-117, rule BR-CO-17).
        exemption_reason: the legal mention of an exemption or reverse charge (BT-120).
    """

    category: str
    rate: Decimal
    base: Decimal
    vat: Decimal
    exemption_reason: str | None = None


@dataclass(frozen=True)
class PaymentInstructions:
    """How the buyer pays (BG-16).

    Attributes:
        means_code: UNCL 4461 code (BT-81): ``"58"`` SEPA credit transfer, ``"30"``
            credit transfer.
        iban: the account to pay into (BT-84).
        bic: its bank's BIC (BT-86), if known.
        reference: the structured reference the payment must carry (BT-83): a Belgian
            ``+++xxx/xxxx/xxxxx+++`` or an ISO 11649 ``RF`` creditor reference.
    """

    means_code: str
    iban: str
    reference: str
    bic: str | None = None


@dataclass(frozen=True)
class InvoiceDocument:
    """An invoice or credit note, complete enough for every format and the law.

    Attributes:
        kind: ``"invoice"``, ``"credit_note"`` or ``"quote"`` (a quote is printed with
            the same layout and is no e-invoice).
        number: the gapless number (BT-1).
        issued_on: issue date and tax point (BT-2).
        due_on: payment due date (BT-9), ``None`` on a credit note.
        currency: ISO 4217 code (BT-5).
        language: ISO 639-1 code the document is written in.
        seller: the cooperative, trading as the entity.
        buyer: the client.
        lines: the lines, in order.
        vat_breakdown: one entry per VAT category and rate.
        net: total without VAT (BT-109): the lines' net less allowances plus charges.
        vat: total VAT (BT-110).
        total: amount with VAT (BT-112).
        payable: amount due (BT-115).
        payment: payment instructions, ``None`` on a credit note.
        buyer_reference: the buyer's reference for routing (BT-10).
        tender_reference: the public tender or lot the invoice answers (BT-17).
        preceding_invoice: for a credit note, the invoice it credits (BT-25).
        preceding_issued_on: that invoice's date (BT-26).
        notes: legal mentions printed on the document (BT-22), one per mention.
        delivery_country: where goods were delivered, when the VAT rules need it.
        supplied_on: the actual delivery date (BT-72), when the supply was on another
            day than the issue date (Directive 2006/112/EC art. 226 7°; BE AR n°1
            art. 5 §1; FR CGI ann. II art. 242 nonies A I).
        allowances_charges: document-level allowances and charges (BG-20, BG-21).
        prepaid: amount already paid (BT-113).
        rounding: rounding amount added to the total to give the amount due (BT-114).
        tax_currency: the VAT accounting currency (BT-6), when the document gives one.
        tax_currency_vat: the total VAT in that currency (BT-111).
        purpose: ``"deposit"`` or ``"balance"`` for an invoice of an accepted quote.
        quote_reference: the quote an invoice comes from, or a quote's own reference.
        valid_until: how long a quote's offer stands (a quote only).
    """

    kind: str
    number: str
    issued_on: date
    currency: str
    language: str
    seller: DocumentParty
    buyer: DocumentParty
    lines: tuple[DocumentLine, ...]
    vat_breakdown: tuple[VatBreakdown, ...]
    net: Decimal
    vat: Decimal
    total: Decimal
    payable: Decimal
    due_on: date | None = None
    payment: PaymentInstructions | None = None
    buyer_reference: str | None = None
    preceding_invoice: str | None = None
    preceding_issued_on: date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    delivery_country: str | None = None
    allowances_charges: tuple[AllowanceCharge, ...] = field(default_factory=tuple)
    prepaid: Decimal = Decimal(0)
    rounding: Decimal = Decimal(0)
    tax_currency: str | None = None
    tax_currency_vat: Decimal | None = None
    tender_reference: str | None = None
    purpose: str | None = None
    quote_reference: str | None = None
    valid_until: date | None = None

    @property
    def is_quote(self) -> bool:
        return self.kind == "quote"

    supplied_on: date | None = None

    @property
    def is_credit_note(self) -> bool:
        return self.kind == "credit_note"

    @property
    def line_total(self) -> Decimal:
        """Sum of the lines' net amounts (BT-106): the net before document-level
        allowances and charges."""
        return self.net + self.allowance_total - self.charge_total

    @property
    def allowance_total(self) -> Decimal:
        """The sum of the document-level allowances (BT-107)."""
        return sum((a.amount for a in self.allowances_charges if not a.charge), Decimal(0))

    @property
    def charge_total(self) -> Decimal:
        """The sum of the document-level charges (BT-108)."""
        return sum((a.amount for a in self.allowances_charges if a.charge), Decimal(0))


@dataclass(frozen=True)
class EInvoice:
    """A structured e-invoice as a country plugin produces it.

    Attributes:
        format: the format's name (``"peppol-bis-3"``, ``"factur-x-en16931"``).
        media_type: ``"application/xml"`` or ``"application/pdf"``.
        filename: a file name for the document (``"F2026-000001.xml"``).
        content: the bytes.
    """

    format: str
    media_type: str
    filename: str
    content: bytes


# --- employment declarations ---------------------------------------------------------
@dataclass(frozen=True)
class Employer:
    """The cooperative as an employer towards social security.

    Attributes:
        name: legal name.
        company_id: enterprise number / SIREN.
        social_security_id: the employer's registration at social security (Belgian
            ONSS/RSZ number, French SIRET of the establishment).
        address: its seat.
    """

    name: str
    company_id: str
    social_security_id: str
    address: Address


@dataclass(frozen=True)
class Worker:
    """A worker as declarations name them.

    Attributes:
        national_id: national register number / NIR, normalised.
        first_name, last_name: as on the identity document.
        reference: the worker's member reference in the books (``"M12"``).
    """

    national_id: str
    first_name: str
    last_name: str
    reference: str


@dataclass(frozen=True)
class HireDeclaration:
    """What the State must know before a worker starts (Dimona IN, DPAE).

    Attributes:
        employer: the cooperative.
        worker: the person hired.
        contract: the contract's code in the books.
        worker_category: the country plugin's category code.
        start, end: the contract's term (``end`` ``None`` when open-ended).
        part_time: fraction of full time.
        declared_on: the day the declaration is made.
    """

    employer: Employer
    worker: Worker
    contract: str
    worker_category: str
    start: date
    part_time: Decimal
    declared_on: date
    end: date | None = None


@dataclass(frozen=True)
class DeclaredPay:
    """One worker's pay over a declared period, summed from the payslips.

    Attributes:
        worker: the worker.
        contract: the contract's code.
        worker_category: the country plugin's category code.
        gross: gross pay.
        employee_contributions, employer_contributions: sums of the payslips' lines.
        withholding: tax withheld at source.
        net: net pay.
        lines: per contribution code, ``(code, base, amount)`` summed over the period.
    """

    worker: Worker
    contract: str
    worker_category: str
    gross: Decimal
    employee_contributions: Decimal
    employer_contributions: Decimal
    withholding: Decimal
    net: Decimal
    lines: tuple[tuple[str, Decimal, Decimal], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PeriodDeclaration:
    """The pay of a period as a periodic social declaration sums it (DmfA, DSN).

    Attributes:
        employer: the cooperative.
        start, end: the declared period (a quarter for the DmfA, a month for the DSN).
        pay: one entry per worker and contract paid in the period.
    """

    employer: Employer
    start: date
    end: date
    pay: tuple[DeclaredPay, ...]

    @property
    def period(self) -> Period:
        """The declared period, to ask whether it is a calendar quarter or month."""
        return Period(self.start, self.end)

    def total(self, figure: str) -> Decimal:
        """The period's total of one figure of :class:`DeclaredPay` (``"gross"``...)."""
        return sum((getattr(p, figure) for p in self.pay), Decimal(0))

    @property
    def workers(self) -> int:
        """How many people were paid in the period (a worker may hold two contracts)."""
        return len({p.worker.national_id for p in self.pay})


@dataclass(frozen=True)
class DeclarationFile:
    """A declaration file as a country plugin produces it.

    Attributes:
        kind: ``"dimona"``, ``"dmfa"``, ``"dpae"``, ``"dsn"``...
        format: how it is written (``"json"`` for a documented JSON equivalent, or the
            official format's name).
        filename: a file name.
        content: the bytes.
    """

    kind: str
    format: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class Declarant:
    """The cooperative as it files a tax declaration.

    Attributes:
        name: its registered name.
        vat_number: its VAT number, with the country prefix.
        company_id: its registration number (Belgian enterprise number, French SIREN).
        address: its seat.
        email: where the administration writes about the declaration.
    """

    name: str
    vat_number: str
    company_id: str
    address: Address
    email: str = ""


@dataclass(frozen=True)
class ListedSale:
    """A client's sales of a period under one VAT code, summed from the posted books
    (credit notes deducted).

    Attributes:
        client: the client's code.
        name: its name.
        country: its country, ISO 3166-1 alpha-2.
        vat_number: its VAT number with the country prefix, ``None`` if it has none.
        vat_code: the VAT code the country plugin gave the lines.
        base: the taxable amount, excluding VAT.
        vat: the VAT charged.
    """

    client: str
    name: str
    country: str
    vat_number: str | None
    vat_code: str
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class SalesListing:
    """What a listing of clients is drawn from.

    Attributes:
        kind: ``"customers"`` (the annual listing of VAT-registered customers) or
            ``"eu_sales"`` (the recapitulative statement of intra-EU supplies).
        declarant: the cooperative.
        period: the listed period.
        currency: the books' currency.
        sales: every client's sales of the period, per VAT code.
    """

    kind: str
    declarant: Declarant
    period: Period
    currency: str
    sales: tuple[ListedSale, ...]


@dataclass(frozen=True)
class VatReturnFiling:
    """A periodic VAT return as it is filed: the boxes the country's
    ``partage_vat_return`` filled.

    Attributes:
        declarant: the cooperative.
        period: the declared month or quarter.
        currency: the books' currency.
        boxes: the return's boxes.
    """

    declarant: Declarant
    period: Period
    currency: str
    boxes: tuple[Any, ...]
