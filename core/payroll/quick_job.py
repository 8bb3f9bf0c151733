"""The quick job: a member invoices a client and is paid a salary from that invoice.

The rule of the quick job is the salary it pays: **what the invoice buys, capped by what
the entity can commit**. The invoice buys the monthly gross whose employer cost and
insurance premiums its amount excluding VAT pays once the client has paid and the
management fee is taken (:func:`partage.core.payroll.budget.simulate_invoice`). The
entity can commit the gross its available funds plus the salary guarantee fund's cover
pay on the day work starts (:func:`partage.core.payroll.budget.simulate_entity`): the
fund pays the worker before the client does, but never beyond its cover. The smaller of
the two is the contract's gross, so hiring at it never breaks the no-bankruptcy rule,
and never pays more than the job brought in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct, NotFound
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.members.service import entity_by_code
from partage.core.payroll.budget import BudgetSimulation, simulate_entity, simulate_invoice
from partage.core.payroll.models import Contract
from partage.core.payroll.service import Consent, hire, reserved_months
from partage.core.sales.models import Invoice, InvoiceKind


@dataclass(frozen=True)
class QuickJobSalary:
    """The salary a quick job pays, with the two figures it is the smaller of.

    Attributes:
        invoice: the invoice's number.
        bought: what the invoice buys once the client pays.
        committable: the largest salary the entity can commit on the day (funds plus
            guarantee).
        gross: the contract's monthly gross: ``bought.gross`` capped by
            ``committable.gross``.
    """

    invoice: str
    bought: BudgetSimulation
    committable: BudgetSimulation

    @property
    def gross(self) -> Decimal:
        return min(self.bought.gross, self.committable.gross)


def quick_job_salary(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    invoice: str,
    on: date,
    worker_category: str,
    months: int = 1,
) -> QuickJobSalary:
    """The salary a quick job on ``invoice`` pays from ``on``: the monthly gross the
    invoice's amount excluding VAT buys once the client pays (management fee taken),
    capped by the largest gross the entity can commit on ``on`` (its available funds
    plus the guarantee fund's cover, shared over the ``months`` its hire reserves).
    Writes nothing.

    The invoice must be the entity's (another entity's is not found) and an invoice,
    not a credit note.
    """
    holder = entity_by_code(session, entity)
    found = session.scalars(
        select(Invoice).where(Invoice.number == invoice, Invoice.entity_id == holder.id)
    ).one_or_none()
    if found is None:
        raise NotFound(
            "invoice",
            N_("no such invoice of entity {holder_code}"),
            value=repr(invoice),
            holder_code=holder.code,
        )
    if found.kind != InvoiceKind.INVOICE.value:
        raise InvalidAct(
            "invoice",
            N_("{invoice} is a credit note; a job is paid from an invoice"),
            invoice=invoice,
        )
    bought = simulate_invoice(
        coop,
        invoiced=from_minor(found.net, coop.currency),
        on=on,
        worker_category=worker_category,
    )
    committable = simulate_entity(
        session, coop, entity=holder.code, on=on, worker_category=worker_category, months=months
    )
    return QuickJobSalary(found.number, bought, committable)


def hire_for_quick_job(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    invoice: str,
    member: int,
    worker_category: str,
    start: date,
    end: date | None,
    on: date,
    actor: str,
    consent: Consent = Consent.STAFF,
) -> Contract:
    """Hire ``member`` for a quick job on ``invoice`` at the monthly gross
    :func:`quick_job_salary` gives on the first day of work; refused, writing nothing,
    when the entity can commit no salary yet. ``on`` is the day the hiring is recorded
    (and declared to the State)."""
    salary = quick_job_salary(
        session,
        coop,
        entity=entity,
        invoice=invoice,
        on=start,
        worker_category=worker_category,
        months=reserved_months(start, end),
    )
    if salary.gross <= 0:
        raise InvalidAct("monthly_gross", N_("the entity has no funds to pay a salary yet"))
    return hire(
        session,
        coop,
        entity=entity,
        member=member,
        worker_category=worker_category,
        start=start,
        end=end,
        monthly_gross=salary.gross,
        on=on,
        actor=actor,
        consent=consent,
    )
