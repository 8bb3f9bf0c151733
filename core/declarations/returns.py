"""Declarations of one national instance: the periodic VAT return and the monthly
social-declaration summary, both derived from what is already recorded.

The cooperative is one legal person, so both cover every book (each entity's and the
cooperative's own) and nothing is kept in sync by hand: the VAT return is rebuilt from
posted journal lines, the social summary from the payslips as they were paid.

**VAT return.** Invoices, credit notes and purchases post each VAT-relevant line with
the ``vat_code`` the country plugin gave it (:class:`~partage.core.contract.VatTreatment`).
The account's posting role says what the line is — a taxable base (sales, purchases,
expenses, the franchise fee) or a VAT amount (collected, deductible) — and its side
says whether it is a document or its correction: a sale credited to sales is an invoice,
one debited is a credit note (or a reversal), and the other way round for purchases. The
lines are summed by VAT code, direction and that side, kept apart per journal for the
export, and handed as :class:`~partage.core.contract.VatMovement` (credit notes negative) to the
country's ``partage_vat_return`` hook, which fills the national form (BE grids, FR CA3).

**VAT due at payment.** Where the country's law makes a sale's VAT due when the client
pays (France: services, CGI art. 269-2-c, unless the instance opted for the débits), the
plugin's ``partage_vat_due_at_payment`` names its codes. Their invoices' bases and VAT
are not declared at the invoice but in the periods the client pays: each payment
allocated to the invoice, dated when the money was received (or the invoice's date,
for a credit older than the invoice), brings its share of each such code — the amount
allocated over the invoice's total, rounded per invoice and code. A credit note of such
a code is declared only for what it gives back beyond what was still owed on the day
(a refund of VAT already declared); cancelling an unpaid amount declares nothing. The
invoiced amounts still awaiting payment are shown beside the return (*awaiting*).

VAT posted without a code — a collected or deductible amount the plugin was never asked
to classify — cannot be placed in a box: it is reported beside the return as
*uncoded*, for the accountant to see, never guessed into one.

**Social summary.** Every payslip paid for the month, its lines as computed on the day
(:class:`~partage.core.payroll.models.PayslipRecord`), is totalled per contribution
code — base, employee and employer amounts, workers concerned — with the month's
gross, withholding, net and employer cost, once, by
:func:`~partage.core.contract.payslips.payroll_totals`; the country's
``partage_social_declaration`` hook fills the national declaration's boxes from those
totals (BE DmfA, FR DSN totals).

Both export as CSV (one table) and JSON (the whole document, amounts as exact strings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, and_, case, func, or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_, PartageError
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.payroll import PayrollTotals, Payslip, PayslipLine
from partage.core.contract.payslips import payroll_totals
from partage.core.contract.periods import Period
from partage.core.contract.tax import ReturnBox, VatMovement
from partage.core.ledger.models import Account, EntryKind, Journal, JournalEntry, JournalLine
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.sales.models import Allocation, Invoice, InvoiceKind, Payment

LINE: Table = JournalLine.__table__  # type: ignore[assignment]
ENTRY: Table = JournalEntry.__table__  # type: ignore[assignment]
ACCOUNT: Table = Account.__table__  # type: ignore[assignment]
PAYSLIP: Table = PayslipRecord.__table__  # type: ignore[assignment]
INVOICE: Table = Invoice.__table__  # type: ignore[assignment]
ALLOCATION: Table = Allocation.__table__  # type: ignore[assignment]
PAYMENT: Table = Payment.__table__  # type: ignore[assignment]
#: The journal name of the amounts a return declares at payment.
RECEIPTS = "receipts"
CONTRACT: Table = Contract.__table__  # type: ignore[assignment]

ZERO = Decimal(0)

#: What a VAT-coded line on an account of each role is: (direction, "base" or "vat").
VAT_ROLES: dict[str, tuple[str, str]] = {
    PostingRole.SALES.value: ("sale", "base"),
    PostingRole.VAT_COLLECTED.value: ("sale", "vat"),
    PostingRole.PURCHASES.value: ("purchase", "base"),
    PostingRole.EXPENSES.value: ("purchase", "base"),
    PostingRole.FRANCHISE_FEE.value: ("purchase", "base"),
    PostingRole.VAT_DEDUCTIBLE.value: ("purchase", "vat"),
}
_TAX_ROLES = (PostingRole.VAT_COLLECTED.value, PostingRole.VAT_DEDUCTIBLE.value)


class DeclarationError(PartageError):
    """A declaration cannot be made: the message names the period, code or account."""


# --- the VAT return -------------------------------------------------------------------
@dataclass(frozen=True)
class VatGroup:
    """Posted VAT-relevant amounts of one code in one journal, summed over the period.

    Attributes:
        vat_code: the code the country plugin gave the lines.
        direction: ``"sale"`` or ``"purchase"``.
        journal: the journal they were posted to (``"sales"``, ``"purchases"``...).
        document: ``"invoice"`` for documents, ``"credit_note"`` for their corrections
            (credit notes and reversals).
        base: the taxable base, negative for credit notes.
        vat: the VAT amount, same sign convention.
    """

    vat_code: str
    direction: str
    journal: str
    document: str
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class VatReturn:
    """The periodic VAT return of an instance.

    Attributes:
        period: the declared period.
        currency: the books' currency.
        groups: the posted amounts per code, journal and document kind.
        movements: what the country hook received: per code, direction and document
            kind, over every journal.
        boxes: the national form's boxes, as the country plugin filled them.
        uncoded_collected: VAT collected posted without a VAT code (not in any box).
        uncoded_deductible: VAT deductible posted without a VAT code (not in any box).
        awaiting: sales invoiced (or credited) in the period whose VAT is due at payment:
            not in the boxes; their payments bring them in, as groups of the
            ``"receipts"`` journal.
    """

    period: Period
    currency: str
    groups: tuple[VatGroup, ...]
    movements: tuple[VatMovement, ...]
    boxes: tuple[ReturnBox, ...]
    uncoded_collected: Decimal
    uncoded_deductible: Decimal
    awaiting: tuple[VatGroup, ...] = ()

    def box(self, code: str) -> Decimal:
        """The amount of one box; ``KeyError`` naming it if the form has no such box."""
        for found in self.boxes:
            if found.box == code:
                return found.amount
        raise KeyError(code)


def _check_period(period: Period) -> None:
    if period.start > period.end:
        raise DeclarationError(
            "period",
            N_("starts on {period_start}, after its end {period_end}"),
            period_start=period.start,
            period_end=period.end,
        )


def vat_groups(
    session: Session, period: Period, currency: str
) -> tuple[list[VatGroup], Decimal, Decimal]:
    """The period's posted VAT amounts per code, journal and document kind, and the VAT
    posted without a code (collected, deductible).

    One aggregate query over the normal entries' lines (closing and opening entries
    restate balances, they are no transactions).
    """
    _check_period(period)
    side = case((LINE.c.debit > 0, "debit"), else_="credit").label("side")
    query = (
        select(
            ACCOUNT.c.role,
            ACCOUNT.c.code.label("account"),
            Journal.kind.label("journal"),
            LINE.c.vat_code,
            side,
            func.sum(LINE.c.debit).label("debit"),
            func.sum(LINE.c.credit).label("credit"),
        )
        .select_from(LINE)
        .join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id)
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(Journal, Journal.id == ENTRY.c.journal_id)
        .where(
            and_(
                LINE.c.date >= period.start,
                LINE.c.date <= period.end,
                LINE.c.kind == EntryKind.NORMAL.value,
                or_(LINE.c.vat_code.is_not(None), ACCOUNT.c.role.in_(_TAX_ROLES)),
            )
        )
        .group_by(ACCOUNT.c.role, ACCOUNT.c.code, Journal.kind, LINE.c.vat_code, side)
    )
    amounts: dict[tuple[str, str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    uncoded = {PostingRole.VAT_COLLECTED.value: 0, PostingRole.VAT_DEDUCTIBLE.value: 0}
    for row in session.execute(query):
        debit, credit = int(row.debit), int(row.credit)  # PostgreSQL sums as numeric
        # Collected VAT grows by credits, deductible VAT by debits: signed the same way
        # as the bases below, so that an uncoded correction lowers the figure.
        if row.vat_code is None:
            grows = credit - debit
            uncoded[row.role] += grows if row.role == PostingRole.VAT_COLLECTED.value else -grows
            continue
        if row.role not in VAT_ROLES:
            raise DeclarationError(
                "vat_code",
                N_(
                    "{row_vat_code} is posted to account {row_account} (role "
                    "{item_a}), which is neither a base nor a VAT account"
                ),
                row_vat_code=repr(row.vat_code),
                row_account=row.account,
                item_a=row.role or "none",
            )
        direction, part = VAT_ROLES[row.role]
        # A sale grows by credits and a purchase by debits; the other side corrects it.
        grows = credit - debit if direction == "sale" else debit - credit
        correcting = (row.side == "debit") == (direction == "sale")
        key = (row.vat_code, direction, row.journal, "credit_note" if correcting else "invoice")
        amounts[key][0 if part == "base" else 1] += grows
    groups = [
        VatGroup(
            code,
            direction,
            journal,
            document,
            from_minor(base, currency),
            from_minor(vat, currency),
        )
        for (code, direction, journal, document), (base, vat) in sorted(amounts.items())
    ]
    return (
        groups,
        from_minor(uncoded[PostingRole.VAT_COLLECTED.value], currency),
        from_minor(uncoded[PostingRole.VAT_DEDUCTIBLE.value], currency),
    )


def movements_of(groups: Iterable[VatGroup]) -> tuple[VatMovement, ...]:
    """The hook's movements: the groups summed over journals, documents and their
    corrections kept apart (a credit note is a negative movement of its own)."""
    sums: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for group in groups:
        total = sums[(group.vat_code, group.direction, group.document)]
        total[0] += group.base
        total[1] += group.vat
    return tuple(
        VatMovement(code, direction, base, vat)
        for (code, direction, _document), (base, vat) in sorted(sums.items())
        if base or vat
    )


def _posted_by_document(
    session: Session, kind: str, numbers: Iterable[str], codes: Iterable[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """Base and VAT (minor units, as a sale grows) each document of ``kind`` posted per
    code among ``codes``, by ``(number, code)``: read from its own journal entries, so
    that document discounts and any reversal are counted as posted."""
    grows = func.sum(LINE.c.credit - LINE.c.debit)
    rows = session.execute(
        select(ENTRY.c.act_id, LINE.c.vat_code, ACCOUNT.c.role, grows.label("grows"))
        .select_from(LINE)
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id)
        .where(
            ENTRY.c.act_type == kind,
            ENTRY.c.act_id.in_(list(numbers)),
            LINE.c.vat_code.in_(list(codes)),
            LINE.c.kind == EntryKind.NORMAL.value,
            ACCOUNT.c.role.in_((PostingRole.SALES.value, PostingRole.VAT_COLLECTED.value)),
        )
        .group_by(ENTRY.c.act_id, LINE.c.vat_code, ACCOUNT.c.role)
    )
    posted: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        part = 0 if row.role == PostingRole.SALES.value else 1
        posted[(row.act_id, row.vat_code)][part] += int(row.grows)
    return {key: (base, vat) for key, (base, vat) in posted.items()}


def _codes_of(session: Session, kind: str, numbers: Iterable[str]) -> set[str]:
    """The VAT codes of sale lines posted by the documents of ``kind`` named."""
    return set(
        session.scalars(
            select(LINE.c.vat_code)
            .distinct()
            .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
            .join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id)
            .where(
                ENTRY.c.act_type == kind,
                ENTRY.c.act_id.in_(list(numbers)),
                LINE.c.vat_code.is_not(None),
                ACCOUNT.c.role == PostingRole.SALES.value,
            )
        )
    )


def _collected() -> Any:
    """The day a payment's share of an invoice is collected: when the money came, or
    the invoice's date for a credit received before the invoice existed."""
    return case(
        (PAYMENT.c.received_on > INVOICE.c.issued_on, PAYMENT.c.received_on),
        else_=INVOICE.c.issued_on,
    )


