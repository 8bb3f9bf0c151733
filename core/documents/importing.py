"""Supplier e-invoices and credit notes received (Peppol UBL, Factur-X PDF or bare CII
XML) booked as purchases of an entity.

Reading is strict and says everything at once: the XML must be well-formed, valid
against its official schema and lawful under the official EN 16931 business rules
(shipped with the package, :mod:`.official_rules`), which alone judge it: the totals the
booking takes are checked as read only as those rules check them (:mod:`.arithmetic`);
each failure is reported with the XML line or the invoice line it is about, and nothing
is booked. The rules' warnings are returned with what was booked.

A valid invoice becomes one purchase per VAT category and rate, at the base and VAT its
breakdown states (so that the purchases add up to its totals; :func:`import_purchase`
says how allowances, charges, negative categories, other
currencies and other countries' VAT are booked), through the engine's purchase act
(:func:`partage.core.spending.purchases.record_purchase`), which checks the entity's funds
and posts it; the supplier is registered from the invoice if the instance does not know
it yet. The account the invoice asks to be paid into (BT-84) is checked as every payee
account is and kept on each purchase, but it is only a proposal: unless it is the
supplier's verified account, it waits for staff to confirm it
(:mod:`partage.core.banking.payees`), the import answers a ``PAYEE`` warning, and no
payment file pays the invoice meanwhile. The structured reference the invoice asks
payments to carry (BT-83) is kept on the purchase when it is one (a Belgian
``+++…+++`` or an ``RF`` reference); free text there is left out, and a structured
reference whose check digits are wrong is refused, since paying with it would reach
the supplier unmatched.

A credit note (UBL ``CreditNote``, CII type 381) becomes one supplier credit note per
VAT rate (:func:`partage.core.spending.supplier_credits.record_supplier_credit_note`). When it names
the invoice it corrects (BT-25), each rate's part credits that invoice's purchase — or,
for an invoice booked in parts per rate (``number/1``, ``number/2``...), the part of the
same VAT code; an invoice that is not booked is refused. Without a preceding invoice the
credit note stands alone, as money the supplier owes back. Importing the same document
again books nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import facturx
import pypdf
from facturx import facturx as facturx_module
from lxml import etree
from pypdf.errors import LimitReachedError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.banking import payees
from partage.core.contract.documents import InvoiceDocument, VatBreakdown
from partage.core.contract.einvoice import cii, ubl
from partage.core.contract.einvoice.rules import Finding
from partage.core.contract.money import from_minor
from partage.core.documents import official_rules, schemas
from partage.core.documents.arithmetic import arithmetic
from partage.core.ledger import rates
from partage.core.members import service as members
from partage.core.members.models import Party
from partage.core.platform import audit
from partage.core.platform.issuer import Issuer
from partage.core.platform.limits import Limits, bounded
from partage.core.sales.models import InvoiceKind
from partage.core.sales.references import compact, looks_structured, structured_reference
from partage.core.spending import purchases as purchases_acts
from partage.core.spending import supplier_credits
from partage.core.spending.models import Purchase

#: Categories whose invoice rate is the VAT the supplier charged (domestic supplies).
CHARGED = frozenset({"S", "Z"})


class ImportRefused(InvalidAct):
    """A supplier e-invoice is not valid; nothing was booked.

    Attributes:
        findings: every problem found, each with its rule and place.
    """

    usage = True

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(None, "; ".join(str(f) for f in self.findings))

    def message(self) -> str:
        return "supplier e-invoice refused:\n" + "\n".join(f"  {f}" for f in self.findings)


@dataclass(frozen=True)
class ImportedPurchase:
    """What importing a supplier e-invoice did.

    Attributes:
        format: ``"ubl"`` or ``"cii"`` (a Factur-X PDF carries CII).
        document: the invoice or credit note as read.
        supplier: the supplier's party code.
        purchases: the purchase ids booked (invoices or credit notes), one per VAT rate.
        replayed: the document was imported before; nothing new was booked.
        warnings: what the official rules advise against without refusing it.
        booked_total: what the purchases book with VAT, in the books' currency (their
            totals, less the parts booked as the invoice's credit notes).
        conversion: the ECB rate a document in another currency was booked at.
        foreign_vat: VAT of another country booked as a cost, in the books' currency.
    """

    format: str
    document: InvoiceDocument
    supplier: str
    purchases: tuple[int, ...]
    replayed: bool = False
    warnings: tuple[Finding, ...] = ()
    booked_total: Decimal = Decimal(0)
    conversion: rates.Conversion | None = None
    foreign_vat: Decimal = Decimal(0)


def _over(limit: int) -> str:
    return (
        f"more than the {limit:,} bytes an e-invoice's XML may weigh ([limits] einvoice_xml_bytes)"
    )


def _xml_of(content: bytes, limit: int) -> tuple[bytes | None, list[Finding]]:
    """The e-invoice's XML: the file itself, or the XML a Factur-X PDF carries, inflated
    to ``limit`` bytes at most (``[limits] einvoice_xml_bytes``): an invoice of a
    thousand lines weighs 0.6 MB, and the bound keeps a larger one from costing the
    server seconds and hundreds of megabytes in the official rules, and a small PDF
    that inflates into tens of megabytes (a compression bomb) from costing it more."""
    if content[:5] != b"%PDF-":
        if len(content) > limit:
            return None, [Finding("XML", f"{len(content):,} bytes, {_over(limit)}")]
        return content, []
    try:
        # Every decoder pypdf runs on this PDF stops at the bound, before inflating more.
        with pypdf.apply_configuration(
            zlib_maximum_output_length=limit,
            lzw_maximum_output_length=limit,
            run_length_maximum_output_length=limit,
            brotli_maximum_output_length=limit,
            array_based_stream_maximum_output_length=limit,
            maximum_declared_stream_length=limit,
        ):
            _name, xml = facturx.get_xml_from_pdf(content, check_xsd=False)
    except LimitReachedError:
        return None, [Finding("PDF", f"an embedded file inflates to {_over(limit)}")]
    except Exception as error:  # pypdf raises its own errors on a damaged PDF
        return None, [Finding("PDF", f"the PDF cannot be read: {error}")]
    if xml and len(xml) > limit:
        return None, [Finding("PDF", f"its XML is {len(xml):,} bytes, {_over(limit)}")]
    if not xml:
        return None, [Finding("FX-EMBED", "the PDF carries no Factur-X XML")]
    return xml, []


def read_einvoice(
    content: bytes, limits: Limits | None = None
) -> tuple[str, InvoiceDocument, tuple[Finding, ...]]:
    """Read and check a supplier e-invoice: its syntax, the document and the official
    rules' warnings. :class:`ImportRefused` lists every problem that refuses it; a file
    over ``limits`` (the defaults when not given) is refused with
    :class:`~partage.core.contract.errors.TooLarge` before it is read.

    The checks run from the cheapest to the dearest and stop at the first that fails:
    well-formed XML, the official XSD, the official EN 16931 business rules
    (:mod:`.official_rules`; the Peppol BIS rules are the network's own restrictions,
    which an invoice received by e-mail need not meet), then the figures as read
    (:mod:`.arithmetic`).
    """
    limits = limits or Limits()
    bounded("document", len(content), limits.einvoice_bytes, "einvoice_bytes")
    xml, found = _xml_of(content, limits.einvoice_xml_bytes)
    root = None
    if xml is not None:
        root, found = schemas.parse(xml)
    if root is None:
        raise ImportRefused(found)
    if root.getroottree().docinfo.doctype:
        # An e-invoice declares no DTD; its entities would stay unresolved in the tree,
        # where the schema check cannot judge them.
        raise ImportRefused(
            [Finding("XML", "a DOCTYPE is not allowed in an e-invoice", where="XML line 1")]
        )
    if root.tag in schemas.UBL_ROOTS:
        syntax, xsd = "ubl", schemas.ubl_schema(root.tag)
    elif root.tag == schemas.CII_ROOT:
        try:
            level = facturx_module.get_level(root, "factur-x")
        except Exception:  # the library raises a bare Exception for an unknown profile
            level = "en16931"
        syntax, xsd = "cii", schemas.cii_schema(level)
    else:
        raise ImportRefused(
            [
                Finding(
                    "FORMAT",
                    f"root element {etree.QName(root).localname} is not a UBL or CII invoice",
                    where="XML line 1",
                )
            ]
        )
    found = schemas.validate(root, xsd)
    if found:
        raise ImportRefused(found)
    assert xml is not None
    judged = official_rules.check(syntax, xml, peppol=False)
    fatal = [finding for finding in judged if finding.severity == "fatal"]
    if fatal:
        raise ImportRefused(fatal)
    document = ubl.read(root) if syntax == "ubl" else cii.read(root)
    found = arithmetic(document)
    if found:
        raise ImportRefused(found)
    return syntax, document, tuple(f for f in judged if f.severity != "fatal")


def _supplier(session: Session, coop: Cooperative, document: InvoiceDocument, actor: str) -> Party:
    seller = document.seller
    if not seller.vat_number:
        raise ImportRefused([Finding("BR-CO-26", "the supplier's VAT number is missing")])
    vat = compact(seller.vat_number)
    party = session.scalars(select(Party).where(Party.vat_number == vat)).one_or_none()
    if party is not None:
        return party
    return members.register_party(
        session,
        coop,
        name=seller.name,
        kind="supplier",
        country=seller.address.country or vat[:2],
        vat_number=vat,
        address=seller.address.one_line(),
        email=seller.email or "",
        actor=actor,
    )


def _rate_codes(coop: Cooperative, document: InvoiceDocument) -> dict[Decimal, str]:
    rates = coop.plugins.hook.partage_vat_rates(on=document.issued_on) or ()
    return {rate.rate: rate.code for rate in rates}


def _payment_reference(document: InvoiceDocument) -> str | None:
    """The structured reference an invoice asks its payment to carry, if it gives one."""
    given = document.payment.reference if document.payment is not None else ""
    if not given.strip():
        return None
    try:
        return structured_reference(given)
    except ValueError as error:
        if looks_structured(given):
            raise ImportRefused([Finding("BT-83", f"payment reference {error}")]) from None
        return None


def _credited(
    session: Session,
    coop: Cooperative,
    supplier: Party,
    document: InvoiceDocument,
    part: VatBreakdown,
    rate_code: str | None,
    *,
    deductible: bool,
) -> str | None:
    """The supplier reference of the purchase a credit note's VAT part corrects: the
    invoice it names (BT-25), or that invoice's part of the same VAT code."""
    number = document.preceding_invoice
    if not number:
        return None
    booked = session.scalars(
        select(Purchase).where(
            Purchase.party_id == supplier.id,
            Purchase.kind == InvoiceKind.INVOICE.value,
            or_(
                Purchase.supplier_reference == number,
                Purchase.supplier_reference.startswith(f"{number}/", autoescape=True),
            ),
        )
    ).all()
    parts = [
        row
        for row in booked
        if row.supplier_reference == number or row.supplier_reference[len(number) + 1 :].isdigit()
    ]
    if not parts:
        raise ImportRefused(
            [
                Finding(
                    "BILLING-REFERENCE",
                    f"the credit note corrects invoice {number}, which is not booked for "
                    f"supplier {supplier.code} ({supplier.name})",
                )
            ]
        )
    code = (
        purchases_acts.purchase_vat(coop, parts[0].on, supplier, rate_code)[0]
        if deductible
        else None
    )
    same = [row for row in parts if row.vat_code == code]
    if not same:
        raise ImportRefused(
            [
                Finding(
                    "BILLING-REFERENCE",
                    f"invoice {number} of supplier {supplier.code} was booked without VAT "
                    f"{part.category} at {part.rate:%}, which the credit note gives back",
                )
            ]
        )
    return same[0].supplier_reference


