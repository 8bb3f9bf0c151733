"""The network's consolidated view: several instances' reports of one period, merged.

Each report stays in its instance's currency; the view converts its amounts at a rate
stated by the franchisor (units of the target currency one unit of that currency buys)
and rounds each to the target's minor unit, half away from zero. Counts are summed as
they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from partage.core.contract.errors import N_, PartageError, Word
from partage.core.contract.money import MoneyError, minor_exponent, round_money
from partage.core.franchise.report_schema import ReportError
from partage.core.platform.network import NetworkConfig


class RateError(PartageError):
    """A conversion rate or target currency given on the command line is not usable."""

    usage = True


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
    currency = _target_currency(reports, currency, rates)
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
            check_franchisee(file, report, network)
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


def _target_currency(
    reports: Sequence[tuple[str, Mapping[str, Any]]],
    currency: str | None,
    rates: Mapping[str, Decimal],
) -> str:
    """The currency to consolidate in: the one asked, or the reports' only one; refuses
    an unknown currency, a rate for it, and a rate no report uses."""
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
    return currency


def check_franchisee(file: str, report: Mapping[str, Any], network: NetworkConfig) -> None:
    """Refuse a report of another network, or of an instance that is not a franchisee."""
    code = report["instance"]["code"]
    if report["network"]["name"] != network.name:
        raise ReportError(
            file,
            "/network/name",
            N_("{name} is not {network}"),
            name=repr(report["network"]["name"]),
            network=repr(network.name),
        )
    known = [p.code for p in network.franchisees]
    if code not in known:
        raise ReportError(
            file,
            "/instance/code",
            N_("{code} is not a franchisee of {network} (franchisees: {known})"),
            code=repr(code),
            network=network.name,
            known=tuple(known) if known else Word(N_("none")),
        )