def _shares(
    posted: dict[tuple[str, str], tuple[int, int]],
    fractions: dict[str, tuple[int, int]],
    document: str,
    currency: str,
) -> list[VatGroup]:
    """Each document's posted amounts per code times its fraction ``(part, whole)``,
    rounded per document and code, summed per code."""
    sums: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for (number, code), (base, vat) in posted.items():
        part, whole = fractions[number]
        if not whole or not part:
            continue
        share = Decimal(part) / Decimal(whole)
        total = sums[code]
        total[0] += round_money(from_minor(base, currency) * share, currency)
        total[1] += round_money(from_minor(vat, currency) * share, currency)
    return [
        VatGroup(code, "sale", RECEIPTS, document, base, vat)
        for code, (base, vat) in sorted(sums.items())
        if base or vat
    ]


def received_groups(session: Session, period: Period, currency: str, due: Any) -> list[VatGroup]:
    """The sales whose VAT falls due in ``period`` because the client paid them: each
    payment's share of the codes ``due(code)`` says are due at payment, and the refunds
    credit notes of those codes make (see the module's docstring)."""
    collected_on = _collected()
    paid = session.execute(
        select(INVOICE.c.number, INVOICE.c.net, INVOICE.c.vat, func.sum(ALLOCATION.c.amount))
        .select_from(ALLOCATION)
        .join(PAYMENT, PAYMENT.c.id == ALLOCATION.c.payment_id)
        .join(INVOICE, INVOICE.c.id == ALLOCATION.c.invoice_id)
        .where(collected_on >= period.start, collected_on <= period.end)
        .group_by(INVOICE.c.id, INVOICE.c.number, INVOICE.c.net, INVOICE.c.vat)
    ).all()
    fractions = {row[0]: (int(row[3]), int(row[1]) + int(row[2])) for row in paid}
    groups: list[VatGroup] = []
    if fractions:
        codes = {c for c in _codes_of(session, InvoiceKind.INVOICE.value, fractions) if due(c)}
        if codes:
            posted = _posted_by_document(session, InvoiceKind.INVOICE.value, fractions, codes)
            groups += _shares(posted, fractions, "invoice", currency)
    groups += _refunds(session, period, currency, due)
    return groups