def _vat_country(party: Party) -> str:
    """The country whose VAT a supplier charges: its VAT number's prefix (Greece's is
    ``EL``), else its address's country."""
    vat = compact(party.vat_number or "")
    prefix = vat[:2] if vat[:2].isalpha() else party.country
    return {"EL": "GR"}.get(prefix.upper(), prefix.upper())


def _conversion(
    session: Session, coop: Cooperative, document: InvoiceDocument
) -> rates.Conversion | None:
    """The conversion of a document in another currency than the books' at the ECB
    reference rate of its issue date (or the last published before it); refused naming
    the currency and the date when that rate is not loaded."""
    if document.currency == coop.currency:
        return None
    try:
        return rates.conversion(session, document.currency, coop.currency, document.issued_on)
    except rates.RateError as error:
        raise ImportRefused([Finding("BT-5", error.rule)]) from None


def _stated_in_books(
    coop: Cooperative, document: InvoiceDocument, conversion: rates.Conversion | None
) -> Finding | None:
    """A warning when a document in another currency states its VAT in the books'
    currency too (BT-111) and the ECB rate gives another amount: the supplier converted
    at another rate, which the adviser may prefer to book."""
    if conversion is None or document.tax_currency != coop.currency:
        return None
    stated = document.tax_currency_vat
    converted = sum((conversion.convert(part.vat) for part in document.vat_breakdown), Decimal(0))
    if stated is None or stated == converted:
        return None
    return Finding(
        "BT-111",
        f"the document states its VAT as {stated} {coop.currency}; at the ECB rate of "
        f"{conversion.on} it is {converted} {coop.currency}, which is booked",
        severity="warning",
    )


