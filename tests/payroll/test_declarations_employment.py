"""Employment declarations through the country hook: Belgium's Dimona IN and quarterly
DmfA, France's DPAE and monthly DSN, from the engine's contracts and payslips."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from partage.core.contract.money import from_minor
from partage.core.payroll import service as payroll
from partage.core.payroll.declarations import DeclarationRefused, declare_hire, declare_period
from partage.core.payroll.models import Contract, DeclarationRecord, PayslipRecord
from partage.core.platform.clock import FixedClock
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.immutable import ImmutableDocument
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from tests.builders import national_number
from tests.documents_support import DAY, CountryWorld, build_country_world, issuer

D = Decimal


def funded_world(sqlite_url: str, country: str) -> CountryWorld:
    world = build_country_world(make_engine(sqlite_url), country)
    with world.act() as s:
        invoice = invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client("domestic"),
            lines=[LineInput("Mission", "1", "30000")],
            on=DAY,
            actor="t",
        )
        payments.receive_payment(
            s,
            world.coop,
            key="fund",
            entity=world.entity,
            client=world.client("domestic"),
            amount=from_minor(invoice.net + invoice.vat, "EUR"),
            on=DAY,
            actor="t",
        )
    return world


def hire(world: CountryWorld, start: date, on: date | None = None) -> str:
    with world.act() as s:
        return payroll.hire(
            s,
            world.coop,
            entity=world.entity,
            member=1,
            worker_category="employee" if world.country == "be" else "non_cadre",
            start=start,
            monthly_gross="2800",
            on=on,
            actor="t",
        ).code


def world_with_contract(sqlite_url: str, country: str, start: date) -> tuple[CountryWorld, str]:
    world = funded_world(sqlite_url, country)
    return world, hire(world, start)


def stored(world: CountryWorld, model: type = DeclarationRecord) -> int:
    with world.act() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def pay_months(world: CountryWorld, contract: str, *months: int) -> list[PayslipRecord]:
    with world.act() as s:
        return [
            payroll.pay(
                s,
                world.coop,
                contract,
                month=date(2026, m, 1),
                paid_on=date(2026, m, 28),
                actor="t",
            )
            for m in months
        ]


def test_hiring_makes_the_dimona_in_before_work_starts(sqlite_url: str) -> None:
    world = funded_world(sqlite_url, "be")
    contract = hire(world, date(2026, 8, 1), on=DAY)
    with world.act() as s:
        record = s.scalars(
            select(DeclarationRecord).where(DeclarationRecord.subject == contract)
        ).one()
    data = json.loads(record.content)
    assert (record.kind, record.format, record.subject) == ("dimona", "json", contract)
    assert data["declaration"] == "DIMONA-IN"
    assert data["declaredOn"] == DAY.isoformat()
    assert data["dimonaIn"]["startingDate"] == "2026-08-01"
    assert data["dimonaIn"]["workerType"] == "OTH"
    assert data["worker"]["inss"] == national_number("be", 1)
    assert data["employer"]["enterpriseNumber"] == "0403019261"
    with world.act() as s:
        again = declare_hire(s, world.coop, contract, issuer("be"), on=DAY, actor="t")
        assert again.id == record.id and again.sha256 == record.sha256
    with pytest.raises(ImmutableDocument), world.act() as s:
        row = s.get(DeclarationRecord, record.id)
        row.content = b"{}"


def test_a_hiring_recorded_after_work_started_is_refused_and_nothing_is_written(
    sqlite_url: str,
) -> None:
    world = funded_world(sqlite_url, "be")
    with pytest.raises(DeclarationRefused, match=r"AR du 5 novembre 2002, art\. 4"):
        hire(world, date(2026, 7, 1), on=DAY)
    assert stored(world) == stored(world, Contract) == 0


def test_without_issuer_facts_a_hiring_declares_nothing(sqlite_url: str) -> None:
    world = funded_world(sqlite_url, "be")
    world.coop = replace(world.coop, instance=replace(world.coop.instance, issuer=None))
    hire(world, date(2026, 7, 1), on=DAY)
    assert stored(world, Contract) == 1 and stored(world) == 0


def test_the_dmfa_sums_the_quarters_payslips(sqlite_url: str) -> None:
    world, contract = world_with_contract(sqlite_url, "be", date(2026, 7, 1))
    world.coop.clock = FixedClock(date(2026, 9, 30))  # the quarter is paid by its end
    slips = pay_months(world, contract, 7, 8, 9)
    with world.act() as s:
        record = declare_period(
            s, world.coop, issuer("be"), start=date(2026, 7, 1), end=date(2026, 9, 30), actor="t"
        )
    data = json.loads(record.content)
    assert data["quarter"] == "2026-Q3"
    (worker,) = data["workers"]
    gross = sum((from_minor(p.gross, "EUR") for p in slips), D(0))
    employer = sum((from_minor(p.employer_contributions, "EUR") for p in slips), D(0))
    assert D(worker["remuneration"]) == gross == D(data["totals"]["remuneration"])
    assert D(data["totals"]["employerContributions"]) == employer
    codes = {line["code"]: D(line["amount"]) for line in worker["contributions"]}
    first = {line["code"]: D(line["amount"]) for line in slips[0].lines}
    assert set(codes) == set(first)
    assert sum(codes.values(), D(0)) == sum(
        (D(line["amount"]) for p in slips for line in p.lines), D(0)
    )


def test_a_dmfa_over_a_period_that_is_not_a_quarter_is_refused(sqlite_url: str) -> None:
    world, _ = world_with_contract(sqlite_url, "be", date(2026, 7, 1))
    hired = stored(world)
    with pytest.raises(DeclarationRefused, match="calendar quarter"), world.act() as s:
        declare_period(
            s, world.coop, issuer("be"), start=date(2026, 7, 1), end=date(2026, 8, 31), actor="t"
        )
    assert stored(world) == hired == 1


def test_dpae_and_the_monthly_dsn_in_france(sqlite_url: str) -> None:
    world, contract = world_with_contract(sqlite_url, "fr", date(2026, 7, 6))
    with world.act() as s:
        dpae = json.loads(
            s.scalars(
                select(DeclarationRecord.content).where(DeclarationRecord.kind == "dpae")
            ).one()
        )
    assert dpae["dateDeclaration"] == "2026-07-06"
    assert dpae["declaration"] == "DPAE" and dpae["embauche"]["natureContrat"] == "CDI"
    assert dpae["employeur"]["siretEtablissement"] == issuer("fr").social_security_id
    (slip,) = pay_months(world, contract, 7)
    with world.act() as s:
        dsn = json.loads(
            declare_period(
                s,
                world.coop,
                issuer("fr"),
                start=date(2026, 7, 1),
                end=date(2026, 7, 31),
                actor="t",
            ).content
        )
    assert dsn["moisPrincipalDeclare"] == "2026-07"
    (versement,) = dsn["versements"]
    assert D(versement["remunerationBrute"]) == from_minor(slip.gross, "EUR")
    assert D(versement["netVerse"]) == from_minor(slip.net, "EUR") == D(dsn["totaux"]["netVerse"])
    with pytest.raises(DeclarationRefused, match="calendar month"), world.act() as s:
        declare_period(
            s, world.coop, issuer("fr"), start=date(2026, 7, 1), end=date(2026, 9, 30), actor="t"
        )
