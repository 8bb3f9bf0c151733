"""A simulated month on the real Belgian instance: valid identifiers, every act through
the service layer, only the no-bankruptcy rule refusing, balanced books, no entity
below zero, the same month from the same seed, and a second month going on from the
first."""

from __future__ import annotations

import random
import types
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from schwifty import IBAN
from sqlalchemy import func, select
from stdnum.at import uid as at_uid
from stdnum.be import nn
from stdnum.be import vat as be_vat
from stdnum.de import vat as de_vat
from stdnum.fr import nir, tva

import partage.plugins.belgium as belgian_plugin
from partage.core.acts.cooperative import Cooperative
from partage.core.contract import samples as ids
from partage.core.contract.errors import PluginError
from partage.core.contract.hookspecs import hookimpl
from partage.core.contract.identity import (
    SIMULATED_MINIMUM_MONTHLY_GROSS,
    IdentifierKind,
    SampleData,
)
from partage.core.contract.money import from_minor
from partage.core.contract.samples import UnknownSampleCountry
from partage.core.demo.kinds import KIND_WORK
from partage.core.demo.month import MonthReport, Volume, last_simulated_month, simulate_month
from partage.core.demo.payroll import HOURLY_RATES, salary_step
from partage.core.demo.schedule import draw_money
from partage.core.demo.spending import MINIMUM_PURCHASE
from partage.core.ledger.trial_balances import trial_balance
from partage.core.members.instance import bootstrap
from partage.core.members.models import Entity, Member, Party, Person
from partage.core.payroll.models import Contract, PayslipRecord
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import Runtime, build_runtime
from partage.core.risk.fund import fund_report
from partage.core.risk.solvency import headrooms
from partage.core.sales.models import Allocation, Invoice, InvoiceLine, Payment, Quote
from partage.core.spending.models import Purchase
from partage.plugins.belgium import samples as belgian_samples
from partage.plugins.france import samples as french_samples

#: What refuses acts in a month: the no-bankruptcy rule, the fund's capacity (members
#: choose their pay from what their page says they may commit, each seeing the whole
#: capacity left, so together they may ask more than it bears), and the block on an
#: entity that owes the fund an advance (a credit note or wages left it short).
FUNDS_RULES = {"InsufficientFunds", "FundCapacityReached", "EntityBlocked"}
MAY = date(2026, 5, 1)
JUNE = date(2026, 6, 1)
#: A small month with enough quotes to reach every answer.
SMALL = replace(Volume.for_members(12), quotes=30)


# --- identifiers -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "valid"),
    [
        (belgian_samples.national_number, nn.is_valid),
        (french_samples.person_number, nir.is_valid),
        (belgian_samples.vat_number, be_vat.is_valid),
        (french_samples.vat_number, tva.is_valid),
        (ids.german_vat, de_vat.is_valid),
        (ids.austrian_vat, at_uid.is_valid),
    ],
)
def test_generated_numbers_pass_their_check_digits(make, valid) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    drawn = [make(rng) for _ in range(300)]
    assert all(valid(x) for x in drawn)
    assert len(set(drawn)) > 290  # drawn, not repeated
    assert drawn[:5] == [make(r) for r in [random.Random(7)] for _ in range(5)]


@pytest.mark.parametrize("country", ["BE", "FR"])
def test_the_country_plugin_samples_numbers_it_accepts(country: str) -> None:
    rng = random.Random(3)
    plugins = PluginRegistry().manager(country.lower())
    samples = plugins.hook.partage_sample_data()
    drawn = {
        IdentifierKind.IBAN: samples.iban,
        IdentifierKind.PERSON: samples.person_number,
        IdentifierKind.VAT: samples.vat_number,
    }
    for _ in range(50):
        for kind, make in drawn.items():
            value = make(rng)
            check = plugins.hook.partage_validate_identifier(kind=kind, value=value)
            assert check.valid, (kind, value, check.failed_check)
    assert IBAN(samples.iban(rng), validate_bban=True).country_code == country


@pytest.mark.parametrize("country", ["IS", "KW", "LU", "MT", "BE", "FR", "DE"])
def test_ibans_are_built_in_the_country_format_with_or_without_a_bank_registry(
    country: str,
) -> None:
    drawn = [ids.iban(country, random.Random(n)) for n in range(20)]
    assert all(IBAN(x, validate_bban=True).country_code == country for x in drawn)
    assert len(set(drawn)) == 20
    assert drawn[0] == ids.iban(country, random.Random(0))