def _hundredths(amount: Decimal) -> int:
    """An amount as the document states it, in hundredths (EN 16931 amounts carry two
    decimals at most, BR-DEC-*, whatever the currency)."""
    return int((amount * 100).to_integral_value())


def _below_zero(part: VatBreakdown) -> bool:
    """Whether a VAT part gives money back: its base, or its VAT on a zero base, is
    below zero."""
    return part.base < 0 or (part.base == 0 and part.vat < 0)


def _check_signs(document: InvoiceDocument, groups: list[VatBreakdown]) -> None:
    """Refuse what cannot be booked part by part: a credit note with a category that
    charges (its parts must all give back), or an invoice whose every category gives
    back (its total is below zero: it is a credit note). An invoice's category below
    zero among others above is booked against the largest of them (see
    :func:`import_purchase`)."""
    if document.is_credit_note:
        wrong = [part for part in groups if _below_zero(part)]
        ask = "an invoice for that part"
    else:
        wrong = groups if all(_below_zero(part) for part in groups) else []
        ask = "a credit note: the invoice's total is below zero"
    if wrong:
        raise ImportRefused(
            [
                Finding(
                    "NEGATIVE-CATEGORY",
                    f"VAT category {part.category} at {part.rate:%} sums to {part.base} "
                    f"(VAT {part.vat}); ask the supplier for {ask}",
                )
                for part in wrong
            ]
        )