def _refunds(session: Session, period: Period, currency: str, due: Any) -> list[VatGroup]:
    """Credit notes of the period giving back more than their original still owed on
    their day: that excess, over the credit note's total, of its due-at-payment codes."""
    original = Invoice.__table__.alias("original")
    notes = session.execute(
        select(
            INVOICE.c.id,
            INVOICE.c.number,
            INVOICE.c.net + INVOICE.c.vat,
            INVOICE.c.issued_on,
            original.c.id,
            original.c.net + original.c.vat,
        )
        .join(original, original.c.id == INVOICE.c.credits_id)
        .where(
            INVOICE.c.kind == InvoiceKind.CREDIT_NOTE.value,
            INVOICE.c.issued_on >= period.start,
            INVOICE.c.issued_on <= period.end,
        )
    ).all()
    if not notes:
        return []
    codes = {
        c
        for c in _codes_of(session, InvoiceKind.CREDIT_NOTE.value, (n[1] for n in notes))
        if due(c)
    }
    if not codes:
        return []
    fractions: dict[str, tuple[int, int]] = {}
    for note_id, number, total, issued_on, original_id, original_total in notes:
        paid = session.scalar(
            select(func.coalesce(func.sum(ALLOCATION.c.amount), 0))
            .join(PAYMENT, PAYMENT.c.id == ALLOCATION.c.payment_id)
            .where(ALLOCATION.c.invoice_id == original_id, PAYMENT.c.received_on <= issued_on)
        )
        credited = session.scalar(
            select(func.coalesce(func.sum(INVOICE.c.net + INVOICE.c.vat), 0)).where(
                INVOICE.c.credits_id == original_id,
                INVOICE.c.kind == InvoiceKind.CREDIT_NOTE.value,
                or_(
                    INVOICE.c.issued_on < issued_on,
                    and_(INVOICE.c.issued_on == issued_on, INVOICE.c.id < note_id),
                ),
            )
        )
        owed = max(int(original_total) - int(paid or 0) - int(credited or 0), 0)
        fractions[number] = (max(int(total) - owed, 0), int(total))
    posted = _posted_by_document(session, InvoiceKind.CREDIT_NOTE.value, fractions, codes)
    return _shares(posted, fractions, "credit_note", currency)