def test_a_country_without_an_iban_format_or_foreign_generator_is_refused_by_name() -> None:
    assert not ids.iban_known("JP") and ids.iban_known("IS")
    with pytest.raises(ids.UnknownSampleCountry, match="country 'JP': no IBAN format"):
        ids.iban("JP", random.Random(1))
    with pytest.raises(ids.UnknownSampleCountry, match="country 'ZZ': no sample VAT numbers"):
        ids.foreign_vat_number("ZZ", random.Random(1))


def test_sample_data_refuses_a_kind_mapped_to_an_unknown_category() -> None:
    with pytest.raises(PluginError, match="category_by_kind: cadre not among worker_categories"):
        SampleData(("employee",), str, str, str, category_by_kind={"business": "cadre"})


@pytest.mark.parametrize(
    "level", [Decimal(0), Decimal("-150"), Decimal("NaN"), Decimal("Infinity"), 150, 1.5, "150"]
)
def test_sample_data_refuses_a_price_level_that_is_not_a_positive_decimal(level: object) -> None:
    with pytest.raises(
        PluginError, match=r"sample data: price_level: .* must be a positive Decimal"
    ):
        SampleData(("employee",), str, str, str, price_level=level)  # type: ignore[arg-type]


def test_sample_data_prices_in_euros_unless_the_country_says_otherwise() -> None:
    assert SampleData(("employee",), str, str, str).price_level == Decimal(1)
    assert belgian_samples.SAMPLES.price_level == french_samples.SAMPLES.price_level == 1


# --- amounts at the country's price level --------------------------------------------------------
def test_an_amount_in_euros_at_price_level_one_is_the_draw_it_always_was() -> None:
    drawn, plain = random.Random(4), random.Random(4)
    for _ in range(200):
        assert draw_money(drawn, 8, 250, "EUR") == Decimal(plain.randint(800, 25_000)) / 100
        assert (
            draw_money(drawn, 20, 250, "EUR", Decimal(1))
            == Decimal(plain.randint(2000, 25_000)) / 100
        )


def test_an_amount_is_scaled_and_rounded_to_the_currency_minor_unit() -> None:
    rng = random.Random(2)
    krona = [draw_money(rng, 20, 250, "ISK", Decimal(150)) for _ in range(300)]
    assert all(3_000 <= x <= 37_500 and x == x.to_integral_value() for x in krona)
    assert {x.as_tuple().exponent for x in krona} == {0}  # whole krónur, no decimals
    dinars = [draw_money(rng, 5, 60, "KWD", Decimal("0.33")) for _ in range(300)]
    assert all(Decimal("1.650") <= x <= Decimal("19.800") for x in dinars)
    assert {x.as_tuple().exponent for x in dinars} == {-3}
    tiny = [draw_money(rng, 5, 60, "JPY", Decimal("0.0001")) for _ in range(20)]
    assert set(tiny) == {Decimal(1)}  # never below one minor unit


@pytest.mark.parametrize(
    ("level", "currency", "step"),
    [
        (Decimal(1), "EUR", Decimal(10)),
        (Decimal("1.17"), "USD", Decimal(10)),
        (Decimal(150), "ISK", Decimal(1000)),
        (Decimal(40), "CZK", Decimal(1000)),  # 400 is nearer 10^3 than 10^2 on a log scale
        (Decimal(25), "CZK", Decimal(100)),
        (Decimal("0.3"), "KWD", Decimal(1)),
        (Decimal("0.001"), "JPY", Decimal(1)),  # never below the minor unit
    ],
)
def test_monthly_grosses_are_round_figures_of_the_currency(
    level: Decimal, currency: str, step: Decimal
) -> None:
    assert salary_step(level, currency) == step


def scaled_belgium(coop: Cooperative, level: Decimal) -> Cooperative:
    """The Belgian instance with a plugin whose sample data has another price level."""

    @hookimpl
    def partage_sample_data() -> SampleData:
        return replace(belgian_samples.SAMPLES, price_level=level)

    scaled = types.ModuleType("belgium_scaled")
    scaled.PARTAGE_HOOK_API = "2.0"
    for name in dir(belgian_plugin):
        if name.startswith("partage_") and name != "partage_sample_data":
            setattr(scaled, name, getattr(belgian_plugin, name))
    scaled.partage_sample_data = partage_sample_data
    registry = PluginRegistry(autoload=False)
    registry.add(scaled, name="be", kind=PluginKind.COUNTRY)
    return replace(coop, plugins=registry.manager("be"))


