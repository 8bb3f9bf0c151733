"""The network report: one instance's indicators for a period.

Each instance keeps its own database (the franchisee is legally autonomous), so the
franchisor sees the network through a report that every instance exports: a JSON
document following a versioned, documented schema shipped with the core
(``core/schemas/network_report-<version>.json``). Money in it is a decimal string in
the instance's currency, never a JSON number, so no amount is ever a float.

:func:`build_report` derives the indicators from the books and the registers and checks
them against the schema (:mod:`.report_schema`, which also reads report files);
:mod:`.consolidation` merges several instances' reports, converting each currency at a
stated rate, into one view.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from partage.core import __version__
from partage.core.acts.cooperative import Cooperative
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.hookspecs import HOOK_API_VERSION
from partage.core.contract.money import from_minor
from partage.core.franchise.fee import PeriodError, role_flow
from partage.core.franchise.report_schema import check_report
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import Account, Book, BookKind, EntryKind, JournalEntry, JournalLine
from partage.core.members.models import Entity, Member, Office, OfficeSector
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.platform.network import NetworkConfig
from partage.core.risk.fund import fund_report
from partage.core.risk.solvency import FUND_ROLES
from partage.core.sales.models import Invoice, InvoiceKind

LINE = JournalLine.__table__
ENTRY = JournalEntry.__table__


def _money(units: int, currency: str) -> str:
    return str(from_minor(int(units), currency))


def _count(session: Session, *conditions: ColumnElement[bool], model: type[Any] = Member) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def _members(session: Session, start: date, end: date) -> dict[str, Any]:
    present = and_(Member.admitted_on <= end, or_(Member.left_on.is_(None), Member.left_on > end))
    by_class = session.execute(
        select(Member.share_class, func.count()).where(present).group_by(Member.share_class)
    ).all()
    return {
        "total": _count(session, present),
        "admitted": _count(session, Member.admitted_on.between(start, end)),
        "left": _count(session, Member.left_on.between(start, end)),
        "by_class": {share_class: int(n) for share_class, n in sorted(by_class)},
    }


def _open_at(end: date) -> ColumnElement[bool]:
    return and_(Entity.opened_on <= end, or_(Entity.closed_on.is_(None), Entity.closed_on > end))


def _active_books(start: date, end: date) -> Any:
    """Codes of entity books with a posted line in the range."""
    return (
        select(Book.code)
        .join(LINE, LINE.c.book_id == Book.id)
        .where(
            and_(
                Book.kind == BookKind.ENTITY.value,
                LINE.c.kind == EntryKind.NORMAL.value,
                LINE.c.date.between(start, end),
            )
        )
        .distinct()
    )


def _entities(session: Session, start: date, end: date) -> dict[str, int]:
    active = _active_books(start, end).subquery()
    return {
        "open": _count(session, _open_at(end), model=Entity),
        "active": int(session.scalar(select(func.count()).select_from(active)) or 0),
        "opened": _count(session, Entity.opened_on.between(start, end), model=Entity),
        "closed": _count(session, Entity.closed_on.between(start, end), model=Entity),
    }


def _payroll(session: Session, start: date, end: date, currency: str) -> dict[str, Any]:
    slip = PayslipRecord
    sums = (
        "gross",
        "employee_contributions",
        "employer_contributions",
        "withholding",
        "net",
        "employer_cost",
    )
    row = session.execute(
        select(
            func.count(slip.id),
            func.count(func.distinct(Contract.member_id)),
            *(func.coalesce(func.sum(getattr(slip, name)), 0) for name in sums),
        )
        .join(Contract, Contract.id == slip.contract_id)
        .where(slip.paid_on.between(start, end))
    ).one()
    figures: dict[str, Any] = {"payslips": int(row[0]), "workers": int(row[1])}
    figures.update({name: _money(row[2 + i], currency) for i, name in enumerate(sums)})
    return figures


def _fund(session: Session, coop: Cooperative, start: date, end: date) -> dict[str, str]:
    currency = coop.currency

    def fund_lines(column: str, *conditions: ColumnElement[bool]) -> int:
        query = (
            select(func.coalesce(func.sum(getattr(LINE.c, column)), 0))
            .join(Account, Account.id == LINE.c.account_id)
            .join(Book, Book.id == LINE.c.book_id)
            .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
            .where(
                Account.role.in_(FUND_ROLES),
                Book.code == COOPERATIVE_BOOK,
                LINE.c.kind == EntryKind.NORMAL.value,
                LINE.c.date.between(start, end),
                *conditions,
            )
        )
        return int(session.scalar(query) or 0)

    write_off = ENTRY.c.act_type == "write_off"
    not_write_off = or_(ENTRY.c.act_type.is_(None), ENTRY.c.act_type != "write_off")
    balance = sum(
        role_flow(session, role, start=date.min, end=end, book=COOPERATIVE_BOOK)
        for role in (PostingRole.GUARANTEE_FUND, PostingRole.GUARANTEE_FUND_RESERVE)
    )
    state = fund_report(session, coop, on=end)
    return {
        "balance": _money(balance, currency),
        "allocated": _money(
            fund_lines("credit", not_write_off) - fund_lines("debit", not_write_off), currency
        ),
        "losses_absorbed": _money(fund_lines("debit", write_off), currency),
        "exposure": str(state.exposure),
        "guaranteed_receivables": str(state.guaranteed_receivables),
    }


def _offices(session: Session, start: date, end: date, currency: str) -> list[dict[str, Any]]:
    open_by = dict(
        session.execute(
            select(Entity.office_id, func.count()).where(_open_at(end)).group_by(Entity.office_id)
        ).all()
    )
    active = _active_books(start, end).subquery()
    active_by = dict(
        session.execute(
            select(Entity.office_id, func.count())
            .join(active, active.c.code == Entity.code)
            .group_by(Entity.office_id)
        ).all()
    )
    sales_by: dict[int, int | None] = dict(
        session.execute(
            select(Entity.office_id, func.sum(LINE.c.credit - LINE.c.debit))
            .select_from(LINE)
            .join(Account, Account.id == LINE.c.account_id)
            .join(Book, Book.id == LINE.c.book_id)
            .join(Entity, Entity.code == Book.code)
            .where(
                Account.role == PostingRole.SALES.value,
                LINE.c.kind == EntryKind.NORMAL.value,
                LINE.c.date.between(start, end),
            )
            .group_by(Entity.office_id)
        ).all()
    )
    return [
        {
            "code": office.code,
            "name": office.name,
            "open_entities": int(open_by.get(office.id, 0)),
            "active_entities": int(active_by.get(office.id, 0)),
            "invoiced_volume": _money(sales_by.get(office.id) or 0, currency),
        }
        for office in session.scalars(select(Office).order_by(Office.code))
    ]


def _sectors(session: Session, end: date) -> list[dict[str, Any]]:
    after_end = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    rows = session.execute(
        select(OfficeSector.sector, Office.code)
        .join(Office, Office.id == OfficeSector.office_id)
        .where(
            OfficeSector.enabled_at < after_end,
            or_(OfficeSector.disabled_at.is_(None), OfficeSector.disabled_at >= after_end),
        )
        .distinct()
        .order_by(OfficeSector.sector, Office.code)
    ).all()
    sectors: dict[str, list[str]] = {}
    for sector, office in rows:
        sectors.setdefault(sector, []).append(office)
    return [{"sector": name, "offices": offices} for name, offices in sectors.items()]


def build_report(
    session: Session,
    coop: Cooperative,
    network: NetworkConfig,
    *,
    start: date,
    end: date,
    generated_at: datetime,
    schema_revision: str | None,
) -> dict[str, Any]:
    """The instance's network report for the days ``start`` to ``end``, both included,
    in the contract's report version (checked against its schema before it is returned).
    """
    if start > end:
        raise PeriodError(None, N_("--from {start} is after --to {end}"), start=start, end=end)
    instance = coop.instance
    currency = instance.currency

    def flow(role: PostingRole, book: str | None) -> str:
        return _money(role_flow(session, role, start=start, end=end, book=book), currency)

    invoices = dict(
        session.execute(
            select(Invoice.kind, func.count())
            .where(Invoice.issued_on.between(start, end))
            .group_by(Invoice.kind)
        ).all()
    )
    franchise_fee = -role_flow(
        session, PostingRole.FRANCHISE_FEE, start=start, end=end, book=COOPERATIVE_BOOK
    )
    report = {
        "schema_version": network.reporting_schema_version,
        "generated_at": generated_at.isoformat(),
        "network": {"name": network.name, "contract_version": network.contract_version},
        "instance": {
            "code": instance.code,
            "name": instance.name,
            "legal_name": instance.legal_name,
            "country": instance.country_plugin.upper(),
            "currency": currency,
        },
        "software": {
            "core_version": __version__,
            "hook_api": HOOK_API_VERSION,
            "schema_revision": schema_revision,
        },
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "members": _members(session, start, end),
        "entities": _entities(session, start, end),
        "invoicing": {
            "invoices": int(invoices.get(InvoiceKind.INVOICE.value, 0)),
            "credit_notes": int(invoices.get(InvoiceKind.CREDIT_NOTE.value, 0)),
            "invoiced_volume": flow(PostingRole.SALES, None),
            "fee_income": flow(PostingRole.MANAGEMENT_FEE_INCOME, COOPERATIVE_BOOK),
        },
        "payroll": _payroll(session, start, end, currency),
        "guarantee_fund": _fund(session, coop, start, end),
        "franchise_fee": _money(franchise_fee, currency),
        "offices": _offices(session, start, end, currency),
        "sectors": _sectors(session, end),
    }
    check_report(report, "(export)")
    return report