def vat_return(session: Session, coop: Cooperative, period: Period) -> VatReturn:
    """The instance's VAT return for ``period``, filled by its country plugin: sales
    whose VAT is due at payment are declared in the periods their client pays."""
    groups, collected, deductible = vat_groups(session, period, coop.currency)
    answers: dict[str, bool] = {}

    def due(code: str) -> bool:
        if code not in answers:
            answers[code] = bool(coop.plugins.hook.partage_vat_due_at_payment(vat_code=code))
        return answers[code]

    awaiting = [g for g in groups if g.direction == "sale" and due(g.vat_code)]
    declared = [g for g in groups if not (g.direction == "sale" and due(g.vat_code))]
    declared += received_groups(session, period, coop.currency, due)
    movements = movements_of(declared)
    boxes = coop.plugins.hook.partage_vat_return(period=period, movements=movements)
    if boxes is None:
        raise DeclarationError(
            None, N_("vat return: the country plugin does not fill a VAT return")
        )
    return VatReturn(
        period,
        coop.currency,
        tuple(declared),
        movements,
        tuple(boxes),
        collected,
        deductible,
        tuple(awaiting),
    )


# --- the social-declaration summary ---------------------------------------------------
@dataclass(frozen=True)
class SocialSummary:
    """A month's payroll totals for the social declarations.

    Attributes:
        totals: the month's payslips summed (counts, wage totals, one total per
            contribution code), as the country's declaration receives them.
        currency: the books' currency.
        insurance: the insurance premiums posted with the month's salaries.
        boxes: the national declaration's boxes, as the country plugin filled them.
    """

    totals: PayrollTotals
    currency: str
    insurance: Decimal
    boxes: tuple[ReturnBox, ...]

    @property
    def period(self) -> Period:
        """The declared month."""
        return self.totals.period


