"""A simulated month on the real Belgian instance: valid identifiers, every act through
the service layer, only the no-bankruptcy rule refusing, balanced books, no entity
below zero, the same month from the same seed, and a second month going on from the
first."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from schwifty import IBAN
from sqlalchemy import func, select
from stdnum.be import nn
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.fr import nir, tva

from partage.core import sample_identifiers as ids
from partage.core.acts import Cooperative
from partage.core.contract import IdentifierKind
from partage.core.demo import set_up
from partage.core.ledger.reports import trial_balance
from partage.core.members.models import Entity, Member, Party, Person
from partage.core.payroll.models import PayslipRecord
from partage.core.registry import PluginRegistry
from partage.core.risk.fund import fund_report
from partage.core.risk.solvency import headrooms
from partage.core.runtime import Runtime, build_runtime
from partage.core.simulation import MonthReport, Volume, last_simulated_month, simulate_month
from partage.core.trade.models import Allocation, Invoice, InvoiceLine, Payment, Quote

MAY = date(2026, 5, 1)
JUNE = date(2026, 6, 1)
#: A small month with enough quotes to reach every answer.
SMALL = replace(Volume.for_members(12), quotes=30)


# --- identifiers -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "valid"),
    [
        (ids.belgian_national_number, nn.is_valid),
        (ids.french_nir, nir.is_valid),
        (ids.belgian_vat, be_vat.is_valid),
        (ids.french_vat, tva.is_valid),
        (ids.german_vat, de_vat.is_valid),
    ],
)
def test_generated_numbers_pass_their_check_digits(make, valid) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    drawn = [make(rng) for _ in range(300)]
    assert all(valid(x) for x in drawn)
    assert len(set(drawn)) > 290  # drawn, not repeated
    assert drawn[:5] == [make(r) for r in [random.Random(7)] for _ in range(5)]


@pytest.mark.parametrize("country", ["BE", "FR"])
def test_generated_ibans_are_valid_at_a_known_bank_and_for_the_plugin(country: str) -> None:
    rng = random.Random(3)
    plugins = PluginRegistry().manager(country.lower())
    for _ in range(50):
        value = ids.iban(country, rng)
        assert IBAN(value, validate_bban=True).country_code == country
        check = plugins.hook.partage_validate_identifier(kind=IdentifierKind.IBAN, value=value)
        assert check.valid, (value, check.failed_check)
        person = ids.national_number(country, rng)
        check = plugins.hook.partage_validate_identifier(kind=IdentifierKind.PERSON, value=person)
        assert check.valid, (person, check.failed_check)


def test_a_country_without_generators_is_refused_by_name() -> None:
    with pytest.raises(ids.UnknownSampleCountry, match="country 'ZZ': no sample VAT numbers"):
        ids.vat_number("ZZ", random.Random(1))


# --- a month -------------------------------------------------------------------------------------
def belgium(url: str) -> tuple[Runtime, Cooperative]:
    runtime = build_runtime("be", database_url=url)
    for _ in set_up(runtime):
        pass
    return runtime, Cooperative.from_runtime(runtime)


@pytest.fixture
def month(database_url: str) -> tuple[Runtime, Cooperative, MonthReport]:
    runtime, coop = belgium(database_url)
    report = simulate_month(runtime.sessions, coop, MAY, SMALL, seed=5, actor="test")
    yield runtime, coop, report
    runtime.close()


def test_a_month_goes_through_every_act_and_only_the_funds_rule_refuses(month) -> None:  # type: ignore[no-untyped-def]
    runtime, _, report = month
    meter = report.meter
    assert {error for _, error in meter.refused} <= {"InsufficientFunds"}
    assert not meter.skipped
    for kind in (
        "member.admit",
        "entity.open",
        "party.register",
        "quote.send",
        "quote.decide",
        "invoice.issue",
        "credit_note.issue",
        "payment.receive",
        "purchase.record",
        "expense.claim",
        "contract.hire",
        "client.default",
        "payslip",
    ):
        assert meter.done[kind] > 0, kind
    assert meter.done["member.admit"] == SMALL.members
    assert meter.done["invoice.issue"] == SMALL.invoices
    assert meter.done["payment.receive"] <= SMALL.payments
    with runtime.sessions() as s:
        assert s.scalar(select(func.count(Member.id))) == SMALL.members
        assert s.scalar(select(func.count(Entity.id))) == SMALL.entities
        assert s.scalar(select(func.count(Invoice.id)).where(Invoice.kind == "invoice")) == (
            SMALL.invoices
        )
        kinds = set(s.scalars(select(Entity.kind)))
        offices = s.scalar(select(func.count(func.distinct(Entity.office_id))))
        statuses = set(s.scalars(select(Quote.status)))
        treatments = set(s.scalars(select(InvoiceLine.treatment)))
        rates = set(s.scalars(select(InvoiceLine.vat_rate)))
        foreign = s.scalar(select(func.count(Party.id)).where(Party.country != "BE"))
        emails = s.scalars(select(Person.email)).all()
    assert len(kinds) >= 4 and offices >= 3
    assert {"accepted", "refused", "expired"} <= statuses
    assert "intra_eu_reverse_charge" in treatments and len(rates) >= 3
    assert foreign > 0 and len(set(emails)) == len(emails)


def test_payments_are_partial_full_and_over_and_the_excess_is_kept(month) -> None:  # type: ignore[no-untyped-def]
    runtime, _, report = month
    with runtime.sessions() as s:
        allocated = dict(
            s.execute(
                select(Allocation.invoice_id, func.sum(Allocation.amount)).group_by(
                    Allocation.invoice_id
                )
            ).all()
        )
        totals = dict(s.execute(select(Invoice.id, Invoice.net + Invoice.vat)).all())
        methods = set(s.scalars(select(Payment.method)))
    full = [i for i, paid in allocated.items() if paid == totals[i]]
    part = [i for i, paid in allocated.items() if 0 < paid < totals[i]]
    assert full and part
    assert report.credit_left > 0
    assert "bank" in methods


def test_the_default_is_absorbed_and_the_books_and_funds_hold(month) -> None:  # type: ignore[no-untyped-def]
    runtime, coop, report = month
    assert report.write_offs
    with runtime.sessions() as s:
        state = fund_report(s, coop, on=date(2026, 5, 31))
        balance = trial_balance(s, book=None, start=date(2026, 1, 1), end=date(2026, 5, 31))
        ids_ = list(s.scalars(select(Entity.id)))
        rooms = headrooms(s, coop, ids_, date(2026, 5, 31))
        slips = s.scalar(select(func.count(PayslipRecord.id)))
    assert state.losses_absorbed == sum((w.absorbed for w in report.write_offs), Decimal(0))
    assert balance.total_debit == balance.total_credit > 0
    assert min(rooms.values()) >= 0
    assert report.payroll is not None
    assert slips == len(report.payroll.paid) > 0
    refused = report.meter.refused.get(("payslip", "InsufficientFunds"), 0)
    assert refused == len(report.payroll.refused)


@pytest.mark.sqlite
def test_the_same_seed_gives_the_same_month(tmp_path) -> None:  # type: ignore[no-untyped-def]
    figures = []
    for n in (1, 2):
        runtime, coop = belgium(f"sqlite:///{tmp_path / f'{n}.db'}")
        report = simulate_month(runtime.sessions, coop, MAY, SMALL, seed=9, actor="test")
        with runtime.sessions() as s:
            figures.append(
                (
                    s.execute(
                        select(Invoice.number, Invoice.net, Invoice.vat).order_by(Invoice.id)
                    ).all(),
                    s.scalars(select(Person.national_id).order_by(Person.id)).all(),
                    dict(report.meter.done),
                )
            )
        runtime.close()
    assert figures[0] == figures[1]


@pytest.mark.sqlite
def test_a_second_month_goes_on_from_the_first(sqlite_url: str) -> None:
    runtime, coop = belgium(sqlite_url)
    simulate_month(runtime.sessions, coop, MAY, SMALL, seed=1, actor="test")
    with runtime.sessions() as s:
        assert last_simulated_month(s) == MAY
    june = simulate_month(runtime.sessions, coop, JUNE, SMALL.growth(), seed=1, actor="test")
    with runtime.sessions() as s:
        assert last_simulated_month(s) == JUNE
        late = s.scalar(
            select(func.count(Allocation.id))
            .join(Invoice, Invoice.id == Allocation.invoice_id)
            .join(Payment, Payment.id == Allocation.payment_id)
            .where(Invoice.issued_on < JUNE, Payment.received_on >= JUNE)
        )
        may, june_paid = (
            set(s.scalars(select(PayslipRecord.contract_id).where(PayslipRecord.period_start == m)))
            for m in (MAY, JUNE)
        )
    runtime.close()
    assert june.meter.done["member.admit"] == SMALL.growth().members
    assert late > 0  # May's open invoices are paid in June
    assert may & june_paid  # contracts hired in May are paid again in June
