"""The network report: one instance's indicators for a period, and their consolidation.

Each instance keeps its own database (the franchisee is legally autonomous), so the
franchisor sees the network through a report that every instance exports: a JSON
document following a versioned, documented schema shipped with the core
(``core/schemas/network_report-<version>.json``). Money in it is a decimal string in
the instance's currency, never a JSON number, so no amount is ever a float.

:func:`build_report` derives the indicators from the books and the registers;
:func:`read_report` checks a report file against its schema (naming the file and the
JSON pointer of the first bad field); :func:`consolidate` merges several instances'
reports, converting each currency at a stated rate, into one view.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from partage.core import __version__
from partage.core.acts.cooperative import Cooperative
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import PartageError
from partage.core.contract.hookspecs import HOOK_API_VERSION
from partage.core.contract.money import (
    MoneyError,
    from_minor,
    minor_exponent,
    round_money,
    to_minor,
)
from partage.core.franchise.fee import PeriodError, role_flow
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.models import Account, Book, BookKind, EntryKind, JournalEntry, JournalLine
from partage.core.members.models import Entity, Member, Office, OfficeSector
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.platform.network import SCHEMAS, NetworkConfig, report_schema_versions
from partage.core.risk.fund import fund_report
from partage.core.sales.models import Invoice, InvoiceKind

LINE = JournalLine.__table__
ENTRY = JournalEntry.__table__


class ReportError(PartageError):
    """A network report file is unreadable, of another version or breaks its schema.

    Attributes:
        file: the report's file name.
        pointer: JSON pointer of the bad field (``""`` for the whole document).
        rule: what is wrong, in words.
    """

    def __init__(self, file: str, pointer: str, rule: str) -> None:
        self.file, self.pointer = file, pointer
        super().__init__(pointer or "/", rule)

    def message(self) -> str:
        return f"{self.file}: {self.field}: {self.rule}"


class RateError(PartageError):
    """A conversion rate or target currency given on the command line is not usable."""


@cache
def schema(version: str) -> dict[str, Any]:
    """The shipped JSON schema of a report version."""
    return json.loads((SCHEMAS / f"network_report-{version}.json").read_text(encoding="utf-8"))


# --- building ---------------------------------------------------------------------------
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
                Account.role == PostingRole.GUARANTEE_FUND.value,
                Book.code == COOPERATIVE_BOOK,
                LINE.c.kind == EntryKind.NORMAL.value,
                LINE.c.date.between(start, end),
                *conditions,
            )
        )
        return int(session.scalar(query) or 0)

    write_off = ENTRY.c.act_type == "write_off"
    not_write_off = or_(ENTRY.c.act_type.is_(None), ENTRY.c.act_type != "write_off")
    balance = role_flow(
        session, PostingRole.GUARANTEE_FUND, start=date.min, end=end, book=COOPERATIVE_BOOK
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
        raise PeriodError(None, f"--from {start} is after --to {end}")
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


# --- reading and checking -------------------------------------------------------------
def _pointer(path: Sequence[object]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _explain(error: ValidationError) -> tuple[str, str]:
    """The JSON pointer of the field an error is about, and the rule it breaks."""
    at = _pointer(list(error.absolute_path))
    value = error.instance
    if error.validator == "required" and isinstance(value, Mapping):
        missing = [name for name in error.validator_value if name not in value]
        return f"{at}/{missing[0]}", "is required"
    if error.validator == "additionalProperties" and isinstance(value, Mapping):
        known = set(error.schema.get("properties", {}))
        extra = sorted(name for name in value if name not in known)
        return f"{at}/{extra[0]}", "is not a field of this report version"
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if error.validator == "type" and error.validator_value == "string" and number:
        return at, f'{value!r} must be a decimal string such as "1234.50", not a number'
    if error.validator == "const":
        return at, f"{value!r} must be {error.validator_value!r}"
    return at, error.message


def _money_fields(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(pointer, value)`` of every amount of a schema-valid report."""
    found = [("/franchise_fee", report["franchise_fee"])]
    for section in ("invoicing", "payroll", "guarantee_fund"):
        found += [
            (f"/{section}/{name}", value)
            for name, value in report[section].items()
            if isinstance(value, str)
        ]
    found += [
        (f"/offices/{i}/invoiced_volume", office["invoiced_volume"])
        for i, office in enumerate(report["offices"])
    ]
    return found