def import_purchase(
    session: Session,
    coop: Cooperative,
    content: bytes,
    *,
    entity: str,
    actor: str,
    issuer: Issuer | None = None,
    category: str | None = None,
) -> ImportedPurchase:
    """Book a supplier e-invoice as purchases of ``entity``, or a supplier credit note
    as credit notes of it (one per VAT category and rate).

    With ``issuer``, a document addressed to another buyer (another VAT number) is
    refused. ``category`` defaults to ``"purchases"`` for an invoice and, for a credit
    note, to the category of the invoice it corrects.

    Each part is booked from the VAT breakdown as the document states it: its base
    (BT-116, which counts the document-level allowances and charges of its category)
    and its VAT (BT-117), so that what is booked adds up to the document's BT-109,
    BT-110 and BT-112. A document in another currency (BT-5) is booked in the books'
    currency at the ECB reference rate of its date, each part's base and VAT converted
    and rounded on its own (:meth:`~partage.core.ledger.rates.Conversion.convert`), and
    keeps its currency, original amounts and rate. VAT a supplier charged under another
    country's law (its VAT number is not of this country) is not deductible here: it is
    booked within the cost, marked on the purchase, and the office's advisers see it.
    """
    syntax, document, warnings = read_einvoice(content, coop.limits)
    _check_addressed(coop, document, issuer)
    groups = [part for part in document.vat_breakdown if part.base != 0 or part.vat != 0]
    if not groups:
        raise ImportRefused(
            [
                Finding(
                    "NOTHING-TO-BOOK",
                    "every VAT category of the document is zero: there is nothing to book",
                )
            ]
        )
    _check_signs(document, groups)
    kind = InvoiceKind.CREDIT_NOTE if document.is_credit_note else InvoiceKind.INVOICE
    quoted = _payment_reference(document) if kind is InvoiceKind.INVOICE else None
    supplier = _supplier(session, coop, document, actor)
    references = [
        document.number if len(groups) == 1 else f"{document.number}/{index}"
        for index in range(1, len(groups) + 1)
    ]
    # An invoice's parts below zero are booked after the others, as credit notes of the
    # largest of them (same document), so that paying it deducts them.
    order = sorted(range(len(groups)), key=lambda i: _below_zero(groups[i]))
    expected = {
        (
            references[i],
            InvoiceKind.CREDIT_NOTE.value
            if kind is InvoiceKind.INVOICE and _below_zero(groups[i])
            else kind.value,
        )
        for i in order
    }
    known = [
        row.id
        for row in session.execute(
            select(Purchase.id, Purchase.supplier_reference, Purchase.kind)
            .where(
                Purchase.party_id == supplier.id,
                Purchase.supplier_reference.in_(references),
            )
            .order_by(Purchase.id)
        )
        if (row.supplier_reference, row.kind) in expected
    ]
    if known:
        rows = session.scalars(select(Purchase).where(Purchase.id.in_(known))).all()
        return ImportedPurchase(
            syntax,
            document,
            supplier.code,
            tuple(known),
            replayed=True,
            warnings=warnings,
            booked_total=_booked_total(coop, kind, rows),
            foreign_vat=from_minor(sum(row.foreign_vat or 0 for row in rows), coop.currency),
        )
    conversion = _conversion(session, coop, document)
    if conversion is not None:
        warnings = (
            *warnings,
            Finding(
                "CURRENCY",
                f"in {document.currency}: booked in {coop.currency} at the ECB reference "
                f"rate of {conversion.on}, {conversion.rate} {document.currency} for one "
                f"{coop.currency}",
                severity="warning",
            ),
        )
    stated = _stated_in_books(coop, document, conversion)
    if stated is not None:
        warnings = (*warnings, stated)
    payee_iban, payee_warning = _payee(session, document, supplier, kind, entity, actor)
    if payee_warning is not None:
        warnings = (*warnings, payee_warning)
    due_on, term_warning = _due_on(coop, document)
    if term_warning is not None:
        warnings = (*warnings, term_warning)
    codes = _rate_codes(coop, document)
    home = coop.plugins.hook.partage_country_identity().code.upper()
    abroad = _vat_country(supplier)
    booked: list[Purchase] = []
    description = "; ".join(line.description for line in document.lines)[:500]
    for index in order:
        part, reference = groups[index], references[index]
        base, vat = part.base, part.vat
        if conversion is not None:
            base, vat = conversion.convert(base), conversion.convert(vat)
        back = kind is InvoiceKind.INVOICE and _below_zero(part)
        if back:
            base, vat = -base, -vat
        foreign = vat != 0 and abroad != home
        rate_code = codes.get(part.rate) if part.category in CHARGED and not foreign else None
        if part.category in CHARGED and not foreign and rate_code is None:
            raise ImportRefused(
                [Finding("RATE", f"no VAT rate of {part.rate:%} in force on {document.issued_on}")]
            )
        common: dict[str, Any] = {
            "entity": entity,
            "supplier": supplier.code,
            "supplier_reference": reference,
            "net": base + vat if foreign else base,
            "vat": None if foreign else vat,
            "deductible": not foreign,
            "on": document.issued_on,
            "rate_code": rate_code,
            "description": description,
            "actor": actor,
        }
        if back:
            largest = max(booked, key=lambda row: row.total)
            if coop.minor(base + vat) >= largest.total:
                raise ImportRefused(
                    [
                        Finding(
                            "NEGATIVE-CATEGORY",
                            f"VAT category {part.category} at {part.rate:%} gives back "
                            f"{-part.base} (VAT {-part.vat}), as much as the invoice's "
                            "largest category charges; ask the supplier for a credit note",
                        )
                    ]
                )
            row = supplier_credits.record_supplier_credit_note(
                session,
                coop,
                credits=largest.supplier_reference,
                same_document=True,
                **common,
            )
        elif kind is InvoiceKind.CREDIT_NOTE:
            credits = _credited(
                session, coop, supplier, document, part, rate_code, deductible=not foreign
            )
            row = supplier_credits.record_supplier_credit_note(
                session, coop, credits=credits, category=category, **common
            )
        else:
            row = purchases_acts.record_purchase(
                session,
                coop,
                due_on=due_on,
                category=category or "purchases",
                payment_reference=quoted,
                **common,
            )
        row.payee_iban = None if back else payee_iban
        if conversion is not None:
            row.currency = document.currency
            row.original_net = _hundredths(-part.base if back else part.base)
            row.original_vat = _hundredths(-part.vat if back else part.vat)
            row.exchange_rate = conversion.rate
            row.exchange_rate_on = conversion.on
        if foreign:
            row.foreign_vat = coop.minor(vat)
            row.foreign_vat_country = abroad
            warnings = (*warnings, _foreign_vat(session, coop, row, abroad, vat, actor))
        booked.append(row)
    session.flush()
    return ImportedPurchase(
        syntax,
        document,
        supplier.code,
        tuple(row.id for row in booked),
        warnings=warnings,
        booked_total=_booked_total(coop, kind, booked),
        conversion=conversion,
        foreign_vat=from_minor(sum(row.foreign_vat or 0 for row in booked), coop.currency),
    )


