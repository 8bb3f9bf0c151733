"""The network reports the franchisor received, kept per instance and period.

A report covers one period, so the network's figures over time come from the reports
received over time: the franchisor files each report it receives
(``partage network receive``, or the network page), checked against its schema and
refused when the instance is not a franchisee of the contract. A report of an instance
and period received again (a correction) replaces the earlier one; each receipt is
audited.

:func:`overview` derives, from what was received, each instance's latest figures and
their series period by period or year by year. Over a year, flows (invoiced volume,
fee income, franchise fee) add up and stocks (members, open entities, the guarantee
fund's balance and exposure) are those of the year's last report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sqlalchemy import CursorResult, and_, delete, insert, select
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_, PartageError
from partage.core.contract.periods import PERIOD_KINDS, Period
from partage.core.franchise.consolidation import check_franchisee
from partage.core.franchise.models import ReceivedReport
from partage.core.franchise.report_schema import check_report
from partage.core.platform import audit
from partage.core.platform.network import NetworkConfig


class GroupingError(PartageError):
    """The series were asked grouped in a way there is none of."""

    usage = True


#: Series over time: one point per report as received, or per calendar year.
GROUPINGS = ("period", "year")
#: The coverage ratio's precision: four decimals, half up (0.1234 is 12.34 %).
COVERAGE_STEP = Decimal("0.0001")


@dataclass(frozen=True)
class Figures:
    """One instance's figures over one period (a report, or a year of reports).

    Attributes:
        code: the instance (franchisee) code.
        currency: the currency of its amounts.
        start: first day covered.
        end: last day covered.
        label: the period's name (``2026-07``, ``2026-Q3``, ``2026``).
        members: members on the last day.
        entities: entities open on the last day.
        invoiced_volume: invoiced excluding VAT over the period.
        fee_income: management fee income over the period.
        franchise_fee: franchise fee owed for the period.
        fund_balance: what the guarantee fund holds on the last day.
        fund_exposure: what it guarantees on the last day.
    """

    code: str
    currency: str
    start: date
    end: date
    label: str
    members: int
    entities: int
    invoiced_volume: Decimal
    fee_income: Decimal
    franchise_fee: Decimal
    fund_balance: Decimal
    fund_exposure: Decimal

    @property
    def fund_coverage(self) -> Decimal | None:
        """The fund's balance over its exposure, four decimals half up; ``None`` when
        it guarantees nothing."""
        if self.fund_exposure <= 0:
            return None
        return (self.fund_balance / self.fund_exposure).quantize(COVERAGE_STEP, ROUND_HALF_UP)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: amounts and the ratio as decimal strings."""
        coverage = self.fund_coverage
        return {
            "instance": self.code,
            "currency": self.currency,
            "period": {"from": self.start.isoformat(), "to": self.end.isoformat()},
            "label": self.label,
            "members": self.members,
            "entities": self.entities,
            "invoiced_volume": str(self.invoiced_volume),
            "fee_income": str(self.fee_income),
            "franchise_fee": str(self.franchise_fee),
            "fund_balance": str(self.fund_balance),
            "fund_exposure": str(self.fund_exposure),
            "fund_coverage": None if coverage is None else str(coverage),
        }


def period_label(start: date, end: date) -> str:
    """``2026-07``, ``2026-Q3``, ``2026-H2`` or ``2026`` when the days span exactly one
    such period, else ``2026-07-01..2026-09-15``."""
    for kind in PERIOD_KINDS:
        period = Period.of_kind(kind, start)
        if (period.start, period.end) == (start, end):
            return period.label
    return f"{start.isoformat()}..{end.isoformat()}"


def figures_of(report: Mapping[str, Any]) -> Figures:
    """The figures of one checked report."""
    start = date.fromisoformat(report["period"]["from"])
    end = date.fromisoformat(report["period"]["to"])
    fund = report["guarantee_fund"]
    return Figures(
        code=report["instance"]["code"],
        currency=report["instance"]["currency"],
        start=start,
        end=end,
        label=period_label(start, end),
        members=int(report["members"]["total"]),
        entities=int(report["entities"]["open"]),
        invoiced_volume=Decimal(report["invoicing"]["invoiced_volume"]),
        fee_income=Decimal(report["invoicing"]["fee_income"]),
        franchise_fee=Decimal(report["franchise_fee"]),
        fund_balance=Decimal(fund["balance"]),
        fund_exposure=Decimal(fund["exposure"]),
    )