def check_report(report: object, file: str) -> None:
    """Refuse a report of another version, or one that breaks its version's schema."""
    if not isinstance(report, Mapping):
        raise ReportError(file, "", "a network report must be a JSON object")
    if "schema_version" not in report:
        raise ReportError(file, "/schema_version", "is required")
    version = report["schema_version"]
    shipped = report_schema_versions()
    if version not in shipped:
        raise ReportError(
            file,
            "/schema_version",
            f"{version!r} is not a report version this core reads ({', '.join(shipped)})",
        )
    validator = Draft202012Validator(
        schema(version), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(report), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise ReportError(file, *_explain(errors[0]))
    currency = report["instance"]["currency"]
    try:
        minor_exponent(currency)
    except MoneyError as exc:
        raise ReportError(file, "/instance/currency", str(exc)) from None
    for pointer, value in _money_fields(report):
        try:
            to_minor(Decimal(value), currency, field=pointer)
        except MoneyError as exc:
            raise ReportError(file, pointer, exc.rule) from None
    if report["period"]["from"] > report["period"]["to"]:
        raise ReportError(file, "/period/to", "is before /period/from")


def read_report(path: Path) -> dict[str, Any]:
    """Load and check one report file."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReportError(str(path), "", f"cannot be read: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise ReportError(
            str(path), "", f"not valid JSON: line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    check_report(report, str(path))
    return report


# --- consolidation ------------------------------------------------------------------------
#: Amounts of the consolidated view: column name and where each sits in a report.
MONEY = (
    ("invoiced_volume", ("invoicing", "invoiced_volume")),
    ("fee_income", ("invoicing", "fee_income")),
    ("payroll_gross", ("payroll", "gross")),
    ("employer_cost", ("payroll", "employer_cost")),
    ("fund_balance", ("guarantee_fund", "balance")),
    ("fund_exposure", ("guarantee_fund", "exposure")),
    ("fund_losses", ("guarantee_fund", "losses_absorbed")),
    ("franchise_fee", ("franchise_fee",)),
)
#: Counts of the consolidated view.
COUNTS = (
    ("members", ("members", "total")),
    ("open_entities", ("entities", "open")),
    ("active_entities", ("entities", "active")),
    ("invoices", ("invoicing", "invoices")),
    ("payslips", ("payroll", "payslips")),
    ("workers", ("payroll", "workers")),
)
HEADERS = (
    "instance",
    "currency",
    "rate",
    *(name for name, _ in COUNTS),
    *(name for name, _ in MONEY),
    "offices",
    "sectors",
)


def parse_rates(texts: Sequence[str]) -> dict[str, Decimal]:
    """``["CHF=0.95"]`` → ``{"CHF": Decimal("0.95")}``: units of the target currency one
    unit of that currency buys."""
    rates: dict[str, Decimal] = {}
    for text in texts:
        code, _, figure = text.partition("=")
        code = code.strip()
        try:
            minor_exponent(code)
            rate = Decimal(figure.strip())
        except (MoneyError, InvalidOperation):
            raise RateError(
                "--rate",
                "write CODE=RATE, e.g. CHF=0.95 (one CHF is worth 0.95 of the target currency)",
                value=repr(text),
            ) from None
        if not rate.is_finite() or rate <= 0:
            raise RateError("--rate", "the rate must be a positive number", value=repr(text))
        if code in rates:
            raise RateError("--rate", f"{code} is given twice", value=repr(text))
        rates[code] = rate
    return rates


def _at(report: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = report
    for part in path:
        node = node[part]
    return node


@dataclass(frozen=True)
class InstanceLine:
    """One instance in the consolidated view, its amounts converted.

    Attributes:
        file: the report it came from.
        code: the instance (franchisee) code.
        currency: the report's own currency.
        rate: target-currency units per unit of ``currency`` (1 when the same).
        counts: the counts, by :data:`COUNTS` name.
        amounts: the amounts in the target currency, by :data:`MONEY` name, each
            converted and rounded to the target's minor unit (half away from zero).
        offices: number of offices.
        sectors: sectors enabled in at least one of its offices.
    """

    file: str
    code: str
    currency: str
    rate: Decimal
    counts: dict[str, int]
    amounts: dict[str, Decimal]
    offices: int
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Consolidation:
    """The network's consolidated view of one period.

    Attributes:
        currency: the currency of every amount.
        start: first day of the period.
        end: last day.
        rates: the rates used, by currency.
        lines: one per instance, in the order given.
    """

    currency: str
    start: str
    end: str
    rates: dict[str, Decimal]
    lines: tuple[InstanceLine, ...]

    def totals(self) -> InstanceLine:
        """The network's totals, as a line named ``network``."""
        return InstanceLine(
            file="",
            code="network",
            currency=self.currency,
            rate=Decimal(1),
            counts={n: sum(line.counts[n] for line in self.lines) for n, _ in COUNTS},
            amounts={
                n: sum((line.amounts[n] for line in self.lines), Decimal(0)) for n, _ in MONEY
            },
            offices=sum(line.offices for line in self.lines),
            sectors=tuple(sorted({s for line in self.lines for s in line.sectors})),
        )

    def rows(self) -> list[list[Any]]:
        """Rows under :data:`HEADERS`: each instance, then the network's totals."""
        rows = []
        for line in (*self.lines, self.totals()):
            rate = (
                ""
                if line.code == "network"
                else "1"
                if line.currency == self.currency
                else f"1 {line.currency} = {line.rate} {self.currency}"
            )
            rows.append(
                [
                    line.code,
                    line.currency,
                    rate,
                    *(line.counts[n] for n, _ in COUNTS),
                    *(line.amounts[n] for n, _ in MONEY),
                    line.offices,
                    " ".join(line.sectors),
                ]
            )
        return rows

    def as_dict(self) -> dict[str, Any]:
        """The view as JSON-ready data (amounts as decimal strings)."""

        def line_dict(line: InstanceLine) -> dict[str, Any]:
            return {
                "instance": line.code,
                "file": line.file,
                "currency": line.currency,
                "rate": str(line.rate),
                **line.counts,
                **{n: str(v) for n, v in line.amounts.items()},
                "offices": line.offices,
                "sectors": list(line.sectors),
            }

        totals = line_dict(self.totals())
        for unused in ("file", "currency", "rate"):
            totals.pop(unused)
        return {
            "currency": self.currency,
            "period": {"from": self.start, "to": self.end},
            "rates": {code: str(rate) for code, rate in self.rates.items()},
            "instances": [line_dict(line) for line in self.lines],
            "network": totals,
        }


def consolidate(
    reports: Sequence[tuple[str, Mapping[str, Any]]],
    *,
    currency: str | None,
    rates: Mapping[str, Decimal],
    network: NetworkConfig | None = None,
) -> Consolidation:
    """Merge checked reports (``(file, report)`` pairs) of one period into one view.

    Every report must cover the same period and come from a different instance; with
    ``network``, each instance must be a franchisee of that contract. A report in
    another currency than ``currency`` needs its rate; a rate no report uses is refused
    (a typo would otherwise go unseen).
    """
    if not reports:
        raise RateError(None, "give at least one report file")
    currencies = sorted({r["instance"]["currency"] for _, r in reports})
    if currency is None:
        if len(currencies) > 1:
            raise RateError(
                "--currency",
                f"the reports are in {', '.join(currencies)}; say which currency to consolidate in",
            )
        currency = currencies[0]
    try:
        minor_exponent(currency)
    except MoneyError as exc:
        raise RateError("--currency", str(exc)) from None
    if currency in rates:
        raise RateError("--rate", "the target currency needs no rate", value=currency)
    for code in rates:
        if code not in currencies:
            raise RateError("--rate", f"no report is in {code}", value=code)
    first_file, first = reports[0]
    period = (first["period"]["from"], first["period"]["to"])
    seen: dict[str, str] = {}
    lines = []
    for file, report in reports:
        code = report["instance"]["code"]
        for i, part in enumerate(("from", "to")):
            if report["period"][part] != period[i]:
                raise ReportError(
                    file,
                    f"/period/{part}",
                    f"{report['period'][part]} differs from {period[i]} in {first_file}: "
                    "consolidate reports of one period",
                )
        if code in seen:
            raise ReportError(file, "/instance/code", f"{code!r} is already given by {seen[code]}")
        seen[code] = file
        if network is not None:
            if report["network"]["name"] != network.name:
                raise ReportError(
                    file, "/network/name", f"{report['network']['name']!r} is not {network.name!r}"
                )
            known = [p.code for p in network.franchisees]
            if code not in known:
                raise ReportError(
                    file,
                    "/instance/code",
                    f"{code!r} is not a franchisee of {network.name} (franchisees: "
                    f"{', '.join(known) or 'none'})",
                )
        own = report["instance"]["currency"]
        if own != currency and own not in rates:
            raise ReportError(
                file,
                "/instance/currency",
                f"{own}: give --rate {own}=<{currency} per {own}> to convert it to {currency}",
            )
        rate = Decimal(1) if own == currency else rates[own]
        lines.append(
            InstanceLine(
                file=file,
                code=code,
                currency=own,
                rate=rate,
                counts={name: int(_at(report, path)) for name, path in COUNTS},
                amounts={
                    name: round_money(Decimal(_at(report, path)) * rate, currency)
                    for name, path in MONEY
                },
                offices=len(report["offices"]),
                sectors=tuple(s["sector"] for s in report["sectors"]),
            )
        )
    return Consolidation(currency, period[0], period[1], dict(rates), tuple(lines))