def _booked_total(coop: Cooperative, kind: InvoiceKind, rows: Sequence[Purchase]) -> Decimal:
    """What a document's purchases book with VAT: the rows of its own kind less those
    booked the other way (an invoice's categories below zero)."""
    total = sum(row.total if row.kind == kind.value else -row.total for row in rows)
    return from_minor(total, coop.currency)


def _foreign_vat(
    session: Session, coop: Cooperative, row: Purchase, country: str, vat: Decimal, actor: str
) -> Finding:
    """Mark VAT of another country booked as a cost: the audit trail keeps it and the
    office's advisers find it among what needs them (it may be reclaimed from that
    country under the EU refund procedure, Directive 2008/9/EC, which is theirs to
    judge). The warning says so to the person who imported it."""
    audit.record(
        session,
        actor=actor,
        action="purchase.foreign_vat",
        subject=f"purchase:{row.id}",
        reason=f"{country} VAT charged by the supplier, booked as a cost",
        data={"country": country, "vat": str(vat), "currency": coop.currency},
    )
    return Finding(
        "FOREIGN-VAT",
        f"{row.supplier_reference}: the supplier charged {country} VAT of {vat} "
        f"{coop.currency}; it is not deductible here and is booked as a cost; the "
        "office's advisers are told",
        severity="warning",
    )


