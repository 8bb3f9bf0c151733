"""A payroll run: what it asks, what it paid and refused, and how it is written.

A run pays every payslip for work done (the hire reserved what the contract commits);
it writes
every payslip it pays with executemany, posts them with one ``Ledger.post_many`` and
writes their audit rows in one insert, rather than row by row.

Cut-off: a payslip's charges (gross, employer contributions, premiums) and the
liabilities they create (net pay, contributions, withholding owed) belong to the month
worked, whenever they are paid (accruals: BE AR du 29 avril 2019, art. 3:5 and the
"comptes de régularisation"; FR C. com. art. L123-21 and PCG art. 512-4): the entry is
dated the period's last day, or the day paid when that comes earlier (a job paid on
delivery). December's wages paid in January are the closing year's charges; the
payment itself (:mod:`partage.core.banking.sepa`) settles the liabilities later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ActError, Cooperative, credit, debit
from partage.core.contract.accounting import PostingRole
from partage.core.contract.payroll import Payslip
from partage.core.contract.periods import Period
from partage.core.ledger.models import JournalKind
from partage.core.members.models import Entity
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.platform.db.models import AuditRecord
from partage.core.risk.solvency import lock_entities

PAYSLIP: Table = PayslipRecord.__table__  # type: ignore[assignment]
AUDIT: Table = AuditRecord.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class PayrollItem:
    """One payslip asked for in a run.

    Attributes:
        contract: the contract's code.
        hours: hours worked in the month (hourly contracts only).
    """

    contract: str
    hours: Decimal | str | None = None


@dataclass(frozen=True)
class PaidSlip:
    """A payslip a run paid.

    Attributes:
        payslip_id: its row in ``payslip``.
        contract, entity: the codes of the contract and of the paying entity.
        member: the worker's membership number.
        payslip: the payslip as computed.
        insurance: the mutualised insurance premiums paid with it.
    """

    payslip_id: int
    contract: str
    entity: str
    member: int
    payslip: Payslip
    insurance: Decimal

    @property
    def cost(self) -> Decimal:
        """What it took from the entity: employer cost plus premiums."""
        return self.payslip.employer_cost + self.insurance


@dataclass(frozen=True)
class PayrollRefusal:
    """A payslip a run did not pay, and why (nothing of it was written).

    Attributes:
        contract, entity: the codes of the contract and of its entity.
        error: the refusal, as :func:`~partage.core.payroll.service.pay` would raise it.
        missing: what the entity lacked (zero when refused for another reason).
    """

    contract: str
    entity: str
    error: ActError
    missing: Decimal

    @property
    def reason(self) -> str:
        return str(self.error)


@dataclass(frozen=True)
class PayrollRun:
    """What a payroll run did.

    Attributes:
        period: the month paid.
        paid: the payslips paid, in the order asked.
        refused: the payslips refused, in the order asked.
    """

    period: Period
    paid: tuple[PaidSlip, ...]
    refused: tuple[PayrollRefusal, ...]

    def total(self, figure: str) -> Decimal:
        """The sum of one payslip figure (``gross``, ``net``, ``employer_cost``...)."""
        return sum((getattr(p.payslip, figure) for p in self.paid), Decimal(0))


@dataclass(frozen=True)
class Candidate:
    """A payslip of a run that passed every check but the entity's funds.

    Attributes:
        item: what the run asked.
        contract, entity: the contract and its entity.
        member: the worker's membership number.
        hours: the hours paid (hourly contracts only).
        payslip: the payslip as computed.
        insurance: the mutualised insurance premiums paid with it.
    """

    item: PayrollItem
    contract: Contract
    entity: Entity
    member: int
    hours: Decimal | None
    payslip: Payslip
    insurance: Decimal


def affordable_slips(
    session: Session, coop: Cooperative, candidates: list[Candidate], period: Period, on: date
) -> tuple[list[Candidate], list[PayrollRefusal]]:
    """Lock the run's entities and keep every payslip: wages for work already done are
    owed whatever the entity holds (BE loi du 12 avril 1965 concernant la protection de
    la rémunération; FR C. trav. L3242-1), so the funds check belongs to the hire
    (:func:`partage.core.payroll.service.reserved_months`), not to the payslip. What a
    payslip leaves short, the salary guarantee fund advances after the run
    (:func:`partage.core.sales.fund_cover.cover_shortfall`)."""
    lock_entities(session, [c.entity.id for c in candidates])
    return list(candidates), []


def _payslip_row(c: Candidate, period: Period, paid_on: date, coop: Cooperative) -> dict[str, Any]:
    slip = c.payslip
    return {
        "contract_id": c.contract.id,
        "period_start": period.start,
        "period_end": period.end,
        "paid_on": paid_on,
        "hours": c.hours,
        "gross": coop.minor(slip.gross),
        "employee_contributions": coop.minor(slip.employee_contributions),
        "employer_contributions": coop.minor(slip.employer_contributions),
        "withholding": coop.minor(slip.withholding),
        "net": coop.minor(slip.net),
        "employer_cost": coop.minor(slip.employer_cost),
        "insurance": coop.minor(c.insurance),
        "lines": [
            {
                "code": x.code,
                "label": x.label,
                "payer": x.payer,
                "base": str(x.base),
                "rate": None if x.rate is None else str(x.rate),
                "amount": str(x.amount),
            }
            for x in slip.lines
        ],
    }


def write_paid(
    session: Session,
    coop: Cooperative,
    paid: list[Candidate],
    period: Period,
    paid_on: date,
    actor: str,
) -> list[int]:
    """Insert the payslips, post their entries in one batch, record the audit trail."""
    rows = [_payslip_row(c, period, paid_on, coop) for c in paid]
    ids = list(
        session.execute(
            insert(PAYSLIP).returning(PAYSLIP.c.id, sort_by_parameter_order=True), rows
        ).scalars()
    )
    entries = []
    for c, payslip_id in zip(paid, ids, strict=True):
        slip, partner = c.payslip, f"M{c.member}"
        employee, employer = slip.employee_contributions, slip.employer_contributions
        entries.append(
            coop.entry(
                session,
                book=c.entity.code,
                journal=JournalKind.PAYROLL,
                on=min(paid_on, period.end),
                lines=[
                    debit(PostingRole.SALARIES, slip.gross, partner=partner),
                    debit(PostingRole.EMPLOYER_CONTRIBUTIONS, employer, partner=partner),
                    debit(PostingRole.INSURANCE_PREMIUMS, c.insurance, partner="insurer"),
                    credit(
                        PostingRole.SOCIAL_CONTRIBUTIONS_PAYABLE,
                        employee + employer,
                        partner=partner,
                    ),
                    credit(PostingRole.WITHHOLDING_PAYABLE, slip.withholding, partner=partner),
                    credit(PostingRole.NET_PAY_PAYABLE, slip.net, partner=partner),
                    credit(PostingRole.SUPPLIERS, c.insurance, partner="insurer"),
                ],
                act=("payslip", payslip_id),
                reference=f"{c.contract.code}/{period.start:%Y-%m}",
                description=f"Payslip {period.start:%Y-%m} of member {c.member}",
            )
        )
    coop.ledger.post_many(session, entries, actor=actor)
    session.execute(
        insert(AUDIT),
        [
            {
                "actor": actor,
                "action": "payroll.pay",
                "subject": f"payslip:{c.contract.code}/{period.start:%Y-%m}",
                "reason": "",
                "data": {
                    "gross": str(c.payslip.gross),
                    "net": str(c.payslip.net),
                    "cost": str(c.payslip.employer_cost + c.insurance),
                },
            }
            for c in paid
        ],
    )
    return ids