def _line(raw: dict[str, Any]) -> PayslipLine:
    rate = raw.get("rate")
    return PayslipLine(
        raw["code"],
        raw["label"],
        raw["payer"],
        Decimal(raw["base"]),
        None if rate is None else Decimal(rate),
        Decimal(raw["amount"]),
    )


def social_summary(session: Session, coop: Cooperative, period: Period) -> SocialSummary:
    """The totals of every payslip paid for the month ``period`` (a calendar month)."""
    _check_period(period)
    if period.start.day != 1 or (period.start.year, period.start.month) != (
        period.end.year,
        period.end.month,
    ):
        raise DeclarationError(
            "period",
            N_(
                "{period_start} - {period_end} is not one calendar month; "
                "social declarations are monthly"
            ),
            period_start=period.start,
            period_end=period.end,
        )
    currency = coop.currency
    rows = session.execute(
        select(PAYSLIP, CONTRACT.c.member_id)
        .join(CONTRACT, CONTRACT.c.id == PAYSLIP.c.contract_id)
        .where(PAYSLIP.c.period_start >= period.start, PAYSLIP.c.period_start <= period.end)
        .order_by(PAYSLIP.c.id)
    ).all()
    slips = [
        (
            row.member_id,
            Payslip(
                Period(row.period_start, row.period_end),
                from_minor(row.gross, currency),
                tuple(_line(raw) for raw in row.lines),
                from_minor(row.withholding, currency),
                from_minor(row.net, currency),
                from_minor(row.employer_cost, currency),
            ),
        )
        for row in rows
    ]
    totals = payroll_totals(period, slips, currency)
    boxes = coop.plugins.hook.partage_social_declaration(period=period, totals=totals)
    if boxes is None:
        raise DeclarationError(
            None, N_("social declaration: the country plugin does not summarise payslips")
        )
    insurance = from_minor(sum(row.insurance for row in rows), currency)
    return SocialSummary(totals, currency, insurance, tuple(boxes))