@dataclass(frozen=True)
class Receipt:
    """What receiving a report did.

    Attributes:
        figures: the report's figures.
        replaced: whether it replaced a report of the same instance and period.
    """

    figures: Figures
    replaced: bool


def receive(
    session: Session,
    network: NetworkConfig,
    report: Mapping[str, Any],
    *,
    file: str,
    actor: str,
    now: datetime,
) -> Receipt:
    """File one report (checked against its schema, from a franchisee of ``network``),
    replacing one of the same instance and period; one transaction with its audit."""
    check_report(report, file)
    check_franchisee(file, report, network)
    found = figures_of(report)
    same = and_(
        ReceivedReport.instance_code == found.code,
        ReceivedReport.period_from == found.start,
        ReceivedReport.period_to == found.end,
    )
    result = cast("CursorResult[Any]", session.execute(delete(ReceivedReport).where(same)))
    replaced = bool(result.rowcount)
    session.execute(
        insert(ReceivedReport).values(
            instance_code=found.code,
            period_from=found.start,
            period_to=found.end,
            currency=found.currency,
            schema_version=report["schema_version"],
            document=json.dumps(report, ensure_ascii=False, sort_keys=True),
            received_at=now,
            received_by=actor,
        )
    )
    audit.record(
        session,
        actor=actor,
        action="network.receive",
        subject=f"network_report:{found.code}:{found.label}",
        reason="replaces the report received before" if replaced else "",
        data={"file": file, "currency": found.currency, "replaced": replaced},
    )
    return Receipt(found, replaced)


def received(session: Session) -> list[Figures]:
    """Every report received, by period then instance."""
    rows = session.execute(
        select(ReceivedReport.document).order_by(
            ReceivedReport.period_from, ReceivedReport.period_to, ReceivedReport.instance_code
        )
    ).scalars()
    return [figures_of(json.loads(document)) for document in rows]


def by_year(figures: Sequence[Figures]) -> list[Figures]:
    """One point per instance and calendar year of the reports' last days: flows summed,
    stocks of the year's last report."""
    years: dict[tuple[str, int], Figures] = {}
    for point in sorted(figures, key=lambda f: (f.code, f.end, f.start)):
        key = (point.code, point.end.year)
        known = years.get(key)
        if known is None:
            years[key] = replace(point, label=str(point.end.year))
            continue
        years[key] = replace(
            point,
            start=min(known.start, point.start),
            label=known.label,
            invoiced_volume=known.invoiced_volume + point.invoiced_volume,
            fee_income=known.fee_income + point.fee_income,
            franchise_fee=known.franchise_fee + point.franchise_fee,
        )
    return sorted(years.values(), key=lambda f: (f.end.year, f.code))


@dataclass(frozen=True)
class Overview:
    """The network over time, from the reports received.

    Attributes:
        latest: each instance's most recent figures, by instance code.
        series: every point of every instance, by period then instance.
        labels: the periods of ``series``, in order, each once.
        grouping: ``period`` (as received) or ``year``.
    """

    latest: tuple[Figures, ...]
    series: tuple[Figures, ...]
    labels: tuple[str, ...]
    grouping: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "grouping": self.grouping,
            "periods": list(self.labels),
            "latest": [f.as_dict() for f in self.latest],
            "series": [f.as_dict() for f in self.series],
        }


def overview(session: Session, grouping: str = "period") -> Overview:
    """Each instance's latest figures and their series, period by period or by year."""
    if grouping not in GROUPINGS:
        raise GroupingError(
            "by", N_("must be one of {groupings}"), value=repr(grouping), groupings=tuple(GROUPINGS)
        )
    every = received(session)
    latest: dict[str, Figures] = {}
    for point in every:
        if point.code not in latest or (point.end, point.start) >= (
            latest[point.code].end,
            latest[point.code].start,
        ):
            latest[point.code] = point
    series = every if grouping == "period" else by_year(every)
    labels = tuple(dict.fromkeys(point.label for point in series))
    return Overview(tuple(latest[code] for code in sorted(latest)), tuple(series), labels, grouping)
