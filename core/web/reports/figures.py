"""The instance's consolidated figures, for its administrators: sums and counts over
the instance's records for one fiscal year, with the monthly series its charts draw.

(What the franchisor sees is the network report of :mod:`partage.core.franchise.report`,
which carries no personal data.)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from alembic.migration import MigrationContext
from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.franchise.report import build_report
from partage.core.ledger.periods import fiscal_year_containing, fiscal_year_period
from partage.core.ledger.posting import fiscal_year_of
from partage.core.ledger.reports import funds_by_book
from partage.core.members.models import Entity, Member, Office
from partage.core.payroll.models import PayslipRecord
from partage.core.platform.db.base import utcnow
from partage.core.risk.fund import fund_report
from partage.core.sales.models import Invoice, InvoiceKind
from partage.core.web.reports import schemas as s
from partage.core.web.reports.views import signed_net
from partage.core.web.schemas import money
from partage.core.web.site import Site


def _signed_fee() -> ColumnElement[int]:
    return case((Invoice.kind == InvoiceKind.CREDIT_NOTE.value, -Invoice.fee), else_=Invoice.fee)


def _year(site: Site, year: int | None) -> tuple[int, date, date]:
    fiscal = year or fiscal_year_of(site.today(), site.fiscal_year_start_month)
    days = fiscal_year_period(fiscal, site.fiscal_year_start_month)
    return fiscal, days.start, days.end


@dataclass(frozen=True)
class Totals:
    """Counts and sums (minor units) shared by both reports."""

    members: int
    entities_by_kind: dict[str, int]
    offices: int
    invoiced: int
    fees: int
    payslips: int
    gross: int
    net: int

    @property
    def entities(self) -> int:
        return sum(self.entities_by_kind.values())


def _totals(session: Session, start: date, end: date) -> Totals:
    in_year = (Invoice.issued_on >= start, Invoice.issued_on <= end)
    invoiced, fees = session.execute(
        select(
            func.coalesce(func.sum(signed_net()), 0), func.coalesce(func.sum(_signed_fee()), 0)
        ).where(*in_year)
    ).one()
    count, gross, net = session.execute(
        select(
            func.count(PayslipRecord.id),
            func.coalesce(func.sum(PayslipRecord.gross), 0),
            func.coalesce(func.sum(PayslipRecord.net), 0),
        ).where(PayslipRecord.period_start >= start, PayslipRecord.period_start <= end)
    ).one()
    kinds = Counter(
        dict(
            session.execute(
                select(Entity.kind, func.count(Entity.id))
                .where(Entity.closed_on.is_(None))
                .group_by(Entity.kind)
            ).all()
        )
    )
    return Totals(
        members=int(
            session.scalar(select(func.count(Member.id)).where(Member.left_on.is_(None))) or 0
        ),
        entities_by_kind={k: int(v) for k, v in sorted(kinds.items())},
        offices=int(session.scalar(select(func.count(Office.id))) or 0),
        invoiced=int(invoiced or 0),
        fees=int(fees or 0),
        payslips=int(count or 0),
        gross=int(gross or 0),
        net=int(net or 0),
    )


def instance_figures(session: Session, site: Site, year: int | None = None) -> s.InstanceOut:
    """The instance's consolidated view for its administrators."""
    fiscal, start, end = _year(site, year)
    cur = site.currency
    totals = _totals(session, start, end)
    months = session.execute(
        select(
            func.extract("year", Invoice.issued_on),
            func.extract("month", Invoice.issued_on),
            func.sum(signed_net()),
            func.sum(_signed_fee()),
        )
        .where(Invoice.issued_on >= start, Invoice.issued_on <= end)
        .group_by(func.extract("year", Invoice.issued_on), func.extract("month", Invoice.issued_on))
        .order_by(func.extract("year", Invoice.issued_on), func.extract("month", Invoice.issued_on))
    ).all()
    by_office = session.execute(
        select(Office.code, func.coalesce(func.sum(signed_net()), 0))
        .join(Entity, Entity.office_id == Office.id)
        .join(Invoice, Invoice.entity_id == Entity.id)
        .where(Invoice.issued_on >= start, Invoice.issued_on <= end)
        .group_by(Office.code)
        .order_by(Office.code)
    ).all()
    funds = funds_by_book(session)
    entity_codes = set(session.scalars(select(Entity.code)))
    fund = fund_report(session, site.coop, on=site.today())
    return s.InstanceOut(
        instance=site.coop.instance.code,
        name=site.coop.instance.name,
        currency=cur,
        year=fiscal,
        members=totals.members,
        entities=totals.entities,
        entities_by_kind=totals.entities_by_kind,
        offices=totals.offices,
        invoiced=money(totals.invoiced, cur),
        fee_income=money(totals.fees, cur),
        payslips=totals.payslips,
        gross_pay=money(totals.gross, cur),
        net_pay=money(totals.net, cur),
        available_funds_total=str(
            sum((v for k, v in funds.items() if k in entity_codes), from_minor(0, cur))
        ),
        guarantee_fund_balance=str(fund.balance),
        guarantee_fund_exposure=str(fund.exposure),
        guarantee_fund_coverage_ratio=None
        if fund.coverage_ratio is None
        else str(fund.coverage_ratio),
        guarantee_fund_capacity=str(fund.capacity),
        months=[
            s.MonthFigure(
                month=f"{int(y):04d}-{int(m):02d}",
                invoiced=money(int(net or 0), cur),
                fee=money(int(fee or 0), cur),
            )
            for y, m, net, fee in months
        ],
        invoiced_by_office={code: money(int(net), cur) for code, net in by_office},
    )


def network_report(
    session: Session, site: Site, start: date | None = None, end: date | None = None
) -> dict[str, Any]:
    """The instance's network report (:func:`partage.core.franchise.report.build_report`)
    for a range of days: by default the fiscal year to date."""
    if site.network is None:
        raise NotFound("network", N_("this instance is served without a franchise contract"))
    today = site.today()
    first = fiscal_year_containing(today, site.fiscal_year_start_month).start
    revision = MigrationContext.configure(session.connection()).get_current_revision()
    return build_report(
        session,
        site.coop,
        site.network,
        start=start or first,
        end=end or today,
        generated_at=utcnow(),
        schema_revision=revision,
    )