def _due_on(coop: Cooperative, document: InvoiceDocument) -> tuple[date | None, Finding | None]:
    """The due date to book a supplier's document under: its own, or the latest the
    longest payment term allows when it gives a later one, with a warning. A received
    document is a fact and is booked; a term beyond the law's cap cannot bind the buyer
    (BE loi du 2 août 2002 art. 4; FR C. com. L441-10), so the entity pays by the cap."""
    given, on = document.due_on, document.issued_on
    if given is None or document.is_credit_note:
        return given, None
    latest = on + timedelta(days=coop.payment_term_days(on))
    if given <= latest:
        return max(given, on), None
    return latest, Finding(
        "TERM",
        f"due on {given}, beyond the longest payment term of {coop.payment_term_days(on)} "
        f"days: booked as due on {latest}",
        severity="warning",
    )


def _payee(
    session: Session,
    document: InvoiceDocument,
    supplier: Party,
    kind: InvoiceKind,
    entity: str,
    actor: str,
) -> tuple[str | None, Finding | None]:
    """The IBAN an invoice asks to be paid into (compact), and, when it is not the
    supplier's verified account, the warning that it waits for staff. A credit note is
    never paid out: the account it names proposes nothing."""
    if kind is not InvoiceKind.INVOICE or document.payment is None:
        return None, None
    try:
        payees.check_account(
            document.payment.iban, document.payment.bic, who=f"supplier {supplier.code}"
        )
    except InvalidAct as error:
        # The document is lawful (EN 16931 does not judge an account number), so it is
        # booked; but nothing is ever paid into an account that is not one.
        return None, Finding(
            "PAYEE",
            f"{error.rule}: the invoice is booked, and waits until staff enter the "
            "supplier's account",
            severity="warning",
        )
    pending = payees.propose_account(
        session,
        supplier,
        document.payment.iban,
        document.payment.bic,
        actor=actor,
        document=f"invoice {document.number} for {entity}",
    )
    verified = payees.verified_account(session, supplier.id)
    if pending is None:
        assert verified is not None  # the document named it
        return verified.iban, None
    if verified is None:
        text = (
            f"supplier {supplier.code} has no verified bank account: IBAN {pending.iban} "
            "waits for staff to confirm it, and the invoice is not paid until then"
        )
    else:
        text = (
            f"the invoice asks payment to IBAN {pending.iban}, not supplier "
            f"{supplier.code}'s verified account {verified.iban}: it is held until staff "
            "confirm or reject that account"
        )
    return pending.iban, Finding("PAYEE", text, severity="warning")


def _check_addressed(coop: Cooperative, document: InvoiceDocument, issuer: Issuer | None) -> None:
    """With ``issuer``, refuse a document addressed to another buyer."""
    if issuer is not None and compact(document.buyer.vat_number or "") != compact(
        issuer.vat_number
    ):
        raise ImportRefused(
            [
                Finding(
                    "BUYER",
                    f"the invoice is addressed to {document.buyer.name} "
                    f"({document.buyer.vat_number}), not to {issuer.legal_name}",
                )
            ]
        )