@pytest.mark.sqlite
def test_every_invented_amount_is_scaled_by_the_price_level(sqlite_url: str) -> None:
    level = Decimal(100)
    runtime, coop = belgium(sqlite_url)
    report = simulate_month(
        runtime.sessions, scaled_belgium(coop, level), MAY, SMALL, seed=5, actor="test"
    )
    euros = {kind: work[3] for kind, work in KIND_WORK.items()}
    with runtime.sessions() as s:
        lines = s.execute(
            select(Entity.kind, InvoiceLine.unit_price)
            .join(Invoice, Invoice.id == InvoiceLine.invoice_id)
            .join(Entity, Entity.id == Invoice.entity_id)
            .where(Invoice.kind == "invoice")
        ).all()
        contracts = s.execute(select(Contract.hourly_rate, Contract.monthly_gross)).all()
        purchases = list(s.scalars(select(Purchase.net)))
    runtime.close()
    assert lines and contracts and purchases
    for kind, minor in lines:  # a revised quote's prices are 10 % lower
        low, high = euros[kind]
        assert Decimal("0.9") * low * level <= from_minor(minor, "EUR") <= high * level, kind
    hourly = {from_minor(r, "EUR") for r, _ in contracts if r is not None}
    assert hourly and hourly <= {rate * level for rate in HOURLY_RATES}
    monthly = [from_minor(g, "EUR") for _, g in contracts if g is not None]
    assert monthly, "some monthly contracts are hired"
    assert all(g >= SIMULATED_MINIMUM_MONTHLY_GROSS * level and g % 1000 == 0 for g in monthly)
    assert all(from_minor(net, "EUR") >= MINIMUM_PURCHASE * level for net in purchases)
    assert report.credit_left >= 5 * level  # over-payments add 5 to 60 euros, scaled
    assert {error for _, error in report.meter.refused} <= FUNDS_RULES


# --- a month -------------------------------------------------------------------------------------
def belgium(url: str) -> tuple[Runtime, Cooperative]:
    runtime = build_runtime("be", database_url=url)
    bootstrap(runtime.engine, runtime.config.instance, runtime.plugins, actor="test")
    return runtime, Cooperative.from_runtime(runtime)


@pytest.fixture
def month(database_url: str) -> tuple[Runtime, Cooperative, MonthReport]:
    runtime, coop = belgium(database_url)
    report = simulate_month(runtime.sessions, coop, MAY, SMALL, seed=5, actor="test")
    yield runtime, coop, report
    runtime.close()


def test_a_month_goes_through_every_act_and_only_the_funds_rules_refuse(month) -> None:  # type: ignore[no-untyped-def]
    runtime, _, report = month
    meter = report.meter
    assert {error for _, error in meter.refused} <= FUNDS_RULES
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
        # the newcomers, and the applicant the month admitted (a trade with no review)
        assert s.scalar(select(func.count(Member.id))) == SMALL.members + 1
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
    refused = sum(report.meter.refused.get(("payslip", rule), 0) for rule in FUNDS_RULES)
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


def test_a_country_without_sample_data_is_refused_naming_the_hook(sqlite_url: str) -> None:
    runtime, coop = belgium(sqlite_url)
    without = types.ModuleType("belgium_without_samples")
    without.PARTAGE_HOOK_API = "2.0"
    for name in dir(belgian_plugin):
        if name.startswith("partage_") and name != "partage_sample_data":
            setattr(without, name, getattr(belgian_plugin, name))
    registry = PluginRegistry(autoload=False)
    registry.add(without, name="be", kind=PluginKind.COUNTRY)
    bare = replace(coop, plugins=registry.manager("be"))
    with pytest.raises(
        UnknownSampleCountry,
        match=r"country plugin be supplies no sample data \(hook partage_sample_data\)",
    ):
        simulate_month(runtime.sessions, bare, MAY, SMALL, seed=1, actor="test")
    with runtime.sessions() as s:
        assert s.scalar(select(func.count(Member.id))) == 0
    runtime.close()


def test_a_month_makes_applications_in_each_state(month) -> None:  # type: ignore[no-untyped-def]
    from partage.core.members.models import Application

    runtime, _, report = month
    assert report.meter.done["application.submit"] == 4
    with runtime.sessions() as s:
        states = sorted(s.scalars(select(Application.status)))
    assert states == ["admitted", "appealed", "in_review", "refused"]
